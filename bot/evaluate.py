"""`signpost eval`: replay a labelled corpus into a fresh store and score every decision against its labels."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from bot.config import CATEGORIES, Config
from bot.progress import Progress
from handlers.types import Classifier


def load_labels(corpus: Path) -> dict[str, dict[str, Any]]:
    path = corpus / "labels.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: a labelled corpus has labels.jsonl beside its messages")
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
            out[row["file"]] = row
    return out


def _pairs(groups: dict[str, str | None]) -> set[frozenset[str]]:
    by: dict[str, list[str]] = {}
    for item, key in groups.items():
        if key is not None:
            by.setdefault(key, []).append(item)
    return {frozenset(p) for members in by.values() for p in combinations(sorted(members), 2)}


def pairwise(truth: dict[str, str | None], pred: dict[str, str | None]) -> dict[str, Any]:
    """Pairwise precision/recall of a clustering (pairs of items put in the same group)."""
    t, p = _pairs(truth), _pairs(pred)
    both = len(t & p)
    return {
        "precision": both / len(p) if p else 1.0,
        "recall": both / len(t) if t else 1.0,
        "true_pairs": len(t),
        "predicted_pairs": len(p),
        "wrong_pairs": sorted(sorted(x) for x in p - t)[:20],
        "missed_pairs": sorted(sorted(x) for x in t - p)[:20],
    }


def macro_f1(truth: list[str], pred: list[str], labels: Iterable[str]) -> tuple[float, dict[str, float]]:
    per: dict[str, float] = {}
    for lab in labels:
        tp = sum(1 for a, b in zip(truth, pred, strict=True) if a == lab and b == lab)
        fp = sum(1 for a, b in zip(truth, pred, strict=True) if a != lab and b == lab)
        fn = sum(1 for a, b in zip(truth, pred, strict=True) if a == lab and b != lab)
        if tp + fp + fn == 0:
            continue
        per[lab] = 2 * tp / (2 * tp + fp + fn)
    return (sum(per.values()) / len(per) if per else 1.0), per


def score(labels: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare exported rows (by file) with labels; the figures `signpost eval` prints."""
    pred = {r["file"]: r for r in rows if r.get("file")}
    files = [f for f in labels if f in pred]
    missing = sorted(set(labels) - set(pred))
    t_cat = [labels[f]["category"] for f in files]
    p_cat = [pred[f]["category"] or "none" for f in files]
    f1, per = macro_f1(t_cat, p_cat, CATEGORIES)
    confusion = Counter((a, b) for a, b in zip(t_cat, p_cat, strict=True))
    t_urg = {f for f in files if labels[f]["urgent"]}
    p_urg = {f for f in files if pred[f]["urgent"]}
    machine = {f for f in files if labels[f]["category"] == "none" and not labels[f]["ack"]}
    human = [f for f in files if f not in machine]
    return {
        "messages": len(files),
        "missing": missing,
        "category": {
            "accuracy": sum(a == b for a, b in zip(t_cat, p_cat, strict=True)) / len(files) if files else 0.0,
            "macro_f1": f1,
            "per_class_f1": per,
            "confusion": {f"{a} -> {b}": n for (a, b), n in sorted(confusion.items())},
            "errors": [{"file": f, "label": labels[f]["category"], "got": pred[f]["category"]}
                       for f in files if labels[f]["category"] != (pred[f]["category"] or "none")],
        },
        "urgent": {
            "recall": len(t_urg & p_urg) / len(t_urg) if t_urg else 1.0,
            "precision": len(t_urg & p_urg) / len(p_urg) if p_urg else 1.0,
            "missed": sorted(t_urg - p_urg),
            "false_alarms": sorted(p_urg - t_urg),
        },
        "agency": {
            "accuracy": sum(labels[f]["agency"] == (pred[f]["agency"] or "none") for f in files) / len(files)
            if files else 0.0,
            "errors": [{"file": f, "label": labels[f]["agency"], "got": pred[f]["agency"]}
                       for f in files if labels[f]["agency"] != (pred[f]["agency"] or "none")],
        },
        "ack": {
            "accuracy": sum(bool(labels[f]["ack"]) == pred[f]["acknowledged"] for f in files) / len(files)
            if files else 0.0,
            "errors": [{"file": f, "label": labels[f]["ack"], "got": pred[f]["acknowledged"]}
                       for f in files if bool(labels[f]["ack"]) != pred[f]["acknowledged"]],
        },
        # Machine mail has a case key of its own whose linking is not scored (triage-labels.md).
        "case_linking": pairwise({f: labels[f]["case"] for f in human}, {f: pred[f]["case"] for f in human}),
        "campaign": pairwise({f: labels[f]["campaign"] for f in files}, {f: pred[f]["campaign"] for f in files}),
    }


