"""The issue's targets on every frozen test split, pooled, and how often a split of a given size
would miss one by chance alone (not a test).

    .venv/bin/python bench/frozen_splits.py [--jobs 2] [--sizes 140 400] [--draws 2000] [--out FILE]
        [--skip test53 …] [--read FILE]

Each ``tests/data/blind/test*.yaml`` is run through the whole flow (bot.evaluation). The script
prints, per split and pooled, the figures the targets read, with the split's misses; then it draws
splits of each size at random from the pooled messages (with replacement, keeping the pool's mix of
labels) and counts how often such a split misses a target. If the product's true rates were the
pooled ones, that is how often a new split of that size would miss a target by sampling alone.
``--out`` writes one JSON line per message (to compare two builds).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.evaluation import FAQ, LENGTH_BUCKETS, OUT_OF_SCOPE  # noqa: E402

BLIND = ROOT / "tests" / "data" / "blind"


@dataclass(frozen=True)
class Row:
    """One message's outcome, as the targets read it."""

    split: str
    label: str
    length_bucket: str
    is_action: bool
    right: bool
    in_top3: bool
    confidently_wrong: bool


@dataclass(frozen=True)
class Target:
    """A share of the messages in ``population`` passing ``test``, or (``test`` None) the length gap."""

    name: str
    population: Callable[[Row], bool]
    test: Callable[[Row], bool] | None
    met: Callable[[float], bool]
    shown: str

    def counts(self, rows: Sequence[Row]) -> tuple[int, int]:
        """(passing, in the population)."""
        assert self.test is not None
        counted = [r for r in rows if self.population(r)]
        return sum(map(self.test, counted)), len(counted)

    def figure(self, rows: Sequence[Row]) -> float | None:
        if self.test is None:
            return _length_gap(rows)
        passing, total = self.counts(rows)
        return passing / total if total else None


def _share_right(rows: Sequence[Row]) -> float | None:
    return sum(r.right for r in rows) / len(rows) if rows else None


_SHORTEST, _LONGEST = LENGTH_BUCKETS[0][1], LENGTH_BUCKETS[-1][1]


def _length_gap(rows: Sequence[Row]) -> float | None:
    """Points by which the longest messages (over 35 characters) are right less often than the
    shortest (up to 20)."""
    short = _share_right([r for r in rows if r.length_bucket == _SHORTEST])
    long = _share_right([r for r in rows if r.length_bucket == _LONGEST])
    return None if short is None or long is None else 100 * (short - long)


def _everyone(_row: Row) -> bool:
    return True


def _is_question(row: Row) -> bool:
    return row.label == FAQ


def _is_right(row: Row) -> bool:
    return row.right


# The targets (docs/understanding.md), each read as the evaluation reads it.
TARGETS = (
    Target("actions", lambda r: r.is_action, _is_right, lambda v: v >= 0.90, "≥ 0.90"),
    Target("top-1", _is_question, _is_right, lambda v: v >= 0.85, "≥ 0.85"),
    Target("top-3", _is_question, lambda r: r.in_top3, lambda v: v >= 0.95, "≥ 0.95"),
    Target("confident wrong", _everyone, lambda r: r.confidently_wrong, lambda v: v <= 0.02, "≤ 0.02"),
    Target(
        "out of scope not answered",
        lambda r: r.label == OUT_OF_SCOPE,
        _is_right,
        lambda v: v >= 0.90,
        "≥ 0.90",
    ),
    Target("length gap (points)", _everyone, None, lambda v: v <= 10, "≤ 10"),
)


def evaluate_split(path: Path) -> list[dict[str, object]]:
    from bot.evaluation import evaluate_messages, read_labelled_messages

    report = evaluate_messages(read_labelled_messages(path))
    return [
        {
            "split": path.stem,
            "text": r.item.text,
            "label": r.item.label,
            "topics": sorted(r.item.topics),
            "got": r.got,
            "answered": r.answered,
            "length_bucket": r.item.length_bucket,
            "is_action": r.asks_for_an_action,
            "right": r.right,
            "in_top3": r.right_in_top3,
            "confidently_wrong": r.confidently_wrong,
        }
        for r in report.results
    ]


