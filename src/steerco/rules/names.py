"""Organisations' names as a pack writes them: which written names are an organisation's
name or alias, and which are close to one without being it ("Elaxon" for Elexon).

Closeness is difflib's ratio of the two names, case ignored, between names of as many
words beginning with the same letter (a slip of the pen keeps the first letter). A
candidate must begin with a capital and hold a word that neither an organisation's name nor
the pack's lower-case prose uses: "Start" is not a misspelt "Stark" when the pack writes
"start", and "Elexon Helix" is two known words, not a new name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from steerco.io.exporter import Row

_TOKEN = re.compile(r"\S+")
_LEADING = "*_\"'“‘[`"
_TRAILING = "*_\"'”’],;:.!?`"


def words(text: str) -> list[str]:
    """The words of ``text``, without the Markdown and punctuation around them."""
    found = []
    for token in _TOKEN.findall(text):
        word = token.strip(_LEADING).rstrip(_TRAILING)
        for possessive in ("'s", "’s"):
            word = word.removesuffix(possessive)
        if word:
            found.append(word)
    return found


def _plain(word: str) -> str:
    return word.strip("()").casefold()


@dataclass(frozen=True)
class Near:
    written: str  # as the pack writes it
    name: str  # the organisation's name or alias it is close to
    organisation: str
    ratio: float


@dataclass(frozen=True)
class NameIndex:
    """Every organisation's name and aliases, case ignored."""

    names: dict[str, str]  # name or alias, casefolded → the organisation's name
    spelt: dict[str, str]  # name or alias, casefolded → as the organisation writes it
    known_words: frozenset[str]
    sizes: dict[str, int]  # name or alias, casefolded → its number of words
    memo: dict[tuple[str, float], Near | None] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, organisations: Iterable[Row]) -> NameIndex:
        names: dict[str, str] = {}
        spelt: dict[str, str] = {}
        for row in organisations:
            for name in (row["name"], *(row.get("aliases") or ())):
                names.setdefault(name.casefold(), row["name"])
                spelt.setdefault(name.casefold(), name)
        known = frozenset(_plain(w) for name in spelt.values() for w in words(name))
        sizes = {key: len(words(name)) for key, name in spelt.items()}
        return cls(names, spelt, known, sizes)

    def closest(self, written: str, threshold: float) -> Near | None:
        """The name or alias most like ``written`` (itself not one), if as close as
        ``threshold``."""
        key = written.casefold()
        if not key or key in self.names:
            return None
        count = len(words(written))
        best: Near | None = None
        for name, spelt in self.spelt.items():
            if name[0] != key[0] or self.sizes[name] != count:
                continue
            if abs(len(name) - len(key)) > max(2, len(name) // 4):
                continue
            ratio = SequenceMatcher(None, key, name).ratio()
            if ratio >= threshold and (best is None or ratio > best.ratio):
                best = Near(written, spelt, self.names[name], ratio)
        return best

    def _closest(self, written: str, threshold: float) -> Near | None:
        key = (written, threshold)
        if key not in self.memo:  # a name the pack writes many times is compared once
            self.memo[key] = self.closest(written, threshold)
        return self.memo[key]

    def near_names(
        self, text: str, *, threshold: float, min_length: int, common: frozenset[str]
    ) -> Iterator[Near]:
        """The names written in ``text`` close to an organisation's without being one; a
        name is a run of as many words as an organisation's name (see the module), the
        longest found where runs overlap."""
        found = words(text)
        # which words neither a name nor the prose's lower case uses, counted up to each word
        unknown = [0]
        for word in found:
            plain = _plain(word)
            unknown.append(unknown[-1] + (plain not in self.known_words and plain not in common))
        if unknown[-1] == 0:
            return
        seen: set[str] = set()
        covered: set[int] = set()  # words already in a longer name found close
        for size in sorted(set(self.sizes.values()), reverse=True):
            for start in range(len(found) - size + 1):
                if unknown[start + size] == unknown[start] or not found[start][0].isupper():
                    continue
                written = " ".join(found[start : start + size])
                if (
                    written in seen
                    or len(written) < min_length
                    or covered.intersection(range(start, start + size))
                ):
                    continue
                seen.add(written)
                near = self._closest(written, threshold)
                if near is not None:
                    covered.update(range(start, start + size))
                    yield near


def common_words(texts: Iterable[str]) -> frozenset[str]:
    """The words the texts write in lower case: ordinary words, not names."""
    return frozenset(_plain(w) for text in texts for w in words(text) if w.islower())
