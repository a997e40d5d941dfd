"""Details only some answers give: a question asking for one is answered only by an entry that
gives it.

「ハッカ記念館の開館時間は？」 shares every other word with the entry about Kitami's mint, which
says nothing of opening hours: answered with it, the person is told about mint and not what they
asked. Such a question is offered the entry instead (knowledge/base.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Detail:
    name: str
    asked: re.Pattern[str]  # the question asks for it
    given: re.Pattern[str]  # the answer gives it


DETAILS = (
    Detail(
        "opening hours",
        re.compile(
            r"(営業|開館|開庁|受付|診療|窓口)時間|(何時|なんじ)(まで|から|に(開|あ|閉|し))|"
            r"(opening|business) hours|what time .*\b(open|close)|\b(open|close)s? (at|until|till)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d{1,2}(時|:\d{2})(\d{1,2}分)?\s*(から|まで|〜|~|-|–)|\d{1,2}(:\d{2})?\s*(am|pm)", re.IGNORECASE
        ),
    ),
    Detail(
        "how hard a school is to enter",
        re.compile(r"偏差値|へんさち|倍率|合格ライン|hensachi|entrance exam|acceptance rate", re.IGNORECASE),
        re.compile(r"偏差値|倍率|hensachi|acceptance rate", re.IGNORECASE),
    ),
    Detail(
        "a reputation",
        # What people say of a school, a nursery or a doctor (「南小学校って評判どうですか？」): the
        # entries say what there is, never how it is thought of.
        re.compile(r"評判|ひょうばん|口コミ|くちこみ|クチコミ|\breputation\b|\breviews?\b", re.IGNORECASE),
        re.compile(r"評判|口コミ|reputation|reviews?", re.IGNORECASE),
    ),
    Detail(
        "one company's pay",
        # A company named or hidden (「○○システムって会社」「〇〇建設の」, "the biggest IT company",
        # "a specific company"), and what it pays: the entries give pay levels in general only.
        re.compile(
            r"(○|〇|◯|×|某|(って|という|っていう)(会社|企業))[^。？?!！]{0,16}"
            r"(年収|給料|給与|月給|初任給|ボーナス|賞与|ねんしゅう|きゅうりょう)|"
            r"\b(specific|particular|biggest|largest)\b[^.?!]{0,30}\b(company|firm|employer)\b[^.?!]{0,40}"
            r"\b(salary|salaries|pay|paid|earn|make|wages?)\b|"
            r"\b(salary|salaries|pay|paid|earn|make|wages?)\b[^.?!]{0,40}\b(specific|particular|biggest|largest)\b"
            r"[^.?!]{0,30}\b(company|firm|employer)\b",
            re.IGNORECASE,
        ),
        re.compile(r"(株式会社|㈱)[^。]{0,20}(年収|給与|給料)", re.IGNORECASE),
    ),
    Detail(
        "a forecast",
        # A forecast by its word, or what this year or this winter will bring (「ことしは どのくらい
        # ふるもんだべか」) — not what it usually brings (「いつもは」「平年」).
        re.compile(
            r"予報|よほう|forecast|"
            # A prediction of the weather (「今冬の降雪量の予想」), not a comparison with one (予想より).
            r"(雪|降雪|積雪|気温|天気|寒さ)[^。？?!！]{0,8}(予想|よそう)(?!より|以上|外|通り|どおり)|"
            r"(予想|よそう)[^。？?!！]{0,8}(降雪|積雪|雪の量|気温|天気)|"
            r"(今年|ことし|この冬|このふゆ|今度の冬|こんどのふゆ|今冬)(の冬)?(は|って|も)[^。？?!！]{0,16}"
            r"(降る|ふる|積もる|つもる|寒くなる|さむくなる|冷える|ひえる|多い|おおい|少ない|すくない)"
            r"(?![^。？?]*(いつも|平年|例年|普段|ふだん|毎年|まいとし))|"
            r"\bthis (winter|year)\b[^.?!]*\b(will|gonna|going to)\b|"
            r"\b(will|gonna|going to)\b[^.?!]*\bthis (winter|year)\b",
            re.IGNORECASE,
        ),
        re.compile(r"予報|forecast", re.IGNORECASE),
    ),
)


def detail_not_given(question: str, answer: str) -> Detail | None:
    """The detail ``question`` asks for that ``answer`` does not give, if any."""
    return next((d for d in DETAILS if d.asked.search(question) and not d.given.search(answer)), None)
