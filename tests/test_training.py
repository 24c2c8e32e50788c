"""`signpost train`: caseworkers' corrections join the shipped examples in a model file."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import training
from handlers import model
from store.models import Contact, Decision, Direction, Feedback

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def add_corrected_contact(sessions: Any, text: str, field: str, old: str, new: str) -> None:
    with sessions() as s:
        contact = Contact(direction=Direction.inbound, channel="email", subject="", body=text, at=AT)
        s.add(contact)
        s.flush()
        s.add(Decision(contact_id=contact.id, category="correspondence", agency="opcc", urgent=False,
                       hits=[]))
        s.add(Feedback(contact_id=contact.id, field=field, old=old, new=new, actor="caseworker", at=AT))
        s.commit()


def test_corrections_become_examples(sqlite_sessions: Any) -> None:
    add_corrected_contact(sqlite_sessions, "The wardens never empty the bins by the park.", "agency", "opcc",
                          "local_council")
    with sqlite_sessions() as s:
        rows = training.corrected_examples(s)
    assert rows == [{"text": "The wardens never empty the bins by the park.", "category": "correspondence",
                     "agency": "local_council", "urgent": False}]


def test_train_from_store_writes_the_model_that_load_model_prefers(sqlite_sessions: Any, make_cfg: Any,
                                                                  tmp_path: Path) -> None:
    add_corrected_contact(sqlite_sessions, "Our parish would like to respond to the plan.", "category",
                          "correspondence", "consultation")
    out = tmp_path / "model.joblib"
    cfg = make_cfg(**{"triage.model_path": str(out)})
    stats = training.train_from_store(sqlite_sessions, cfg)
    assert stats["corrected"] == 1 and stats["shipped"] > 500
    assert out.is_file()
    assert model.load_model(str(out)).source == "shipped+1 corrections"


def run_train(make_cfg: Any, tmp_path: Path, *argv: str) -> int:
    """`signpost train --output tmp/m.joblib ARGV...` against a fresh, migrated SQLite store."""
    from bot.app import open_store

    url = f"sqlite:///{tmp_path}/train.db"
    open_store(url)[0].dispose()
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    args = parser.parse_args(["--output", str(tmp_path / "m.joblib"), *argv])
    return training.main(args, make_cfg(**{"store.url": url}))


def test_main_prints_what_it_did(make_cfg: Any, tmp_path: Path, capsys: Any) -> None:
    assert run_train(make_cfg, tmp_path) == 0
    assert "0 corrected examples" in capsys.readouterr().out
