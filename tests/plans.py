"""The query plan for a statement the code under test sends, as the driver received it: SQLite's
EXPLAIN QUERY PLAN, or the rows PostgreSQL's plan read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


def _explain_last(session: Session, run: Callable[[], Any], sent_with: str, explain: str) -> Any:
    """Run `run`, then `explain` (an EXPLAIN prefix) of the last statement it sent holding `sent_with`,
    with the values it was bound to: the driver's result."""
    conn = session.connection()
    sent: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if sent_with in statement:
            sent.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(conn, "before_cursor_execute", keep)
    statement, parameters = sent[-1]
    return conn.exec_driver_sql(f"{explain} {statement}", parameters)


def sqlite_plan_of(session: Session, run: Callable[[], Any], sent_with: str = "") -> str:
    """EXPLAIN QUERY PLAN of the last statement `run` sends (holding `sent_with`), bound values and all."""
    result = _explain_last(session, run, sent_with, "EXPLAIN QUERY PLAN")
    return "\n".join(str(r[-1]) for r in result)


def pg_rows_read(session: Session, run: Callable[[], Any], table: str, sent_with: str = "") -> int:
    """Rows PostgreSQL's plan read from `table` (every scan node of it, all loops) running the last
    statement `run` sends (holding `sent_with`): EXPLAIN ANALYZE, bound values and all."""
    result = _explain_last(session, run, sent_with, "EXPLAIN (ANALYZE, FORMAT JSON)")
    plan = result.scalar_one()

    def walk(node: dict[str, Any]) -> int:
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == table else 0
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])
