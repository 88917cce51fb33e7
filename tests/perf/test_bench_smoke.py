"""A seconds-long run of ``smartoffice bench --repeat 2`` (tier S): every row runs in each run, the table has its
shape (medians with their spread), the booking audit finds no double booking. Numbers are never asserted: they
belong to the benchmark, not to the tests. The pure parts (combining runs, telling answers apart) are tested on
made-up figures below."""

import json
import math
from pathlib import Path

from sqlalchemy.engine import make_url

from smartoffice.bench.driver import Outcome
from smartoffice.bench.operations import Answer, outcome_of
from smartoffice.bench.report import Report, Row
from smartoffice.bench.runner import BenchOptions, run_bench
from smartoffice.db import is_sqlite

EXPECTED_KEYS = ["a", "b", "b", "c", "d", "e", "e", "e", "f", "g", "h"]
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
        repeat=2,
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
    # and the booking phase audited in SQL after each run: no double booking, no acknowledged booking lost
    assert report.audit.startswith("OK: run 1: 0 double bookings"), report.audit
    assert "; run 2: 0 double bookings" in report.audit, report.audit
    # and each measured row is the median of both runs, with the min–max of every figure and ratio
    assert report.runs == 2 and report.spread == "min–max"
    for row in report.rows:
        if row.measured:
            assert row.runs == 2, row
            for figure in ("p50_ms", "per_second", "server_cpu_ms", "server_cpu_vs_g", "p50_vs_g"):
                low, high = row.spread[figure]
                value = row.ratios[figure] if figure in row.ratios else getattr(row, figure)
                assert low <= value <= high, (row.label, figure)
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
    assert "2 runs (seeded once)" in markdown
    assert written["runs"] == 2
    assert all(set(r["spread"]) >= {"p50_ms", "server_cpu_ms"} for r in written["rows"] if r["requests"])


def row(key: str, p50: float, cpu: float, pair: str = "") -> Row:
    return Row(key, f"row {key}", requests=10, ok=10, p50_ms=p50, p95_ms=p50, p99_ms=p50, per_second=1000 / p50,
               server_cpu_ms=cpu, client_cpu_percent=10.0, pair=pair)  # fmt: skip


def run(*rows: Row) -> Report:
    report = Report("S", "SQLite", "embedded Redis", 1, 4, 1.0, {}, list(rows), audit="OK: 0 double bookings")
    report.compute_ratios()
    return report


def test_several_runs_give_each_figure_s_median_and_min_max_and_ratios_within_each_run() -> None:
    # given three runs in which the machine slowed everything down in the second
    runs = [
        run(row("a", 10, 2.0), row("f", 20, 4.0), row("g", 5, 1.0)),
        run(row("a", 30, 6.0), row("f", 60, 12.0), row("g", 15, 3.0)),
        run(row("a", 12, 2.2), row("f", 22, 4.4), row("g", 6, 1.0)),
    ]
    # when
    combined = Report.combined(runs)
    # then figures are medians with their spread, counts are totals
    a = combined.rows[0]
    assert (a.p50_ms, a.spread["p50_ms"], a.requests, a.runs) == (12, [10, 30], 30, 3)
    # and the CPU ratio to (g) is taken within each run (2.0, 2.0, 2.2), not from the medians (2.2 / 1.0)
    assert math.isclose(a.ratios["server_cpu_vs_g"], 2.0)
    assert a.spread["server_cpu_vs_g"] == [2.0, 2.2]
    assert "2.00× (2.00–2.20)" in combined.to_markdown()


def test_one_run_is_reported_as_it_was_measured() -> None:
    single = run(row("a", 10, 2.0), row("g", 5, 1.0))
    assert Report.combined([single]) is single
    assert single.runs == 1 and all(not r.spread for r in single.rows)
    assert "(" not in single.cells(single.rows[0])[4]  # "10.0", no spread


def test_answers_are_told_apart_ok_busy_masked_and_other() -> None:
    busy = {"errors": [{"message": "Too many people", "extensions": {"code": "BUSY", "retryAfter": 2}}]}
    masked = {
        "data": None,
        "errors": [{"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}],
    }
    assert outcome_of(Answer(200, {"data": {"x": 1}}))[0] == Outcome.OK
    assert outcome_of(Answer(503, busy, retry_after="2"))[0] == Outcome.BUSY
    assert outcome_of(Answer(200, busy))[0] == Outcome.BUSY  # a GraphQL error coded BUSY
    assert outcome_of(Answer(503, busy))[0] == Outcome.ERROR  # 503 without Retry-After: not the typed answer
    assert outcome_of(Answer(200, masked))[0] == Outcome.MASKED
    assert outcome_of(Answer(500, {}))[0] == Outcome.MASKED
    assert outcome_of(Answer(400, {"errors": [{"message": "bad", "extensions": {"code": "BAD_USER_INPUT"}}]}))[0] == (
        Outcome.ERROR
    )
