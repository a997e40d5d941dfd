"""A lead's fields, labels and statuses, defined once.

The registration form (intents/lead.py), the Slack alerts, the CSV export and the staff console
are all derived from this table: adding a field or renaming a label is one edit here. Stored
values are the ``value`` of each choice (for most fields the Japanese label itself, which the
database has always held), so nothing already stored needs rewriting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class LeadStatus(StrEnum):
    """Where staff are with a lead. The values are what the ``leads.status`` column holds."""

    NEW = "new"
    CLAIMED = "claimed"
    CONTACTED = "contacted"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[LeadStatus, str] = {
    LeadStatus.NEW: "未対応",
    LeadStatus.CLAIMED: "担当あり",
    LeadStatus.CONTACTED: "連絡済み",
    LeadStatus.CLOSED: "対応完了",
}


def status_of(value: str | None) -> LeadStatus:
    """The stored status as the enum; an unknown value (never written by this code) reads as new."""
    try:
        return LeadStatus(value or LeadStatus.NEW)
    except ValueError:
        return LeadStatus.NEW


@dataclass(frozen=True)
class Choice:
    value: str  # what is stored
    label: str  # what a person and staff read (Japanese)


@dataclass(frozen=True)
class LeadField:
    name: str  # the column on ``leads``
    label: str  # Japanese, as staff and the person read it
    english: str  # the CSV header's English and the console's secondary label
    choices: tuple[Choice, ...] = ()  # empty: free text
    multiple: bool = False  # a list of choices (interests)
    free_text_too: bool = False  # buttons offered, typing something else is allowed (area)

    def display(self, value: Any) -> str:
        """The value as staff read it: labels for choices, joined for lists, '-' for nothing."""
        if value is None or value == "" or value == []:
            return "-"
        labels = {choice.value: choice.label for choice in self.choices}
        if isinstance(value, list):
            return "、".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))


def _same(*labels: str) -> tuple[Choice, ...]:
    """Choices whose stored value is their label (what the database has always held for them)."""
    return tuple(Choice(label, label) for label in labels)


REGISTRANT_FAMILY = "家族として"
CONTACT_CHOICES = (Choice("line", "LINE"), Choice("email", "メール"), Choice("phone", "電話"))

LEAD_FIELDS: tuple[LeadField, ...] = (
    LeadField("registrant", "登録する方", "registrant", _same("本人として", REGISTRANT_FAMILY)),
    LeadField("name", "お名前", "name"),
    LeadField(
        "area",
        "お住まい",
        "area",
        _same("東京23区", "東京都(23区外)", "神奈川・埼玉・千葉", "北海道内", "その他"),
        free_text_too=True,
    ),
    LeadField("relation", "北見とのご縁", "relation to Kitami", _same("北見出身", "家族が北見", "縁はない")),
    LeadField("age_band", "年代", "age", _same("10代", "20代", "30代", "40代", "50代", "60代以上")),
    LeadField("timing", "時期", "timing", _same("すぐ", "1年以内", "2〜3年", "未定")),
    LeadField(
        "work_plan",
        "お仕事",
        "work plan",
        _same("今の仕事をテレワークで続ける", "北見で転職", "起業", "未定"),
    ),
    LeadField("household", "世帯", "household", _same("単身", "夫婦", "子どもあり")),
    LeadField(
        "interests",
        "関心",
        "interests",
        _same("住まい", "仕事", "子育て", "テレワーク", "支援金", "雪・気候", "医療", "交通"),
        multiple=True,
    ),
    LeadField("contact_method", "連絡方法", "contact method", CONTACT_CHOICES),
    LeadField("contact_value", "連絡先", "contact"),
)
FIELDS_BY_NAME = {field.name: field for field in LEAD_FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in LEAD_FIELDS)


def field(name: str) -> LeadField:
    return FIELDS_BY_NAME[name]


def labels(name: str) -> Sequence[str]:
    return [choice.label for choice in FIELDS_BY_NAME[name].choices]


def display(name: str, value: Any) -> str:
    return FIELDS_BY_NAME[name].display(value)
