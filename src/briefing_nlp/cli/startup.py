"""The command's start-up and exit: modules that libraries import but this tool never runs
load only if something uses them, and the interpreter skips its last garbage collection.

- **spaCy's own command line.** `import spacy` runs `from .cli.info import info`, which
  imports spaCy's whole command line (requests, urllib3, weasel and every `spacy`
  subcommand): about 0.4 s of each cold `briefing-nlp draft` on a two-core machine. spaCy
  merged a lazy import of it once (explosion/spaCy#12962, reverted because `spacy.cli`
  stopped resolving; #13721 reworks it with a module `__getattr__`). Here `spacy.cli` and
  `spacy.cli.info` are placeholders while spaCy initialises.
- **numpy's Fortran wrapper generator.** `scipy.sparse` imports the array-API namespace it
  vendors, which copies every public name of numpy and so imports `numpy.f2py` (another
  0.1 s, with its regular expressions and `charset_normalizer`), and with it the masked
  arrays, polynomials, ctypes helpers and test tools that drafting never uses (about
  0.05 s more).

At exit, Python collects every object it still tracks before it stops: with spaCy, numpy
and the models loaded that is about 0.4 s of each cold command, spent on memory the
operating system takes back anyway. The command freezes them instead (`gc.freeze`, after
every other exit handler: output files are written and closed by then).

The first use of a placeholder's attribute loads the real module, so `spacy.cli.download`,
`from spacy.cli import info`, `spacy.info()` and `numpy.f2py.run_main` still work. Only the
command's own process does this; the library (`import briefing_nlp`) never does.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

# Module -> the module whose own import may stand it in (None: any import).
_DEFERRED: dict[str, str | None] = {
    "spacy.cli": "spacy",
    "spacy.cli.info": "spacy",
    "numpy.f2py": None,
    "numpy.ma": None,
    "numpy.polynomial": None,
    "numpy.ctypeslib": None,
    "numpy.testing": None,
}


def defer_unused_imports() -> None:
    """Install the import hook, once; a module already imported stays as it is."""
    if not any(isinstance(f, _Defer) for f in sys.meta_path):
        sys.meta_path.insert(0, _Defer())


def skip_final_collection() -> None:
    """Freeze what the process holds at exit instead of collecting it (register first:
    exit handlers run last-registered first, so this one runs after all the others)."""
    atexit.register(_freeze)


def _freeze() -> None:
    gc.disable()
    gc.freeze()


def _initialising(name: str) -> bool:
    module = sys.modules.get(name)
    spec = getattr(module, "__spec__", None)
    # importlib marks a module's spec `_initializing` while its body runs; a `spacy.cli`
    # import from anywhere else (after spaCy has loaded) is a real one.
    return bool(spec is not None and getattr(spec, "_initializing", False))


def _load_real(name: str) -> types.ModuleType:
    """Replace a placeholder (with the others of its package) by the real module."""
    root = "spacy.cli" if name.startswith("spacy.cli") else name
    for other in _DEFERRED:
        if (other == root or other.startswith(root + ".")) and isinstance(
            sys.modules.get(other), _Placeholder
        ):
            del sys.modules[other]
    real = importlib.import_module(root)
    parent, _, child = root.rpartition(".")
    setattr(sys.modules[parent], child, real)
    return importlib.import_module(name)


class _Placeholder(types.ModuleType):
    """A deferred module until first used."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(_load_real(self.__name__), attribute)


def _info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, loading the real one on first call."""
    return _load_real("spacy.cli.info").info(*args, **kwargs)


class _Defer(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers the first import of each deferred module with a placeholder."""

    def __init__(self) -> None:
        self._made: set[str] = set()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _DEFERRED or name in self._made:
            return None
        importer = _DEFERRED[name]
        if importer is not None and not _initialising(importer):
            return None
        real = importlib.machinery.PathFinder.find_spec(name, path)
        if real is None:
            return None
        spec = importlib.machinery.ModuleSpec(
            name, self, is_package=real.submodule_search_locations is not None
        )
        # The real folder, so `import spacy.cli.train` and the like still find their
        # modules; only the package's own `__init__` (which imports them all) waits.
        spec.submodule_search_locations = real.submodule_search_locations
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Placeholder(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ == "spacy.cli.info":
            module.__dict__["info"] = _info
        self._made.add(module.__name__)
        if self._made.issuperset(_DEFERRED) and self in sys.meta_path:
            sys.meta_path.remove(self)  # every placeholder is made; step aside
