"""How well bullet confidence finds the bullets a reviewer must fix, on the labelled audits.

Usage:
    python benchmarks/confidence.py [PACK_DIR ...]        # default: examples/*/ and
                                                        # ../shared/examples/*/ when present
    python benchmarks/confidence.py --fit                 # also refit the signal weights

A drafted bullet is bad when it matches no gold finding of its section (the pack scorer's
rule: a shared theme and support Jaccard >= 0.5). "Look at these first" holds the bullets
whose confidence is below LOOK_FIRST_BELOW; the figures are the share of all bullets it
holds and the share of bad bullets among them, per pack and pooled. `--fit` fits the
logistic weights of briefing_nlp.confidence on every pack's signals, reports each pack's
figures with weights fitted on the others (leave one pack out), and prints the weights
to copy into confidence.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from briefing_nlp import group
from briefing_nlp.classify import StatementClassifier
from briefing_nlp.compose import Briefing
from briefing_nlp.confidence import LOOK_FIRST_BELOW, WEIGHTS, Signals, combine, finding_signals
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from packs import FlagCount, Pack, bad_bullets, flag_count, load_pack

SHARED_EXAMPLES = PROJECT_ROOT.parent / "shared" / "examples"
NAMES = list(WEIGHTS)


def default_packs() -> list[Path]:
    folders = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
    return folders + sorted(p.parent for p in SHARED_EXAMPLES.glob("*/gold.json"))


def draft_with_signals(
    pack: Pack, classifier: StatementClassifier
) -> tuple[Briefing, dict[tuple[Any, ...], Signals]]:
    """Draft a pack and keep each finding's signals, keyed by section and member statements."""
    seen: dict[tuple[Any, ...], Signals] = {}
    original: Callable[..., float] = group.finding_confidence

    def recording(section: str, members: Any, similarity: Any, wording: str) -> float:
        key = (section, tuple(sorted((m.statement.record, m.statement.text) for m in members)))
        seen[key] = finding_signals(section, members, similarity, wording)
        return original(section, members, similarity, wording)

    group.finding_confidence = recording  # type: ignore[assignment]
    try:
        briefing = draft_briefing([pack.notes], settings=Settings(), classifier=classifier)
    finally:
        group.finding_confidence = original  # type: ignore[assignment]
    return briefing, seen


def labelled_rows(packs: list[Pack], classifier: StatementClassifier) -> list[dict[str, Any]]:
    """One row per drafted bullet: pack, signals, bad, suggested."""
    rows = []
    for pack in packs:
        briefing, seen = draft_with_signals(pack, classifier)
        for bullet, bad in bad_bullets(briefing, pack.gold):
            key = (bullet.section, tuple(sorted((s.record, s.text) for s in bullet.sources)))
            rows.append({"pack": pack.path.name, "signals": seen[key], "bad": bad})
    return rows


def report(packs: list[Pack], classifier: StatementClassifier) -> FlagCount:
    total = FlagCount(0, 0, 0, 0)
    print(f"Look at these first: confidence below {LOOK_FIRST_BELOW}")
    print(f"{'pack':<20} bullets flagged  share   bad  bad flagged  coverage")
    for pack in packs:
        briefing = draft_briefing([pack.notes], settings=Settings(), classifier=classifier)
        count = flag_count(briefing, pack.gold)
        total = total + count
        _line(pack.path.name, count)
    _line("all", total)
    return total


def _line(name: str, count: FlagCount) -> None:
    print(
        f"{name:<20} {count.bullets:>7} {count.flagged:>7} {count.flagged_share:>6.2f} "
        f"{count.bad:>5} {count.bad_flagged:>12} {count.bad_coverage:>9.2f}"
    )


def fit(rows: list[dict[str, Any]]) -> None:
    """Refit the weights; leave-one-pack-out figures show how well they carry over."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[asdict(r["signals"])[n] for n in NAMES] for r in rows])
    y = np.array([not r["bad"] for r in rows])  # confidence: the chance a bullet is right
    packs = [r["pack"] for r in rows]
    print("\nleave one pack out (weights fitted on the other packs):")
    pooled = [0, 0, 0, 0]
    for name in sorted(set(packs)):
        held = np.array([p == name for p in packs])
        model = LogisticRegression(C=1.0).fit(x[~held], y[~held])
        scores = model.predict_proba(x[held])[:, 1]
        flagged = scores < LOOK_FIRST_BELOW
        bad = ~y[held]
        counts = [int(held.sum()), int(flagged.sum()), int(bad.sum()), int((flagged & bad).sum())]
        pooled = [a + b for a, b in zip(pooled, counts, strict=True)]
        _line(name, FlagCount(*counts))
    _line("all", FlagCount(*pooled))
    model = LogisticRegression(C=1.0).fit(x, y)
    weights = {n: round(float(w), 2) for n, w in zip(NAMES, model.coef_[0], strict=True)}
    print(f"\nfitted on all packs: WEIGHTS = {weights}, BIAS = {model.intercept_[0]:.2f}")
    shipped = np.array([combine(r["signals"]) for r in rows])
    for below in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        flagged = shipped < below
        bad = ~y
        print(
            f"shipped weights, flag below {below:.2f}: share {flagged.mean():.2f}, "
            f"coverage {(flagged & bad).sum() / max(1, bad.sum()):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packs", nargs="*", type=Path)
    parser.add_argument("--fit", action="store_true", help="refit the signal weights")
    args = parser.parse_args()
    packs = [load_pack(folder) for folder in (args.packs or default_packs())]
    classifier = StatementClassifier.load(Settings().model_dir)
    report(packs, classifier)
    if args.fit:
        fit(labelled_rows(packs, classifier))


if __name__ == "__main__":
    main()
