"""Name rules that read characters, not jieba's tokens (issue 12, fifth round).

jieba's segmentation decides most of what ``_names`` sees, and on real messages it cuts
names in ways no token rule recovers (TipDM ``messages_with_replies.xlsx``, held-out sets
3 and 4):

- a surname read as a one-character word before an official title: 方|市长 (方 also
  means "side", so the regular-expression title rules leave it out);
- a name glued to a function character: 王巳|和|与, 张建|在|在, 胡林|已|的, 王强|小|签收.

:func:`title_char_spans` matches surname + title on the raw characters and checks every
boundary against the dictionary instead (地方|市长, 全市|长期, 高校|长). :func:`glued_spans`
takes a two-character name token plus the function character after it when what follows
cannot follow that character (在在, 和与, 已的, 小 + verb).
"""

from __future__ import annotations

import math
import re
from functools import cache

from commlib.privacy._rules import _surnames

#: Titles of an office that follow a surname (longest first: 总经理 before 经理).
_CHAR_TITLES = (
    "董事长",
    "总经理",
    "书记",
    "市长",
    "县长",
    "镇长",
    "乡长",
    "村长",
    "省长",
    "局长",
    "厅长",
    "处长",
    "科长",
    "部长",
    "所长",
    "院长",
    "校长",
    "队长",
    "站长",
    "主任",
    "主席",
    "经理",
    "警官",
    "教授",
)
#: A surname starts a name in running text at least this often (log-odds of
#: ``_namemodel.tables().surname``): 王, 方 (0.15), 高 (0.23) pass; 向 "towards",
#: 和 "and", 全 "whole", 于 "at" (0.04 or less) do not.
MIN_SURNAME_ODDS = math.log(0.1)
#: Characters before which a name's last character cannot be a function character
#: glued to it: 张建在在, 王巳和与, 胡林已的 (a doubled preposition or particle).
_GLUE = "在和与已的等向给对把被从"
#: Prepositions, conjunctions and particles that cannot follow one of :data:`_GLUE`
#: (pronouns, adverbs and nouns can: 王强和我, 王强已不在, 张建在家).
_CANNOT_FOLLOW = frozenset("在和与及的了于对把被从向给")


@cache
def _title_pattern() -> re.Pattern[str]:
    return re.compile("副?(?:" + "|".join(_CHAR_TITLES) + ")")


@cache
def _surname_tables() -> tuple[frozenset[str], frozenset[str]]:
    doubles, singles = _surnames()
    return frozenset(doubles), frozenset(singles)


def _odds(surname: str) -> float:
    from commlib.privacy._namemodel import tables

    return tables().surname.get(surname, -20.0)


def title_char_spans(text: str) -> list[tuple[int, int]]:
    """Surnames before an official title, read on characters: 尊敬的方市长 -> 方.

    A surname is taken when it starts names often enough (:data:`MIN_SURNAME_ODDS`) and
    no dictionary word crosses its boundaries: not with the characters before it (地方,
    对方, 办公楼), not with the title's first character (高校, 全市) nor the whole title
    (班主任), and a title ending in 长 makes no word with what follows (市长|期 is
    全市|长期). After a number the surname is a measure word (3张).
    """
    from commlib.privacy._names import _counted, _tagger

    _, has_word = _tagger()
    doubles, singles = _surname_tables()
    spans = []
    for m in _title_pattern().finditer(text):
        end = m.start()
        title = m.group()
        if end == 0:
            continue
        if text[max(0, end - 2) : end] in doubles:
            start = end - 2
        elif text[end - 1] in singles:
            start = end - 1
        else:
            continue
        surname = text[start:end]
        if _odds(surname) < MIN_SURNAME_ODDS or _counted(text, start):
            continue
        if has_word(surname + title[0]) or has_word(surname + title):
            continue
        if start > 0 and (
            has_word(text[start - 1 : end]) or start > 1 and has_word(text[start - 2 : end])
        ):
            continue
        after = text[m.end() : m.end() + 1]
        if title.endswith("长") and after and has_word("长" + after):
            continue
        spans.append((start, end))
    return spans