def _row(record: dict[str, object]) -> Row:
    return Row(
        split=str(record["split"]),
        label=str(record["label"]),
        length_bucket=str(record["length_bucket"]),
        is_action=bool(record["is_action"]),
        right=bool(record["right"]),
        in_top3=bool(record["in_top3"]),
        confidently_wrong=bool(record["confidently_wrong"]),
    )


def misses(rows: Sequence[Row]) -> list[str]:
    missed = []
    for target in TARGETS:
        value = target.figure(rows)
        if value is not None and not target.met(value):
            missed.append(target.name)
    return missed


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def draw(rows: Sequence[Row], size: int, rng: random.Random) -> list[Row]:
    """A split of ``size`` messages drawn from ``rows`` with the pool's mix of labels."""
    by_label: dict[str, list[Row]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row)
    drawn: list[Row] = []
    for group in by_label.values():
        count = round(size * len(group) / len(rows))
        drawn += rng.choices(group, k=count)
    return drawn


def _figure(value: float | None, name: str) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if name.startswith("length") else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[140, 400])
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--read", type=Path, help="per-message lines written by --out, instead of running")
    parser.add_argument("--skip", nargs="*", default=[], help="splits not to run (a split not yet due)")
    args = parser.parse_args()

    if args.read:
        records = [json.loads(line) for line in args.read.read_text(encoding="utf-8").splitlines()]
    else:
        paths = sorted(BLIND.glob("test*.yaml"), key=lambda p: int(p.stem[4:] or 1))
        paths = [p for p in paths if p.stem not in args.skip]
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            records = [record for split in pool.map(evaluate_split, paths) for record in split]
    if args.out:
        args.out.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
    rows = [_row(r) for r in records]

    splits: dict[str, list[Row]] = {}
    for row in rows:
        splits.setdefault(row.split, []).append(row)
    print("| split | messages | " + " | ".join(t.name for t in TARGETS) + " | missed |")
    print("|---" * (len(TARGETS) + 3) + "|")
    for name, split in splits.items():
        figures = " | ".join(_figure(t.figure(split), t.name) for t in TARGETS)
        print(f"| {name} | {len(split)} | {figures} | {', '.join(misses(split)) or '–'} |")
    missing = sum(bool(misses(split)) for split in splits.values())
    print(f"\n{missing} of {len(splits)} splits miss at least one target.\n")

    print(f"Pooled ({len(rows)} messages):\n")
    print("| target | pooled | 95 % interval | target |")
    print("|---|---|---|---|")
    for target in TARGETS:
        interval = "–"
        if target.test is not None:
            low, high = wilson(*target.counts(rows))
            interval = f"{low:.3f}–{high:.3f}"
        print(
            f"| {target.name} | {_figure(target.figure(rows), target.name)} | {interval} | {target.shown} |"
        )

    rng = random.Random(args.seed)
    print("\nSplits drawn from the pooled messages (the pool's label mix, with replacement):\n")
    print("| size | misses any | " + " | ".join(t.name for t in TARGETS) + " |")
    print("|---" * (len(TARGETS) + 2) + "|")
    for size in args.sizes:
        missed_any = 0
        per_target = dict.fromkeys((t.name for t in TARGETS), 0)
        for _ in range(args.draws):
            missed = misses(draw(rows, size, rng))
            missed_any += bool(missed)
            for name in missed:
                per_target[name] += 1
        shares = " | ".join(f"{per_target[t.name] / args.draws:.2f}" for t in TARGETS)
        print(f"| {size} | {missed_any / args.draws:.2f} | {shares} |")


if __name__ == "__main__":
    main()
