"""Trends for the Commissioner: a topic that rises in a seeded week is found in the contacts' own words,
by place and category, with example cases, and shows in the digest and on the manager page."""

from __future__ import annotations

from typing import Any

from seeding import Seeder, at

from bot.reporting.digest import build_digest, render_digest
from bot.reporting.trends import build_trends, normalise
from bot.templating import template_env

BEFORE = [  # the week of Mon 9 November: the usual mix
    ("Bins not collected", "The bins on Church Road have not been emptied for a fortnight."),
    ("Street lighting", "Half the street lights on the estate are out and it feels unsafe after dark."),
    ("Parking at the school", "Parents park on the zigzags outside the primary school every morning."),
    ("Noise at night", "The pub car park is noisy until two in the morning at weekends."),
    ("Burglary in Kingsmere", "Our shed was broken into and two bikes were stolen in Kingsmere."),
    ("Speeding on the bypass", "Cars race along the bypass at night, far above the limit."),
]
NOW = [  # the week of Mon 16 November: e-scooters, in the writers' own words
    ("E-scooters on the pavement", "Teenagers ride e-scooters on the pavement in Netherby and nearly hit my son."),
    ("Electric scooters", "Two lads on electric scooters raced through Netherby market on Saturday."),
    ("Scooter near miss", "An e-scooter came off the cycle path in Kingsmere and knocked my mother over."),
    ("Complaint about scooters", "Nobody stops the e-scooters racing round the Netherby precinct.", "complaint"),
    ("Pavement danger", "Rental e-scooters are left across the pavement in Otterford and people ride them fast."),
    ("Bins again", "The bins on Church Road were missed again."),
    ("Noise", "Loud music from the flat upstairs every night."),
]


def seed(sessions: Any) -> None:
    with sessions() as s:
        sd = Seeder(s)
        for i, (subject, body) in enumerate(BEFORE):
            case = sd.case(f"T-B{i}", at(f"2026-11-{9 + i % 5:02d} 10:00"), subject=subject)
            sd.contact(case, at(f"2026-11-{9 + i % 5:02d} 10:00"), subject=subject, body=body)
        for i, row in enumerate(NOW):
            subject, body, *cat = row
            case = sd.case(f"T-N{i}", at(f"2026-11-{16 + i % 5:02d} 10:00"), subject=subject,
                           category=cat[0] if cat else "correspondence")
            sd.contact(case, at(f"2026-11-{16 + i % 5:02d} 10:00"), subject=subject, body=body)
        # A campaign: twelve people, one case, the same words: one document, not a trend.
        camp = sd.case("T-C", at("2026-11-17 09:00"), category="campaign", campaign=sd.campaign("Save the station"),
                       subject="Save Penbridge police station")
        for k in range(12):
            sd.contact(camp, at(f"2026-11-17 {9 + k % 8:02d}:00"), subject="Save Penbridge police station",
                       body="Please keep Penbridge station open: closing the station will leave Penbridge unsafe.")
        s.commit()


def test_normalise_folds_plurals_and_possessives() -> None:
    assert [normalise(w) for w in ("scooters", "scooter's", "e-scooters", "burglaries", "bus", "glass")] == [
        "scooter", "scooter", "e-scooter", "burglary", "bus", "glass"]


def test_a_topic_rising_this_week_is_found_by_place_and_category(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        week = build_trends(s, make_cfg(), at("2026-11-23 08:00"), 7, "this week")
    assert (week.cases_now, week.cases_before) == (8, 6)  # the campaign is one case
    top = week.topics[0]
    assert (top.term, top.now, top.before) == ("scooters", 5, 0)  # "e-scooters" and "scooters" are one topic
    assert dict(top.places)["Netherby"] == 3 and "Kingsmere" in dict(top.places)
    assert dict(top.categories)["Complaint"] == 1
    assert {e.reference for e in top.examples} <= {f"T-N{i}" for i in range(5)} and len(top.examples) == 3
    assert all("station" not in t.term and "penbridge" not in t.term.lower() for t in week.topics)
    assert all(t.term not in ("bins", "noise") for t in week.topics)  # steady, not rising
    netherby = next(p for p in week.places if p.name == "Netherby")
    assert (netherby.now, netherby.before, netherby.top) == (3, 0, top.term)


def test_the_digest_shows_the_rising_topic_with_examples(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg()
    with db_sessions() as s:
        digest = build_digest(s, cfg, at("2026-11-23 08:00").date(), at("2026-11-23 09:00"))
        _, text, html = render_digest(digest, cfg, template_env())
    assert "RISING TOPICS THIS WEEK" in text
    block = text.split("RISING TOPICS THIS WEEK", 1)[1]
    first = block.split("\n")[1]
    assert "scooter" in first and "0 the week before" in first
    assert "places: Netherby 3, Kingsmere 1, Otterford 1" in block and "for example: T-N" in block
    assert "Rising topics this week" in html and "scooter" in html


def test_no_contacts_no_topics(db_sessions: Any, make_cfg: Any) -> None:
    with db_sessions() as s:
        week = build_trends(s, make_cfg(), at("2026-11-23 08:00"), 7, "this week")
    assert week.topics == [] and week.cases_now == 0


def test_the_trends_page_is_for_managers(db_sessions: Any, make_cfg: Any) -> None:
    from starlette.testclient import TestClient
    from webclient import login

    from bot.users import add_user
    from bot.web.app import create_app
    from store.models import Role

    seed(db_sessions)
    with db_sessions() as s:
        add_user(s, "mo", Role.manager, "battery staple")
        add_user(s, "asha", Role.caseworker, "correct horse")
        s.commit()
    app = create_app(make_cfg(), db_sessions, secret="s", clock=lambda: at("2026-11-23 08:00"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "asha", "correct horse")
        assert client.get("/trends").status_code == 403
        login(client, "mo", "battery staple")
        page = client.get("/trends").text
    assert "Rising this week" in page and '<a href="/cases?q=scooters">scooters</a>' in page
    assert '<a href="/case/T-N3">T-N3</a>' in page
