"""`signpost train`: refit the triage model on the shipped examples plus caseworkers' corrections."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.progress import DEFAULT_EVERY, Progress, add_progress_argument
from handlers import model, rules
from handlers.labels import CATEGORIES, MODEL_CATEGORIES
from store.db import make_engine, make_sessionmaker
from store.models import Contact, Decision, Feedback

logger = logging.getLogger(__name__)

# A correction is one caseworker's considered judgement about a real contact: it counts for
# more than one generated example, but not so much that a handful swamp the shipped data.
CORRECTION_WEIGHT = 3
_SKIP_CATEGORIES = set(CATEGORIES) - set(MODEL_CATEGORIES)  # decided by match / machine_mail, not the model


def corrected_examples(session: Session) -> list[dict[str, Any]]:
    """One example per corrected contact: its text with the latest correction of each field."""
    rows = session.execute(select(Feedback).order_by(Feedback.at, Feedback.id)).scalars().all()
    latest: dict[int, dict[str, str]] = {}
    for fb in rows:
        latest.setdefault(fb.contact_id, {})[fb.field] = fb.new
    examples = []
    for contact_id, fields in latest.items():
        contact = session.get(Contact, contact_id)
        if contact is None:
            continue
        decision = session.scalars(select(Decision).where(Decision.contact_id == contact_id)).first()
        category = fields.get("category") or (decision.category if decision else None)
        agency = fields.get("agency") or (decision.agency if decision else None)
        urgent_raw = fields.get("urgent")
        if urgent_raw:
            urgent = urgent_raw.lower() in ("true", "1", "yes")
        else:
            urgent = bool(decision and decision.urgent)
        if not category or not agency or category in _SKIP_CATEGORIES or agency == "none":
            continue
        text = f"{contact.subject}\n{contact.body}".strip()
        if text:
            examples.append({"text": text, "category": category, "agency": agency, "urgent": urgent})
    return examples


def train_from_store(sessions: sessionmaker[Session], cfg: Any, output: str | None = None,
                     progress: Progress | None = None) -> dict[str, Any]:
    """Fit on shipped + corrected examples and write the model file that model.load_model prefers.

    Args:
        sessions: a sessionmaker over the case store (read only).
        cfg: the loaded Config; `triage.model_path` says where to write.
        output: another path to write to instead.
        progress: told the steps (bot/progress.py): each example read, the vectoriser, each head.

    Returns:
        Counts and the path written, for the command to print.
    """
    shipped = model.load_examples()
    with sessions() as session:
        corrected = corrected_examples(session)
    path_str = output or rules.model_path(cfg) or model.DEFAULT_MODEL_PATH
    source = f"shipped+{len(corrected)} corrections"
    examples = shipped + corrected * CORRECTION_WEIGHT
    if progress is not None:
        progress.set_total(model.training_steps(len(examples)))
    fitted = model.train(examples, source=source, on_step=progress.advance if progress is not None else None)
    fitted.data_hash = model.data_hash()
    path = Path(path_str)
    model.save(fitted, path)
    logger.info("train: %d shipped + %d corrected examples -> %s", len(shipped), len(corrected), path)
    return {"shipped": len(shipped), "corrected": len(corrected), "path": str(path)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost train`."""
    parser.add_argument("--output", metavar="FILE", default=None,
                        help="write the model here instead of triage.model_path "
                        "(default model.joblib in the data directory)")
    add_progress_argument(parser)


def main(args: argparse.Namespace, cfg: Any) -> int:
    """Run `signpost train` against the configured store; prints what was used."""
    engine = make_engine(cfg.store.url)
    try:
        with Progress("train", unit="step", every=getattr(args, "progress_every", DEFAULT_EVERY)) as progress:
            stats = train_from_store(make_sessionmaker(engine), cfg, getattr(args, "output", None), progress)
    finally:
        engine.dispose()
    print(f"trained on {stats['shipped']} shipped and {stats['corrected']} corrected examples; "
          f"wrote {stats['path']} (a running service loads it when restarted)")
    return 0
