"""Prometheus metrics at /metrics and JSON log lines: what operators scrape and ship."""

import json
import logging
import re
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.app import create_app
from smartoffice.ids import encode_id
from smartoffice.logs import configure_logging
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.clock import days_ahead
from tests.support.graphql import GraphQL


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


METRICS_TOKEN = "scrape-token-0123456789"


async def test_bookings_and_requests_are_counted(
    client: AsyncTestClient, graphql: GraphQL, factory: Factory, settings: Settings
) -> None:
    # /metrics wants a token from anything but a loopback peer (litestar's test client is not one).
    scraper = AsyncTestClient(app=create_app(replace(settings, metrics_token=METRICS_TOKEN)))
    scraper.headers["authorization"] = f"Bearer {METRICS_TOKEN}"
    desk, first, second = await factory.desk(), await factory.employee(), await factory.employee()
    async with scraper:
        before = (await scraper.get("/metrics")).text
    variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": days_ahead(1).isoformat()}}
    assert (await graphql("BookDesk", variables, as_employee=first.id))["data"]["bookDesk"]["__typename"] == (
        "BookSuccess"
    )
    await graphql("BookDesk", variables, as_employee=second.id)  # the desk is taken now

    async with scraper:
        after = (await scraper.get("/metrics")).text
    booked = ("smartoffice_bookings_total", {"kind": "desk", "outcome": "booked"})
    conflict = ("smartoffice_bookings_total", {"kind": "desk", "outcome": "conflict"})
    assert sample(after, booked[0], **booked[1]) == sample(before, booked[0], **booked[1]) + 1
    assert sample(after, conflict[0], **conflict[1]) == sample(before, conflict[0], **conflict[1]) + 1
    assert "smartoffice_request_duration_seconds_bucket" in after
    assert 'path="/graphql"' in after


def test_json_logs_are_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("json")
        logging.getLogger("smartoffice.test").warning("desk %s released", "B3-14", extra={"booking": 7})
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert record["level"] == "WARNING"
    assert record["logger"] == "smartoffice.test"
    assert record["message"] == "desk B3-14 released"
    assert record["booking"] == 7
    assert "time" in record
