"""A store for a benchmark: a temporary SQLite file, or a fresh PostgreSQL schema dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

from store.db import make_engine, migrate


@contextmanager
def bench_engine(url: str = "") -> Iterator[Engine]:
    """A migrated engine on `url` (PostgreSQL: in a schema of its own), or on a temporary SQLite file."""
    schema = None
    if url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with make_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        # connect_args, not the URL: Alembic's ini parser rejects the "%" of an encoded URL option.
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        engine = make_engine(url or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        if schema:
            with make_engine(url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
