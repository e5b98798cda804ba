"""Context rules of the name step that read jieba's tokens or the masked text.

Split from :mod:`commlib.privacy._names` (module size): a three-character token tagged as
a name that the running rules refuse (费刚志 alone, 肖和均 in a list), a name joined by
和 to a person word (工作人员和夏婷), and a surname the title rule left standing before the
name it masked (游[姓名]总经理).
"""

from __future__ import annotations

import re
from functools import cache

from commlib.privacy import _names as _n

#: Given characters a three-character token tagged as a name may hold although the
#: running rules refuse them (和 is "and", 中 "in", but 肖和均 and 王方中 are names in a
#: list of names).
_RELAXED_GIVEN_OK = frozenset("和中")
#: Least name score of such a token standing alone between punctuation (费刚志 2.7).
_RELAXED_ALONE_SCORE = 1.0
#: Least name score of such a token to be taken beside another name (肖和均 -1.5).
_RELAXED_ENUM_SCORE = -2.0


def _relaxed_candidate(i: int, words: list[str], flags: list[str]) -> bool | None:
    """A three-character token jieba tags as a name that :func:`_split_name` refuses.

    ``True`` when it stands alone between punctuation (4.费刚志。) and the name model
    scores it well; ``False`` (taken only beside an accepted name: 肖和均，肖利红) when it
    scores fairly; ``None`` when it is no candidate at all.
    """
    word = words[i]
    if len(word) != 3 or flags[i] not in _n._NR_FLAGS or not _n._is_cjk(word):
        return None
    surname, given = word[0], word[1:]
    if surname not in _n._SINGLES or surname in "区路房街":
        return None
    after_role = _role_before(i, words)
    if any(c in _n._NOT_GIVEN and c not in _RELAXED_GIVEN_OK for c in given):
        # right after a role the tagger's whole token is a name even when its last
        # character starts words elsewhere (主任邓兆先召集: 先 as in 先生; 法人代表彭朝经，:
        # 经 as in 经理), unless that character ends places or is a particle
        if not (
            after_role and given[0] not in _n._NOT_GIVEN and given[1] not in _n._NOT_GIVEN_CORE
        ):
            return None
    if given[0] == "家" and given[1] in _n._PLACE_AFTER_JIA:
        return None  # 黎家冲, 廖家滩: a village
    _, has_word = _n._tagger()
    if has_word(word) or word in _n._COURTESY:
        return None
    from commlib.privacy._namemodel import name_score

    score = name_score(surname, given)
    if score < _RELAXED_ENUM_SCORE:
        return None
    if after_role:
        return True
    before = words[i - 1][-1:] if i > 0 else ""
    after = words[i + 1][:1] if i + 1 < len(words) else ""
    alone = not (before and _n._is_cjk(before)) and not (after and _n._is_cjk(after))
    return alone and score >= _RELAXED_ALONE_SCORE


def _role_before(i: int, words: list[str]) -> bool:
    """Token ``i`` right after a role, a title or a relation (one bracket or colon
    between them allowed): 主任|邓兆先, 户主：|代吉強, 施工人员|杜宝文. (Not after any
    noun ending like a person: 入户|费高达 is a fee.)"""
    j = i - 1
    if j > 0 and words[j] in _n._SKIP:
        j -= 1
    if j < 0:
        return False
    word = words[j]
    return word.endswith(_role_ends()) or word in _n._RELATIONS


@cache
def _role_ends() -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(_n._ROLE_TRIGGERS + _n._OFFICIAL_TITLES + _n._TITLES + ("代表", "人员"))
    )


def _person_word(word: str) -> bool:
    """A word naming a person's role: 工作人员, 网格员, 业主, 父亲."""
    return word in _n._PERSON_CONTEXT or word.endswith(_n._ROLE_TRIGGERS) or word.endswith("人员")


def _joined_to_person(i: int, words: list[str]) -> bool:
    """Token ``i`` joined by 和/与/及 to a person word (工作人员和夏婷都, 夏婷与业主), or
    followed by a sex in a person's record (黄尊富，男，1981年出生)."""
    n = len(words)
    if i >= 2 and words[i - 1] in _AND and _person_word(words[i - 2]):
        return True
    if i + 2 < n and words[i + 1] in _AND and _person_word(words[i + 2]):
        return True
    return (
        i + 3 < n
        and words[i + 1] in ("，", ",")
        and words[i + 2] in ("男", "女")
        and words[i + 3] in ("，", ",", "，", "；")
    )


