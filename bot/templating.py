"""Jinja2 environments for the manager reports (digest, board report): HTML always autoescaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.shipped import templates_dir

# Autoescape by file name: "x.html.j2" ends with ".html.j2"; text mail templates stay raw.
_AUTOESCAPE = select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False)


def template_env(path: Path | None = None) -> Environment:
    """A stand-alone environment for the CLI commands (the service passes its own)."""
    return Environment(
        loader=FileSystemLoader(str(path or templates_dir())), undefined=StrictUndefined, autoescape=_AUTOESCAPE,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def overlay_env(env: Environment) -> Environment:
    """The caller's environment (its loader) with the settings these templates are written for.

    The service's environment is built for text mail (autoescape off), so HTML escaping is forced
    here, and a fresh cache keeps templates compiled under other settings out.
    """
    return env.overlay(
        undefined=StrictUndefined, autoescape=_AUTOESCAPE, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, cache_size=50,
    )
