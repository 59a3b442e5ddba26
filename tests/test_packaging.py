"""`make demo` installs poolbooks without its `[dev]` extra, so the toolkit and the Dagster
wiring may import only what the runtime requirements bring in (an optional extra's package only
lazily, inside the function that needs it)."""

from __future__ import annotations

import ast
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (ROOT / "pipelines" / "poolbooks", ROOT / "assets" / "poolbooks_dagster")
OWN = {"poolbooks", "poolbooks_dagster"}
# imported only where the extra that brings it is in use (`[dagster] executor = "celery"`)
LAZY_OPTIONAL = {"dagster_celery": "deploy"}


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")


def runtime_distributions() -> set[str]:
    """poolbooks's requirements without extras, and theirs, all the way down."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [("poolbooks", ("",))]
    while todo:
        name, extras = todo.pop()
        if (_normal(name), extras) in seen:
            continue
        seen.add((_normal(name), extras))
        try:
            lines = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in lines:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": extra}) for extra in extras):
                continue
            todo.append((requirement.name, ("", *sorted(requirement.extras))))
    return {name for name, _ in seen}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Top-level names a module imports, and whether each import is at module level."""
    tree = ast.parse(path.read_text())
    module_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(name.split(".")[0], id(node) in module_level) for name in names]
    return found


def test_the_toolkit_and_dagster_wiring_import_only_runtime_packages() -> None:
    runtime = runtime_distributions()
    providers = packages_distributions()
    offenders = []
    for package in PACKAGES:
        for path in sorted(package.rglob("*.py")):
            for name, at_module_level in _imports(path):
                if name in sys.stdlib_module_names or name in OWN:
                    continue
                if name in LAZY_OPTIONAL and not at_module_level:
                    continue
                if not any(_normal(d) in runtime for d in providers.get(name, [])):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_dev_tools_are_not_runtime_requirements() -> None:
    runtime = runtime_distributions()
    assert not runtime & {"pytest", "mypy", "ruff", "moto", "boto3", "playwright", "celery"}


def test_make_demo_installs_the_runtime_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    runtime_rule = makefile.split("$(RUNTIME): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet -e .\n" in runtime_rule
    for target in ("demo", "dev", "notebooks"):
        assert f"\n{target}: $(RUNTIME)\n" in makefile, target
