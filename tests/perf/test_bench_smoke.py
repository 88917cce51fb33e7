"""A seconds-long run of ``smartoffice bench`` (tier S): every row runs, the table has its shape, the booking
audit finds no double booking. Numbers are never asserted: they belong to the benchmark, not to the tests."""

import json
from pathlib import Path

from sqlalchemy.engine import make_url

from smartoffice.bench.report import Report
from smartoffice.bench.runner import BenchOptions, run_bench
from smartoffice.db import is_sqlite

EXPECTED_KEYS = ["a", "b", "b", "c", "d", "e", "e", "e", "f", "g"]
"""(a) and (d) and (f) have one row per floor: the one nearest 90 desks, and the largest (the same floor in S)."""


def fresh_database(database_url: str) -> str | None:
    """SQLite: None (the benchmark makes a new file). PostgreSQL: a sibling of the test database, reset by the run."""
    if is_sqlite(database_url):
        return None
    url = make_url(database_url)
    return url.set(database=f"{url.database}_bench_smoke").render_as_string(hide_password=False)


async def test_a_short_tier_s_run_fills_every_row_and_audits_no_double_booking(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    # given
    options = BenchOptions(
        tier="S",
        database_url=fresh_database(database_url),
        redis_url=redis_url,
        duration=0.4,
        warmup_seconds=0.2,
        concurrency=4,
        workers=1,
        reset=not is_sqlite(database_url),
        show_progress=False,
    )
    # when
    report = await run_bench(options)
    report.write(tmp_path / "bench.json", tmp_path / "bench.md")
    # then: the table's rows, each run (or "n/a" for a query the schema does not have yet), without errors
    assert sorted(r.key for r in report.rows if r.key not in "adf" or r.pair == "90") == EXPECTED_KEYS
    for row in report.rows:
        if row.key in "ce" and not row.measured:
            assert row.note.startswith("n/a ("), row
            continue
        assert row.measured and row.ok > 0 and row.errors == 0, row
    # and the booking phase audited in SQL: no double booking, no acknowledged booking lost
    assert report.audit.startswith("OK: 0 double bookings"), report.audit
    # and every measured row has its ratios to the SQL-only and the trivial query
    for row in report.rows:
        if row.measured:
            assert {"per_second_vs_f", "per_second_vs_g", "p50_vs_f", "p50_vs_g"} <= row.ratios.keys(), row
    # and the JSON and Markdown outputs hold the same table
    written = json.loads((tmp_path / "bench.json").read_text())
    assert [r["label"] for r in written["rows"]] == [r.label for r in report.rows]
    markdown = (tmp_path / "bench.md").read_text()
    assert markdown.count("\n| (") == len(report.rows)
    assert "| " + " | ".join(Report.HEADERS) + " |" in markdown
