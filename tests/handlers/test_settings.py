"""Typed triage settings: vocab defaults, per-cue edits from config.yaml, and the start-up checks."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import FakeContext, config_with
from pydantic import ValidationError

from bot.config import ConfigError
from handlers import settings, urgency, vocab
from handlers.cues import Cues
from handlers.settings import TriageSettings

SECTIONS = {
    "urgency": (settings.UrgencySettings, vocab.URGENCY),
    "classify": (settings.ClassifySettings, vocab.CLASSIFY),
    "signpost": (settings.SignpostSettings, vocab.SIGNPOST),
    "language": (settings.LanguageSettings, vocab.LANGUAGE),
    "match": (settings.MatchSettings, vocab.MATCH),
    "machine_mail": (settings.MachineMailSettings, vocab.MACHINE_MAIL),
    "members": (settings.MemberCues, vocab.MEMBERS),
}


def triage(given: dict[str, Any]) -> TriageSettings:
    return TriageSettings.model_validate(given)


def refused(overrides: dict[str, Any], *fragments: str) -> str:
    """The start-up error for config.yaml with these dotted keys; it must name each fragment."""
    with pytest.raises(ConfigError) as err:
        config_with(overrides)
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)
    return str(err.value)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_vocab_key_is_a_typed_setting(name: str) -> None:
    # A key added to handlers/vocab.py needs its typed field in handlers/settings.py (and back).
    model, table = SECTIONS[name]
    missing = sorted(set(table) - set(model.model_fields))
    assert not missing, f"add to {model.__name__}: {missing}"
    cue_fields = {k for k, f in model.model_fields.items() if f.annotation is Cues}
    assert cue_fields <= set(table)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_defaults_are_the_vocab_tables_compiled(name: str) -> None:
    model, table = SECTIONS[name]
    section = getattr(FakeContext().config.triage, name)
    for key, default in table.items():
        value = getattr(section, key)
        if isinstance(value, Cues):
            expected = list(default) if isinstance(default, dict) else [key]
            assert list(value.names) == expected
            assert all(c.pattern.pattern == (default[c.name][0] if isinstance(default[c.name], list)
                                             else default[c.name]) for c in value) if isinstance(default, dict) \
                else value.cues[0].pattern.pattern == default
        else:
            assert value == (tuple(default) if isinstance(default, list) else default)


def test_each_regex_is_compiled_once_per_process() -> None:
    a, b = triage({}), triage({"urgency": {"threshold": 4}})
    assert a.urgency.harm is b.urgency.harm
    c = triage({"urgency": {"harm": {"drop": ["fear"]}}})
    assert c.urgency.harm.cues[0] is a.urgency.harm.cues[0]


def test_the_effective_settings_dump_as_tables() -> None:
    s = triage({"urgency": {"harm": {"replace": {"fear": 0.5}}}, "signpost": {"policy": r"\bbudget\b"}})
    dumped = s.model_dump(mode="json")
    assert dumped["urgency"]["harm"]["fear"] == [vocab.URGENCY["harm"]["fear"][0], 0.5]
    assert dumped["signpost"]["policy"] == {"policy": r"\bbudget\b"}
    assert dumped["classify"]["foi"] == vocab.CLASSIFY["foi"]


def test_add_a_weighted_cue() -> None:
    s = triage({"urgency": {"harm": {"add": {"dog_attack": [r"\bdog (?:is )?(?:attacking|biting)\b", 2.5]}}}})
    cue = s.urgency.harm.cues[-1]
    assert (cue.name, cue.weight) == ("dog_attack", 2.5)
    assert len(s.urgency.harm) == len(vocab.URGENCY["harm"]) + 1
    assert cue.find("The dog is ATTACKING my son") == "dog is ATTACKING"  # case-insensitive


def test_an_added_cue_changes_the_decision() -> None:
    text = "The neighbour's dog is biting my boy in the garden right now"
    cfg = config_with({"triage.urgency.harm": {"add": {"dog_attack": [r"\bdog (?:is )?biting\b", 3]}}})
    before, after = urgency.score_text(text, FakeContext().config), urgency.score_text(text, cfg)
    assert after.total == pytest.approx(before.total + 3 * cfg.triage.urgency.immediate_factor)
    assert any(c.startswith("dog_attack+now") for c in after.cues)


def test_drop_a_cue() -> None:
    s = triage({"urgency": {"harm": {"drop": ["fear", "in_garden"]}}})
    assert "fear" not in s.urgency.harm and "in_garden" not in s.urgency.harm
    assert len(s.urgency.harm) == len(vocab.URGENCY["harm"]) - 2


def test_replace_a_cue_in_place() -> None:
    s = triage({"classify": {"foi": {"replace": {"act": r"\bFOIA request\b"}}}})
    assert s.classify.foi.names == tuple(vocab.CLASSIFY["foi"])
    assert s.classify.foi.find("Please treat this as an FOIA request") == "FOIA request"
    assert s.classify.foi.find("under the Freedom of Information Act") is None


def test_replace_keeps_the_weight_unless_given_and_a_number_reweights() -> None:
    s = triage({"urgency": {"harm": {"replace": {"weapon": r"\bmachete\b", "fear": 0.5}}}})
    weapon, fear = (next(c for c in s.urgency.harm if c.name == n) for n in ("weapon", "fear"))
    assert (weapon.pattern.pattern, weapon.weight) == (r"\bmachete\b", vocab.URGENCY["harm"]["weapon"][1])
    assert (fear.pattern.pattern, fear.weight) == (vocab.URGENCY["harm"]["fear"][0], 0.5)


def test_extend_adds_alternatives_to_a_cue() -> None:
    s = triage({"signpost": {"correspondence": {"extend": {"local_council": r"\bwheelie bins?\b"}}}})
    council = next(c for c in s.signpost.correspondence if c.name == "local_council")
    assert council.find("our wheelie bin was left") == "wheelie bin"
    assert council.find("the street lights are out") == "street lights"  # the built-in alternatives stay


def test_a_table_is_searched_as_one_alternation_leftmost_first() -> None:
    followup = FakeContext().config.triage.match.followup
    m = followup.search("Any update? Further to my email of Monday")
    assert m is not None and m.group(0) == "Any update"  # any_update comes after further_to in the table
    s = triage({"match": {"followup": {"drop": ["any_update"], "add": {"nudge": r"\bjust nudging\b"}}}})
    m = s.match.followup.search("Any update? Further to my email of Monday")
    assert m is not None and m.group(0) == "Further to my"
    assert s.match.followup.search("Just nudging this one") is not None


def test_a_one_regex_setting_is_replaced_or_extended() -> None:
    s = triage({"signpost": {"policy": r"\bbudget\b", "help_seeking": {"extend": r"\bany number to ring\b"}}})
    assert s.signpost.policy.find("the precept") is None and s.signpost.policy.find("the budget") == "budget"
    assert s.signpost.help_seeking.find("Is there any number to ring?") == "any number to ring"
    assert s.signpost.help_seeking.find("where should I go") == "where should I"


def test_name_lists_are_edited_and_must_name_cues() -> None:
    s = triage({"urgency": {"harm": {"add": {"cliff": r"\bon the cliff edge\b"}}, "always_now": {"add": ["cliff"]}}})
    assert s.urgency.always_now[-1] == "cliff"
    refused({"triage.urgency.harm": {"drop": ["jump"]}}, "triage.urgency", "names jump, not a cue of harm")
    refused({"triage.urgency.live_now": ["still", "nope"]}, "live_now names nope")


def test_a_regex_that_does_not_compile_stops_start_up_naming_the_cue() -> None:
    refused({"triage.urgency.harm": {"add": {"broken": "(unclosed"}}},
            "triage.urgency.harm", "add.broken: regex does not compile", "missing )")
    refused({"triage.match.again": {"extend": "[a-"}}, "triage.match.again", "extend: regex does not compile")
    refused({"triage.classify.grievance": "(?P<x"}, "triage.classify.grievance", "does not compile")


def test_dropping_a_cue_the_code_relies_on_stops_start_up() -> None:
    refused({"triage.urgency.immediacy": {"drop": ["hazard"]}}, "triage.urgency.immediacy",
            "drop.hazard: the code relies on cue 'hazard'")
    refused({"triage.classify.complaint": {"drop": ["want_to"]}}, "triage.classify.complaint", "want_to")


def test_a_built_in_table_without_a_cue_the_code_needs_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    renamed = {("live_hazard" if k == "hazard" else k): v for k, v in vocab.URGENCY["immediacy"].items()}
    monkeypatch.setitem(vocab.URGENCY, "immediacy", renamed)
    monkeypatch.setitem(vocab.URGENCY, "live_now", [n for n in vocab.URGENCY["live_now"] if n != "hazard"])
    with pytest.raises(ValidationError, match="relies on cue hazard"):
        settings.UrgencySettings()


def test_misspelt_cue_names_and_edits_are_refused() -> None:
    refused({"triage.urgency.harm": {"replace": {"wepon": r"\bknife\b"}}}, "replace.wepon: no cue 'wepon'")
    refused({"triage.urgency.harm": {"ad": {"x": "y"}}}, "unknown edit ad")
    refused({"triage.urgency.harm": {"add": {"weapon": "x"}}}, "already a cue 'weapon'")
    refused({"triage.urgency.harm": {"drop": ["fear"], "replace": {"fear": "x"}}}, "one edit per cue")
    refused({"triage.urgency.harm": {"weapon": [r"\bknife\b", 2]}}, "unknown edit weapon")


def test_values_of_the_wrong_shape_are_refused() -> None:
    refused({"triage.classify.foi": {"add": {"fee": [r"\bfee\b", 2]}}}, "add.fee: expected a regex")
    refused({"triage.urgency.harm": {"add": {"x": [r"\bx\b", -1]}}}, "weight must be a number above 0")
    refused({"triage.urgency.model_min": 1.5}, "triage.urgency.model_min")
    refused({"triage.classify.fallback": "gossip"}, "triage.classify.fallback", "must be one of")


def test_signpost_cue_names_are_agencies() -> None:
    refused({"triage.signpost.correspondence": {"add": {"parking": r"\bparking\b"}}},
            "triage.signpost.correspondence", "parking is not one of")
    s = triage({"signpost": {"correspondence": {"drop": ["crimestoppers"]}}})
    assert "crimestoppers" not in s.signpost.correspondence


def test_signpost_cue_names_may_be_agency_slash_label() -> None:
    # "police_101/crime" signposts to police_101: the part before the slash is the agency.
    s = triage({"signpost": {"correspondence": {"add": {"police_101/scooters": r"\be-?scooters?\b"}}}})
    assert s.signpost.correspondence.names[-1] == "police_101/scooters"
    assert "police_101/crime" in s.signpost.correspondence
    refused({"triage.signpost.correspondence": {"add": {"parking/vans": r"\bvans\b"}}},
            "triage.signpost.correspondence", "parking/vans is not one of")


def test_a_name_list_over_two_tables_names_cues_of_either() -> None:
    s = triage({})
    assert "found_safe" in s.urgency.resolved or "found_safe" in s.urgency.contained
    refused({"triage.urgency.settles_letter": ["found_safe", "nope"]},
            "settles_letter names nope, not a cue of resolved or contained")


@pytest.mark.parametrize("key", ["triage.urgency.treshold", "triage.clasify", "triage.match.case_window_day",
                                 "triage.machine_mail.subjects", "triage.members.signatures"])
def test_a_misspelt_triage_key_stops_start_up_naming_it(key: str) -> None:
    refused({key: 1}, key)


def test_a_helpline_names_harm_cues_only() -> None:
    refused({"helplines.self_harm.cues": ["self_harm", "sadness"]},
            "helplines.self_harm.cues names sadness, not a cue of triage.urgency.harm")


def test_bounce_wording_is_edited_per_cue() -> None:
    s = triage({"machine_mail": {"bounce_wording": {"add": {"welsh": r"\bni ellid danfon\b"}}}})
    assert s.machine_mail.bounce_wording.names[-1] == "welsh"
    found = s.machine_mail.bounce_wording.search("Ni ellid danfon eich neges")
    assert found is not None and found.group(0) == "Ni ellid danfon"

