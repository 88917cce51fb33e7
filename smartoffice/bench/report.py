"""The benchmark's one table: a row per measured path, printed to the terminal and written as JSON or Markdown."""

import json
import math
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from smartoffice.bench.driver import Outcome, PhaseResult, percentile

SQL_ONLY_KEY = "f"
TRIVIAL_KEY = "g"
KEYS = "abcdefgh"
"""Row keys in table order: (a)..(g) as in issue 8, (h) room search (issue 17)."""
FIGURES = ("p50_ms", "p95_ms", "p99_ms", "per_second", "server_cpu_ms", "client_cpu_percent")
"""The figures of a row that ``--repeat`` gives as a median with its spread."""
SPREAD = "min–max"


def json_ready(value: Any) -> Any:
    """``value`` (an ``asdict``) for JSON: floats to 3 places, NaN (a figure not measured) as null."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


@dataclass
class Row:
    key: str
    """(a) .. (g) as in the issue; several rows may share a key."""
    label: str
    requests: int = 0
    ok: int = 0
    conflicts: int = 0
    errors: int = 0
    p50_ms: float = math.nan
    p95_ms: float = math.nan
    p99_ms: float = math.nan
    per_second: float = math.nan
    """Successful requests per second (for bookDesk: successful bookings per second)."""
    note: str = ""
    pair: str = ""
    """Rows of one floor share it: an (a) row's ratio to (f) is to the SQL-only row of the same floor."""
    client_cpu_percent: float = math.nan
    """The load generator's CPU during the row, in % of one core."""
    failures: dict[str, int] = field(default_factory=dict)
    """``errors`` by kind: ``busy`` (the typed 503/BUSY answer), ``masked`` (a bug's answer), ``error`` (other)."""
    server_cpu_ms: float = math.nan
    """Server CPU (all its processes; not the database's or Redis's) per request of the row's phase: unlike
    latency and throughput, hardly moved by whatever else the machine runs."""
    ratios: dict[str, float] = field(default_factory=dict)
    """``p50_vs_f``, ``per_second_vs_g`` ...: this row's figure divided by the baseline row's (with ``--repeat``:
    computed within each run, then the median over the runs)."""
    runs: int = 1
    """How many runs the figures summarise; the counts (requests, ok, ...) are totals over them."""
    spread: dict[str, list[float]] = field(default_factory=dict)
    """With ``--repeat``: ``[min, max]`` over the runs of each figure (by field name) and each ratio (by
    ``ratios`` key); the figure itself is the median."""

    @property
    def measured(self) -> bool:
        return self.requests > 0

    @classmethod
    def from_phase(
        cls, key: str, label: str, phase: PhaseResult, series: str, *, note: str = "", pair: str = ""
    ) -> "Row":
        data = phase.series.get(series)
        if data is None or not data.latencies:
            return cls(key, label, note=note or "no request completed", pair=pair)
        latencies = sorted(data.latencies)
        ok = data.outcomes[Outcome.OK]
        failures = {o.value: n for o, n in data.outcomes.items() if o.is_failure and n}
        if failures:
            kinds = ", ".join(f"{n:,} {kind}" for kind, n in failures.items())
            first = f"; first: {data.first_error}" if data.first_error else ""
            note = f"{note}; errors: {kinds}{first}" if note else f"errors: {kinds}{first}"
        return cls(
            key,
            label,
            requests=len(latencies),
            ok=ok,
            conflicts=data.outcomes[Outcome.CONFLICT],
            errors=sum(failures.values()),
            failures=failures,
            p50_ms=percentile(latencies, 0.50) * 1000,
            p95_ms=percentile(latencies, 0.95) * 1000,
            p99_ms=percentile(latencies, 0.99) * 1000,
            per_second=ok / phase.seconds,
            note=note,
            pair=pair,
            client_cpu_percent=100 * phase.client_cpu_seconds / phase.seconds,
            server_cpu_ms=1000 * phase.server_cpu_seconds / sum(len(s.latencies) for s in phase.series.values()),
        )


