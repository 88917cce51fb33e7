"""docker-compose.yml's database topology: replicas → PgBouncer (transaction pooling) → PostgreSQL, sized to fit."""

import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from smartoffice.db import split_pgbouncer_flag
from smartoffice.settings import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def services() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text())["services"])


def settings_of(service: dict[str, Any]) -> Settings:
    env = {k: re.sub(r"\$\{\w+:-(\w+)\}", r"\1", str(v)) for k, v in service["environment"].items()}
    return Settings.from_env({k: v for k, v in env.items() if "${" not in v})


def test_the_replicas_reach_postgresql_through_pgbouncer_in_transaction_pooling() -> None:
    app = settings_of(services()["app"])
    pgbouncer = services()["pgbouncer"]["environment"]
    url = make_url(app.resolved_database_url)
    assert url.host == "pgbouncer"
    assert app.database_pgbouncer  # the server's engine
    assert split_pgbouncer_flag(app.resolved_database_url)[1]  # a CLI command's engine, built from the URL alone
    assert pgbouncer["POOL_MODE"] == "transaction"
    assert pgbouncer["DB_HOST"] == "postgres"


def test_migrations_go_straight_to_postgresql() -> None:
    migrate = settings_of(services()["migrate"])
    assert make_url(migrate.resolved_database_url).host == "postgres"
    assert not migrate.database_pgbouncer


def test_connections_fit_within_pgbouncer_and_postgresql_limits() -> None:
    # replicas × workers × (pool + overflow) client connections ≤ PgBouncer's max_client_conn, and PgBouncer's
    # server connections ≤ PostgreSQL's max_connections, leaving room for migrations and an operator
    everything = services()
    app = settings_of(everything["app"])
    pgbouncer = everything["pgbouncer"]["environment"]
    command = " ".join(everything["postgres"]["command"])
    max_connections = int(re.search(r"max_connections=(\d+)", command).group(1))  # type: ignore[union-attr]
    clients = (
        everything["app"]["deploy"]["replicas"] * app.workers * (app.database_pool_size + app.database_max_overflow)
    )
    assert clients <= int(pgbouncer["MAX_CLIENT_CONN"])
    servers = int(pgbouncer["DEFAULT_POOL_SIZE"]) + int(pgbouncer["RESERVE_POOL_SIZE"])
    assert servers + 5 <= max_connections
