"""The figures in a text, comparable across Japanese and English, and when a source dates from.

`concierge kb check` uses these to hold every number in an answer to the quotes of the entry's
sources, and the English answer to the same numbers as the Japanese one; the answer shown to a
person uses `newest_source_date` to say when everything it rests on is old.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from datetime import date

# A phone number is one figure, not three (0157-25-1210 is not 157, 25 and 1210).
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
# A number with an optional Japanese multiplier (12万, 30億, 2千) or 割 (tenths, as a percentage).
_JA_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(億|万|千|割)?")
_PER_UNIT = re.compile(
    r"(?<![\d.,])1(?=日(?:\d|あたり|単位|・)|時間(?:\d|あたり)|食|人(?:あたり|につき|当たり)|戸に|か月\d)"
)
# 2025〜27年度 is 2025 to 2027; 2時間半 is 2.5 hours.
_SHORT_YEAR_RANGE = re.compile(r"((\d\d)\d\d[〜~-])(\d\d)(?=年)")
_SHORT_YEAR_RANGE_EN = re.compile(r"\b((\d\d)\d\d[–-])(\d\d)\b(?!\d)")
_HALF_HOUR = re.compile(r"(\d+)時間半")
# Words that read as numbers but aren't figures: COVID-19, and "one" as a pronoun or in "one of".
_NOT_FIGURES = re.compile(
    r"COVID-19|\b(?:a|an|the|this|that|each|no|any|every|some|wide)\s+one\b|\bone\s+of\b|-wide one\b",
    re.IGNORECASE,
)
_JA_UNITS = {"億": 100_000_000, "万": 10_000, "千": 1_000}
# English: digits with an optional scale word (¥1 million, 3 billion).
_EN_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion|thousand)\b)?", re.IGNORECASE)
_EN_SCALES = {"million": 1_000_000, "billion": 1_000_000_000, "thousand": 1_000}
# Number words a translation may spell out; they must count like the digits in the Japanese.
_EN_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_EN_WORDS.update({"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20})
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})
_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
_WORD = re.compile(r"[A-Za-z]+")


def _plain(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _number(digits: str) -> float:
    return float(digits.replace(",", ""))


def figures(text: str, *, english: bool = False) -> set[str]:
    """Every figure in ``text`` as a plain number string ("1000000", "14.1", "0157-25-1210")."""
    text = unicodedata.normalize("NFKC", text)
    found = set(_PHONE.findall(text))
    text = _PHONE.sub(" ", text)
    if not english:
        # 1日2往復, 1時間800円, 1人あたり: a per-unit "1" reads "a day", "an hour", "per person" in
        # English; it is not a figure of its own.
        text = _PER_UNIT.sub(" ", text)
        text = _SHORT_YEAR_RANGE.sub(r"\1\2\3", text)
        text = _HALF_HOUR.sub(r"\1.5時間", text)
    if english:
        text = _NOT_FIGURES.sub(" ", text)
        text = _SHORT_YEAR_RANGE_EN.sub(r"\1\2\3", text)
        for match in _EN_NUMBER.finditer(text):
            scale = _EN_SCALES[match.group(2).lower()] if match.group(2) else 1
            found.add(_plain(_number(match.group(1)) * scale))
        for word in _WORD.findall(text):
            lowered = word.lower()
            if lowered in _EN_WORDS:
                found.add(str(_EN_WORDS[lowered]))
            elif lowered in _MONTHS and (len(word) > 3 or word[0].isupper()):
                found.add(str(_MONTHS[lowered]))
        return found
    total, end, unit_before = 0.0, -1, 0.0
    for match in _JA_NUMBER.finditer(text):
        value, unit = _number(match.group(1)), match.group(2)
        if unit == "割":
            found.add(_plain(value * 10))
            end = -1
            continue
        scale = _JA_UNITS.get(unit or "", 1)
        # 12万2千 is one figure: a smaller unit right after a larger one adds to it.
        if match.start() == end and unit_before > scale:
            found.discard(_plain(total))
            total += value * scale
        else:
            total = value * scale
        found.add(_plain(total))
        end, unit_before = match.end(), float(scale)
    # Month names in Japanese are digits already (7月); 1日2往復 keeps both numbers.
    return found


def figures_in(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found |= figures(text) | figures(text, english=True)
    return found


_YEAR_MONTH_DAY = re.compile(r"(\d{4})(?:[-年/](\d{1,2}))?(?:[-月/](\d{1,2}))?")


def latest_possible(when: str) -> date | None:
    """The last day a source's date (as the source gives it) can mean: "2024-12" → 2024-12-31,
    "推定2024年秋" → 2024-12-31, "2015-08-11" → itself, "日付不明" → None. The latest day, so
    an answer calls its sources old only when they surely are."""
    years = [m for m in _YEAR_MONTH_DAY.finditer(unicodedata.normalize("NFKC", when))]
    if not years:
        return None
    best: date | None = None
    for match in years:
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else 12
        if not 1 <= month <= 12:
            month = 12
        last = calendar.monthrange(year, month)[1]
        day = int(match.group(3)) if match.group(3) and match.group(2) else last
        day = min(max(day, 1), last)
        candidate = date(year, month, day)
        best = candidate if best is None or candidate > best else best
    return best


def newest_source_date(dates: Iterable[str]) -> date | None:
    """The newest of the sources' dates, or None when none of them gives one."""
    known = [d for d in (latest_possible(when) for when in dates) if d is not None]
    return max(known) if known else None
