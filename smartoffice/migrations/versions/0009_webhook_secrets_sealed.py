"""webhook secrets sealed at rest

``webhook_subscriptions.sealed_secret``: the secret encrypted (Fernet) under a key derived from
``SMARTOFFICE_SECRET_KEY``. The old plaintext column ``secret`` stays (NOT NULL, as before) and is emptied once a
row is sealed: making it nullable would rebuild the table on SQLite, and dropping the old table there, with
foreign keys on, would cascade into ``webhook_deliveries``.

A migration cannot know the secret key, so existing rows keep their plaintext here and the service seals them:
the webhook job at its next fan-out of booking events, or ``smartoffice secrets rotate`` at once (see
``smartoffice/integrations/webhook_secrets.py``).

Downgrading refuses while any secret is sealed: revision 0008 can only hold plaintext, and a migration cannot
decrypt.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_secret", sa.String(length=300), nullable=True))


def downgrade() -> None:
    query = "SELECT count(*) FROM webhook_subscriptions WHERE sealed_secret IS NOT NULL"
    sealed = op.get_bind().scalar(sa.text(query))
    if sealed:
        raise RuntimeError(
            f"{sealed} webhook secrets are stored sealed and revision 0008 can only hold plaintext: delete those "
            "subscriptions (or restore a backup) before downgrading"
        )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("sealed_secret")
