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
        self._pattern = re.compile("|".join(map(_as_pattern, variants))) if variants else None

    def knows(self, word: str) -> bool:
        """``word`` is a variant some group rewrites (産科 for 産婦人科)."""
        return normalize(word) in self._mapping

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: f" {self._mapping[m.group(0)]} ", text)


def _as_pattern(variant: str) -> str:
    """A variant as it is typed; a Latin word only whole inside Japanese (「babysitterの補助」,
    never the "free" of "freedom")."""
    escaped = re.escape(variant)
    if variant[:1].isascii() and variant[:1].isalpha():
        escaped = r"(?<![a-z])" + escaped
    if variant[-1:].isascii() and variant[-1:].isalpha():
        escaped += r"(?![a-z])"
    return escaped


class EnglishSynonyms:
    """English words rewritten to their group's first word, after the same stemming as the index
    (nursery → daycare, tech → it), so a question's everyday word meets the entry's."""

    def __init__(self, groups: list[list[str]]) -> None:
        from knowledge.tokenize import english_terms

        mapping: dict[str, str] = {}
        for group in groups:
            canonical = english_terms(group[0])
            if len(canonical) != 1:
                continue
            for word in group[1:]:
                variant = english_terms(word)
                if len(variant) == 1 and variant[0] != canonical[0]:
                    mapping.setdefault(variant[0], canonical[0])
        self._mapping = mapping

    def apply(self, terms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self._mapping.get(term, term) for term in terms)
