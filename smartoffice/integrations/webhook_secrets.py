"""Webhook secrets in the database: sealed when made, legacy plaintext sealed, everything resealed on rotation.

Migration 0009 added ``sealed_secret`` next to the old plaintext ``secret`` column; a migration cannot know the
secret key, so rows from before it are sealed by the running service instead: the webhook job seals any
plaintext it finds each time it fans out events (before the secret is next needed), and
``smartoffice secrets rotate`` seals them too. A sealed row's ``secret`` is the empty string.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.integrations.models import WebhookSubscription
from smartoffice.integrations.sealing import SecretBox, SecretUnreadable


def secret_of(subscription: WebhookSubscription, box: SecretBox) -> str:
    """The plaintext secret a delivery is signed with (raises if no configured key opens it)."""
    if subscription.sealed_secret is not None:
        return box.open(subscription.sealed_secret)
    if not subscription.secret:
        raise ValueError(f"webhook subscription {subscription.id} has no secret")
    return subscription.secret


async def seal_plaintext_secrets(session: AsyncSession, box: SecretBox) -> int:
    """Seal every secret still stored in plaintext, in the caller's transaction; returns how many."""
    query = select(WebhookSubscription).where(WebhookSubscription.sealed_secret.is_(None)).with_for_update()
    sealed = 0
    for subscription in (await session.scalars(query)).all():
        if subscription.secret:
            subscription.sealed_secret = box.seal(subscription.secret)
            subscription.secret = ""
            sealed += 1
    return sealed


@dataclass(frozen=True, slots=True)
class RotationReport:
    resealed: int
    """Sealed secrets now encrypted under the current key."""
    sealed: int
    """Plaintext secrets (from before migration 0009) sealed for the first time."""


async def rotate_webhook_secrets(db: Database, box: SecretBox) -> RotationReport:
    """Re-encrypt every stored webhook secret under the current key, in one transaction: all or nothing (a secret
    no configured key opens raises :class:`~smartoffice.integrations.sealing.SecretUnreadable` and changes
    nothing)."""
    async with db.write() as session:
        query = (
            select(WebhookSubscription)
            .where(WebhookSubscription.sealed_secret.is_not(None))
            .order_by(WebhookSubscription.id)
            .with_for_update()
        )
        resealed = 0
        for subscription in (await session.scalars(query)).all():
            assert subscription.sealed_secret is not None
            try:
                subscription.sealed_secret = box.reseal(subscription.sealed_secret)
            except SecretUnreadable as exc:
                raise SecretUnreadable(f"webhook subscription {subscription.id}: {exc}") from exc
            resealed += 1
        sealed = await seal_plaintext_secrets(session, box)
    return RotationReport(resealed=resealed, sealed=sealed)
