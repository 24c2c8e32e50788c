"""Small readers of the triage settings shared by several stages and by bot/ (the model path)."""

from __future__ import annotations

from pathlib import Path

from handlers.cues import Cues
from handlers.settings import Settings, SignpostSettings


def model_path(config: Settings) -> str | None:
    """`triage.model_path`: the model file `signpost train` writes (default model.joblib).

    load_config has made a configured path absolute; the default is the file of that name in
    the data directory (`home`).
    """
    value = config.triage.model_path
    if value is not None and config.home:
        return str(Path(config.home) / value)
    return value


def without_other_matters(text: str, other_matter: Cues) -> str:
    """The text less any clause that points at the writer's other, earlier matter (`classify.other_matter`)."""
    return other_matter.sub(" ", text)


def pitch(text: str, s: SignpostSettings) -> list[str]:
    """The words of a company selling its services in the text (cues `signpost.pitch`), if `pitch_min` or more."""
    trade = [c.name for c in s.pitch if c.find(text)]
    return trade if len(trade) >= s.pitch_min else []