#: Conjunctions that join two persons (工作人员和夏婷).
_AND = frozenset("和与及")


#: Least surname odds for a surname left standing before a masked given name and an
#: official title (游[姓名]总经理: 游 -2.8; 向 -3.1, 于 -3.2, 和 -4.4 stay).
_LEFT_SURNAME_ODDS = -3.0


@cache
def _left_surname_pattern() -> re.Pattern[str]:
    official = "|".join(sorted(_n._OFFICIAL_TITLES, key=len, reverse=True))
    singles = "".join(sorted(set(_n._SINGLES) - set("区路房街")))
    return re.compile(f"([{singles}])(?=\\[姓名\\]副?(?:{official}))")


def _left_surname_spans(text: str) -> list[tuple[int, int]]:
    """A surname the title rule left before the given name it masked: 游[姓名]总经理.

    The title rule reads 云鸣总经理 as surname 云 + 鸣 when 游 is a surname it does not
    start names with; the character before a masked name and a title is that name's
    surname when it starts names at all and makes no word with the character before it.
    """
    if _n._NAME not in text:
        return []
    from commlib.privacy._glued import _odds

    _, has_word = _n._tagger()
    spans = []
    for m in _left_surname_pattern().finditer(text):
        start = m.start(1)
        if _odds(m.group(1)) < _LEFT_SURNAME_ODDS or _n._counted(text, start):
            continue
        if start > 0 and has_word(text[start - 1 : start + 1]):
            continue
        spans.append((start, start + 1 + len(_n._NAME)))
    return spans


def _boss_spans(text: str) -> list[tuple[int, int]]:
    """A surname before 总 (boss) or 工 (engineer): 彭总答复, 李工说.

    Checked against the dictionary on every side: the surname and the title make no
    word (施工, 汇总), nor the title and what follows (总是, 总体, 工作), nor the
    character before and the surname (紧张|总, 加|工). After a number the "surname" is
    a measure word: 19,745张工单, 三张工单.
    """
    _, has_word = _n._tagger()
    doubles, singles = _n._surname_sets()
    spans = []
    for title in "总工":
        end = text.find(title, 1)
        while end != -1:
            start = end - 2 if text[max(0, end - 2) : end] in doubles else end - 1
            surname = text[start:end]
            if (
                (len(surname) == 2 or surname in singles)
                and surname not in _n._NOT_RUNNING_SURNAME
                and not has_word(surname + title)
                and not has_word(text[end : end + 2])
                and not has_word(text[end : end + 3])
                and not (start > 0 and has_word(text[start - 1 : end]))
                and not _n._counted(text, start)
            ):
                spans.append((start, end))
            end = text.find(title, end + 1)
    return spans


#: Title and role nouns that a full name can follow directly, with no punctuation after
#: it: the head of a unit (副局长张某某约谈, 中队长李某几年), a judge or an officer (法官,
#: 警官), a commander (副总指挥), a representative (法人代表, 推选代表), a developer or a
#: host (开发商, 主持人, 当家人) and a suspect (嫌疑人).
_BEFORE_TITLES = (
    "[组队村站所局科处校院厂社镇乡县市省班园馆事]长|秘书长|指挥长|总指挥|(?:法|警|检察)官|审判长|代表"
    "|主持人|当家人|嫌疑人"
    # a case's legal person and officers (法人苏纳, 承办人章酮)
    "|法人|[承经]办人"
    # a party secretary or committee member (书记谭斌德是, 党委委员黄龙颖同志), a police
    # officer (交警罗凯0170627, 干警吴易三在), staff (维护人员苏文文随后)
    "|书记|委员|[交干民辅刑特巡]警|人员"
)
#: Least name score of a three-character name after such a title (张明运 0.3, 欧兵阳 0.7)
#: and of a two-character one (李扛 -1.1, 李博 2.0).
_BEFORE_SCORE_3 = -1.0
_BEFORE_SCORE_2 = -1.5
#: Least given-name weight of the third character when it also starts a word with what
#: follows (艾杰文|同志: 文 1.7, against 王明|指着 -1.8, 李博|几年 -3.2, 张强|能不能 -1.6),
#: or when the first two characters are a dictionary word (黎明树 1.9, 盖章后).
_BEFORE_THIRD = 1.0
#: Least given-name weight of any third character (张明运: 运 -0.8; 张强|能不能 -1.6,
#: 胡洁|独揽 are verbs after a two-character name).
_BEFORE_THIRD_ANY = -1.0


