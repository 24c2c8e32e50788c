"""Full-text search of contacts: SQLite FTS5 or a PostgreSQL tsvector GIN index, never a LIKE scan.

The index covers each contact's subject, sender name and body. On SQLite it is an external-content
FTS5 table kept in step by triggers; on PostgreSQL a stored generated tsvector column with a GIN
index (stored, so a query that matches most rows never recomputes the vectors). Neither can be
written as a model, so the one migration creates them through the `create_fulltext` operation
below, which autogenerate adds by itself when the database it compares against has no index
(`make migration-reset` keeps it).
"""

from __future__ import annotations

import re
from typing import Any

from alembic.autogenerate import comparators, renderers
from alembic.operations import MigrateOperation, Operations
from sqlalchemy import ColumnElement, Connection, Select, String, bindparam, func, inspect, literal_column, select, text
from sqlalchemy.orm import Session

from store.models import Contact

FTS_TABLE = "contact_fts"
PG_INDEX = "ix_contact_fulltext"
PG_COLUMN = "search_vector"
# PostgreSQL refuses a tsvector over 1 MB: the vector reads the first 200,000 characters of a body.
PG_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(subject, '') || ' ' || coalesce(sender_name, '') "
    "|| ' ' || left(coalesce(body, ''), 200000))"
)
_PG_DDL = [
    f"ALTER TABLE contact ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON contact USING gin ({PG_COLUMN})",
]
_COLS = "subject, sender_name, body"
_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLS}, content='contact', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON contact BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, new.subject, new.sender_name, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON contact BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) "
    "VALUES ('delete', old.id, old.subject, old.sender_name, old.body); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF subject, sender_name, body ON contact BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) "
    "VALUES ('delete', old.id, old.subject, old.sender_name, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, new.subject, new.sender_name, new.body); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS_TABLE}"]
_IMPORT = "import store.fulltext  # registers op.create_fulltext and op.drop_fulltext"
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')


def install(conn: Connection) -> None:
    """Create the index (and on SQLite fill it from the stored contacts); safe to run twice."""
    for ddl in _PG_DDL if conn.dialect.name == "postgresql" else _SQLITE_DDL:
        conn.execute(text(ddl))


def uninstall(conn: Connection) -> None:
    pg = [f"DROP INDEX IF EXISTS {PG_INDEX}", f"ALTER TABLE contact DROP COLUMN IF EXISTS {PG_COLUMN}"]
    for ddl in pg if conn.dialect.name == "postgresql" else _SQLITE_DROP:
        conn.execute(text(ddl))


def is_installed(conn: Connection) -> bool:
    insp = inspect(conn)
    if conn.dialect.name == "postgresql":
        return "contact" in insp.get_table_names() and any(
            i["name"] == PG_INDEX for i in insp.get_indexes("contact"))
    return FTS_TABLE in insp.get_table_names()


@Operations.register_operation("create_fulltext")
class CreateFulltextOp(MigrateOperation):
    """`op.create_fulltext()` in a migration: the full-text index of this dialect."""

    @classmethod
    def create_fulltext(cls, operations: Operations) -> Any:
        return operations.invoke(cls())

    def reverse(self) -> MigrateOperation:
        return DropFulltextOp()


@Operations.register_operation("drop_fulltext")
class DropFulltextOp(MigrateOperation):
    @classmethod
    def drop_fulltext(cls, operations: Operations) -> Any:
        return operations.invoke(cls())

    def reverse(self) -> MigrateOperation:
        return CreateFulltextOp()


@Operations.implementation_for(CreateFulltextOp)
def _create(operations: Operations, operation: CreateFulltextOp) -> None:
    install(operations.get_bind())


@Operations.implementation_for(DropFulltextOp)
def _drop(operations: Operations, operation: DropFulltextOp) -> None:
    uninstall(operations.get_bind())


@renderers.dispatch_for(CreateFulltextOp)
def _render_create(autogen_context: Any, op: CreateFulltextOp) -> str:
    autogen_context.imports.add(_IMPORT)
    return "op.create_fulltext()  # type: ignore[attr-defined]"


@renderers.dispatch_for(DropFulltextOp)
def _render_drop(autogen_context: Any, op: DropFulltextOp) -> str:
    autogen_context.imports.add(_IMPORT)
    return "op.drop_fulltext()  # type: ignore[attr-defined]"


@comparators.dispatch_for("schema")
def _compare(autogen_context: Any, upgrade_ops: Any, schemas: Any) -> None:
    """Autogenerate: add the index when the database compared against has none (after its tables)."""
    conn = autogen_context.connection
    if conn is not None and not is_installed(conn):
        upgrade_ops.ops.append(CreateFulltextOp())


def place_last(context: Any, revision: Any, directives: list[Any]) -> None:
    """Alembic `process_revision_directives`: the index is created after the tables it covers."""
    for script in directives:
        ops = script.upgrade_ops.ops
        ours = [o for o in ops if isinstance(o, CreateFulltextOp)]
        script.upgrade_ops.ops = [o for o in ops if not isinstance(o, CreateFulltextOp)] + ours
        down = script.downgrade_ops.ops
        first = [o for o in down if isinstance(o, DropFulltextOp)]
        script.downgrade_ops.ops = first + [o for o in down if not isinstance(o, DropFulltextOp)]


def fts5_query(query: str) -> str:
    """User words as an FTS5 query: every word must appear; "quoted words" as a phrase; no operators."""
    phrases = [" ".join(_WORD.findall(p)) for p in _PHRASE.findall(query)]
    rest = _PHRASE.sub(" ", query)
    parts = [f'"{p}"' for p in phrases if p] + [f'"{w}"' for w in _WORD.findall(rest)]
    return " ".join(parts)


def has_words(query: str) -> bool:
    return bool(_WORD.search(query))


def matching_contacts(dialect: str, query: str) -> Select[int]:
    """Ids of contacts whose subject, sender name or body contain every word of `query`."""
    if dialect == "postgresql":
        return select(Contact.id).where(pg_match(query))
    match = literal_column(FTS_TABLE).op("MATCH")(bindparam(None, fts5_query(query), String))
    return select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(match)


def pg_match(query: str) -> ColumnElement[bool]:
    tsquery = func.websearch_to_tsquery(literal_column("'english'"), bindparam(None, query, String))
    return literal_column(f"contact.{PG_COLUMN}").op("@@")(tsquery)


def matching_cases(session: Session, query: str) -> Select[int | None]:
    """Case ids with at least one contact matching `query` (a subquery for Case.id.in_())."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return select(Contact.case_id).where(pg_match(query))
    return select(Contact.case_id).where(Contact.id.in_(matching_contacts(dialect, query)))


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic `include_object`: the index's own column and table are not the models' business."""
    return not (reflected and name in (PG_COLUMN, FTS_TABLE) or (name or "").startswith(f"{FTS_TABLE}_"))
