"""Synonym and variant expansion: every word of a group is rewritten to the group's first word.

Applied to the normalized text before tokenizing, on both sides, so multi-word variants
(地元に戻る → Uターン) and spelling variants (子供/こども → 子ども) meet in the index.
"""

from __future__ import annotations

import re

from knowledge.normalize import normalize, to_hiragana, to_katakana


class Synonyms:
    def __init__(self, groups: list[list[str]]) -> None:
        mapping: dict[str, str] = {}
        for group in groups:
            canonical = normalize(group[0])
            for word in group[1:]:
                variant = normalize(word)
                # People type kana words in either script (ほいくえん, ホイクエン, ﾎｲｸｴﾝ after NFKC).
                for form in {variant, to_katakana(variant), to_hiragana(variant)}:
                    if form and form != canonical:
                        mapping.setdefault(form, canonical)
        self._mapping = mapping
        # Longest first, so 北見工業大学 is replaced before 北見.
        variants = sorted(mapping, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, variants))) if variants else None

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: f" {self._mapping[m.group(0)]} ", text)
