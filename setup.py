"""Build step: ship the checkout's top-level templates/ and config.yaml inside the `bot` package.

The design card keeps templates/ and config.yaml at the repository's top level, where people
working from a checkout edit them. A wheel carries copies as bot/_shipped/, which bot/shipped.py
finds with importlib.resources. Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("config.yaml", "templates")
TARGET = Path("bot", "_shipped")


class build_py_with_shipped(build_py):  # noqa: N801 - setuptools command naming
    """`build_py`, then copy SHIPPED into the built `bot` package (skipped for editable installs)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the checkout's own files are used in place (bot/shipped.py)
        dest = Path(self.build_lib) / TARGET
        shutil.rmtree(dest, ignore_errors=True)  # a template deleted since the last build must go
        dest.mkdir(parents=True)
        for name in SHIPPED:
            src = Path(name)
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(src, dest / name)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        built = Path(self.build_lib) / TARGET
        extra = [str(p) for p in built.rglob("*") if p.is_file()] if built.is_dir() else []
        return [*super().get_outputs(include_bytecode), *extra]


setup(cmdclass={"build_py": build_py_with_shipped})
