"""The statistical model: trains from examples, predicts with probabilities, prefers a trained file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from handlers import model

EXAMPLES = [
    {"text": "I want to complain about the rude officer", "category": "complaint", "agency": "force_psd"},
    {"text": "complaint about an officer who shouted at me", "category": "complaint", "agency": "force_psd"},
    {"text": "the officer was rude and I wish to complain", "category": "complaint", "agency": "force_psd"},
    {"text": "what is the precept paying for this year", "category": "correspondence", "agency": "opcc"},
    {"text": "why has the precept gone up again", "category": "correspondence", "agency": "opcc"},
    {"text": "please explain the precept rise", "category": "correspondence", "agency": "opcc"},
]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_train_and_predict_gives_a_label_with_probabilities() -> None:
    m = model.train(EXAMPLES)
    p = m.predict("category", "an officer was very rude to me, I want to complain")
    assert p.label == "complaint"
    assert p.prob == max(p.probs.values())
    assert abs(sum(p.probs.values()) - 1.0) < 1e-6


def test_shipped_examples_cover_every_category_and_agency() -> None:
    rows = model.load_examples()
    assert len(rows) >= 500
    assert {r["category"] for r in rows} == {"correspondence", "complaint", "foi", "officer_correspondence",
                                             "consultation"}
    assert len({r["agency"] for r in rows}) == 13  # every key but "none"


def test_a_bad_example_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "category": "foi", "agency": "force_foi"}\n{"text": "no labels"}\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        model.load_examples(path)


def test_load_model_prefers_a_trained_file(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "examples.jsonl", EXAMPLES)
    assert model.load_model(None, data).source == str(data)
    assert model.load_model(str(tmp_path / "absent.joblib"), data).source == str(data)
    saved = tmp_path / "model.joblib"
    model.save(model.train(EXAMPLES, source="corrected"), saved)
    assert model.load_model(str(saved), data).source == "corrected"


def test_each_load_is_a_model_of_its_own_and_a_saved_one_predicts_alike(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "examples.jsonl", EXAMPLES)
    first = model.load_model(None, data)
    assert first is not model.load_model(None, data)  # no process-wide cache: the caller keeps it
    text = "the officer was rude to me"
    before = first.predict("category", text)
    assert first.predict("category", text) == before  # a second look reads the remembered features
    model.save(first, tmp_path / "m.joblib")
    assert model.load_model(str(tmp_path / "m.joblib"), data).predict("category", text) == before


def test_an_unreadable_model_file_falls_back_to_the_examples(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "examples.jsonl", EXAMPLES)
    junk = tmp_path / "model.joblib"
    junk.write_bytes(b"not a pickle")
    assert model.load_model(str(junk), data).source == str(data)


def test_a_model_trained_on_older_shipped_examples_is_ignored(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "examples.jsonl", EXAMPLES)
    stale = model.train(EXAMPLES, source="old release")
    stale.data_hash = "0" * 64
    path = tmp_path / "model.joblib"
    model.save(stale, path)
    assert model.load_model(str(path), data).source == str(data)
    current = model.train(EXAMPLES, source="current")
    current.data_hash = model.data_hash(data)
    model.save(current, path)
    assert model.load_model(str(path), data).source == "current"


def test_the_fast_path_gives_scikit_learns_numbers_exactly(triage_model: Any) -> None:
    """Feature rows and every head's probabilities, bit for bit, over the shipped examples and odd texts."""
    import numpy as np

    from handlers.modelfast import FastPath

    fast = FastPath(triage_model.features, triage_model.heads)
    texts = [model.normalise(str(r["text"])) for r in model.load_examples()[::4]]
    for text in [*texts, "", "0000", "ŵŷ ŵŷ", "a" * 5000]:
        row, slow = fast.transform(text), triage_model.features.transform([text])
        assert (row != slow).nnz == 0 and np.array_equal(row.indices, slow.indices)
        for head, clf in triage_model.heads.items():
            assert np.array_equal(fast.proba(head, row), clf.predict_proba(slow)[0]), (head, text[:60])
    assert fast._vectors is True and all(fast._heads_ok.values()) and fast._heads_ok


def test_the_fast_path_steps_aside_for_a_vectoriser_it_does_not_know() -> None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import FeatureUnion

    m = model.train(EXAMPLES)
    counts = FeatureUnion([("counts", CountVectorizer().fit([e["text"] for e in EXAMPLES]))])
    from handlers.modelfast import FastPath

    fast = FastPath(counts, {})
    assert (fast.transform("rude officer") != counts.transform(["rude officer"])).nnz == 0
    assert fast._vectors is False
    assert m.predict("category", "the officer was rude").label == "complaint"
