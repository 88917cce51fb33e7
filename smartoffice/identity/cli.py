"""``smartoffice token create|list|revoke``: manage app tokens from the server's shell (no admin check: whoever
runs it already holds the database's credentials).

Issuing and revoking are audited as the GraphQL administration audits them (``token.issue`` / ``token.revoke``,
see :class:`smartoffice.identity.service.IdentityService`), by the system through ``cli``, in the transaction that
changes the token; revoking a revoked token changes nothing and writes nothing."""

import argparse
import asyncio
from typing import Any

from sqlalchemy import func, select

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database, utcnow
from smartoffice.errors import DomainError
from smartoffice.identity import tokens
from smartoffice.identity.account_commands import add_account_commands
from smartoffice.identity.scopes import Scope, parse_scopes
from smartoffice.people.models import Employee
from smartoffice.settings import Settings

CLI = Actor.system("cli")


def add_token_commands(commands: Any) -> None:
    token = commands.add_parser("token", help="app tokens for /api/graphql").add_subparsers(title="token commands")
    create = token.add_parser("create", help="issue a token; prints the secret once")
    create.add_argument("--owner", required=True, help="the employee the app acts as: an id or an email")
    create.add_argument("--name", required=True, help="what the token is for")
    create.add_argument(
        "--scope",
        action="append",
        required=True,
        dest="scopes",
        help=f"repeat for each scope: {', '.join(s.value for s in Scope)}",
    )
    create.add_argument("--expires-in-days", type=int, default=90, help="default 90; 0: never expires")
    create.add_argument("--cost-budget", type=int, help="its own GraphQL cost budget per document")
    create.add_argument("--rate-limit", type=int, help="its own requests per rate window")
    create.set_defaults(run=_create)
    listing = token.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("--all", action="store_true", help="also revoked and expired ones")
    listing.set_defaults(run=_list)
    revoke = token.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("token_id", type=int, help="the id `token list` shows")
    revoke.set_defaults(run=_revoke)
    add_account_commands(commands)  # `smartoffice accounts ...`, registered with its sibling


def _run(settings: Settings, work: Any) -> int:
    async def run() -> int:
        db = Database.from_settings(settings)
        try:
            return int(await work(db))
        finally:
            await db.dispose()

    return asyncio.run(run())


def _create(settings: Settings, args: argparse.Namespace) -> int:
    try:
        scopes = parse_scopes(args.scopes)
    except ValueError as exc:
        print(f"smartoffice token create: {exc}")
        return 2

    async def work(db: Database) -> int:
        now = utcnow()
        async with db.write() as session:
            owner = args.owner.strip()
            query = select(Employee.id).where(
                Employee.id == int(owner) if owner.isdigit() else func.lower(Employee.email) == owner.lower()
            )
            owner_id = await session.scalar(query)
            if owner_id is None:
                print(f"smartoffice token create: no employee {owner!r}")
                return 2
            try:
                issued = await tokens.issue_token(
                    session,
                    owner_id=owner_id,
                    name=args.name,
                    scopes=scopes,
                    now=now,
                    expires_in_days=args.expires_in_days or None,
                    cost_budget=args.cost_budget,
                    rate_limit=args.rate_limit,
                )
            except DomainError as exc:
                print(f"smartoffice token create: {exc.message}")
                return 2
            t = issued.token
            record_change(
                session,
                CLI,
                "token.issue",
                at=now,
                entity_kind="ApiToken",
                entity_id=t.id,
                after=tokens.token_values(t),
            )
        expires = t.expires_at.isoformat() if t.expires_at else "never"
        print(f"token {t.id} '{t.name}' for employee {t.owner_id}, scopes {' '.join(t.scopes)}, expires {expires}")
        print("the secret, shown only now (send it as Authorization: Bearer ...):")
        print(issued.secret)
        return 0

    return _run(settings, work)


def _list(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        now = utcnow()
        after = 0
        print(f"{'id':>5}  {'prefix':<20} {'owner':>6}  {'state':<8} {'last used':<20} name / scopes")
        while True:
            async with db.read() as session:
                page = await tokens.list_tokens(session, now=now, include_inactive=args.all, first=100, after_id=after)
            for t in page[:100]:
                state = "revoked" if t.revoked_at else ("expired" if not t.is_active(now) else "active")
                used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never"
                prefix = f"{tokens.TOKEN_PREFIX}{t.key_id}"
                print(f"{t.id:>5}  {prefix:<20} {t.owner_id:>6}  {state:<8} {used:<20} {t.name} / {' '.join(t.scopes)}")
            if len(page) <= 100:
                return 0
            after = page[99].id

    return _run(settings, work)


def _revoke(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        now = utcnow()
        try:
            async with db.write() as session:
                token = await tokens.revoke_token(session, args.token_id, now, CLI)
        except DomainError as exc:
            print(f"smartoffice token revoke: {exc.message}")
            return 2
        print(f"token {token.id} '{token.name}' revoked at {token.revoked_at.isoformat() if token.revoked_at else ''}")
        return 0

    return _run(settings, work)
