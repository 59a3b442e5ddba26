"""The project's import graph, read from the source: which package imports which, and where an
import runs up a floor or closes a circle. `python -m tests.import_graph` prints it."""

from __future__ import annotations

import ast
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pipelines", "assets")  # the folders that hold the import packages
PACKAGES = ("poolbooks", "poolbooks_dagster")

# From the ground up; a package may import its own modules and any package on a lower floor.
# The simulator stands apart: it imports only the ground floor.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("poolbooks.redaction", "poolbooks.permissions", "poolbooks.locks", "poolbooks.errors"),
    ("poolbooks.sql_folder",),
    ("poolbooks.logs",),
    ("poolbooks.http",),
    ("poolbooks.pool_api", "poolbooks.onchain", "poolbooks.prices"),
    ("poolbooks.lake",),
    ("poolbooks.ingest",),
    ("poolbooks.warehouse",),
    ("poolbooks.exports",),
    ("poolbooks.report",),
    ("poolbooks.config", "poolbooks.demo_config"),
    ("poolbooks.demo",),
    ("poolbooks_dagster",),
    # the CLI's demo records what it did in the demo's Dagster instance
    ("poolbooks.cli", "poolbooks_dagster.location"),
)
APART = {"poolbooks.simulator": 1}  # the floor up to which it may import


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (as named)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)[1:]  # less the folder
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> Iterator[Path]:
    for top in SOURCES:
        yield from sorted((ROOT / top).rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    """Every import of a project module in a file, `if TYPE_CHECKING:` ones included."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in PACKAGES:
                yield Import(name, target, node.lineno)


def unit(module: str) -> str:
    """The package (or top-level module) a module belongs to, as the floors name them."""
    for floor in (*FLOORS, tuple(APART)):
        for name in floor:
            if module == name or module.startswith(name + "."):
                return name
    return module


def floor_of(name: str) -> int:
    for number, floor in enumerate(FLOORS):
        if name in floor:
            return number
    return -1


def all_imports() -> list[Import]:
    return [found for path in source_files() for found in imports_of(path)]


def upward(imports: list[Import]) -> list[Import]:
    """Imports of a package on the same or a higher floor (its own modules excepted)."""
    wrong = []
    for found in imports:
        source, target = unit(found.source), unit(found.target)
        if source == target:
            continue
        if source in APART:
            allowed = floor_of(target) != -1 and floor_of(target) <= APART[source]
        elif target in APART:
            allowed = floor_of(source) >= floor_of("poolbooks.config")
        else:
            allowed = 0 <= floor_of(target) < floor_of(source)
        if not allowed:
            wrong.append(found)
    return wrong


def circles(imports: list[Import]) -> list[list[str]]:
    """Groups of modules that import each other in a loop (Tarjan's strongly connected parts)."""
    modules = {module_name(p) for p in source_files()}
    graph: dict[str, set[str]] = defaultdict(set)
    for found in imports:
        target = found.target
        while target and target not in modules:  # `from a.b import c` names module a.b
            target = target.rpartition(".")[0]
        if target and target != found.source:
            graph[found.source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found_circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found_circles.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(modules):
        if node not in index:
            visit(node)
    return found_circles


def package_edges(imports: list[Import]) -> Counter[tuple[str, str]]:
    return Counter(
        (unit(i.source), unit(i.target)) for i in imports if unit(i.source) != unit(i.target)
    )


def module_sizes() -> dict[str, int]:
    return {module_name(p): len(p.read_text().splitlines()) for p in source_files()}


def report() -> str:
    imports = all_imports()
    lines = ["packages, from the top floor down (-> what each imports, with the count):"]
    edges = package_edges(imports)
    names = sorted({u for pair in edges for u in pair}, key=lambda u: (-floor_of(u), u))
    for name in names:
        out = ", ".join(f"{t} {n}" for (s, t), n in sorted(edges.items()) if s == name)
        where = "apart" if name in APART else f"floor {floor_of(name)}"
        lines.append(f"  {name} ({where}) -> {out or 'nothing of the project'}")
    wrong = upward(imports)
    lines.append(f"imports that run up or sideways: {len(wrong)}")
    lines += [f"  {w.source}:{w.line} imports {w.target}" for w in wrong]
    loops = circles(imports)
    lines.append(f"import circles: {len(loops)}")
    lines += ["  " + " <-> ".join(loop) for loop in loops]
    sizes = sorted(module_sizes().values())
    biggest = sorted(module_sizes().items(), key=lambda kv: -kv[1])[:5]
    lines.append(
        f"modules: {len(sizes)}, median {statistics.median(sizes):.0f} lines, largest "
        + ", ".join(f"{name} {n}" for name, n in biggest)
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
