"""A character-level name likelihood learned from jieba's dictionary.

jieba's ``dict.txt`` (shipped with the jieba package, no download) lists about 73,000
entries tagged ``nr`` (person names) and about 276,000 other words with their corpus
frequencies. From it this module estimates, once per process and lazily:

- for each surname of the bundled list, the log-odds that it starts a name where it
  stands in running text (frequency of the names it starts against the frequency of the
  character in ordinary words: 王 and 刘 start names, 高 and 和 mostly do not);
- for each character, the log-ratio of its probability in a given name (the one or two
  characters after the surname of a dictionary name) to its probability in ordinary
  words (weighted by frequency): 华, 明, 伟, 芳 are name characters, 路, 区, 的 are not.

:func:`name_score` sums these log-ratios (less a penalty when the given name is a
frequent word). ``commlib.privacy._names`` scores with it the spans jieba cut into
pieces, a surname standing alone as a token and one or two following characters that
end on a token boundary (李|自然, 符|东|哓, 贺|安妮), and adds a bonus when the words
around say person. Dictionary words are never cut: a span starts and ends at token
boundaries (or at the head of a token the dictionary does not know).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from commlib.privacy._rules import _surnames

# additive smoothing of character counts
_ALPHA = 0.5
# score lost per power of ten of the frequency of a given name that is a word
WORD_PENALTY = 0.5
_CJK = re.compile("[\u4e00-\u9fa5]+")
# dictionary lines: word, frequency, tag (person names, and every other word)
_NAME_ENTRY = re.compile(r"^(\S+) (\d+) nr[a-z]*$", re.M)
_OTHER_ENTRY = re.compile(r"^(\S+) (\d+) (?!nr[a-z]*$)\S+$", re.M)


@dataclass(frozen=True)
class NameTables:
    """Log-ratio tables estimated from jieba's dictionary (see the module docstring)."""

    surname: dict[str, float]
    given: dict[str, float]
    floor: float
    words: dict[str, int]


def _dictionary_text() -> str:
    from importlib import resources

    return resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")


def _char_weights(words: list[str], weights) -> dict[str, float]:
    """Sum of ``weights`` per character over ``words`` (vectorised with numpy)."""
    import numpy as np

    joined = "".join(words)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    sums = np.bincount(codes, weights=np.repeat(np.asarray(weights, dtype=float), lengths))
    present = np.flatnonzero(sums)
    return dict(zip(map(chr, present.tolist()), sums[present].tolist(), strict=True))


@cache
def tables() -> NameTables:
    """Build the character tables once per process (about 0.3 s)."""
    doubles, singles = _surnames()
    doubles = frozenset(doubles)
    singles = frozenset(singles)
    raw = _dictionary_text()
    given_parts: list[str] = []
    name_freq: dict[str, float] = {}
    for word, freq in _NAME_ENTRY.findall(raw):
        if len(word) >= 3 and word[:2] in doubles:
            surname, rest = word[:2], word[2:]
        elif word[0] in singles:
            surname, rest = word[0], word[1:]
        else:
            continue
        if not 1 <= len(rest) <= 2 or not _CJK.fullmatch(rest):
            continue
        # one count per name: the dictionary's name frequencies are small and uneven
        given_parts.append(rest)
        name_freq[surname] = name_freq.get(surname, 0.0) + int(freq)
    other = _OTHER_ENTRY.findall(raw)
    text_words = [w for w, _ in other]
    text_freqs = [int(f) for _, f in other]
    # frequency of a one- or two-character word standing on its own
    alone = {w: int(f) for w, f in other if len(w) <= 2}
    given = _char_weights(given_parts, [1.0] * len(given_parts))
    text = _char_weights(text_words, text_freqs)
    # additive smoothing with the same prior share in both tables: a character seen in
    # neither (a typo, a rare character) is neutral, not a name character
    total_given, total_text = sum(given.values()), sum(text.values())
    vocab = len(set(given) | set(text))
    a_given, a_text = _ALPHA, _ALPHA * total_text / total_given
    log_given = math.log(total_given + a_given * vocab)
    log_text = math.log(total_text + a_text * vocab)
    given_ratio = {
        c: math.log(given.get(c, 0.0) + a_given)
        - log_given
        - math.log(text.get(c, 0.0) + a_text)
        + log_text
        for c in set(given) | set(text)
    }
    floor = math.log(a_given) - log_given - math.log(a_text) + log_text
    # a surname standing alone as a token: how often is it a name rather than the
    # one-character word it also is (和 and, 高 high, 向 towards; 符 alone is a name,
    # 符合 is a word and never reaches the model)
    surname_odds = {}
    for s in set(singles) | set(doubles):
        in_names = name_freq.get(s, 0.0) + _ALPHA
        surname_odds[s] = math.log(in_names / (in_names + alone.get(s, 0.0) + _ALPHA))
    return NameTables(surname=surname_odds, given=given_ratio, floor=floor, words=alone)


def name_score(surname: str, given: str) -> float:
    """Log-likelihood ratio that ``surname + given`` is a person's name in running text.

    >>> name_score("王", "建华") > name_score("高", "新区")
    True
    """
    t = tables()
    score = t.surname.get(surname, -20.0)
    for c in given:
        score += t.given.get(c, t.floor)
    # a given name that is an ordinary two-character word (自然, 深渊, 保利) is rarer than
    # one made of name characters; so is a span whose surname and first given character
    # read as an ordinary word (白|天亮 is 白天亮, "lit in daytime")
    freq = max(
        t.words.get(given, 0) if len(given) == 2 else 0,
        t.words.get(surname + given[:1], 0) if len(surname) == 1 else 0,
    )
    return score - WORD_PENALTY * math.log10(1 + freq)
