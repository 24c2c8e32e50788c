"""Small readers of the triage settings shared by several stages and by bot/ (the model path)."""

from __future__ import annotations

from handlers.cues import Cues
from handlers.settings import Settings


def model_path(config: Settings) -> str | None:
    """`triage.model_path`: the model file `signpost train` writes (default data/model.joblib)."""
    return config.triage.model_path


def without_other_matters(text: str, other_matter: Cues) -> str:
    """The text less any clause that points at the writer's other, earlier matter (`classify.other_matter`)."""
    return other_matter.sub(" ", text)