@dataclass
class Report:
    tier: str
    database: str
    redis: str
    workers: int
    concurrency: int
    duration_s: float
    seed: dict[str, Any]
    rows: list[Row]
    audit: str = ""
    client_cpu: str = ""
    started_at: str = ""
    machine: str = ""
    command: str = ""
    runs: int = 1
    """``--repeat N``: the rows are medians over N runs (counts are totals), the spread is min–max."""
    spread: str = ""
    """How the spread of a figure is given (``min–max`` over the runs), when ``runs`` > 1."""

    @classmethod
    def combined(cls, reports: list["Report"]) -> "Report":
        """One report from several runs of the same rows (each with its ratios computed): every figure and ratio
        the median over the runs, its min and max in ``Row.spread``; counts summed; the audits summed up."""
        if len(reports) == 1:
            return reports[0]
        first = reports[0]
        rows = [_combined_row([r.rows[i] for r in reports]) for i in range(len(first.rows))]
        return replace(first, rows=rows, runs=len(reports), spread=SPREAD)

    def compute_ratios(self) -> None:
        for row in self.rows:
            row.ratios = {}
            for key in (SQL_ONLY_KEY, TRIVIAL_KEY):
                base = self._baseline(key, row.pair)
                if base is None or not row.measured:
                    continue
                for figure in ("p50_ms", "p95_ms", "p99_ms", "per_second", "server_cpu_ms"):
                    value, reference = getattr(row, figure), getattr(base, figure)
                    if reference and not math.isnan(reference) and not math.isnan(value):
                        row.ratios[f"{figure.removesuffix('_ms')}_vs_{key}"] = value / reference

    def _baseline(self, key: str, pair: str) -> Row | None:
        candidates = [r for r in self.rows if r.key == key and r.measured]
        return next((r for r in candidates if pair and r.pair == pair), candidates[0] if candidates else None)

    # output

    def to_json(self) -> str:
        return json.dumps(json_ready(asdict(self)), indent=2, ensure_ascii=False) + "\n"

    HEADERS = (
        "", "path", "requests", "ok / conflict / error", "p50 ms", "p95 ms", "p99 ms", "ok/s",
        "ok/s ÷ (f)", "ok/s ÷ (g)", "p50 ÷ (f)", "p50 ÷ (g)", "server CPU ms/req", "CPU ÷ (g)",
    )  # fmt: skip

    def cells(self, row: Row) -> list[str]:
        if not row.measured:
            return [f"({row.key})", row.label, "", "", "", "", "", row.note or "n/a", *[""] * 6]
        return [
            f"({row.key})",
            row.label,
            f"{row.requests:,}",
            f"{row.ok:,} / {row.conflicts:,} / {row.errors:,}",
            _figure(row, "p50_ms", _num),
            _figure(row, "p95_ms", _num),
            _figure(row, "p99_ms", _num),
            _figure(row, "per_second", lambda v: _num(v, 0)),
            _ratio_cell(row, "per_second_vs_f"),
            _ratio_cell(row, "per_second_vs_g"),
            _ratio_cell(row, "p50_vs_f"),
            _ratio_cell(row, "p50_vs_g"),
            _figure(row, "server_cpu_ms", lambda v: _num(v, 2)),
            _ratio_cell(row, "server_cpu_vs_g"),
        ]

    def context_lines(self) -> list[str]:
        seed = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in self.seed.items())
        lines = [
            f"tier {self.tier} ({seed}); {self.database} + {self.redis}; "
            f"{self.workers} server worker(s), {self.concurrency} clients, {self.duration_s:g} s per row",
            f"audit after (b): {self.audit}",
            f"load generator (this process) CPU: {self.client_cpu}",
        ]
        if self.runs > 1:
            lines.insert(
                1,
                f"{self.runs} runs (seeded once): each figure and ratio is the median of the runs, its {self.spread} "
                "over them in brackets (ratios computed within each run); requests and ok / conflict / error are "
                "totals over the runs",
            )
        return lines

    def to_markdown(self) -> str:
        lines = [f"`{self.command}` — {self.started_at}, {self.machine}", ""]
        lines += [f"{line}  " for line in self.context_lines()] + [""]
        lines.append("| " + " | ".join(self.HEADERS) + " |")
        lines.append("|" + "|".join("---" if i < 2 else "--:" for i in range(len(self.HEADERS))) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in self.cells(row)) + " |")
        notes = [f"- ({row.key}) {row.label}: {row.note}" for row in self.rows if row.measured and row.note]
        return "\n".join(lines + (["", *notes] if notes else [])) + "\n"

    def print(self, console: Console | None = None) -> None:
        console = console or Console()
        table = Table(title=f"smartoffice bench — tier {self.tier}", title_justify="left")
        for i, header in enumerate(self.HEADERS):
            table.add_column(header, justify="left" if i < 2 else "right", overflow="fold")
        for row in self.rows:
            table.add_row(*self.cells(row))
        console.print(table)
        for line in self.context_lines():
            console.print(line, highlight=False)
        for row in self.rows:
            if row.measured and row.note:
                console.print(f"({row.key}) {row.label}: {row.note}", highlight=False)

    def write(self, json_path: Path | None, markdown_path: Path | None) -> None:
        if json_path:
            json_path.write_text(self.to_json())
        if markdown_path:
            markdown_path.write_text(self.to_markdown())


def _num(value: float, digits: int = 1) -> str:
    return "" if math.isnan(value) else f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def _figure(row: Row, name: str, show: Callable[[float], str]) -> str:
    """A figure, and with several runs its spread: ``30.3 (28.1–33.0)``."""
    text = show(getattr(row, name))
    low_high = row.spread.get(name)
    return f"{text} ({show(low_high[0])}–{show(low_high[1])})" if text and low_high else text


def _ratio_cell(row: Row, key: str) -> str:
    value, low_high = row.ratios.get(key), row.spread.get(key)
    if value is None or not low_high:
        return _ratio(value)
    return f"{value:.2f}× ({low_high[0]:.2f}–{low_high[1]:.2f})"


def _combined_row(runs: list[Row]) -> Row:
    """The median row of one path over several runs (see :meth:`Report.combined`)."""
    measured = [r for r in runs if r.measured]
    first = runs[0]
    if not measured:
        return replace(first, runs=len(runs))
    spread: dict[str, list[float]] = {}
    medians: dict[str, float] = {}
    for name in FIGURES:
        values = [getattr(r, name) for r in measured if not math.isnan(getattr(r, name))]
        medians[name] = statistics.median(values) if values else math.nan
        if values:
            spread[name] = [min(values), max(values)]
    ratios: dict[str, float] = {}
    for key in sorted({k for r in measured for k in r.ratios}):
        values = [r.ratios[key] for r in measured if key in r.ratios]
        ratios[key] = statistics.median(values)
        spread[key] = [min(values), max(values)]
    notes = list(dict.fromkeys(r.note for r in runs if r.note))
    combined = replace(
        first,
        requests=sum(r.requests for r in runs),
        ok=sum(r.ok for r in runs),
        conflicts=sum(r.conflicts for r in runs),
        errors=sum(r.errors for r in runs),
        failures={
            k: sum(r.failures.get(k, 0) for r in runs) for k in dict.fromkeys(k for r in runs for k in r.failures)
        },
        note=" / ".join(notes),
        ratios=ratios,
        runs=len(runs),
        spread=spread,
    )
    for name, value in medians.items():
        setattr(combined, name, value)
    return combined
