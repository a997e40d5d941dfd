"""Leave one question out: each entry's k-th phrasing is asked of a knowledge base built without it,
for every k (not a test). The development stand-in for a public FAQ benchmark: the held-out
phrasing was never seen by the index, the answer text still is, as with a real FAQ.

    .venv/bin/python bench/leave_one_out.py [--words-only] [--csv FILE]

With ``--csv`` the entries come from a FAQ exported as CSV (question, answer …) whose rows share
an id for each phrasing of one question.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import Entry, KnowledgeBase  # noqa: E402
from knowledge.loading import entries_from_csv, load_entries  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words-only", action="store_true", help="without the sentence-vector model")
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    entries: list[Entry] = entries_from_csv(args.csv) if args.csv else load_entries()
    rounds = max(len(e.questions) for e in entries)
    asked = top1 = top5 = 0
    for k in range(rounds):
        held = {e.id: e.questions[k] for e in entries if len(e.questions) > max(k, 1)}
        kept = [
            replace(e, questions=tuple(q for i, q in enumerate(e.questions) if i != k)) if e.id in held else e
            for e in entries
        ]
        kb = KnowledgeBase(kept, semantic=not args.words_only)
        for entry_id, question in held.items():
            ranked = [h.entry.id for h in kb.search(question, limit=5)]
            asked += 1
            top1 += bool(ranked) and ranked[0] == entry_id
            top5 += entry_id in ranked
    print(
        f"{len(entries)} entries, {asked} held-out questions, semantic {'off' if args.words_only else 'on'}"
    )
    print(f"SR@1 {top1 / asked:.3f}  SR@5 {top5 / asked:.3f}")


if __name__ == "__main__":
    main()
