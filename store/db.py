"""Engine and session factory set-up, SQLite pragmas, and Alembic migrations."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

logger = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    # Deleted and overwritten content is zeroed, not left in free pages: anonymised text must
    # not be recoverable from the file (bot/privacy/retention.py).
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the WAL into the database file and truncate it, so no old page stays in the WAL.

    Called after anonymisation; a no-op on other backends (PostgreSQL reuses dead row versions
    through autovacuum; run VACUUM FULL in maintenance to rewrite the tables at once).
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def make_engine(url: str) -> Engine:
    """Create an engine; for a SQLite file, create its folder and turn on WAL."""
    u = make_url(url)
    kwargs: dict[str, Any] = {}
    if u.get_backend_name() == "sqlite":
        db = u.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs["poolclass"] = StaticPool
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        if u.get_backend_name() == "postgresql" and "application_name" not in u.query:
            # Names this process in pg_stat_activity, so the holder of a role is known (bot/roles.py).
            kwargs["connect_args"] = {"application_name": f"signpost {socket.gethostname()} pid {os.getpid()}"[:63]}
    engine = create_engine(u, **kwargs)
    if u.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats "%" as interpolation: escape it (percent-encoded passwords).
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (safe to call on every start).

    On PostgreSQL the migration runs under a transaction-level advisory lock on the schema, so
    workers starting together on a fresh database take turns: the first creates the tables, the
    others wait for its commit and then find nothing to do (DDL is transactional there).
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('signpost migrate ' "
                              "|| current_database() || '.' || coalesce(current_schema(), ''), 0))"))
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class StoreInUse(Exception):
    """Another `signpost run` already serves this SQLite file."""


def lock_sqlite_store(url: str) -> IO[str] | None:
    """Take the single-process lock of a SQLite store (a `.lock` file beside it), held while open.

    SQLite is the embedded store for one process: a second `signpost run` on the same file would
    answer every message twice. The lock is fcntl's, so it dies with its process, even a killed
    one. Returns the open lock file (keep it), or None for other backends and in-memory stores.

    Raises:
        StoreInUse: another process holds the lock.
    """
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    import fcntl  # POSIX; the service runs on Linux (Dockerfile, deploy/)

    path = Path(u.database).resolve().with_name(Path(u.database).name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreInUse(
            f"the SQLite store {u.database} is already served by {holder}. SQLite serves one "
            "`signpost run` at a time; to run several workers, give them one PostgreSQL store "
            "(README, Several workers on PostgreSQL).") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"`signpost run` pid {os.getpid()} on {socket.gethostname()}\n")
    handle.flush()
    return handle
