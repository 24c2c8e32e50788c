"""Campaign responses: one copy per participant, own name, own channel, spaced in the outbox."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest
from casework_seed import T0, add_inbound, make_case, make_person
from sqlalchemy import select

from bot.campaign_send import CampaignSendError, participants, queue_campaign_response
from handlers.compose import make_environment
from store import actions
from store.models import Campaign, CampaignRecipient, Case, Identity, Outbox
from store.replies import NoRoute


def campaign_case(s: Any, reference: str = "MID-2026-00001") -> tuple[Campaign, Case]:
    camp = Campaign(title="Keep Riverside station open", fingerprint="keep riverside station open")
    s.add(camp)
    s.flush()
    people = [make_person(s, n, e) for n, e in (("Fay Able", "fay@example.com"), ("Gus Bond", "gus@example.com"),
                                                  ("Hal Cole", "hal@example.com"))]
    case = make_case(s, reference, person=people[0], category="campaign",
                     subject="Keep Riverside station open", message_id="<fay-1@example.com>")
    case.person_id, case.campaign_id = None, camp.id
    add_inbound(s, case, subject="Keep Riverside station open", body="Please keep it open.", at=T0,
                message_id="<gus-1@example.com>", person=people[1])
    add_inbound(s, case, subject="Re: Keep Riverside station open", body="Again: keep it open.",
                at=T0 + timedelta(hours=1), message_id="<gus-2@example.com>", person=people[1])
    add_inbound(s, case, subject="Keep Riverside station open", body="Keep it open.", at=T0,
                message_id="<hal-1@example.com>", person=people[2])
    s.flush()
    return camp, case


def test_each_participant_gets_one_copy_with_their_own_name_spaced_in_the_outbox(
        make_cfg: Any, db_sessions: Any) -> None:
    cfg = make_cfg(**{"campaigns.send_per_minute": 30})
    with db_sessions() as s:
        camp, case = campaign_case(s)
        s.scalar(select(Identity).where(Identity.value == "hal@example.com")).unreachable = True
        people, skipped = participants(s, camp)
        assert [p.name for p in people] == ["Fay Able", "Gus Bond"] and skipped == 1
        send = queue_campaign_response(s, cfg, make_environment(), camp, "asha", "The station will stay open.",
                                       also_later=True, now=T0)
        s.commit()
        rows = list(s.scalars(select(Outbox).order_by(Outbox.not_before)))
        assert [(r.to_address, r.to_name) for r in rows] == [("fay@example.com", "Fay Able"),
                                                             ("gus@example.com", "Gus Bond")]
        assert rows[1].not_before - rows[0].not_before == timedelta(seconds=2)
        assert rows[1].headers["In-Reply-To"] == "<gus-2@example.com>"  # their latest message
        for row, (mine, other) in zip(rows, (("Fay", "Gus"), ("Gus", "Fay")), strict=True):
            assert f"Dear {mine}" in row.text and other not in row.text and other not in (row.html or "")
            assert "The station will stay open." in row.text and "MID-2026-00001" in row.subject
        recipients = list(s.scalars(select(CampaignRecipient).where(CampaignRecipient.send_id == send.id)))
        assert {r.outbox_id for r in recipients} == {r.id for r in rows}
        assert s.get(Campaign, camp.id).response == "The station will stay open."


def test_a_campaign_case_cannot_be_answered_as_one_reply(make_cfg: Any, db_sessions: Any) -> None:
    with db_sessions() as s:
        camp, case = campaign_case(s)
        with pytest.raises(NoRoute, match="campaign page"):
            actions.queue_reply(s, case, "asha", subject="Re", text="Thanks all.", msgid_domain="example.org")
        with pytest.raises(CampaignSendError, match="bracketed"):
            queue_campaign_response(s, make_cfg(), make_environment(), camp, "asha",
                                    "[Write the response here.]", also_later=False, now=T0)


CAMPAIGN = ("I am writing to ask the Commissioner to keep the Riverside police station open to the public. "
            "The front counter is the only place many older residents can report a crime in person, and "
            "closing it would leave the whole valley without a police presence. I urge you to reverse the "
            "decision and to publish the savings you expect to make from the closure. Please reply with "
            "what you will do.")
FIRST = ["Ada", "Bryn", "Cara", "Dev", "Elin", "Fern", "Gwil", "Hari", "Iona", "Jago"]
LAST = ["Ashdown", "Brackley", "Cowell", "Durrant"]


async def test_a_campaign_of_forty_gets_forty_individual_replies(make_cfg: Any, smtp_sink: Any) -> None:
    from test_service import deliver, mail

    from bot.app import Service

    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "digest.recipients": [], "campaigns.send_per_minute": 6000})
    names = [f"{f} {last}" for last in LAST for f in FIRST]
    svc = Service(cfg)
    await svc.start()
    try:
        for n, name in enumerate(names):
            address = name.lower().replace(" ", ".") + "@example.net"
            text = f"Dear Commissioner,\n\n{CAMPAIGN}\n\nYours,\n{name}"
            await deliver(svc.smtp_port, mail(f"{name} <{address}>", "Keep Riverside station open", text,
                                              f"<c{n}@example.net>"))
        await smtp_sink.wait_for_async(40, timeout=60)  # the acknowledgements
        with svc.sessions() as s:
            camp = s.scalars(select(Campaign)).one()
            send = queue_campaign_response(s, cfg, svc.env, camp, "asha", "The station will stay open.",
                                           also_later=False, now=svc.clock())
            s.commit()
            assert len(s.scalars(select(CampaignRecipient).where(CampaignRecipient.send_id == send.id)).all()) == 40
        svc.sender.wake.set()
        msgs = await smtp_sink.wait_for_async(80, timeout=60)
    finally:
        await svc.stop()
    replies = [m for m in msgs if "The station will stay open." in m.get_body(("plain",)).get_content()]
    assert len(replies) == 40
    assert sorted(m["To"].addresses[0].display_name for m in replies) == sorted(names)
    for m in replies:
        own = m["To"].addresses[0].display_name
        text = m.get_body(("plain",)).get_content()
        assert text.startswith(f"Dear {own},")
        others = [n for n in names if n != own and re.search(rf"\b{n}\b", text)]
        assert others == [] and len(m["To"].addresses) == 1
    await asyncio.sleep(0.3)
    assert len(smtp_sink.messages) == 80  # no copy twice
