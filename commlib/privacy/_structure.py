"""Structural cues of the name step: what a word is, not which word it is.

Split from :mod:`commlib.privacy._names` (module size). Rounds of trigger-word rules
recalled the sets they were written from and little on the next unseen set, so the
mechanisms here read general structure:

- ``person_noun``: a noun whose last character denotes a person (打手, 操盘手, 老伴, 病友,
  村民, 工作人员) is a person word, whatever the word: the list of role words can never
  be complete, the set of person-denoting final characters nearly is;
- ``cut_short``: jieba cuts a three-character name after its second character and glues
  the third to the next word (李秋|顺于, 黄孚|新|夫妇); the name's third character is
  taken when it is no function character and what follows it is no word with it;
- ``known_alone`` / ``propagate_known``: a name the dictionary lists as a person (陈云)
  at a clause end after a role, and spreading it like any other name;
- ``repeated_third``: a name masked as two characters wherever it occurs (two or more
  times), each time followed by the same character that may end a given name, is a
  three-character name cut short the same way each time (谢周|自户口, 谢周|自外出,
  谢周|自分别): the mask takes the third character.

``MECHANISMS`` switches each on or off (the tests show each one's effect). Measured and
left out in round 7: accepting a token tagged as a name on the character model's score
alone, with no context: at most one mention gained on the studied sets for 5-32
name-like words masked (the model scores 金侠 and 华荣 above 谢立).
"""

from __future__ import annotations

import math
import re
from functools import cache

from commlib.privacy import _names as _n

#: Which structural mechanisms run (see the module docstring).
MECHANISMS: dict[str, object] = {
    "person_noun": True,
    "cut_short": True,
    "known_alone": True,
    "propagate_known": True,
    "repeated_third": True,
}

#: Last characters of a noun that names a person: 打手, 老伴, 战友, 村民, 住户, 母亲.
#: (长/主/生/工 are left out: 增长, 民主, 发生, 施工 are no persons.)
_PERSON_SUFFIX = frozenset("人员手友伴亲民户哥姐弟妹爷奶婆叔姨舅嫂妻夫爸妈匠")
#: Nouns with such an ending that name no person (收入 is no 人; these are).
_NOT_PERSON_NOUN = frozenset(
    [
        "人民",
        "个人",
        "他人",
        "别人",
        "本人",
        "账户",
        "窗户",
        "门户",
        "户口",
        "客户端",
        "手续",
        "大手",
        "双手",
        "人手",
        "丈夫",
        "功夫",
        "工夫",
        "大夫",
    ]
)


def person_noun(word: str, flag: str) -> bool:
    """A noun of two or more characters ending in a person-denoting character.

    >>> person_noun("操盘手", "n"), person_noun("手续", "n"), person_noun("动手", "v")
    (True, False, False)
    """
    return (
        MECHANISMS["person_noun"] is True
        and len(word) >= 2
        and word[-1] in _PERSON_SUFFIX
        and flag[:1] == "n"
        and not flag.startswith(("nr", "ns", "nt", "nz"))
        and word not in _NOT_PERSON_NOUN
        and _n._is_cjk(word)
        # a dictionary word: 聚利人 (a company) is no person noun
        and _n._tagger()[1](word)
    )


#: Characters that end a name's run: a particle, a preposition, a numeral.
_STOP = frozenset("的了和与及或等在于是也就都又被把向对到从给让要会不没说称讲呢吗吧啊呀嘛")
#: Verbs "is", "belongs to" that may end an unknown token after a name cut short (曹欣|召属
#: 贫困户: jieba's unknown word 召属 is the name's third character and 属).
_COPULA = frozenset("属系")
#: Numerals: not a name's third character (陈云|一人).
_NUMERAL = frozenset("一二三四五六七八九十两几")
#: Least character-model score of the three-character reading (李明占 1.6, 李秋顺 3.9).
_CUT_SHORT_SCORE = 1.0


