"""One text at a time through the fitted model, without scikit-learn's per-call checks (same numbers).

The triage model (handlers/model.py) reads one message at a time. For a single short text,
scikit-learn's input validation, FeatureUnion's job machinery and the copy of each head's
coefficients take several times longer than the arithmetic. These functions do the same
arithmetic, in the same order, on the fitted attributes. `FastPath` checks each one against
scikit-learn on the first text it sees and falls back to scikit-learn for good if a single
number differs (another scikit-learn version, another kind of vectoriser or head).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


def _tfidf_row(vectoriser: Any, text: str) -> Any:
    """TfidfVectorizer.transform([text]): counts, sublinear tf, idf, l2 norm (text.py's steps)."""
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    counts = vectoriser._count_vocab([text], fixed_vocab=True)[1]
    x = counts.astype(np.float64)
    tfidf = vectoriser._tfidf
    if tfidf.sublinear_tf:
        np.log(x.data, x.data)
        x.data += 1.0
    x.data *= tfidf.idf_[x.indices]
    inplace_csr_row_normalize_l2(x)
    return x


def _supported(features: Any) -> bool:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return (isinstance(features, FeatureUnion) and not features.transformer_weights
            and all(isinstance(t, TfidfVectorizer) and not t.binary and t.norm == "l2" and t.use_idf
                    for _, t in features.transformer_list))


def _same(a: Any, b: Any) -> bool:
    return bool(a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
                and np.array_equal(a.data, b.data))


class FastPath:
    """The fast transform and per-head probabilities of one fitted model, or None where unsupported."""

    def __init__(self, features: Any, heads: dict[str, Any]) -> None:
        self.features = features
        self.heads = heads
        self._vectors: bool | None = None if _supported(features) else False
        self._coef: dict[str, Any] = {}  # head -> its coef_.T, C-contiguous (not copied per call)
        self._heads_ok: dict[str, bool] = {}  # head -> the fast path gave scikit-learn's numbers

    def transform(self, text: str) -> Any:
        """The feature row of `text`, as features.transform([text]) gives it."""
        if self._vectors is False:
            return self.features.transform([text])
        from scipy import sparse

        row = sparse.hstack([_tfidf_row(t, text) for _, t in self.features.transformer_list]).tocsr()
        if self._vectors is None:
            slow = self.features.transform([text])
            self._vectors = _same(row, slow)
            if not self._vectors:
                logger.warning("model: the fast feature path differs from scikit-learn's; using scikit-learn's")
                return slow
        return row

    def proba(self, head: str, x: Any) -> Any:
        """The probability row of head `head` for feature row `x` (predict_proba(x)[0])."""
        clf = self.heads[head]
        ok = self._heads_ok.get(head)
        if ok:
            return self._proba(head, clf, x)
        slow = clf.predict_proba(x)[0]
        if ok is None:
            self._heads_ok[head] = _is_log_sgd(clf) and np.array_equal(self._proba(head, clf, x), slow)
        return slow

    def _proba(self, head: str, clf: Any, x: Any) -> Any:
        """LinearClassifierMixin.decision_function and _predict_proba_lr, for one row."""
        from scipy.special import expit

        if head not in self._coef:
            self._coef[head] = np.ascontiguousarray(clf.coef_.T)
        scores = np.asarray(x @ self._coef[head]) + clf.intercept_
        if scores.shape[1] == 1:
            p = expit(scores.reshape(-1))
            return np.stack([1 - p, p], axis=1)[0]
        prob = expit(scores)
        total = prob.sum(axis=1)
        if total[0] == 0:
            prob[:, :] = 1
            total[0] = prob.shape[1]
        prob /= total.reshape((prob.shape[0], -1))
        return prob[0]


def _is_log_sgd(clf: Any) -> bool:
    from sklearn.linear_model import SGDClassifier

    return isinstance(clf, SGDClassifier) and clf.loss == "log_loss"
