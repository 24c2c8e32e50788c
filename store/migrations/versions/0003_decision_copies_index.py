"""decision copies index: a campaign's recent copies read from the decisions that hold them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_COPIES = sa.text("campaign_id IS NOT NULL")


def upgrade() -> None:
    op.create_index('ix_decision_copies_at', 'decision', ['decided_at', 'contact_id'], unique=False,
                    sqlite_where=_COPIES, postgresql_where=_COPIES)


def downgrade() -> None:
    op.drop_index('ix_decision_copies_at', table_name='decision')