def cut_short(i: int, words: list[str]) -> bool:
    """Token ``i`` (a two-character name: surname + one) lost its third character to
    the next token: 李秋|顺于, 黄孚|新|夫妇, 李明|占|，.

    The third character must be a possible given character, and what follows it in the
    next token must not make a word with it (陈云|要求 stays two characters).
    """
    if MECHANISMS["cut_short"] is not True or i + 1 >= len(words):
        return False
    word, after = words[i], words[i + 1]
    if len(word) != 2 or not after or not _n._is_cjk(after[0]):
        return False
    c = after[0]
    if c in _STOP or c in _NUMERAL or c in _n._NOT_GIVEN or c in _n._VERB_AFTER:
        return False
    _, has_word = _n._tagger()
    # a dictionary word is whole already (白兰|玉, 田螺|种, 平峰|期)
    if has_word(word):
        return False
    from commlib.privacy._namemodel import name_score

    if name_score(word[0], word[1] + c) < _CUT_SHORT_SCORE:
        return False
    if len(after) == 1:
        # the next token after it must end the clause or be a noun of persons (夫妇)
        # (at the end of a text the third character may be the head of a cut word)
        nxt = words[i + 2] if i + 2 < len(words) else ""
        return bool(nxt) and (not _n._is_cjk(nxt[:1]) or nxt in _n._PERSON_CONTEXT)
    # 顺于: no word; the rest (于) is a function character
    return not has_word(after) and (after[1] in _STOP or after[1] in _COPULA)


#: Least score of a dictionary word to be read as a listed person (see _listed_person):
#: 陈云 1.6, 黄韬 1.0, 周波 1.5; 文明 -0.8, 谢谢 -0.5, 高峰 0.2, 阳光 0.0, 许可 -2.6.
_KNOWN_ALONE_SCORE = 0.9


def _model_score(surname: str, given: str) -> float:
    from commlib.privacy._namemodel import name_score

    return name_score(surname, given)


def listed_person(surname: str, given: str) -> bool:
    """A dictionary word that is a person the dictionary lists (陈云), not an everyday
    word jieba also tags as a name (文明): the character model's score, less half a
    point per power of ten of the word's frequency (everyday words are frequent)."""
    freq = _word_freq().get(surname + given, 0)
    return _model_score(surname, given) - 0.5 * math.log10(1 + freq) >= _KNOWN_ALONE_SCORE


@cache
def _word_freq() -> dict[str, int]:
    """Frequency of each dictionary word jieba tags as a person (陈云 293, 文明 6584)."""
    from commlib.privacy._namemodel import _NAME_ENTRY, _dictionary_text

    return {w: int(f) for w, f in _NAME_ENTRY.findall(_dictionary_text())}


def propagate_known(name: str) -> bool:
    """A dictionary word masked as a name spreads too when it is a full name the
    dictionary lists as a person (习近平, 陈云 tagged nr), not an everyday word."""
    if MECHANISMS["propagate_known"] is not True:
        return False
    tag, _ = _n._tagger()
    if tag(name)[0][1] not in _n._NR_FLAGS:
        return False
    split = _n._split_name(name)
    return split is not None and listed_person(*split)


_ASCII_WORD = re.compile("[A-Za-z]+").fullmatch


def spreads(name: str) -> bool:
    """Whether a string masked as a name once is masked wherever it occurs: two or more
    characters shaped like a full name, no dictionary word unless a listed person.

    >>> spreads("唐华文"), spreads("于xiang"), spreads("许可")
    (True, True, False)
    """
    shaped = (
        _n._split_name(name) is not None
        or (len(name) == 3 and _n._is_cjk(name) and name[0] in _n._SINGLES)
        # a surname and a given name in pinyin (实控人于xiang ... ceo于xiang)
        or (name[0] in _n._SINGLES and 2 <= len(name) - 1 <= 8 and _ASCII_WORD(name[1:]))
    )
    if len(name) < 2 or not shaped:
        return False
    _, has_word = _n._tagger()
    return not has_word(name) or propagate_known(name)


#: Any typed placeholder of the masker ([电话], [姓名], ...).
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,4}\]")


