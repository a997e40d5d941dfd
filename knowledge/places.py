"""Which places a question is about, as opposed to where the person lives or comes from.

「札幌の家賃は？」 asks about Sapporo: an entry about Kitami's rents must not answer it.
「東京から戻ったら家賃は？」 and 「東京で働いてるけど…」 say where the person is: they are exactly the
people this concierge is for, and the place must not count against the answer.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from knowledge.normalize import mostly_hiragana
from knowledge.tokenize import place_mentions

# What follows a place when it is where the person is, was, or compares with.
# 東京の娘 and 東京に子どもがいる say where the family is; 東京だと…, 東京では… and 東京とどれくらい
# 違う and 東京比 set the place against Kitami; 東京と北見を行き来, 東京出張 and 東京との往復の航空券
# (東京便, 東京行き) are the life of someone living or working in both; 札幌まで行かないと,
# 札幌まで出ねばならんのか ask whether Kitami has it, with the city one would have to go to;
# 札幌や帯広と比べて compares two places with Kitami.
_WHERE_THE_PERSON_IS = re.compile(
    r"^\s*(都|府|県)?(から|在住|に住|で住|住ま|で働|で勤|に勤|勤務|勤め|で暮|に暮|暮らし|出身|生まれ|育ち|そだち|"
    r"にいる|にいて|におり|で生活|で仕事|の仕事|の会社|の大学|の職場|の本社|の取引先|みたい|みたく|のよう|と比べ|"
    r"とくらべ|と比較|より|に比べ|並み|ほど|くらい|の半分|の倍|と(は)?(どれ|どの|どん|どっち|どちら|ちが|違)|との(差|違い|ちがい)|"
    r"[のに](娘|息子|むすこ|むすめ|孫|まご|家族|嫁|婿|子ども|子供|こども|子|夫婦|兄|姉|弟|妹|友達|友人|人|家|"
    r"マンション|アパート)(が|は|も|に|の|と|を|から|って|さん|ちゃん|たち|夫婦|[、。,.!?！？\s]|$)|"
    r"だと|では|じゃ|なので|なもんで|だし|と北見|と行き来|出張|来てから|に来て|に出て|に出た|うまれ|"
    r"比|との往復|往復|との間|間の|便|行き|発|着|"
    r"まで(行|い|出|で|通わ|かよわ)(か|ね|な)|(行|い)くとき|"
    r"(や|とか|と|・|、)[^、。？?！!\s]{1,8}?(と比べ|とくらべ|と比較|に比べ|より))"
)
# 「東京でSEをしていて」「東京で子育てしてまして」: what the person does there, in the progressive,
# within the clause after the place.
_WHAT_THE_PERSON_DOES_THERE = re.compile(
    r"^\s*で[^、。！？,.!?]*?(てい|てお|でい|でお|とる|どる|てる|でる|てて|でて|てま|でま)"
)

# The city and the towns merged into it: every entry speaks of them, named or not.
HOME = "北見 北見市 端野 常呂 留辺蘂"
# A later sentence that names Kitami asks about Kitami: a place in a sentence before it is the
# person's circumstance (「4月から東京の保育園に入れなくて困ってます。北見だと待機児童っているんですか？」).
# The text is normalized: a sentence ends in a space after a clause of some length (a space
# between short words is a grandparent's way of typing, 「さっぽろ やちん きたみ」).
_KITAMI_IN_A_LATER_SENTENCE = re.compile(r"^\S{5,}\s.*?(北見|きたみ|キタミ|kitami)")


class Places(NamedTuple):
    asked_about: frozenset[str]  # what the question is about (札幌の家賃)
    where_the_person_is: frozenset[str]  # where they live, work or come from (東京から戻ったら…)
    text_without_them: str  # ``text`` with the latter blanked out


def places_in(text: str, known: frozenset[str]) -> Places:
    """The place names in ``text`` (normalized), read once, sorted into those asked about and those
    that say where the person is. The latter are not what is asked, so they are not searched for
    either: 「東京から戻ったら家賃は？」 must not lean toward an entry whose questions compare offices
    with Tokyo's. A place both asked about and lived in (two mentions) counts as asked about.

    In 「きたみは じしん おおいのかい」 the dictionary reads おおい (many) as the place 大井: a place
    written only in hiragana is asked about only when it is one of the ``known`` places (those some
    entry speaks of: さっぽろ is)."""
    mentions = place_mentions(text)
    asked = frozenset(m.place for m in mentions if not _says_where_the_person_is(m.after))
    lives_in = set()
    for mention in mentions:
        if mention.place not in asked:
            lives_in.add(mention.place)
            text = text.replace(mention.surface, " ")
    written = {m.place for m in mentions if not mostly_hiragana(m.surface, 1.0)}
    return Places(frozenset(p for p in asked if p in written or p in known), frozenset(lives_in), text)


def _says_where_the_person_is(after: str) -> bool:
    return bool(
        _WHERE_THE_PERSON_IS.match(after)
        or _WHAT_THE_PERSON_DOES_THERE.match(after)
        or _KITAMI_IN_A_LATER_SENTENCE.match(after)
    )
