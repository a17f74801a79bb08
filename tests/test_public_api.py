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
