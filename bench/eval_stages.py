"""Measure the decide stages (machine_mail, chat, language, urgency, classify, members, signpost) on a
labelled corpus.

Usage: .venv/bin/python bench/eval_stages.py [CORPUS_DIR] [--config PATH] [--verbose]

Category macro-F1 leaves out campaign-labelled messages (match decides those) and machine mail.
Follow-ups are scored twice: on their own text, and with their case's first decision inherited
(an oracle for match, using the labels' case keys), which is what the pipeline does.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import yaml  # noqa: E402
from fakes import FakeContext  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from bot.config import load_config  # noqa: E402
from handlers import chat, classify, language, machine_mail, members, parse, pipeline, signpost, urgency  # noqa: E402
from handlers.types import CaseRef, Kind, Triage  # noqa: E402

STAGES = (parse, machine_mail, chat, language, urgency, classify)


def decide(path: Path, ctx: FakeContext, case: CaseRef | None) -> Triage:
    channel = "telegram" if path.name.endswith(".json") else "email"
    t = Triage(raw_id=0, channel=channel, raw=path.read_bytes(), received_at=datetime.now(UTC))
    pipeline.run(t, ctx, STAGES)
    if case is not None and t.kind in (Kind.EMAIL, Kind.CHAT_TEXT):
        t.case, t.kind = case, Kind.FOLLOWUP  # as match joins a case
    pipeline.run(t, ctx, (members, signpost))  # members: an elected member's letter stays with the office
    if t.machine or t.category is None:
        t.category = t.category or "none"
        t.agency = t.agency or "none"
    return t


def score(rows: list[tuple[dict[str, object], Triage]], title: str, verbose: bool) -> dict[str, float]:
    cats = [(str(lab["category"]), t.category or "none") for lab, t in rows
            if lab["category"] not in ("campaign", "none")]
    f1 = f1_score([a for a, _ in cats], [b for _, b in cats], average="macro", zero_division=0)
    tp = sum(1 for lab, t in rows if lab["urgent"] and t.urgent)
    fn = [str(lab["file"]) for lab, t in rows if lab["urgent"] and not t.urgent]
    fp = [str(lab["file"]) for lab, t in rows if t.urgent and not lab["urgent"]]
    recall = tp / max(1, tp + len(fn))
    precision = tp / max(1, tp + len(fp))
    scored = [(lab, t) for lab, t in rows if lab["category"] != "none"]
    agency = sum(1 for lab, t in scored if lab["agency"] == t.agency) / max(1, len(scored))
    print(f"== {title}: category macro-F1 {f1:.3f} (n={len(cats)}); urgent recall {recall:.2f} "
          f"precision {precision:.2f}; agency accuracy {agency:.3f} (n={len(scored)})")
    if fn:
        print("   urgent MISSES:", ", ".join(fn))
    if fp:
        print("   urgent false alarms:", ", ".join(fp))
    if verbose:
        for lab, t in rows:
            wrong = []
            if lab["category"] not in ("campaign", "none") and lab["category"] != t.category:
                wrong.append(f"category {t.category} (want {lab['category']})")
            if lab["category"] != "none" and lab["agency"] != t.agency:
                wrong.append(f"agency {t.agency} (want {lab['agency']})")
            if wrong:
                print(f"   {lab['file']}: " + "; ".join(wrong))
    return {"f1": f1, "recall": recall, "precision": precision, "agency": agency}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "dev"))
    ap.add_argument("--config", default=None)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    area = corpus / "area.yaml"  # config overrides for a corpus from another area
    overrides = yaml.safe_load(area.read_text()) if area.is_file() else None
    ctx = FakeContext(config=load_config(args.config, overrides))
    labels = [json.loads(x) for x in (corpus / "labels.jsonl").read_text().splitlines() if x.strip()]
    own, inherited = [], []
    first: dict[str, CaseRef] = {}
    for n, lab in enumerate(labels):
        path = corpus / lab["file"]
        t = decide(path, ctx, None)
        own.append((lab, t))
        key = str(lab.get("case"))
        case = first.get(key) if lab["category"] not in ("campaign", "none") else None
        t2 = decide(path, ctx, case) if case is not None else t
        inherited.append((lab, t2))
        if key not in first and t.category not in (None, "none"):
            first[key] = CaseRef(id=n, reference=key, status="open", category=t.category, person_id=None,
                                 agency=t.agency)
    score(own, "own text", args.verbose)
    score(inherited, "with case inheritance", args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
