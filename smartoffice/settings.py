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
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from smartoffice.identity.idp_roles import RoleGroups

PREFIX = "SMARTOFFICE_"
MIN_RETENTION_DAYS = 90
"""The shortest retention of bookings, plans and attendance: a quarter, so a quarter's occupancy report and the
weeks a compliance review looks back on are still there in full."""


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
    availability_index: bool = True
    """Answer availability reads from the Redis index; off: from SQL only (the benchmark's baseline). Bookings
    still project into the index either way, so processes with it on stay correct."""
    log_format: str = "text"
    """``json`` for one JSON object per log line (for log shippers; docker-compose sets it), else plain text."""
    demo_mode: bool | None = None
    """Demo conveniences: the "act as any employee" picker, the ``X-Demo-Employee`` header, the demo accounts'
    password, GraphiQL and introspection. ``None`` (unset): on when embedded (no database URL), off otherwise.
    Never turn it on in production: anyone could act as anyone."""
    session_ttl_seconds: int = 8 * 3600
    """How long a login session lives in Redis (fixed from login; logout or an admin revoke ends it sooner)."""
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 20
    graphql_max_tokens: int = 2000
    graphql_cost_budget: int = 5000
    """Static cost a document may have (fields 1, lists multiply); an app token may carry its own budget."""
    token_rate_limit: int = 600
    """Requests per token per ``token_rate_window_seconds``; a token may carry its own limit."""
    token_rate_window_seconds: int = 60
    event_retention_days: int = 30
    """Booking events (and their webhook deliveries) dispatched longer ago than this are deleted."""
    retention_days: int = 730
    """Bookings, work plans and attendance of local days older than this are folded into daily aggregates and
    deleted (UU 27/2022; see smartoffice.privacy.retention). At least :data:`MIN_RETENTION_DAYS`."""
    oidc_issuer: str | None = None
    """OpenID Connect sign-in at this provider (``{issuer}/.well-known/openid-configuration``); off when unset."""
    oidc_client_id: str = ""
    oidc_client_secret: str | None = field(default=None, repr=False)
    """``None``: a public client, proven by PKCE alone."""
    oidc_claim: str = "email"
    """The ID-token claim that names the employee: ``email`` (standard, any provider) or ``nip``."""
    oidc_name: str = "OpenID Connect"
    """The sign-in button's label, e.g. the national IdP's name."""
    oidc_redirect_uri: str | None = None
    """The callback URL registered at the provider; ``None``: ``/login/oidc/callback`` on the request's host."""
    oidc_groups_claim: str = "groups"
    """The ID-token claim listing the person's groups (Keycloak and Entra ID: ``groups``), for ``idp_role_groups``."""
    idp_role_groups: str = ""
    """Roles from the identity provider's groups: ``GROUP=ROLE`` entries separated by ``;``, ROLE being ``admin``,
    ``facilities_manager:site:CODE`` or ``unit_manager:unit:CODE`` (smartoffice.identity.idp_roles). Empty: none."""
    previous_secret_keys: tuple[str, ...] = field(default=(), repr=False)
    """Earlier secret keys (comma-separated), still accepted for decrypting stored secrets while they are
    re-encrypted under ``secret_key`` (key rotation)."""
    graphql_max_body_bytes: int = 256 * 1024
    """Largest GraphQL request body read; a larger one is refused with 413 before it is parsed."""
    graphql_max_document_chars: int = 50_000
    """Largest GraphQL document (the ``query`` string, comments and whitespace included)."""
    webhook_allowed_networks: tuple[str, ...] = ()
    """CIDR blocks (comma-separated) webhook receivers may be in although they are private, loopback or otherwise
    non-public, e.g. an agency's e-presensi server at ``10.20.0.0/16``. Empty: public addresses only."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or CIDR blocks (comma-separated) of reverse proxies whose ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are believed. Empty: the peer's address and the connection's scheme are used."""
    metrics_token: str | None = field(default=None, repr=False)
    """``/metrics`` requires ``Authorization: Bearer <token>``; unset: only loopback clients may read it."""
    database_pool_size: int = 10
    database_max_overflow: int = 20
    """Connections one process may open to PostgreSQL: ``pool_size + max_overflow`` (see the README's sizing)."""
    database_pool_timeout: float = 5.0
    """Seconds a request waits for a pooled connection before it is answered 503 busy."""
    database_pgbouncer: bool = False
    """The database URL points at PgBouncer in transaction pooling mode: no prepared statement is reused."""
    smtp_url: str | None = field(default=None, repr=False)
    """Email notifications go through this SMTP server: ``smtp://user:pass@host:587?starttls=1`` (STARTTLS),
    ``smtps://host:465`` (TLS from the start), ``smtp://host:1025`` (plain, a local mail catcher). Unset: no email
    is sent (in-app notifications still are). See smartoffice.notifications.mailer."""
    mail_from: str = "SmartOffice Nusantara <no-reply@smartoffice.invalid>"
    """The From of every email."""
    public_url: str | None = None
    """The address people open the service at (``https://smartoffice.ikn.go.id``), for links in emails; unset:
    ``http://{host}:{port}``."""
    notification_interval_seconds: float = 10.0
    """How often each process turns booking events into notifications and sends the emails that are due."""
    notification_email_max_age_hours: int = 72
    notification_retention_days: int = 90
    """Notifications made longer ago than this are deleted, read or not (an hourly job)."""
    """An email not sent this long after it was due (SMTP unset or down all along) expires instead of going late."""

    def __post_init__(self) -> None:
        if self.event_retention_days < 1:
            raise ValueError("SMARTOFFICE_EVENT_RETENTION_DAYS must be at least 1")
        if self.notification_retention_days < 1:
            raise ValueError("SMARTOFFICE_NOTIFICATION_RETENTION_DAYS must be at least 1")
        if self.retention_days < MIN_RETENTION_DAYS:
            raise ValueError(
                f"SMARTOFFICE_RETENTION_DAYS must be a whole number of days, at least {MIN_RETENTION_DAYS} "
                f"(default 730, two years), not {self.retention_days}"
            )
        if self.oidc_issuer is not None:
            if not self.oidc_client_id:
                raise ValueError("SMARTOFFICE_OIDC_ISSUER is set: SMARTOFFICE_OIDC_CLIENT_ID is required too")
            if self.oidc_claim not in ("email", "nip"):
                raise ValueError(f"SMARTOFFICE_OIDC_CLAIM must be email or nip, not {self.oidc_claim!r}")
        self.idp_role_mapping  # noqa: B018 -- parsed now so that a bad mapping stops the start, naming the entry
        if self.smtp_url:
            from smartoffice.notifications.mailer import parse_smtp_url  # imports nothing from here

            parse_smtp_url(self.smtp_url)  # a bad URL stops the start, naming the problem

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
            availability_index=_truthy(get("AVAILABILITY_INDEX"), default=True),
            log_format=(get("LOG_FORMAT") or defaults.log_format).lower(),
            demo_mode=None if get("DEMO_MODE") is None else _truthy(get("DEMO_MODE")),
            session_ttl_seconds=int(get("SESSION_TTL_SECONDS") or defaults.session_ttl_seconds),
            graphql_max_depth=int(get("GRAPHQL_MAX_DEPTH") or defaults.graphql_max_depth),
            graphql_max_aliases=int(get("GRAPHQL_MAX_ALIASES") or defaults.graphql_max_aliases),
            graphql_max_tokens=int(get("GRAPHQL_MAX_TOKENS") or defaults.graphql_max_tokens),
            graphql_cost_budget=int(get("GRAPHQL_COST_BUDGET") or defaults.graphql_cost_budget),
            token_rate_limit=int(get("TOKEN_RATE_LIMIT") or defaults.token_rate_limit),
            token_rate_window_seconds=int(get("TOKEN_RATE_WINDOW_SECONDS") or defaults.token_rate_window_seconds),
            event_retention_days=int(get("EVENT_RETENTION_DAYS") or defaults.event_retention_days),
            retention_days=_retention_days(get("RETENTION_DAYS"), defaults.retention_days),
            oidc_issuer=get("OIDC_ISSUER"),
            oidc_client_id=get("OIDC_CLIENT_ID") or "",
            oidc_client_secret=get("OIDC_CLIENT_SECRET"),
            oidc_claim=(get("OIDC_CLAIM") or defaults.oidc_claim).lower(),
            oidc_name=get("OIDC_NAME") or defaults.oidc_name,
            oidc_redirect_uri=get("OIDC_REDIRECT_URI"),
            oidc_groups_claim=get("OIDC_GROUPS_CLAIM") or defaults.oidc_groups_claim,
            idp_role_groups=get("IDP_ROLE_GROUPS") or "",
            previous_secret_keys=_list(get("PREVIOUS_SECRET_KEYS")),
            graphql_max_body_bytes=int(get("GRAPHQL_MAX_BODY_BYTES") or defaults.graphql_max_body_bytes),
            graphql_max_document_chars=int(get("GRAPHQL_MAX_DOCUMENT_CHARS") or defaults.graphql_max_document_chars),
            webhook_allowed_networks=_list(get("WEBHOOK_ALLOWED_NETWORKS")),
            trusted_proxies=_list(get("TRUSTED_PROXIES")),
            metrics_token=get("METRICS_TOKEN"),
            database_pool_size=int(get("DATABASE_POOL_SIZE") or defaults.database_pool_size),
            database_max_overflow=int(get("DATABASE_MAX_OVERFLOW") or defaults.database_max_overflow),
            database_pool_timeout=float(get("DATABASE_POOL_TIMEOUT") or defaults.database_pool_timeout),
            database_pgbouncer=_truthy(get("DATABASE_PGBOUNCER")),
            smtp_url=get("SMTP_URL"),
            mail_from=get("MAIL_FROM") or defaults.mail_from,
            public_url=get("PUBLIC_URL"),
            notification_interval_seconds=float(
                get("NOTIFICATION_INTERVAL_SECONDS") or defaults.notification_interval_seconds
            ),
            notification_email_max_age_hours=int(
                get("NOTIFICATION_EMAIL_MAX_AGE_HOURS") or defaults.notification_email_max_age_hours
            ),
            notification_retention_days=int(get("NOTIFICATION_RETENTION_DAYS") or defaults.notification_retention_days),
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'smartoffice.sqlite3').resolve()}"

    @property
    def base_url(self) -> str:
        """Where people open the service, without a trailing slash (links in emails)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def is_email_enabled(self) -> bool:
        return bool(self.smtp_url)

    @property
    def is_embedded_redis(self) -> bool:
        return self.redis_url is None

    @property
    def is_demo(self) -> bool:
        """Whether demo conveniences are on (see ``demo_mode``)."""
        return self.demo_mode if self.demo_mode is not None else self.database_url is None

    @property
    def is_production(self) -> bool:
        """Neither debug nor demo: no GraphiQL, no introspection (except tokens allowed it), no demo identity."""
        return not self.debug and not self.is_demo

    @property
    def is_oidc_enabled(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def idp_role_mapping(self) -> "RoleGroups":
        """``idp_role_groups`` parsed; raises ValueError naming each bad entry."""
        from smartoffice.identity.idp_roles import RoleGroups  # the models it imports import nothing from here

        return RoleGroups.parse(self.idp_role_groups)

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


def _retention_days(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f"SMARTOFFICE_RETENTION_DAYS must be a whole number of days, at least {MIN_RETENTION_DAYS} "
            f"(default 730, two years), not {value!r}"
        ) from None


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def _truthy(value: str | None, *, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
