"""Reading entries from the bundled YAML files, or from a municipal FAQ exported as CSV."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.entries import Entry, Link, Source

BUNDLED = Path(__file__).parent / "content"
SYNONYMS = Path(__file__).parent / "synonyms.yaml"


class KnowledgeFormatError(ValueError):
    """A knowledge file that doesn't follow the format (the message names the file and entry)."""


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def entry_from_dict(raw: dict[str, Any], where: str) -> Entry:
    try:
        questions = _strings(raw["questions"])
        if not questions:
            raise KnowledgeFormatError(f"{where}: no questions")
        reviewed = raw.get("reviewed")
        if isinstance(reviewed, str):
            reviewed = date.fromisoformat(reviewed)
        return Entry(
            id=str(raw["id"]),
            category=str(raw.get("category") or "その他"),
            questions=questions,
            answer=str(raw["answer"]).strip(),
            answer_en=(str(raw["answer_en"]).strip() if raw.get("answer_en") else None),
            questions_en=_strings(raw.get("questions_en")),
            links=tuple(Link(str(x["label"]), str(x["url"])) for x in raw.get("links") or ()),
            sources=tuple(
                Source(
                    str(x.get("title", "")),
                    str(x.get("url", "")),
                    str(x.get("date", "日付不明")),
                    quote=str(x.get("quote") or "").strip(),
                    label=str(x.get("label") or "").strip(),
                )
                for x in raw.get("sources") or ()
            ),
            reviewed=reviewed,
            keywords=_strings(raw.get("keywords")),
            caution=raw.get("caution"),
            no_source=(str(raw["no_source"]).strip() if raw.get("no_source") else None),
            replaces=_strings(raw.get("replaces")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeFormatError(f"{where}: {exc!r}") from exc


def yaml_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def read_raw_entries(path: Path) -> Iterable[tuple[dict[str, Any], str]]:
    """(raw entry, "file#index") pairs, for loading and for `concierge kb check`."""
    for file in yaml_files(path):
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
            raise KnowledgeFormatError(f"{file.name}: expected a mapping with an 'entries' list")
        for index, raw in enumerate(document["entries"]):
            if not isinstance(raw, dict):
                raise KnowledgeFormatError(f"{file.name}#{index}: an entry must be a mapping")
            yield raw, f"{file.name}#{index} ({raw.get('id', '?')})"


def load_entries(path: Path | None = None) -> list[Entry]:
    return [entry_from_dict(raw, where) for raw, where in read_raw_entries(path or BUNDLED)]


def load_synonyms(path: Path = SYNONYMS, key: str = "groups") -> list[list[str]]:
    """Synonym groups: ``groups`` for Japanese, ``english`` for English words."""
    if not path.exists():
        return []
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [[str(word) for word in group] for group in document.get(key) or [] if len(group) > 1]


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932, as municipal Excel exports come."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KnowledgeFormatError("CSV is neither UTF-8 nor CP932")


def entries_from_csv(path: Path) -> list[Entry]:
    """Columns ``question``, ``answer`` and optionally ``id``, ``category``; ids are kept when given."""
    reader = csv.DictReader(io.StringIO(decode_csv(Path(path).read_bytes())))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    if "question" not in columns or "answer" not in columns:
        raise KnowledgeFormatError(f"{path}: needs 'question' and 'answer' columns, found {list(columns)}")
    entries = []
    for row in reader:
        question = (row.get(columns["question"]) or "").strip()
        answer = (row.get(columns["answer"]) or "").strip()
        if not question or not answer:
            continue
        given_id = (row.get(columns["id"]) or "").strip() if "id" in columns else ""
        stable = "csv-" + hashlib.sha1(question.encode()).hexdigest()[:10]
        category = (row.get(columns["category"]) or "").strip() if "category" in columns else ""
        entries.append(
            Entry(id=given_id or stable, category=category or "その他", questions=(question,), answer=answer)
        )
    return entries
