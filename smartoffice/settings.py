"""Settings from ``SMARTOFFICE_*`` environment variables.

Read once by the CLI (or a test) and passed into :func:`smartoffice.app.create_app`; nothing reads the
environment at import time. With nothing set the service runs embedded: a SQLite file in ``data_dir`` and a
Redis server it starts itself.
"""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Self

PREFIX = "SMARTOFFICE_"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str | None = None
    """``sqlite+aiosqlite:///...`` or ``postgresql+asyncpg://...``; ``None`` means a SQLite file in ``data_dir``."""
    redis_url: str | None = None
    """``redis://...`` or ``unix://...``; ``None`` means an embedded Redis server started with the app."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    secret_key: str = field(default="", repr=False)
    """Signs CSRF tokens and the demo identity cookie; generated and kept in ``data_dir`` when unset."""
    debug: bool = False
    migrate_on_start: bool = True
    run_jobs: bool = True
    """Run the periodic background jobs (no-show release, index reconciler) in this process."""
    templates_dir: Path = Path(__file__).resolve().parent.parent / "templates"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(PREFIX + name)
            return value if value else None

        defaults = cls()
        return cls(
            data_dir=Path(get("DATA_DIR") or defaults.data_dir),
            database_url=get("DATABASE_URL"),
            redis_url=get("REDIS_URL"),
            host=get("HOST") or defaults.host,
            port=int(get("PORT") or defaults.port),
            workers=int(get("WORKERS") or defaults.workers),
            secret_key=get("SECRET_KEY") or "",
            debug=_truthy(get("DEBUG")),
            migrate_on_start=_truthy(get("MIGRATE_ON_START"), default=True),
            run_jobs=_truthy(get("RUN_JOBS"), default=True),
            templates_dir=Path(get("TEMPLATES_DIR") or defaults.templates_dir),
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'smartoffice.sqlite3').resolve()}"

    @property
    def is_embedded_redis(self) -> bool:
        return self.redis_url is None

    def with_secret(self) -> "Settings":
        """Return settings with a secret key, generating one that survives restarts in ``data_dir``."""
        if self.secret_key:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return replace(self, secret_key=path.read_text().strip())


def _truthy(value: str | None, *, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
