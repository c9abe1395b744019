"""The type stubs (_core.pyi) and the compiled modules must agree on every public name and on
the parameter names of every function."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from importlib import resources

import fastinit
import pytest


def _stub_tree() -> ast.Module:
    text = (resources.files("fastinit") / "_core.pyi").read_text()
    return ast.parse(text)


def _stub_functions() -> dict[str, list[str]]:
    out = {}
    for node in _stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            out[node.name] = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    return out


def _stub_public_names() -> set[str]:
    names = set()
    for node in _stub_tree().body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            names.add(node.name)
    return names


MODULES = ["fastinit._core"]
if fastinit._core.cpu_supports_x86_64_v3():  # type: ignore[attr-defined]
    MODULES.append("fastinit._core_avx2")


@pytest.mark.parametrize("modname", MODULES)
def test_public_names_match(modname: str) -> None:
    mod = importlib.import_module(modname)
    compiled = {n for n in dir(mod) if not n.startswith("_")}
    stub = _stub_public_names()
    assert compiled - stub == set(), f"in the module but not in _core.pyi: {compiled - stub}"
    assert stub - compiled == set(), f"in _core.pyi but not in the module: {stub - compiled}"


def _compiled_params(fn: object) -> list[str]:
    lines = (getattr(fn, "__doc__", None) or "").splitlines()
    doc = lines[0]
    if doc.endswith("(*args, **kwargs)"):  # overloaded (float32 / float64): the first overload
        doc = next(line.split(". ", 1)[1] for line in lines if line.startswith("1. "))
    m = re.match(r"\w+\((.*)\) ->", doc)
    assert m, f"no signature line in {doc!r}"
    params = []
    for part in re.split(r",\s*(?![^\[]*\])", m.group(1)):
        part = part.strip()
        if part in ("", "*"):
            continue
        params.append(part.split(":")[0].strip())
    return params


@pytest.mark.parametrize("name", sorted(_stub_functions()))
def test_function_parameters_match(name: str) -> None:
    fn = getattr(fastinit._core, name)  # type: ignore[attr-defined]
    assert _compiled_params(fn) == _stub_functions()[name], inspect.getdoc(fn)
