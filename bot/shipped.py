"""Files shipped with Signpost: the templates and the default config, found with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# setup.py's build step copies the checkout's top-level templates/ and config.yaml here.
PACKAGED = "_shipped"
_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Path:
    """The installed package's copy of `name` ("templates", "config.yaml"), else the checkout's own.

    A wheel carries them as bot/_shipped/; a checkout (and its editable install) has no such
    folder and uses the top-level files people edit there, so an edit shows at once.
    """
    packaged = files("bot").joinpath(PACKAGED, name)
    if packaged.is_file() or packaged.is_dir():
        # Jinja2 and Starlette serve from folders: Signpost is installed unpacked, never zipped.
        if not isinstance(packaged, Path):
            raise RuntimeError(f"Signpost must be installed unpacked (found {name} in {packaged!r})")
        return packaged
    local = _CHECKOUT / name
    if local.exists() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    raise FileNotFoundError(f"{name} is missing from the installed package: reinstall Signpost")


def templates_dir() -> Path:
    return shipped("templates")


def default_config() -> Path:
    return shipped("config.yaml")
