"""Scoring of `signpost eval`: pairwise clustering figures, macro-F1 and the machine-mail exclusion."""

from __future__ import annotations

from typing import Any

from bot.evaluate import macro_f1, pairwise, score


def label(file: str, category: str, case: str, *, urgent: bool = False, agency: str = "opcc",
          ack: bool = True, campaign: str | None = None) -> dict[str, Any]:
    return {"file": file, "category": category, "urgent": urgent, "agency": agency, "ack": ack,
            "case": case, "campaign": campaign}


def row(file: str, category: str | None, case: str | None, *, urgent: bool = False, agency: str | None = "opcc",
        acknowledged: bool = True, campaign: str | None = None) -> dict[str, Any]:
    return {"file": file, "category": category, "urgent": urgent, "agency": agency,
            "acknowledged": acknowledged, "case": case, "campaign": campaign}


def test_pairwise_counts_wrong_merges_against_precision() -> None:
    truth = {"a": "K1", "b": "K1", "c": "K2", "d": "K3"}
    pred = {"a": "X", "b": "X", "c": "X", "d": None}
    r = pairwise(truth, pred)
    assert r["true_pairs"] == 1 and r["predicted_pairs"] == 3
    assert r["recall"] == 1.0 and abs(r["precision"] - 1 / 3) < 1e-9


def test_pairwise_with_no_pairs_is_perfect() -> None:
    assert pairwise({"a": "K1"}, {"a": None})["precision"] == 1.0


def test_macro_f1_averages_only_classes_present() -> None:
    f1, per = macro_f1(["foi", "foi", "complaint"], ["foi", "complaint", "complaint"], ["foi", "complaint", "none"])
    assert set(per) == {"foi", "complaint"}
    assert abs(f1 - (2 / 3 + 2 / 3) / 2) < 1e-9


def test_score_ignores_linking_of_machine_mail_and_lists_missed_urgent() -> None:
    labels = {r["file"]: r for r in [
        label("1.eml", "complaint", "K1", agency="force_psd"),
        label("2.eml", "complaint", "K1", agency="force_psd"),
        label("3.eml", "none", "K2", agency="none", ack=False),
        label("4.eml", "correspondence", "K3", urgent=True, agency="emergency_999"),
    ]}
    rows = [row("1.eml", "complaint", "R1", agency="force_psd"), row("2.eml", "complaint", "R1", agency="force_psd"),
            row("3.eml", "none", "R1", agency="none", acknowledged=False),
            row("4.eml", "correspondence", "R4", agency="opcc")]
    r = score(labels, rows)
    assert r["case_linking"]["precision"] == 1.0  # the bounce attached to R1 is not scored
    assert r["urgent"]["missed"] == ["4.eml"] and r["urgent"]["recall"] == 0.0
    assert r["agency"]["accuracy"] == 0.75
    assert r["ack"]["accuracy"] == 1.0