def evaluate(cfg: Config, corpus: Path, *, model: Classifier | None = None,
             progress: Progress | None = None) -> dict[str, Any]:
    """Replay `corpus` into a fresh temporary SQLite store, export, and score.

    `model` is the triage model to judge; None loads the one `signpost run` would. `progress`
    follows the replay (bot/progress.py).
    """
    import asyncio

    from bot.app import open_store
    from bot.replay import replay
    from bot.reporting.export import export_rows
    from bot.sender import FileSinkTransport

    labels = load_labels(corpus)
    with tempfile.TemporaryDirectory(prefix="signpost-eval-") as tmp:
        engine, sessions = open_store(f"sqlite:///{tmp}/eval.db")
        try:
            asyncio.run(replay(cfg, sessions, [corpus], FileSinkTransport(Path(tmp) / "outbound"), model=model,
                               progress=progress))
            with sessions() as s:
                rows = list(export_rows(s))
        finally:
            engine.dispose()
    return score(labels, rows)


def confusion_table(confusion: dict[str, int]) -> list[str]:
    """Rows = label, columns = decision, as fixed-width text."""
    short = {c: c[:6] for c in CATEGORIES}
    short["officer_correspondence"] = "office"
    short["correspondence"] = "corres"
    cells: Counter[tuple[str, str]] = Counter()
    for key, n in confusion.items():
        a, b = key.split(" -> ")
        cells[(a, b)] = n
    head = "  label \\ got    " + " ".join(f"{short[c]:>6}" for c in CATEGORIES)
    rows = [head]
    for a in CATEGORIES:
        rows.append(f"  {a[:15]:<15} " + " ".join(f"{cells[(a, b)] or '.':>6}" for b in CATEGORIES))
    return rows


def format_report(r: dict[str, Any]) -> str:
    c, u, a = r["category"], r["urgent"], r["agency"]
    lines = [
        f"messages scored: {r['messages']}" + (f" (missing: {len(r['missing'])})" if r["missing"] else ""),
        f"category: accuracy {c['accuracy']:.3f}  macro-F1 {c['macro_f1']:.3f}",
        "  per class F1: " + ", ".join(f"{k} {v:.2f}" for k, v in c["per_class_f1"].items()),
        *confusion_table(c["confusion"]),
        f"urgent: recall {u['recall']:.3f}  precision {u['precision']:.3f}",
        "  MISSED URGENT: " + (", ".join(u["missed"]) or "none"),
        "  false alarms: " + (", ".join(u["false_alarms"]) or "none"),
        f"agency: accuracy {a['accuracy']:.3f}",
        f"acknowledgement: accuracy {r['ack']['accuracy']:.3f}",
    ]
    for name in ("case_linking", "campaign"):
        p = r[name]
        lines.append(f"{name.replace('_', '-')}: pairwise precision {p['precision']:.3f}  recall {p['recall']:.3f}"
                     f"  ({p['predicted_pairs']} predicted / {p['true_pairs']} true pairs)")
    lines.append("category errors: " + ", ".join(f"{e['file']} {e['label']}->{e['got']}" for e in c["errors"]))
    lines.append("agency errors: " + ", ".join(f"{e['file']} {e['label']}->{e['got']}" for e in a["errors"]))
    return "\n".join(lines)
