"""The command's start-up: spaCy's own command line is loaded only if something uses it.

`import spacy` runs `from .cli.info import info`, which imports spaCy's whole command line
(requests, urllib3, weasel and every `spacy` subcommand): about 0.4 s of each cold
`briefing-nlp draft` on a two-core machine, for code this tool never runs. spaCy merged a
lazy import of it once (explosion/spaCy#12962, reverted because `spacy.cli` stopped
resolving; #13721 reworks it with a module `__getattr__`). Until a release has it, the
command does the same for its own process only: while spaCy initialises, `spacy.cli` and
`spacy.cli.info` are placeholders, and the first use of either loads the real package,
so `spacy.cli.download`, `from spacy.cli import info` and `spacy.info()` still work.
The library (`import briefing_nlp`) never installs this.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

_PLACEHOLDERS = ("spacy.cli", "spacy.cli.info")


def defer_spacy_cli() -> None:
    """Install the import hook, once, if spaCy has not been imported yet."""
    if "spacy" in sys.modules or any(isinstance(f, _DeferCli) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _DeferCli())


def _spacy_initialising() -> bool:
    spacy = sys.modules.get("spacy")
    spec = getattr(spacy, "__spec__", None)
    # importlib marks a module's spec `_initializing` while its body runs; a `spacy.cli`
    # import from anywhere else (after spaCy has loaded) is a real one.
    return bool(spec is not None and getattr(spec, "_initializing", False))


def _load_real_cli() -> types.ModuleType:
    """Replace the placeholders with spaCy's real command line and return it."""
    for name in _PLACEHOLDERS:
        if isinstance(sys.modules.get(name), _Placeholder):
            del sys.modules[name]
    real = importlib.import_module("spacy.cli")
    sys.modules["spacy"].cli = real
    return real


class _Placeholder(types.ModuleType):
    """`spacy.cli` or `spacy.cli.info` until first used."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        real = _load_real_cli()
        target = real if self.__name__ == "spacy.cli" else sys.modules["spacy.cli.info"]
        return getattr(target, name)


def _info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, loading the real one on first call."""
    _load_real_cli()
    return sys.modules["spacy.cli.info"].info(*args, **kwargs)


class _DeferCli(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers spaCy's own import of its command line with placeholders, then steps aside."""

    def __init__(self) -> None:
        self._made: set[str] = set()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _PLACEHOLDERS or name in self._made or not _spacy_initialising():
            return None
        spec = importlib.machinery.ModuleSpec(name, self, is_package=name == "spacy.cli")
        if name == "spacy.cli":
            # The real folder, so `import spacy.cli.train` and the like still find their
            # modules; only the package's own `__init__` (which imports them all) waits.
            real = importlib.machinery.PathFinder.find_spec(name, path)
            spec.submodule_search_locations = list(real.submodule_search_locations or [])
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Placeholder(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ == "spacy.cli.info":
            module.info = _info
        self._made.add(module.__name__)
        if self._made.issuperset(_PLACEHOLDERS) and self in sys.meta_path:
            sys.meta_path.remove(self)  # spaCy is past its one import of them
