"""The Python API the README documents keeps working: its examples run as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from briefing_nlp.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_documents_a_python_example() -> None:
    assert python_examples()


@pytest.mark.parametrize("example", python_examples())
def test_readme_python_examples_run_as_written(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt", tmp_path / "notes.txt")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})  # our own documentation
    written = [p for p in tmp_path.iterdir() if p.name != "notes.txt"]
    assert written, "the example writes its briefing"
    for path in written:
        if path.suffix == ".docx":
            assert "Worries" in [p.text for p in docx.Document(str(path)).paragraphs]
        else:
            assert "Worries" in path.read_text(encoding="utf-8")


def test_the_public_api_is_what_the_readme_lists_and_each_name_resolves() -> None:
    """`briefing_nlp.__all__` is the API: a name added, dropped or renamed must be
    changed in the README too, and every name must import."""
    import briefing_nlp

    listed = re.search(
        r"public API is `briefing_nlp.__all__`: (.*?); other modules",
        README.read_text(encoding="utf-8"),
        re.S,
    )
    assert listed, "the README names the public API"
    documented = re.findall(r"`(\w+)`", listed.group(1))
    assert set(briefing_nlp.__all__) == {"__version__", *documented}
    for name in briefing_nlp.__all__:
        assert getattr(briefing_nlp, name) is not None
    assert set(briefing_nlp.__all__) <= set(dir(briefing_nlp))
    with pytest.raises(AttributeError):
        briefing_nlp.no_such_name  # noqa: B018


def test_importing_the_package_loads_no_model_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, briefing_nlp\n"
        "print(' '.join(m for m in ('spacy', 'scipy', 'sklearn') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
