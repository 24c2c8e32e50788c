"""Statistical triage model: TF-IDF word and character n-grams with logistic-loss linear heads.

One shared vectoriser feeds three heads (category, agency, urgent). `load_model` trains it
in-process from the shipped examples (handlers/data/training.jsonl) in about a second, or reads
the file `signpost train` (bot/training.py) wrote at `triage.model_path` when there is one. The
composition root (bot/app.py) loads it once and hands it to the stages through their Context.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from handlers.modelfast import FastPath
from handlers.settings import DEFAULT_MODEL_PATH as DEFAULT_MODEL_PATH
from handlers.types import Prediction

HEADS = ("category", "agency", "urgent")  # what the model predicts, each a classifier of its own

logger = logging.getLogger(__name__)

# The shipped examples, as package data (an unpacked install: a real file to hash and stat).
# scikit-learn and joblib are imported only where a model is fitted, saved or loaded, so the
# commands that never triage (`--help`, `cases`, `doctor`, ...) start without them.
DATA = Path(str(files("handlers").joinpath("data", "training.jsonl")))
FORMAT = 1  # bump when TriageModel changes shape, so stale model files are ignored

# The stages ask several heads about the same text: each model keeps its last few feature rows.
_VECTORS_KEPT = 16


@dataclass
class TriageModel:
    """The fitted vectoriser and heads, plus where they came from."""

    features: Any
    heads: dict[str, Any]
    source: str
    examples: int
    constants: dict[str, str] = field(default_factory=dict)  # heads whose examples had one label
    data_hash: str = ""  # hash of the shipped examples it was trained with ("" = not from them)
    format: int = FORMAT

    def predict(self, head: str, text: str) -> Prediction:
        """Classify `text` with one head ("category", "agency" or "urgent")."""
        if head in self.constants:
            label = self.constants[head]
            return Prediction(label, 1.0, {label: 1.0})
        clf = self.heads[head]
        row = self._fast.proba(head, self._vector(text))
        probs = {str(c): float(p) for c, p in zip(clf.classes_, row, strict=True)}
        label = max(probs, key=lambda k: probs[k])
        return Prediction(label, probs[label], probs)

    def __post_init__(self) -> None:
        self._recent: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._fast = FastPath(self.features, self.heads)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle (joblib) the fitted parts only, not the recent rows, their lock and the fast path."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_recent", "_lock", "_fast")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def _vector(self, text: str) -> Any:
        key = normalise(text)
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        vec = self._fast.transform(key)
        with self._lock:
            self._recent[key] = vec
            while len(self._recent) > _VECTORS_KEPT:
                self._recent.popitem(last=False)
        return vec


def normalise(text: str) -> str:
    """Lower-case, fold digits and whitespace: numbers and layout carry no class signal."""
    text = re.sub(r"\d", "0", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def load_examples(path: Path = DATA) -> list[dict[str, Any]]:
    """Read training examples ({"text", "category", "agency", "urgent"}) from a JSONL file."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict) or not {"text", "category", "agency"} <= set(row):
                raise ValueError(f"{path}:{n}: an example needs text, category and agency")
            rows.append(row)
    return rows


def train(examples: Iterable[Mapping[str, Any]], source: str = "examples",
          on_step: Callable[[int], None] | None = None) -> TriageModel:
    """Fit the vectoriser and the three heads on labelled examples.

    `on_step(n)`, if given, is called as the work goes: once per example read, then once for the
    vectoriser and once per head, so a caller can show progress over `training_steps(n)` steps.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion

    step = on_step or (lambda _n: None)
    rows = list(examples)
    texts = []
    for r in rows:
        texts.append(normalise(str(r["text"])))
        step(1)
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    x = features.fit_transform(texts)
    step(1)
    heads: dict[str, Any] = {}
    constants: dict[str, str] = {}
    targets = {  # one per name in HEADS
        "category": [str(r["category"]) for r in rows],
        "agency": [str(r["agency"]) for r in rows],
        "urgent": ["yes" if r.get("urgent") else "no" for r in rows],
    }
    for head, y in targets.items():
        if len(set(y)) < 2:
            constants[head] = y[0] if y else "no"
            step(1)
            continue
        # Logistic loss by SGD: probabilities like LogisticRegression at a tenth of lbfgs's time
        # on these wide sparse features (training must stay well under two seconds).
        clf = SGDClassifier(loss="log_loss", alpha=1e-4, class_weight="balanced", max_iter=50,
                            tol=1e-4, average=True, random_state=0)
        clf.fit(x, y)
        heads[head] = clf
        step(1)
    return TriageModel(features=features, heads=heads, source=source, examples=len(rows), constants=constants)


def training_steps(examples: int) -> int:
    """How many `on_step` units `train` reports for this many examples."""
    return examples + 1 + len(HEADS)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(model: TriageModel, path: Path) -> None:
    """Write a fitted model for load_model() to prefer (joblib pickle; a local, trusted file)."""
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)


def _load_file(path: Path) -> TriageModel | None:
    import joblib

    try:
        model = joblib.load(path)
    # A truncated or foreign file fails in many ways inside the unpickler.
    except (OSError, EOFError, ValueError, AttributeError, ImportError, KeyError, IndexError, TypeError,
            pickle.UnpicklingError) as exc:
        logger.warning("model: cannot load %s (%s); training from shipped examples", path, exc)
        return None
    if not isinstance(model, TriageModel) or model.format != FORMAT:
        logger.warning("model: %s is not a current Signpost model; ignoring it", path)
        return None
    return model


def data_hash(data: Path = DATA) -> str:
    """Hash of a training examples file, recorded in models trained from it."""
    return _file_hash(data)


def load_model(model_path: str | None = DEFAULT_MODEL_PATH, data: Path = DATA) -> TriageModel:
    """The trained file at `model_path` if present and current, else a model fitted on `data`.

    A file trained with other shipped examples (an older release) is ignored: the shipped
    examples changed, so `signpost train` must be run again.
    """
    shipped = _file_hash(data)
    p = Path(model_path) if model_path else None
    if p is not None and p.is_file():
        loaded = _load_file(p)
        if loaded is not None and loaded.data_hash not in ("", shipped):
            logger.warning("model: %s was trained on older shipped examples; ignoring it", p)
        elif loaded is not None:
            return loaded
    fitted = train(load_examples(data), source=str(data))
    logger.info("model: trained on %d shipped examples", fitted.examples)
    return fitted