def _listed(surname: str, given: str) -> bool:
    from commlib.privacy._structure import listed_person

    return listed_person(surname, given)


def _given_weight(char: str) -> float:
    from commlib.privacy._namemodel import tables

    t = tables()
    return t.given.get(char, t.floor)


@cache
def _before_pattern() -> re.Pattern[str]:
    doubles, singles = _n._surname_sets()
    plain = sorted(
        set(singles) - _n._NOT_RUNNING_SURNAME - set(_n._FUNCTION_AFTER) - set("于以自其")
    )
    surname = "(?:" + "|".join(sorted(doubles)) + "|[" + "".join(plain) + "])"
    # the surname is captured in a look-ahead so that overlapping titles are all seen
    return re.compile(f"(?:{_BEFORE_TITLES})(?=({surname})[\u4e00-\u9fa5])")


def _ends_name(text: str, end: int) -> bool:
    """Whether a name can end before ``end``: punctuation, a function character or a
    word follows (所长艾杰文|同志, although 文同 is a word too)."""
    after = text[end : end + 2]
    if not after or not _n._is_cjk(after[0]) or after[0] in _n._FUNCTION_AFTER:
        return True
    _, has_word = _n._tagger()
    return has_word(after)


def title_before_spans(text: str) -> list[tuple[int, int]]:
    """A full name right after a title or role noun, read on characters: 副局长张明运约谈.

    jieba often cuts such a name (张明|运约谈) or glues it to the next word, and no
    punctuation ends it. Three characters are taken when the third starts no word with
    the character after it (李博|几年 is two) and the name model scores them at least
    :data:`_BEFORE_SCORE_3`; two when the next characters are punctuation, a function
    character or a word, and the score is at least :data:`_BEFORE_SCORE_2`. Neither may
    be a dictionary word, start with one other than a name (局长高度重视, 校长陈述了), or
    make one with the title's last character (市长江).
    """
    matches = list(_before_pattern().finditer(text))
    if not matches:
        return []
    from commlib.privacy._namemodel import name_score
    from commlib.privacy._rules import _NOT_2ND

    tag, has_word = _n._tagger()
    spans = []
    for m in matches:
        start = m.start(1)
        surname = m.group(1)
        g = start + len(surname)
        if has_word(text[start - 1 : g]) or _n._counted(text, start):
            continue
        given2, given1 = text[g : g + 2], text[g : g + 1]
        if given1 in _NOT_2ND or given1 in _n._NOT_GIVEN:
            continue
        head = surname + given1
        head_word = has_word(head)
        if head_word and not tag(head)[0][1].startswith("nr"):
            continue
        three = surname + given2
        if (
            len(given2) == 2
            and _n._is_cjk(given2)
            and given2[1] not in _n._NOT_GIVEN
            and given2[1] not in _NOT_2ND
            # (a full name the dictionary lists as a person: 副省长陈浩文就此)
            and (not has_word(three) or _listed(surname, given2))
            and _given_weight(given2[1]) >= _BEFORE_THIRD_ANY
            and (
                not (head_word or has_word(text[g + 1 : g + 3]))
                or (_ends_name(text, g + 2) and _given_weight(given2[1]) >= _BEFORE_THIRD)
            )
            and name_score(surname, given2) >= _BEFORE_SCORE_3
        ):
            spans.append((start, g + 2))
            continue
        if (
            not head_word
            and _ends_name(text, g + 1)
            and name_score(surname, given1) >= _BEFORE_SCORE_2
        ):
            spans.append((start, g + 1))
    return spans


