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
frequent word). :func:`model_spans`, called by ``_names.name_spans`` on the tokens it
already has, scores with it the spans jieba cut into pieces, a surname standing alone as a token and one or two following characters that
end on a token boundary (李|自然, 符|东|哓, 贺|安妮), and adds a bonus when the words
around say person. Dictionary words are never cut: a span starts and ends at token
boundaries (or at the head of a token the dictionary does not know).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

# the candidate step borrows the tagger step's word lists (_names imports this module
# lazily, inside name_spans, so there is no import cycle)
from commlib.privacy._names import (
    _DOUBLES_SET,
    _ENUM,
    _MODEL_FIRSTS,
    _MODEL_SURNAMES,
    _MONEY_END,
    _NAME,
    _NOT_GIVEN,
    _NR_FLAGS,
    _PERSON_CONTEXT,
    _PLACE_AFTER_JIA,
    _PLACE_NEXT_SET,
    _PLACE_PREV_END,
    _RELATIONS,
    _ROLES_AFTER,
    _SKIP,
    _TITLE_WORDS,
    _VERB_AFTER,
    _counted,
    _is_cjk,
    _tagger,
)
from commlib.privacy._rules import _OFFICIAL_TITLES, _ROLE_TRIGGERS, _surnames

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


#: A longer reading of a candidate is kept unless its score is lower by this much.
_LONGER_MARGIN = 1.0
#: Acceptance of the character model: score plus context bonus at least the threshold
#: of the candidate's kind (surname token + pieces, head of an unknown token). On the
#: dev, heldout and heldout2 sets every threshold from 0.5 to 2.0 gave the same figures
#: (recall 164 -> 165 of 171, nothing lost); 1.5 was then chosen on what the model adds
#: in the unlabelled TipDM messages and replies (heldout3/4 excluded): against 0.5 it
#: drops about 40 additions that are places or phrases (陈山|家组, 楚绣|老街, 蔡兴|八组)
#: and 13 that are names.
MODEL_THRESHOLD = (1.5, 1.5)
#: Bonus when the span stands alone between punctuation, and when a title, role,
#: relation, speech verb or neighbouring name says person.
MODEL_BONUS = (0.0, 1.5, 3.0)
#: Tags of a place, an organisation or another proper noun: a token with one of them is a
#: given name only with a person word next to it.
_PROPER_GIVEN_FLAGS = frozenset(["ns", "nt", "nz"])
#: Last characters of estates, shops and buildings (华城, 雅苑, 名邸, 商行).
_ESTATE_END = frozenset("城苑园府庭湾居邸阁轩墅廷汇坊里寓舍馆店行厦")
#: Score lost when a noun or a number follows the span.
MODEL_NOUN_AFTER = 1.5
#: Surnames that also end estates and villages (兰亭苑, 李家庄).
_ESTATE_SURNAMES = frozenset("苑庄")


def model_spans(
    text: str, words: list[str], flags: list[str], starts: list[int]
) -> list[tuple[int, int]]:
    """Spans of :func:`_model_candidates` whose score and context pass the threshold."""
    return [
        (a, b)
        for a, b, score, context, kind in _model_candidates(text, words, flags, starts)
        if score + MODEL_BONUS[context] >= MODEL_THRESHOLD[kind]
    ]


