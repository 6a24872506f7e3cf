"""The layers of DESIGN.md §8 stay true: the import-linter contract in pyproject.toml is kept, it still
catches a wrong import (tried on a throw-away copy of the layout), and no two modules import each other."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layer_names(contract: dict) -> list[list[str]]:
    """The package names of each layer, optional ones unwrapped: [["urls", "settings", ...], ...]."""
    out = []
    for layer in contract["layers"]:
        parts = layer.replace(":", "|").split("|")
        out.append([p.strip().strip("()") for p in parts])
    return out


def _throwaway(tmp_path: Path, wrong: tuple[str, str] | None) -> subprocess.CompletedProcess[str]:
    """Lay out a package `fakeproj` with one module per layer name of our contract, let `wrong[0]`
    import `wrong[1]`, and run lint-imports with our contract pointed at it."""
    config = _config()
    contract = next(c for c in config["contracts"] if c["id"] == "layers")
    pkg = tmp_path / "fakeproj"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for names in _layer_names(contract):
        for name in names:
            (pkg / name).mkdir()
            (pkg / name / "__init__.py").write_text("")
    if wrong:
        (pkg / wrong[0] / "wrong.py").write_text(f"import fakeproj.{wrong[1]}\n")
    layers = ",\n".join(f'  "{layer}"' for layer in contract["layers"])
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "fakeproj"\n\n'
        '[[tool.importlinter.contracts]]\nid = "layers"\nname = "layers"\ntype = "layers"\n'
        f'containers = ["fakeproj"]\nexhaustive = true\nlayers = [\n{layers}\n]\n'
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tmp_path / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_keeps_the_layers_contract() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_it_orders_the_layers_as_the_design_draws_them() -> None:
    contract = next(c for c in _config()["contracts"] if c["id"] == "layers")
    order = [name for names in _layer_names(contract) for name in names]
    downward = ["api", "demo", "notices", "events", "judging", "reports", "reminders", "campaigns"]
    downward += ["accounts", "orgs", "core"]
    assert [n for n in order if n in downward] == downward
    assert contract["exhaustive"] is True  # a new top-level package must be given its layer
    siblings = next(names for names in _layer_names(contract) if "events" in names)
    assert {"events", "materials", "contests", "selections", "innovation"} <= set(siblings)


def test_it_passes_a_layout_without_wrong_imports(tmp_path: Path) -> None:
    result = _throwaway(tmp_path, None)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_catches_an_upward_import(tmp_path: Path) -> None:
    result = _throwaway(tmp_path, ("core", "orgs"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and "fakeproj.core.wrong -> fakeproj.orgs" in result.stdout


def test_it_catches_one_sibling_domain_importing_another(tmp_path: Path) -> None:
    result = _throwaway(tmp_path, ("events", "materials"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fakeproj.events.wrong -> fakeproj.materials" in result.stdout


def _cycles(package: str) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (tests and migrations aside)."""
    graph = grimp.build_graph(package, include_external_packages=False)
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    edges = {m: [i for i in graph.find_modules_directly_imported_by(m) if i in modules] for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    # Tarjan's strongly connected components, iterative (the graph has hundreds of modules).
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_it_has_no_import_cycle() -> None:
    assert _cycles("sciweek") == []


def test_it_finds_a_cycle_when_there_is_one(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "cyclepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from cyclepkg import b\n")
    (pkg / "b.py").write_text("def f():\n    from cyclepkg import a  # a lazy import still closes the loop\n")
    (pkg / "c.py").write_text("from cyclepkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles("cyclepkg") == [["cyclepkg.a", "cyclepkg.b"]]


def test_every_api_schema_has_its_own_name() -> None:
    """django-ninja names OpenAPI components after the schema class: two routers each with a
    ``ReviewIn`` publish one of them for both endpoints, and clients then send the wrong body."""
    import ast

    names: dict[str, str] = {}
    clashes = []
    for path in sorted((ROOT / "sciweek" / "api").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", "") in ("Schema", "InSchema") or getattr(b, "id", "").endswith(("In", "Out"))
                for b in node.bases
            ):
                if node.name in names:
                    clashes.append(f"{node.name}: {names[node.name]} and {path.name}")
                names[node.name] = path.name
    assert not clashes, "schema names used twice:\n" + "\n".join(clashes)
