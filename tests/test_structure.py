"""The house plan's layering: the modules that read and write stored briefings load no
model libraries, so `feedback export`, `review export` and the store answer at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

LIGHT = [
    "briefing_nlp.datatypes",
    "briefing_nlp.wording",
    "briefing_nlp.vocabulary",
    "briefing_nlp.store",
    "briefing_nlp.render",
    "briefing_nlp.counts",
    "briefing_nlp.feedback",
    "briefing_nlp.review_export",
]
HEAVY = ["spacy", "scipy", "sklearn", "thinc"]


@pytest.mark.parametrize("module", LIGHT)
def test_reading_stored_briefings_loads_no_model_library(module: str) -> None:
    code = f"import sys, {module}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_compose_still_offers_the_briefing_types() -> None:
    """Code that found the types and wording in `compose` (as drafting always has) still
    does; they are the same objects."""
    from briefing_nlp import compose, datatypes, wording

    assert compose.Briefing is datatypes.Briefing
    assert compose.Bullet is datatypes.Bullet
    assert compose.bullet_text is wording.bullet_text


def test_every_pipeline_type_is_defined_in_datatypes() -> None:
    """One home for the types each stage hands the next; the stages use those objects."""
    from briefing_nlp import classify, datatypes, group, ingest, segment

    for module, names in [
        (ingest, ["Audit", "AuditRecord", "Comment"]),
        (segment, ["Statement"]),
        (classify, ["Classification"]),
        (group, ["Finding", "Member"]),
    ]:
        for name in names:
            cls = getattr(module, name)
            assert cls is getattr(datatypes, name)
            assert cls.__module__ == "briefing_nlp.datatypes"


def test_no_module_of_the_package_imports_itself_back() -> None:
    """No import cycles among the package's modules: read from the imports each module
    makes when it loads (not those for type checkers only, nor those deferred into a
    function), a cycle is a path from a module back to itself."""
    import ast
    from pathlib import Path

    import briefing_nlp

    root = Path(briefing_nlp.__file__).parent
    names = {
        ".".join(("briefing_nlp", *path.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__"
        ): path
        for path in root.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        targets: set[str] = set()
        for node in _load_time_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                module = node.module
                targets |= {f"{module}.{a.name}" for a in node.names} & names.keys()
                targets |= {module} & names.keys()
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names} & names.keys()
        # A package's own __init__ importing its submodules is how it registers them.
        graph[name] = {t for t in targets if t != name and not t.startswith(name + ".")}
    # Importing a submodule runs its package's __init__ first, but that is not an import
    # the submodule makes; only the edges written in code count.
    seen: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        seen[node] = 1
        for target in sorted(graph.get(node, ())):
            if seen.get(target) == 1:
                cycle.extend([*path[path.index(target) :], target])
                return True
            if target not in seen and visit(target, [*path, target]):
                return True
        seen[node] = 2
        return False

    for start in sorted(graph):
        if start not in seen and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)


def _load_time_imports(body: list):  # type: ignore[no-untyped-def,type-arg]
    """The import statements a module runs as it loads."""
    import ast

    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _load_time_imports(node.body)
                yield from _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _load_time_imports(block)


def test_the_readme_maps_every_module_in_one_line() -> None:
    """ "How it is built" names each module of the package once, and no module that is gone."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    package = root / "src" / "briefing_nlp"
    modules = {
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if p.name != "__main__.py" and p.parent.name != "__pycache__"
    } - {"__init__.py"}
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it is built") :]
    mapped = re.findall(r"^\| `([\w/]+\.py)` \|", section, flags=re.MULTILINE)
    assert len(mapped) == len(set(mapped)), "a module is mapped twice"
    assert sorted(mapped) == sorted(modules)


def test_one_placeholder_pattern_for_every_stage() -> None:
    from briefing_nlp import confidence, features, group, wording
    from briefing_nlp.redact import Placeholders

    assert features.PLACEHOLDER_RE is group.PLACEHOLDER_RE is confidence.PLACEHOLDER_RE
    assert features.PLACEHOLDER_RE is wording.PLACEHOLDER_RE
    placeholders = Placeholders()
    written = [placeholders.label("PERSON", f"Name {n}") for n in range(1, 1201)]
    written += [placeholders.label(kind, "x") for kind in ("DATE", "ID", "POSTCODE", "ORG")]
    for label in written:
        match = wording.PLACEHOLDER_RE.fullmatch(label)
        assert match, label
        assert match.group(1) == label[1:-1].split(" ")[0]
