"""Which places a question is about, as opposed to where the person lives or comes from.

「札幌の家賃は？」 asks about Sapporo: an entry about Kitami's rents must not answer it.
「東京から戻ったら家賃は？」 and 「東京で働いてるけど…」 say where the person is: they are exactly the
people this concierge is for, and the place must not count against the answer.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from knowledge.tokenize import place_mentions

# What follows a place when it is where the person is, was, or compares with.
_WHERE_THE_PERSON_IS = re.compile(
    r"^\s*(から|在住|に住|で住|住ま|で働|で勤|に勤|勤務|勤め|で暮|に暮|暮らし|出身|生まれ|育ち|にいる|にいて|"
    r"におり|で生活|で仕事|の会社|の大学|みたい|みたく|のよう|と比べ|とくらべ|と比較|より|に比べ|並み|ほど)"
)


# The city and the towns merged into it: every entry speaks of them, named or not.
HOME = "北見 北見市 端野 常呂 留辺蘂"


class Places(NamedTuple):
    asked_about: frozenset[str]  # what the question is about (札幌の家賃)
    where_the_person_is: frozenset[str]  # where they live, work or come from (東京から戻ったら…)
    text_without_them: str  # ``text`` with the latter blanked out


def places_in(text: str) -> Places:
    """The place names in ``text`` (normalized), read once, sorted into those asked about and those
    that say where the person is. The latter are not what is asked, so they are not searched for
    either: 「東京から戻ったら家賃は？」 must not lean toward an entry whose questions compare offices
    with Tokyo's. A place both asked about and lived in (two mentions) counts as asked about."""
    mentions = place_mentions(text)
    asked = frozenset(m.place for m in mentions if not _WHERE_THE_PERSON_IS.match(m.after))
    lives_in = set()
    for mention in mentions:
        if mention.place not in asked:
            lives_in.add(mention.place)
            text = text.replace(mention.surface, " ")
    return Places(asked, frozenset(lives_in), text)
