"""The import structure of the installed package (DESIGN.md §1).

* No import cycle among fastinit's modules, counting module-level and function-level imports,
  absolute and relative (only imports under ``if TYPE_CHECKING:`` are left out: they never run).
* The library never imports the application ``fastinit.study`` (``fastinit.__main__``, the
  entry point that calls the study's CLI, is the one exception), and the study uses only the
  library's public API (no ``fastinit._loader`` / ``_core``, no ``_private`` name).
* Optional dependencies are imported only through ``fastinit.optional``.
* ``import fastinit`` loads none of matplotlib, pandas, tqdm, scikit-learn or torch.
* The study builds its networks in one function (``fastinit.study.networks.build_network``).
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import fastinit
import pytest

OPTIONAL = ("matplotlib", "pandas", "tqdm", "sklearn", "torch")


@dataclass(frozen=True)
class Edge:
    target: str  #: the module imported
    names: tuple[str, ...]  #: the names taken from it (``from target import names``)
    line: int


def _modules() -> dict[str, Path]:
    """Every pure-Python module of the installed package, by dotted name."""
    names = ["fastinit"] + [m.name for m in pkgutil.walk_packages(fastinit.__path__, "fastinit.")]
    out = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            out[name] = Path(spec.origin)
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of ``tree``, at any depth, except under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _edges(name: str, path: Path) -> list[Edge]:
    """What module ``name`` imports: ``from pkg import mod`` counts as importing ``pkg.mod``."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out = []
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [Edge(a.name, (), node.lineno) for a in node.names]
            continue
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1])
            mod = f"{base}.{node.module}" if node.module else base
        else:
            mod = node.module or ""
        for a in node.names:
            sub = f"{mod}.{a.name}"
            if sub in MODULES or _is_submodule(sub):
                out.append(Edge(sub, (), node.lineno))
            else:
                out.append(Edge(mod, (a.name,), node.lineno))
    return out


def _is_submodule(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


GRAPH = {name: _edges(name, path) for name, path in MODULES.items()}


def _is_study(name: str) -> bool:
    return name == "fastinit.study" or name.startswith("fastinit.study.")


def test_the_package_is_found() -> None:
    assert {"fastinit", "fastinit.sweep", "fastinit.study", "fastinit.study.cli"} <= set(MODULES)


def test_no_import_cycle() -> None:
    internal = {n: sorted({e.target for e in es if e.target in MODULES}) for n, es in GRAPH.items()}
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []
    cycles: list[list[str]] = []

    def dfs(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in internal[n]:
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m) :] + [m])
            elif m not in state:
                dfs(m)
        stack.pop()
        state[n] = 2

    for n in sorted(internal):
        if n not in state:
            dfs(n)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_library_never_imports_the_study() -> None:
    bad = [
        f"{n}:{e.line} imports {e.target}"
        for n, es in GRAPH.items()
        if not _is_study(n) and n != "fastinit.__main__"
        for e in es
        if _is_study(e.target)
    ]
    assert not bad, "\n".join(bad)


def test_the_study_uses_only_the_public_api() -> None:
    bad = []
    for n, es in GRAPH.items():
        if not _is_study(n):
            continue
        for e in es:
            if not (e.target == "fastinit" or e.target.startswith("fastinit.")):
                continue
            if _is_study(e.target):
                continue
            private = any(p.startswith("_") for p in e.target.split(".")) or any(
                x.startswith("_") for x in e.names
            )
            if private:
                bad.append(f"{n}:{e.line} imports {e.target} {', '.join(e.names)}".rstrip())
    assert not bad, "\n".join(bad)


def test_optional_dependencies_only_through_fastinit_optional() -> None:
    bad = [
        f"{n}:{e.line} imports {e.target}"
        for n, es in GRAPH.items()
        if n != "fastinit.optional"
        for e in es
        if e.target.partition(".")[0] in OPTIONAL
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", ["fastinit", "fastinit.study"])
def test_import_is_light(module: str) -> None:
    code = f"import sys, {module}\nprint(','.join(m for m in {OPTIONAL!r} if m in sys.modules))\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"`import {module}` loaded {proc.stdout.strip()}"


def test_the_study_builds_networks_in_one_place() -> None:
    """Only ``fastinit.study.networks`` turns a scheme name into a network (``MLP(...)``,
    ``lsuv_(...)``): the day the library owns that recipe, one function changes."""
    bad = []
    for name, path in MODULES.items():
        if not _is_study(name) or name == "fastinit.study.networks":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if called in ("MLP", "lsuv_", "reset_parameters"):
                    bad.append(f"{name}:{node.lineno} calls {called}")
    assert not bad, "\n".join(bad)
