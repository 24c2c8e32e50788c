"""case tag lower-name index: a tag's existing spelling found by an index, not a scan of every tag

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_tag_kind_lower_name', 'case_tag', ['kind', sa.text('lower(name)'), 'name'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_tag_kind_lower_name', table_name='case_tag')
