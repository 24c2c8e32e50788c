"""Subject access, erasure and rectification on contacts that came through the real worker."""

from __future__ import annotations

import argparse
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.intake import Intake
from bot.privacy.erasure import cmd_erase, erase_person, rectify_person
from bot.privacy.people import PersonNotFound, find_person
from bot.privacy.sar import cmd_sar, export_person
from bot.worker import Worker
from handlers.compose import make_environment
from store.models import AccessLog, Case, Contact, Event, Identity, Person

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
OFFICE = "enquiries@wessexvale-pcc.gov.uk"
LETTER = ("Dear Commissioner, I am writing as a resident to ask you to protect neighbourhood PCSO numbers. "
          "PCSOs know our streets and our people, and cutting them would leave communities less safe. Please "
          "commit to keeping every PCSO post in next year's budget and tell us what you will do about it.")


def _mail(sender: str, subject: str, body: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, OFFICE, subject
    msg["Date"], msg["Message-ID"] = format_datetime(T0 + timedelta(hours=n)), f"<sar{n}@example.org>"
    msg.set_content(body)
    return bytes(msg)


def _chat(n: int, text: str) -> bytes:
    return json.dumps({"update_id": 5000 + n, "message": {
        "message_id": n, "date": int((T0 + timedelta(hours=n)).timestamp()), "text": text,
        "from": {"id": 424242, "is_bot": False, "first_name": "Mared", "last_name": "Pennant"},
        "chat": {"id": 424242, "type": "private", "first_name": "Mared"}}}).encode()


@pytest.fixture
def store(make_cfg: Any, db_sessions: Any, triage_model: Any) -> Any:
    cfg = make_cfg()
    worker, intake = Worker(cfg, db_sessions, make_environment(), triage_model), Intake(db_sessions)
    feeds = [
        ("smtp", _mail("Mared Pennant <mared@example.org>", "Street lights on Cobbler's Walk",
                       "The street lights on Cobbler's Walk have been off for a month and I no longer feel safe "
                       "walking home. Who can fix them?\n\nMared Pennant\n07700 900123", 1)),
        ("telegram", _chat(2, "Hello, this is Mared Pennant again about Cobbler's Walk, my number is 07700 900123. "
                              "Osian Trevelyan (osian@example.net) from number 4 says the lights are still out.")),
        ("smtp", _mail("Osian Trevelyan <osian@example.net>", "Save our PCSOs", LETTER, 3)),
        ("smtp", _mail("Mared Pennant <mared@example.org>", "Save our PCSOs", LETTER, 4)),
        ("smtp", _mail("Gwil Rhydderch <gwil@example.com>", "Save our PCSOs", LETTER, 5)),
    ]
    for n, (channel, raw) in enumerate(feeds, 1):
        worker.process_one(intake.accept(channel, f"sar-{n}", raw, T0 + timedelta(hours=n)).raw_id)
    return cfg, db_sessions


def test_one_person_across_email_and_telegram_without_anyone_else(store: Any) -> None:
    cfg, sessions = store
    with sessions() as s:
        found = find_person(s, cfg, "mared@example.org")
        assert sorted(found.described()) == ["email: mared@example.org", "telegram: 424242"]
        export = export_person(s, cfg, "mared@example.org", by="dpo")
        s.commit()
        campaign_case = s.scalar(select(Case).where(Case.campaign_id.is_not(None)))
        assert campaign_case.id in export.case_ids  # her campaign letter is hers
    z = zipfile.ZipFile(io.BytesIO(export.data))
    names = z.namelist()
    assert {"summary.html", "manifest.json", "cases.json", "events.json", "decisions.json"} <= set(names)
    inbound = [n for n in names if n.startswith("messages/") and "-in-" in n]
    assert len([n for n in inbound if n.endswith(".eml")]) == 2 and len([n for n in inbound if n.endswith(".txt")]) == 1
    assert any("-out-" in n for n in names)  # our acknowledgements to her
    everything = b"".join(z.read(n) for n in names).decode("utf-8", "replace")
    for other in ("Osian", "Trevelyan", "osian@example.net", "Gwil", "gwil@example.com", "Rhydderch"):
        assert other not in everything, other
    assert "[third party]" in z.read(next(n for n in inbound if n.endswith(".txt"))).decode()
    first = message_from_bytes(z.read(next(n for n in inbound if n.endswith(".eml"))))
    assert first["From"] == "Mared Pennant <mared@example.org>" and "Cobbler's Walk" in first.get_payload()
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["found_by"] == "email identity mared@example.org"
    assert {f["name"] for f in manifest["files"]} == set(names) - {"manifest.json"}
    assert manifest["redactions"] >= 2
    with sessions() as s:
        assert s.scalar(select(func.count(AccessLog.id)).where(AccessLog.action == "sar")) == len(export.case_ids)
        assert s.scalar(select(Event.actor).where(Event.kind == "sar_export")) == "dpo"


def test_finding_by_telegram_id_name_reference_and_ambiguity(store: Any) -> None:
    cfg, sessions = store
    with sessions() as s:
        pid = find_person(s, cfg, "mared@example.org").person.id
        assert find_person(s, cfg, "424242").person.id == pid
        assert find_person(s, cfg, "Mared Pennant").person.id == pid
        ref = s.scalar(select(Case.reference).where(Case.person_id == pid))
        assert find_person(s, cfg, ref).person.id == pid
        assert find_person(s, cfg, f"person:{pid}").person.id == pid
        with pytest.raises(PersonNotFound):
            find_person(s, cfg, "nobody@example.org")
        campaign_ref = s.scalar(select(Case.reference).where(Case.campaign_id.is_not(None)))
        with pytest.raises(PersonNotFound, match="campaign"):
            find_person(s, cfg, campaign_ref)


def test_cli_export_writes_the_zip(store: Any, tmp_path: Path, capsys: Any) -> None:
    cfg, sessions = store
    out = tmp_path / "mared.zip"
    assert cmd_sar(argparse.Namespace(person="424242", out=out, by="cli"), cfg, sessions) == 0
    assert zipfile.is_zipfile(out) and "telegram: 424242" in capsys.readouterr().out


def test_erasure_anonymises_her_cases_and_her_campaign_letter_only(store: Any, capsys: Any) -> None:
    cfg, sessions = store
    args = argparse.Namespace(person="mared@example.org", reason="erasure request of 2 June", yes=False, by="dpo")
    assert cmd_erase(args, cfg, sessions) == 1  # without --yes nothing changes
    with sessions() as s:
        assert s.scalar(select(func.count(Identity.id))) == 4
    args.yes = True
    assert cmd_erase(args, cfg, sessions) == 0
    with sessions() as s:
        assert s.scalar(select(func.count(Identity.id))) == 2  # Osian and Gwil keep theirs
        mared = s.scalar(select(Person).where(Person.anonymised_at.is_not(None)))
        assert mared.name is None and mared.phone is None
        texts = " ".join(f"{c.sender} {c.sender_name} {c.body}" for c in s.scalars(select(Contact)))
        assert "Mared" not in texts and "Cobbler" not in texts and "mared@" not in texts
        assert "Osian Trevelyan" in texts  # the campaign case stays for the others
        ev = s.scalar(select(Event).where(Event.kind == "person_erased"))
        assert ev.actor == "dpo" and ev.detail["reason"] == "erasure request of 2 June"
        assert ev.detail["counts"]["identities"] == 2


def test_legal_hold_keeps_a_case_and_the_details_it_needs(store: Any) -> None:
    cfg, sessions = store
    with sessions() as s:
        person = find_person(s, cfg, "mared@example.org").person
        held = s.scalar(select(Case).where(Case.person_id == person.id))
        held.legal_hold = True
        done = erase_person(s, person, "dpo", "request")
        s.commit()
        assert done.held == [held.reference] and not done.complete
        assert person.name == "Mared Pennant" and held.anonymised_at is None


def test_rectification_is_an_event_on_each_case(store: Any) -> None:
    cfg, sessions = store
    with sessions() as s:
        person = find_person(s, cfg, "mared@example.org").person
        assert rectify_person(s, person, "asha", "typo", postcode="CF10 1AA", name="Mared Pennant") == ["postcode"]
        s.commit()
        events = s.scalars(select(Event).where(Event.kind == "rectified")).all()
        assert events and all(e.detail["fields"] == ["postcode"] for e in events)
        assert person.postcode == "CF10 1AA"


def test_a_bulk_export_is_in_the_access_log(make_cfg: Any, tmp_path: Path) -> None:
    from bot.cli import main
    from store.db import make_engine, make_sessionmaker

    url = make_cfg().store.url
    assert main(["export", "--db", url, "--out", str(tmp_path / "all.jsonl")]) == 0
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        row = s.scalar(select(AccessLog))
        assert (row.user, row.action, row.detail["rows"]) == ("cli", "export", 0)
    engine.dispose()
