"""The command defers modules it never runs until something uses them (cli/startup.py):
spaCy's own command line and the parts of numpy that scipy copies but drafting never uses.

Each check runs in a fresh interpreter: in this one spaCy is long since imported.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_command_imports_spacy_without_its_command_line() -> None:
    out = run(
        """
        import sys
        import briefing_nlp.cli
        import spacy
        nlp = spacy.blank("en")
        print(len(nlp("Chronology not updated.")), "requests" in sys.modules,
              "spacy.cli.download" in sys.modules, "weasel" in sys.modules)
        """
    )
    assert out == "4 False False False"


def test_spacys_command_line_still_works_once_used() -> None:
    out = run(
        """
        import sys
        import briefing_nlp.cli
        import spacy
        from spacy.cli import download
        print(download.__module__, type(spacy.cli).__name__, "requests" in sys.modules)
        """
    )
    assert out == "spacy.cli.download module True"


def test_spacy_info_and_cli_submodules_load_on_demand() -> None:
    out = run(
        """
        import briefing_nlp.cli
        import spacy
        import spacy.cli.train as train
        print(callable(train.train), sorted(spacy.info())[:1] != [], callable(spacy.cli.package))
        """
    )
    assert out == "True True True"


def test_scipy_sparse_loads_without_numpys_fortran_tools_until_used() -> None:
    out = run(
        """
        import sys
        import briefing_nlp.cli
        import scipy.sparse
        before = type(sys.modules["numpy.f2py"]).__name__
        import numpy
        print(before, callable(numpy.f2py.run_main), type(sys.modules["numpy.f2py"]).__name__)
        """
    )
    assert out == "_Placeholder True module"


@pytest.mark.parametrize(
    ("module", "use"),
    [
        ("numpy.ma", "numpy.ma.masked_array([1, 2], mask=[0, 1]).sum() == 1"),
        ("numpy.polynomial", "numpy.polynomial.Polynomial([1, 2])(1) == 3"),
        ("numpy.testing", "numpy.testing.assert_equal(1, 1) is None"),
    ],
)
def test_numpy_parts_scipy_copies_load_when_first_used(module: str, use: str) -> None:
    out = run(
        f"""
        import sys
        import briefing_nlp.cli
        import scipy.sparse
        import numpy
        before = type(sys.modules["{module}"]).__name__
        print(before, {use}, type(sys.modules["{module}"]).__name__)
        """
    )
    assert out == "_Placeholder True module"


def test_the_library_alone_leaves_spacy_as_it_is() -> None:
    # Only the command's own process defers; `import briefing_nlp` installs nothing.
    out = run(
        """
        import sys
        import briefing_nlp
        from briefing_nlp import classify_statements
        print("spacy.cli.download" in sys.modules)
        """
    )
    assert out == "True"


def test_the_command_freezes_its_objects_at_exit_instead_of_collecting_them() -> None:
    out = run(
        """
        import atexit, gc
        import briefing_nlp.cli
        import spacy
        before = gc.isenabled(), gc.get_freeze_count() == 0
        atexit._run_exitfuncs()
        print(before, gc.isenabled(), gc.get_freeze_count() > 0)
        """
    )
    assert out == "(True, True) False True"