def placeholder_groups(raw: str, masked: str) -> list[tuple[int, int, str]] | None:
    """Where each placeholder of ``masked`` stands in ``raw``: ``(start, end, placeholder)``
    per placeholder, in order, or None when ``masked`` is no placeholder mask of ``raw``.

    The literal parts of ``masked`` between placeholders are found in order in ``raw``;
    what lies between them is what each placeholder replaced.

    >>> placeholder_groups("村民陈云，电话0000-00000000", "村民[姓名]，电话[电话]")
    [(2, 4, '[姓名]'), (7, 20, '[电话]')]
    """
    parts = _PLACEHOLDER.split(masked)
    kinds = _PLACEHOLDER.findall(masked)
    # the first match of the pattern literal (.*?) literal ... (.*?) literal, without
    # compiling one pattern per text: each literal at its earliest place after the one
    # before (the lazy groups' choice; if that fails, every placement fails), the last
    # one at the end
    first, last = parts[0], parts[-1]
    if not kinds:
        return [] if raw == masked else None
    end = len(raw) - len(last)
    if end < len(first) or not raw.startswith(first) or not raw.endswith(last):
        return None
    groups, pos = [], len(first)
    for kind, part in zip(kinds[:-1], parts[1:-1], strict=True):
        at = raw.find(part, pos, end)
        if at < 0:
            return None
        groups.append((pos, at, kind))
        pos = at + len(part)
    groups.append((pos, end, kinds[-1]))
    return groups


def rewrite(raw: str, groups) -> str:
    """``raw`` with each ``(start, end, text)`` of ``groups`` (in order, not overlapping)
    replaced by its text."""
    out, last = [], 0
    for start, end, text in groups:
        out += [raw[last:start], text]
        last = end
    out.append(raw[last:])
    return "".join(out)


#: single characters of titles, forms of address and households after a name: 陈局, 孙所,
#: 彭副, 胡总, 刘男家
_ADDRESS_CHARS = frozenset("总局所副科处部队院校站长主书哥姐叔婶伯爷奶婆嫂妹弟姨舅老家户")


def given_name_end(raw: str, at: int) -> bool:
    """Whether ``raw[at]``, right after a masked surname and given character, may end the
    given name read there (刘光|曙, 杜宝|文): no function character (在, 说, 的), no
    title, role or form of address (胡|书记, 陈|局, 彭|副, 段|婆婆).

    >>> given_name_end("主任刘光曙介绍", 4), given_name_end("胡书记", 1)
    (True, False)
    """
    char = raw[at]
    if char in _n._FUNCTION_AFTER or char in _ADDRESS_CHARS:
        return False
    return not any(raw.startswith(word, at) for word in _n._PERSON_CONTEXT)


#: What follows a full name, never a two-character name and one more character: a form
#: of address (周力自|同志) or a household (林道树|家, 张秋国|户).
_AFTER_THIRD = ("同志", "先生", "女士", "家", "户")
#: Those of two characters: forms of address (a word the third character makes with
#: their first character is chance: 范风|可先|生).
_ADDRESS_WORDS = tuple(w for w in _AFTER_THIRD if len(w) > 1)

#: Characters that start an amount.
_NUMBER_START = frozenset("0123456789０１２３４５６７８９")


@cache
def _not_third() -> frozenset[str]:
    """Characters that never end a given name cut short, whatever the repetition: the
    particles and verbs of speech after a name, heads of units (王军|村, 李明|组),
    pronouns (夏庭|她们)."""
    return _STOP | frozenset(_n._VERB_AFTER) | frozenset(_n._HEAD_UNITS) | frozenset("他她它")