#: Least name score of a three-character name listed next to a masked name without
#: punctuation on its other side (我们徐希汉、[姓名]俩人: 2.5).
_LOOSE_ENUM_SCORE = 1.0
#: Given characters such a name never holds: particles, 某, place and building units
#: (the running rules' list also refuses 希, which 徐希汉 holds).
_LOOSE_NEVER_GIVEN = frozenset(
    "的了和与及或等某氏们个区市县省镇乡村街路组队栋号楼委局厅部处科院校所"
)
#: ... nor ends in an estate or place character (梅溪郡, 金茂府; and every character the
#: running rules refuse, 梅溪湖), nor is 家 + a place character (宁家坝).
_LOOSE_ESTATE_END = frozenset("城苑园府庭湾居邸阁轩墅廷汇坊里寓舍馆店行厦郡坝")


@cache
def _loose_enum_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    doubles, singles = _n._surname_sets()
    plain = sorted(set(singles) - _n._NOT_RUNNING_SURNAME - set(_n._FUNCTION_AFTER))
    name = "([" + "".join(plain) + "][\u4e00-\u9fa5]{2})"
    placeholder = re.escape(_n._NAME)
    return (
        re.compile(f"(?={name}[、，,]{placeholder})"),
        re.compile(f"{placeholder}[、，,]{name}"),
    )


def loose_enum_spans(text: str) -> list[tuple[int, int]]:
    """A three-character name listed next to a masked one, whatever stands on its other
    side: 我们徐希汉、[姓名]俩人 / 关于[姓名]、徐希汉两同志.

    The list rules of :mod:`commlib.privacy._names` want punctuation on both sides; here
    the candidate must be no dictionary word, start with none other than a name, make
    none with the character before it, hold no place or function character, and score at
    least :data:`_LOOSE_ENUM_SCORE`.
    """
    if _n._NAME not in text:
        return []
    from commlib.privacy._namemodel import name_score

    tag, has_word = _n._tagger()
    spans = []
    for pattern in _loose_enum_patterns():
        for m in pattern.finditer(text):
            start, end = m.span(1)
            name = m.group(1)
            if (
                name[1] in _LOOSE_NEVER_GIVEN
                or name[2] in _LOOSE_ESTATE_END
                or name[2] in _n._NOT_GIVEN
                or has_word(name)
            ):
                continue
            if name[1] == "家" and name[2] in _n._PLACE_AFTER_JIA:
                continue
            if has_word(text[end - 1 : end + 1]):
                continue
            if has_word(name[:2]) and not tag(name[:2])[0][1].startswith("nr"):
                continue
            if start > 0 and has_word(text[start - 1 : start + 1]):
                continue
            if name_score(name[0], name[1:]) >= _LOOSE_ENUM_SCORE:
                spans.append((start, end))
    return spans


#: Given characters a name before 同志 may hold although the running rules refuse them
#: (一 is a numeral elsewhere; before 同志 it is a given name: 姚一同志).
_COMRADE_GIVEN_OK = frozenset("一")


def _comrade_name(candidate: str, text: str, end: int) -> bool:
    tag, has_word = _n._tagger()
    if candidate[0] not in _n._MODEL_SURNAMES or not _n._is_cjk(candidate):
        return False
    if any(c in _n._NOT_GIVEN and c not in _COMRADE_GIVEN_OK for c in candidate[1:]):
        return False
    # 女同志, 老同志: the last character makes a word with 同志
    if has_word(text[end - 1 : end + 2]):
        return False
    return _n._is_fresh_name(candidate) or (
        has_word(candidate) and tag(candidate)[0][1].startswith("nr")
    )


def comrade_spans(text: str) -> list[tuple[int, int]]:
    """A full name right before 同志 (comrade), read on characters: 党委委员邹龙颖同志,
    对于姚一同志处理的, 。姚一同志在 -- how official replies name their staff.

    Three characters are taken when the first is a surname that is no function
    character (对于|姚一: 于 is a preposition here), else two. Neither may be a dictionary
    word other than a name (全体同志, 广大同志), start with one (女同志 is a word), hold a
    title (王主任同志) or a character that ends places and units.
    """
    spans = []
    end = text.find("同志")
    while end >= 2:
        three, two = text[end - 3 : end], text[end - 2 : end]
        if (
            len(three) == 3
            and three[0] not in _n._FUNCTION_AFTER
            and _comrade_name(three, text, end)
        ):
            spans.append((end - 3, end))
        elif _comrade_name(two, text, end):
            spans.append((end - 2, end))
        end = text.find("同志", end + 2)
    return spans