def _model_candidates(
    text: str, words: list[str], flags: list[str], starts: list[int]
) -> list[tuple[int, int, float, int, int]]:
    """Candidate names scored by the character model of ``_namemodel``.

    ``(start, end, score, context, kind)`` for two kinds of candidate:

    0. a surname standing alone as a token followed by one or two characters that end on
       a token boundary (李|自然, 贺|安妮);
    1. the head of a token the dictionary does not know (符东哓由父 read as one token).

    Tokens jieba tags as names are left to :func:`name_spans`: scoring them too (less
    their dictionary frequency) added no recall on the dev sets and cost precision
    (楚雅, 贺隆, 华祥 are places and estates made of name characters).

    ``score`` is the log-likelihood ratio of :func:`commlib.privacy._namemodel.name_score`;
    ``context`` is 2 when a title, role, relation, speech verb or neighbouring name stands
    next to it, 1 when the span stands alone between punctuation, else 0.
    """
    n = len(words)
    out = []
    # most tokens are neither a surname alone nor the head of a long token: skip them first
    todo = [
        i
        for i, w in enumerate(words)
        if w in _MODEL_SURNAMES or len(w) >= 3 and w[0] in _MODEL_FIRSTS
    ]
    if not todo:
        return out
    _, has_word = _tagger()
    for i in todo:
        word = words[i]
        if word in _MODEL_SURNAMES:
            if i + 1 >= n:
                continue
            surname = word
            options = []
            first = words[i + 1]
            if len(first) in (1, 2) and _is_cjk(first):
                options.append((first, starts[i + 2], i + 2, 0))
                if len(first) == 1 and i + 2 < n and len(words[i + 2]) == 1:
                    if _is_cjk(words[i + 2]):
                        options.append((first + words[i + 2], starts[i + 3], i + 3, 0))
        elif (
            len(word) >= 3
            and word[:1] in _MODEL_FIRSTS
            and flags[i] not in _NR_FLAGS
            and not has_word(word)
        ):
            surname = word[:2] if word[:2] in _DOUBLES_SET else word[0]
            if surname not in _MODEL_SURNAMES:
                continue
            rest = word[len(surname) :]
            options = [
                (rest[:k], starts[i] + len(surname) + k, i + 1, 1) for k in (1, 2) if len(rest) > k
            ]
        else:
            continue
        start = starts[i]
        before = words[i - 1] if i > 0 else ""
        if _counted(text, start):
            continue
        if surname == "钱" and before[-1:] and before[-1] in _MONEY_END:
            continue
        # a surname that also ends estates and villages, glued to the word before it,
        # ends that place: 兰亭|苑|井盖 is the estate 兰亭苑, not 苑井盖
        if (
            word in _ESTATE_SURNAMES
            and len(before) >= 2
            and _is_cjk(before)
            and before not in _PERSON_CONTEXT
            and not before.endswith(_ROLE_TRIGGERS + _RELATIONS)
        ):
            continue
        # after a place prefix only with a role noun after the span: 铺村|胡|海山|党员
        role_after = any(j < n and words[j] in _ROLES_AFTER for j in (i + 2, i + 3))
        if (
            before
            and not role_after
            and (before[-1] in _PLACE_PREV_END or before[-1].isascii() and before[-1].isalnum())
        ):
            continue
        best = None
        for given, end, j, kind in options:
            if any(c in _NOT_GIVEN for c in given):
                continue
            if len(given) == 2 and given[0] == "家" and given[1] in _PLACE_AFTER_JIA:
                continue
            if given in _PERSON_CONTEXT or given.startswith(_TITLE_WORDS):
                continue  # a surname + title: the title rules keep those
            after = words[j] if j < n else ""
            if kind == 1:
                after = words[i][end - start :] or (words[j] if j < n else "")
            if after in _PLACE_NEXT_SET or (
                after[:1] in _PLACE_NEXT_SET and after not in _PERSON_CONTEXT
            ):
                continue
            if after[:1].isascii() and after[:1].isalnum():
                continue
            # a given name that jieba reads as a place or an organisation (邦|安|华城 is an
            # estate named after its owner): never when it ends like an estate or a shop,
            # otherwise only with a person word next to it (胡|海山|党员)
            proper = kind == 0 and j == i + 2 and flags[i + 1] in _PROPER_GIVEN_FLAGS
            if proper and given[-1] in _ESTATE_END:
                continue
            score = name_score(surname, given)
            # a name is followed by a verb, an adverb, a particle or punctuation; a noun or
            # a number after it makes the span the head of a place or a company
            # (安新居|建材市场, 白咀鹤|停车场, 蔡兴|八组)
            noun_after = (
                kind == 0 and j < n and flags[j][:1] in "nmq" and not flags[j].startswith("nr")
            )
            # the longer reading wins unless it is clearly worse (符东哓, not 符东)
            if best is None or score > best[2] - _LONGER_MARGIN * (end > best[1]):
                look_before = words[i - 2] if before in _SKIP and i > 1 else before
                left = text[max(0, start - len(_NAME) - 1) : start]
                right = text[end : end + len(_NAME) + 1]
                context = (
                    after in _PERSON_CONTEXT
                    or look_before in _PERSON_CONTEXT
                    or look_before.endswith(_ROLE_TRIGGERS)
                    or look_before.endswith(_RELATIONS)
                    or any(after.startswith(t) for t in _OFFICIAL_TITLES)
                    or after[:1] in _VERB_AFTER
                    or left.endswith(_NAME)
                    or left[:-1].endswith(_NAME)
                    and left[-1] in _ENUM
                    or right.startswith(_NAME)
                    or right[1:].startswith(_NAME)
                    and right[0] in _ENUM
                )
                # standing alone between punctuation (，罗粲，/ （胡美军、): a weaker cue
                alone = (start == 0 or not _is_cjk(text[start - 1])) and (
                    end == len(text) or not _is_cjk(text[end])
                )
                if noun_after and not context:
                    score -= MODEL_NOUN_AFTER
                if proper and not context:
                    continue
                best = (start, end, score, 2 if context else int(alone), kind)
        if best is not None:
            out.append(best)
    return out