def _glued(text: str, start: int, surnames: frozenset[str]) -> bool:
    """Whether the two-character name at ``start`` runs on into a glued character."""
    from commlib.privacy._namemodel import name_score
    from commlib.privacy._names import _NOT_GIVEN, _tagger

    word, glue, follow = text[start : start + 2], text[start + 2 : start + 3], text[start + 3 :]
    if len(word) != 2 or word[0] not in surnames or word[1] in _NOT_GIVEN or not follow:
        return False
    if glue in _GLUE:
        if follow[0] not in _CANNOT_FOLLOW:
            return False
    elif glue == "小":
        tag, has_word = _tagger()
        verb = follow[:2]
        if not (len(verb) == 2 and has_word(verb) and tag(verb)[0][1].startswith("v")):
            return False
    else:
        return False
    return _odds(word[0]) >= MIN_SURNAME_ODDS and name_score(word[0], word[1]) >= 0


def extend_glued(text: str, spans, surnames: frozenset[str]) -> list[tuple[int, int]]:
    """``spans`` with each two-character name that runs on into a glued character
    extended by that character (张建 -> 张建在 in 张建在在居民区)."""
    return [(a, b + 1) if b - a == 2 and _glued(text, a, surnames) else (a, b) for a, b in spans]


def glued_spans(
    text: str, words: list[str], flags: list[str], starts: list[int], *, surnames: frozenset[str]
) -> list[tuple[int, int]]:
    """A two-character name token and the function character jieba cut from it.

    ``XY | c | w`` with ``c`` one of :data:`_GLUE` (or 小) is read as the name ``XYc``
    when ``w`` cannot follow ``c``: a preposition, conjunction or particle after a
    preposition (张建|在|在居民区, 王巳|和|与, 胡林|已|的), a verb after 小 (王强|小|签收).
    The two-character token must look like a name: a surname that starts names often
    (:data:`MIN_SURNAME_ODDS`), tagged ``nr`` or no dictionary word, a given-name
    character scored by the character model at least 0.
    """
    from commlib.privacy._names import _tagger

    _, has_word = _tagger()
    spans = []
    for i in range(len(words) - 2):
        word = words[i]
        if len(word) != 2 or word[0] not in surnames or len(words[i + 1]) != 1:
            continue
        if not (flags[i].startswith("nr") or not has_word(word)):
            continue
        if _glued(text, starts[i], surnames):
            spans.append((starts[i], starts[i] + 3))
    return spans


#: Self-introductions: the writer's own name follows, ended by punctuation.
_SELF = ("本人姓名", "本人叫", "本人", "我叫", "名叫")
#: A word that is this frequent in jieba's dictionary is an ordinary word, not the
#: writer's name, even after 本人 (本人湖南，is "I, Hunan ..."; 奉丹 is unknown).
_SELF_MAX_FREQ = 50


@cache
def _self_pattern() -> re.Pattern[str]:
    doubles, singles = _surname_tables()
    surname = "(?:" + "|".join(sorted(doubles)) + "|[" + "".join(sorted(singles)) + "])"
    return re.compile(
        f"(?:{'|'.join(_SELF)})[：:]?({surname}[\u4e00-\u9fa5]{{1,2}})(?=[，,。；;（(、 　]|$)"
    )


def self_named_spans(text: str) -> list[tuple[int, int]]:
    """The writer's own name after 本人/我叫, with any surname: 本人奉丹，于2017年.

    The regular-expression rules leave out surnames that are everyday words (奉, 和,
    向); here the candidate is a noun to jieba (``n*``: 奉丹 is tagged a place) that the
    dictionary knows at most :data:`_SELF_MAX_FREQ` times (本人湖南，stays).
    """
    if "本人" not in text and "叫" not in text:
        return []
    from commlib.privacy._namemodel import tables
    from commlib.privacy._names import _NOT_GIVEN, _tagger

    tag, _ = _tagger()
    words = tables().words
    spans = []
    for m in _self_pattern().finditer(text):
        name = m.group(1)
        if any(c in _NOT_GIVEN for c in name[1:]) or words.get(name, 0) > _SELF_MAX_FREQ:
            continue
        tokens = tag(name)
        if len(tokens) == 1 and tokens[0][1].startswith("n"):
            spans.append(m.span(1))
    return spans