def widen_repeated(raw: str, masked: str, known=frozenset()) -> str:
    """``masked`` (a placeholder mask of ``raw``) with each two-character name widened by
    the character after it, when the name occurs two or more times in ``raw``, is masked
    at every place, and is followed by the same character each time: a character that
    may end a given name (:func:`given_name_end`, no particle, verb of speech or unit)
    and starts no dictionary word at one place at least (谢周自外出 has 自外, 谢周自户口
    has none). A two-character name is followed by different characters (王军说, 王军在,
    王军家); a three-character name cut short the same way keeps its third. A
    two-character mask is widened too where the three characters are masked whole
    elsewhere in the text, or are among ``known`` (names masked in the record's other
    texts), or, once, where the character is followed by a form of address or a
    household (周力|自同志, 林道|树家), starts no dictionary word with it (王军|回家,
    王军|外婆家) and passes the same tests.

    >>> widen_repeated("户主谢周自户口迁出，谢周自外出工作", "户主[姓名]自户口迁出，[姓名]自外出工作")
    '户主[姓名]户口迁出，[姓名]外出工作'
    >>> widen_repeated("王军自己说，王军自己也", "[姓名]自己说，[姓名]自己也")
    '[姓名]自己说，[姓名]自己也'
    >>> widen_repeated("认定刘健三应承担，后刘健三一方", "认定[姓名]应承担，后[姓名]三一方")
    '认定[姓名]应承担，后[姓名]一方'
    >>> widen_repeated("社区工作人员周力自同志赶到", "社区工作人员[姓名]自同志赶到")
    '社区工作人员[姓名]同志赶到'
    """
    if MECHANISMS["repeated_third"] is not True or _n._NAME not in masked:
        return masked
    groups = placeholder_groups(raw, masked)
    if groups is None:
        return masked
    by_name: dict[str, list[int]] = {}
    for i, (a, b, kind) in enumerate(groups):
        if kind == _n._NAME and b - a == 2:
            by_name.setdefault(raw[a:b], []).append(i)
    # the three characters masked whole elsewhere in the text (认定[姓名]应承担, 后[姓名]三一方)
    whole = {raw[a:b] for a, b, kind in groups if kind == _n._NAME and b - a == 3}
    whole.update(known)
    starts = {a for a, _, _ in groups}
    widen = {
        i
        for idx in by_name.values()
        for i in idx
        if groups[i][1] not in starts and raw[groups[i][0] : groups[i][1] + 1] in whole
    }
    # once, before a form of address or a household: 工作人员[姓名]自同志, 东路村[姓名]树家
    widen.update(
        i
        for idx in by_name.values()
        for i in idx
        if _address_after(raw, groups[i][1] + 1)
        and _third_char(
            raw,
            [groups[i][1]],
            starts,
            before_address=raw.startswith(_ADDRESS_WORDS, groups[i][1] + 1),
        )
    )
    # occurrences inside a longer masked name do not count (吴根福 ... 吴根|比 ... 吴根|比)
    longer = [(a, b) for a, b, kind in groups if kind == _n._NAME and b - a > 2]
    for name, idx in by_name.items():
        if len(idx) < 2 or _free_count(raw, name, longer) != len(idx):
            continue
        ends = [groups[i][1] for i in idx]
        thirds = {raw[e : e + 1] for e in ends}
        if len(thirds) != 1 or not _third_char(raw, ends, starts):
            continue
        widen.update(idx)
    if not widen:
        return masked
    return rewrite(
        raw, [(a, b + 1 if i in widen else b, kind) for i, (a, b, kind) in enumerate(groups)]
    )


def _free_count(raw: str, name: str, longer: list[tuple[int, int]]) -> int:
    """How often ``name`` occurs in ``raw`` outside the spans ``longer``.

    >>> _free_count("吴根福的弟弟吴根比", "吴根", [(0, 3)])
    1
    """
    count, at = 0, raw.find(name)
    while at >= 0:
        if not any(a <= at and at + len(name) <= b for a, b in longer):
            count += 1
        at = raw.find(name, at + 1)
    return count


def _address_after(raw: str, at: int) -> bool:
    """Whether ``raw[at:]`` starts with a form of address or a household word that starts
    no longer word (同志; 家 but not 家里, 户 but not 户口)."""
    for word in _AFTER_THIRD:
        if raw.startswith(word, at):
            return len(word) > 1 or not _n._tagger()[1](raw[at : at + 2])
    return False


def _third_char(
    raw: str, ends: list[int], starts: set[int], *, before_address: bool = False
) -> bool:
    """The character at each of ``ends`` (the same one) may end a given name at every
    place, is masked nowhere (no placeholder ``starts`` there), is followed by no number
    (a verb is: 龙静|占29％), and starts no dictionary word at one place at least (not
    asked ``before_address`` of two characters: the word it would start runs into the
    form of address, 法人范风|可先|生; before 家 it is asked: 王军|回家)."""
    char = raw[ends[0] : ends[0] + 1]
    if not char or not _n._is_cjk(char) or char in _not_third() or char in _NUMERAL:
        return False  # (a numeral counts what follows: 骆力|三户人家)
    if any(raw[e + 1 : e + 2] in _NUMBER_START for e in ends):
        return False
    if any(e in starts or not given_name_end(raw, e) for e in ends):
        return False
    if before_address:
        return True
    _, has_word = _n._tagger()
    return any(not has_word(raw[e : e + 2]) for e in ends)
