"""Leads as CSV (UTF-8 with a BOM, for Excel): the columns come from the lead table."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from bot.lead_fields import FIELD_NAMES
from bot.storage.models import Lead

COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "status",
    "claimed_by",
    *FIELD_NAMES,
    "referral_code",
    "source",
    "consent_version",
    "consent_at",
)
# A cell starting with one of these is a formula to a spreadsheet: quoted with ' so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "、".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Lead], out: TextIO) -> int:
    """Write the rows; how many were written."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for lead in rows:
        writer.writerow([cell(getattr(lead, column)) for column in COLUMNS])
        count += 1
    return count
