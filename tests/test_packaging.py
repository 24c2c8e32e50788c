"""The package declares what it imports, and keeps test tools out of the runtime set."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWN = {"bot", "handlers", "store"}
TEST_ONLY = {"pytest", "pytest-asyncio", "httpx", "aiohttp", "playwright", "trustme", "mypy", "ruff"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imports() -> set[str]:
    found: set[str] = set()
    for package in OWN:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in OWN}


def test_every_imported_package_is_a_declared_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(d) for d in project["dependencies"]}
    owners = packages_distributions()
    missing = {m: owners.get(m) for m in _imports()
               if not {d.lower().replace("_", "-") for d in owners.get(m, [])} & declared}
    assert not missing, f"imported but not in [project] dependencies: {missing}"
    assert not declared & TEST_ONLY, "test tools belong in the test extra"
