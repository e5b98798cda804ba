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
    "教练",
    # elders named by surname and kinship: 段婆婆, 李奶奶 (我婆婆 has no surname)
    "婆婆",
    "奶奶",
    "爷爷",
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
    # one flat alternation (副市长|...|市长): several times faster to scan than 副?(?:...)
    return re.compile("|".join([*("副" + t for t in _CHAR_TITLES), *_CHAR_TITLES]))


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
        if title == "教练" and after in ("车", "场"):
            continue  # 查教练车: 教练车 is a word
        # a place unit then 长 and a place: 均楚镇长午新村 is the town 均楚镇 + 长午新村
        if title[0] in _PLACE_UNITS and _PLACE_AFTER.match(text, m.end()):
            continue
        spans.append((start, end))
    return spans


#: First characters of titles that are also place units (镇长, 村长, 市长 ...).
_PLACE_UNITS = frozenset("镇乡村县市区省")
#: A place name right after a title: up to three characters and a place unit.
_PLACE_AFTER = re.compile("[\u4e00-\u9fa5]{0,3}[村镇乡路街组]")
#: Official titles a given name alone stands before (懿文书记, 忠雄市长).
_GIVEN_TITLES = ("书记", "市长", "省长", "县长", "区长", "州长", "镇长", "厅长", "局长")
#: Least summed given-name log-ratio of the two characters (懿文 5.0, 衡花 2.4; 平台
#: 0.7, 村支 -0.1, 副市 -5.1).
MIN_GIVEN_SCORE = 2.0


@cache
def _given_title_pattern() -> re.Pattern[str]:
    return re.compile("|".join([*("副" + t for t in _GIVEN_TITLES), *_GIVEN_TITLES]))


#: Punctuation before a given name used alone, and the words of address or request.
_GIVEN_BEFORE_CHARS = frozenset('，、。；：！？,;:!? \t\n（(“"')
_GIVEN_BEFORE_WORDS = ("尊敬的", "敬爱的", "亲爱的", "麻烦", "恳请", "请", "致")


def given_title_spans(text: str) -> list[tuple[int, int]]:
    """A leader's given name alone before an official title: ，懿文书记督促 -> 懿文.

    Officials are often addressed by their given name (衡花书记, 忠雄市长). Taken when
    the two characters stand after punctuation or a salutation, are no dictionary word
    (党委, 平台, 区委) unless jieba tags them a name or, right after 尊敬的/敬爱的/亲爱的,
    a noun or an adjective (尊敬的超群书记), hold no character that ends a place or
    an organisation, and read as given-name characters in jieba's name list
    (:data:`MIN_GIVEN_SCORE`).
    """
    matches = list(_given_title_pattern().finditer(text))
    if not matches:
        return []
    from commlib.privacy._namemodel import tables
    from commlib.privacy._names import _COURTESY, _NOT_GIVEN, _tagger

    tag, has_word = _tagger()
    t = tables()
    spans = []
    for m in matches:
        start = m.start() - 2
        if start < 0:
            continue
        before = text[start - 1] if start > 0 else ""
        if start > 0 and before not in _GIVEN_BEFORE_CHARS:
            if not text[:start].endswith(_GIVEN_BEFORE_WORDS):
                continue
        given = text[start : m.start()]
        if not all("\u4e00" <= c <= "\u9fa5" for c in given):
            continue
        if any(c in _NOT_GIVEN for c in given):
            continue
        # right after a salutation the two characters are the given name addressed when
        # their characters are more often in given names than not (尊敬的炼红书记 0.5;
        # 尊敬的领导书记, 新任书记 are not: -3.3, -0.6); elsewhere they must lean to names
        # clearly (MIN_GIVEN_SCORE)
        saluted = text[:start].endswith(_SALUTATIONS)
        least = 0.0 if saluted else MIN_GIVEN_SCORE
        if has_word(given) and (given in _COURTESY or not tag(given)[0][1].startswith("nr")):
            # a dictionary word only after a salutation, and a noun or an adjective there
            # (尊敬的超群书记; 市委 holds a unit character)
            if not (saluted and given not in _COURTESY and tag(given)[0][1] in ("n", "a")):
                continue
            # ... unless it makes a word with the title (公安|局长: 公安局, 市委书记)
            if has_word(given + m.group()[:1]) or has_word(given + m.group()):
                continue
        if sum(t.given.get(c, t.floor) for c in given) < least:
            continue
        spans.append((start, m.start()))
    return spans


#: Least :func:`~commlib.privacy._namemodel.name_score` of a three-character name read on
#: characters before a title (彭中建主任 -1.3, 胡华衡 3.7; 张中学 -3.8, 党支部 -8.6).
MIN_FULL_TITLE_SCORE = -2.0
#: Characters that cannot end a given name before a title (党委|书记, 文化站|站长).
_NOT_LAST_GIVEN = frozenset("委局厅部处科院校所队会办站心区市县省镇乡村街社司行店厂总副党支务")


def _listed_name(text: str, start: int, end: int, tag, has_word) -> bool:
    """A three-character name the dictionary lists as a person before a title (a public
    figure: 习近平总书记); the character before it makes no word with its surname, and it
    does not end like a unit (jieba tags 养老院 a name: 养老院院长)."""
    word = text[start:end]
    if word[-1] in _NOT_LAST_GIVEN or not has_word(word):
        return False
    if start > 0 and has_word(text[start - 1 : start + 1]):
        return False
    tokens = tag(word)
    return len(tokens) == 1 and tokens[0][1] in ("nr", "nrfg")


def full_title_spans(text: str) -> list[tuple[int, int]]:
    """A full name jieba cut apart, read on characters before a title: 彭|中建|主任 -> 彭中建.

    A name the dictionary lists as a person is taken as it is (习近平总书记). Others are
    taken when the surname starts names often enough, the three characters are no
    dictionary word and make none with the character before them, and the name model
    scores them as a name (:data:`MIN_FULL_TITLE_SCORE`).
    """
    matches = list(_title_pattern().finditer(text))
    if not matches:
        return []
    from commlib.privacy._namemodel import name_score
    from commlib.privacy._names import _counted, _tagger
    from commlib.privacy._rules import _NOT_2ND

    _, has_word = _tagger()
    _, singles = _surname_tables()
    spans = []
    tag, _ = _tagger()
    for m in matches:
        end = m.start()
        if end > 0 and text[end - 1] == "总":
            end -= 1  # 总书记
        start = end - 3
        if start >= 0 and _listed_name(text, start, end, tag, has_word):
            spans.append((start, end))
            continue
        if start < 0 or text[start] not in singles:
            continue
        surname, given = text[start], text[start + 1 : end]
        if not all("\u4e00" <= c <= "\u9fa5" for c in given):
            continue
        if given[0] in _NOT_2ND or given[1] in _NOT_2ND or given[1] in _NOT_LAST_GIVEN:
            continue
        if _odds(surname) < MIN_SURNAME_ODDS or _counted(text, start):
            continue
        if has_word(text[start:end]) or has_word(text[start : start + 2]):
            continue
        if start > 0 and has_word(text[start - 1 : start + 1]):
            continue
        # the title makes a word with the name's end or with what follows: 金福|超市|长期
        title = m.group()
        if has_word(given[1] + title[0]) or has_word(text[end - 1 : end + 2]):
            continue
        after = text[m.end() : m.end() + 1]
        if title.endswith("长") and after and has_word("长" + after):
            continue
        if name_score(surname, given) < MIN_FULL_TITLE_SCORE:
            continue
        spans.append((start, end))
    return spans


@cache
def _xing_pattern() -> re.Pattern[str]:
    doubles, singles = _surnames()
    surname = "(?:" + "|".join(doubles) + "|[" + singles + "])"
    counted = f"(?<=[位名个])({surname})姓(?![名氏])"
    # or a surname + 姓 (+ 的) before a person noun: 对接的黄姓的销售员, 当日黄姓销售员说
    # (not 同姓, 贵姓, 百家姓, 改姓: words, not a surname)
    # (a measure word before 姓 is no surname: 一位姓李的师傅)
    plain = "[" + "".join(sorted(set(singles) - set(_NOT_XING) - set("位名个"))) + "]"
    # (several listed before one role: 社区的张姓、宋姓领导)
    listed = f"(?:[、和及与]{plain}姓)*"
    role = (
        f"(?<![百家])({plain})姓(?={listed}的?[\u4e00-\u9fa5]{{0,4}}?[{_XING_ROLE_END}]"
        "(?![\u4e00-\u9fa5]姓))"
    )
    # or 姓 + a surname that ends there: 老板姓贺，自称; 一位姓李的师傅; 他姓王先生 (not
    # 百姓, 贵姓, 同姓: 姓 is part of a word there)
    after = (
        f"(?<![{_XING_WORD_BEFORE}])姓({surname})(?=[{_XING_STOP}]|的|$|{'|'.join(_XING_TITLES)})"
    )
    return re.compile(f"{counted}|{role}|{after}")


#: Characters before 姓 that make a word with it (贵姓, 百姓, 大姓, 改姓): no surname after
#: it either (unlike :data:`_NOT_XING`, 他 and 一 may stand before 姓王: 他姓王).
_XING_WORD_BEFORE = "同异贵复改大小百双单冒随"
#: What may end a surname written after 姓: punctuation (老板姓贺，).
_XING_STOP = "，,。；;、）)！!？?\\s"
#: Courtesy titles after 姓 + surname (姓王先生).
_XING_TITLES = ("先生", "女士", "小姐", "师傅", "老师", "经理", "主任", "阿姨")


#: Characters before 姓 that make a word with it, not a surname (同姓, 贵姓, 改姓).
_NOT_XING = "同异贵复改大小百双单本原旧新冒随一他她无有"
#: Last characters of a person noun after a surname + 姓: 销售员, 医师, 店长, 交警, 男子,
#: 领导; of a household or a resident: 家庭, 人家, 住户, 村民; 负责人 (吴姓施工负责人).
_XING_ROLE_END = "员师长警官子板士生主导庭家户民人"


def surname_xing_spans(text: str) -> list[tuple[int, int]]:
    """A surname + 姓 after a counted person: 一位巫姓工作人员, 另一位邓姓教练 -> 巫, 邓;
    or before a person noun: 对接的黄姓的销售员, 张姓男子 -> 黄, 张.

    (姓名 and 姓氏 are the words "name" and "surname", not a surname.)
    """
    if "姓" not in text:
        return []
    spans = [m.span(m.lastindex) for m in _xing_pattern().finditer(text)]
    if spans and _XING_IDIOM.search(text):
        # 姓公还是姓钱, 姓资姓社: "public or private", not surnames
        spans = [(a, b) for a, b in spans if not _XING_IDIOM.search(text, max(0, a - 8), b + 8)]
    return spans


#: 姓公/姓私/姓资/姓社: the idiom "belongs to the public or the private" (姓公还是姓钱).
_XING_IDIOM = re.compile("姓[公私资社]")


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
#: Triggers that name the writer outright (本人 alone can also start a sentence: 本人湖南).
_SELF_STRONG = frozenset(["本人姓名", "本人叫", "我叫", "名叫"])
#: Given characters never taken even then: particles, 某 (a pseudonym) and place units.
_SELF_NEVER_GIVEN = frozenset("的了和与及或等某氏们个区市县省镇乡村街路")
#: Least name score of such a three-character name (张萍湖 4.3, 朱裕本 2.3).
_SELF_STRONG_SCORE = 1.0


@cache
def _self_pattern() -> re.Pattern[str]:
    doubles, singles = _surname_tables()
    surname = "(?:" + "|".join(sorted(doubles)) + "|[" + "".join(sorted(singles)) + "])"
    return re.compile(
        f"({'|'.join(_SELF)})[：:]?({surname}[\u4e00-\u9fa5]{{1,2}})(?=[，,。；;（(、 　]|$)"
    )


def self_named_spans(text: str) -> list[tuple[int, int]]:
    """The writer's own name after 本人/我叫, with any surname: 本人奉丹，于2017年.

    The regular-expression rules leave out surnames that are everyday words (奉, 和,
    向); here the candidate is a noun to jieba (``n*``: 奉丹 is tagged a place) that the
    dictionary knows at most :data:`_SELF_MAX_FREQ` times (本人湖南，stays).
    """
    if "本人" not in text and "叫" not in text:
        return []
    from commlib.privacy._namemodel import name_score, tables
    from commlib.privacy._names import _NOT_GIVEN, _tagger

    tag, _ = _tagger()
    words = tables().words
    spans = []
    for m in _self_pattern().finditer(text):
        name = m.group(2)
        if words.get(name, 0) > _SELF_MAX_FREQ:
            continue
        if any(c in _NOT_GIVEN for c in name[1:]):
            # 我叫/名叫 name the writer outright: a name ending in a character that
            # usually ends a place (张萍湖, 朱裕本) is still a name when the model says so
            if (
                m.group(1) in _SELF_STRONG
                and len(name) == 3
                and not any(c in _SELF_NEVER_GIVEN for c in name[1:])
                and name[:2] not in words
                and name_score(name[0], name[1:]) >= _SELF_STRONG_SCORE
            ):
                spans.append(m.span(2))
            continue
        tokens = tag(name)
        if len(tokens) == 1 and tokens[0][1].startswith("n"):
            spans.append(m.span(2))
    return spans


#: Characters never taken in a given name before a stated sex: those of a
#: self-introduction, 性 and 组, but 和 may stand inside the name (喻和平; not at its end).
_SEXED_NEVER_GIVEN = (_SELF_NEVER_GIVEN - {"和"}) | frozenset("性组")


@cache
def _sexed_pattern() -> re.Pattern[str]:
    doubles, singles = _surname_tables()
    surname = "(?:" + "|".join(sorted(doubles)) + "|[" + "".join(sorted(singles)) + "])"
    return re.compile(
        # at the start of a clause or after a self-introduction (我是何珣，男，)
        "(?:(?<![\u4e00-\u9fa5])|(?<=我是)|(?<=我叫)|(?<=本人)|(?<=名叫))"
        f"({surname}[\u4e00-\u9fa5]{{1,2}})"
        # then the person's sex as in a form: ，男， / （女） / ，男性，/ ，女，1967年
        "(?=[，,、 　]?[（(]?[男女]性?(?:[，,、；;。）) 　]|[0-9０-９]|$))"
    )


def sexed_name_spans(text: str) -> list[tuple[int, int]]:
    """A name followed by the person's sex, as written in forms and letters:
    我是何珣，男，现年32岁 / ×××0309.封群雄，男，西地省.

    The name stands at the start of a clause or after 我是/我叫/本人/名叫; it is no
    dictionary word unless the dictionary lists it as a person (车主，男 / 师傅，男 /
    申请人，男 stay: jieba tags 师傅 a name too), and its given characters are no
    particle, pseudonym or place unit.
    """
    if "男" not in text and "女" not in text:
        return []
    from commlib.privacy._names import _listable

    spans = []
    for m in _sexed_pattern().finditer(text):
        name = m.group(1)
        if any(c in _SEXED_NEVER_GIVEN for c in name[1:]) or name[-1] == "和":
            continue
        if _listable(name):
            spans.append(m.span(1))
    return spans


_PINYIN_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_PINYIN_FINAL = (
    "(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    "|ua|uo|ue|ui|er|a|o|e|i|u|v)"
)
#: Characters before a surname + pinyin that say person: 控制人, 网格员, 公民, 化名, 书记.
_PINYIN_ROLE_END = "人员民名长记任"
#: Characters after it that say person: 他们, 以及, 一直, 是.
_PINYIN_NEXT = "他以一是"
#: Punctuation that ends a sentence or a bracket after it (not a list's 、 or ，).
_PINYIN_STOP = "。！？!?）)"


@cache
def _pinyin_pattern() -> re.Pattern[str]:
    from commlib.privacy._rules import _AMBIGUOUS_SURNAMES

    _, singles = _surnames()
    ok = "".join(c for c in singles if c not in _AMBIGUOUS_SURNAMES and c not in "区路房街")
    syllable = _PINYIN_INITIAL + _PINYIN_FINAL
    return re.compile(f"(?<![A-Za-z])[{ok}于](?:{syllable}){{1,2}}(?![A-Za-z0-9])")


def pinyin_name_spans(text: str) -> list[tuple[int, int]]:
    """A surname and a given name typed in pinyin: 控制人于xiang跑路, 管邢ze他们.

    Taken after a person word (控制人, 公民, 化名, 书记), or before the end of a sentence
    or a person word (他们, 以及, 一直); after a place unit it is a place (B市方cun), in a
    list it may be one (靖港、乔dun、); once
    taken, every other occurrence in the text is taken too (替邢ze背锅).
    """
    if re.search("[a-z]{2}", text) is None:
        return []
    found = set()
    matches = list(_pinyin_pattern().finditer(text))
    for m in matches:
        start, end = m.span()
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if before in "市县区镇省乡村":
            continue
        if len(m.group()) < 3:
            continue  # 楚a: a plate's letter, not a given name
        if before in _PINYIN_ROLE_END or after in _PINYIN_NEXT or after in _PINYIN_STOP:
            found.add(m.group())
    return [m.span() for m in matches if m.group() in found]


#: Openings of a letter's salutation: the character between them and a title is a
#: surname whatever it is (尊敬的钦书记：您好).
_SALUTATIONS = ("尊敬的", "敬爱的", "亲爱的")
#: Characters before a title that are no surname there: a count or a pronoun (尊敬的各位
#: 领导), a rank (副局长, 老书记), a unit (村书记, 县长).
_SALUTATION_NOT_SURNAME = "各全诸众两几某贵我你您他她本该此这那大小正常前原老新副总"


@cache
def _salutation_pattern() -> re.Pattern[str]:
    from commlib.privacy._rules import _OFFICIAL_TITLES, _ORG_CHARS, _TITLES

    titles = "|".join(sorted(set(_OFFICIAL_TITLES + _TITLES), key=len, reverse=True))
    never = re.escape("".join(sorted(set(_SALUTATION_NOT_SURNAME + _ORG_CHARS))))
    return re.compile(
        f"(?:{'|'.join(_SALUTATIONS)})([^\\x00-\u4dff\u9fa6-\U0010ffff{never}])"
        f"(?=(?:{titles})(?:[：:，,！!、。\\s]|您好|你好|$))"
    )


def salutation_title_spans(text: str) -> list[tuple[int, int]]:
    """The surname of a salutation: 尊敬的钦书记：您好 -> 钦 (any character: the surname
    list leaves out rare ones), not 尊敬的各位领导 or 尊敬的村书记.

    >>> salutation_title_spans("尊敬的钦书记：您好！"), salutation_title_spans("尊敬的村书记：")
    ([(3, 4)], [])
    """
    if "的" not in text:
        return []
    return [m.span(1) for m in _salutation_pattern().finditer(text)]


#: "a person named X": 名为晓玲的导游, 叫蒋黔楚的所长 (the name comes before 的 and a noun
#: that ends like a person: 导游, 所长, 男子, 师傅).
_NAMED_PERSON_END = "人员手友亲民户哥姐弟妹爷奶婆叔姨舅嫂妻夫爸妈匠师长警官子板士生主游"


@cache
def _named_pattern() -> re.Pattern[str]:
    return re.compile(
        "(?:名为|名叫|叫做|叫)([\u4e00-\u9fa5]{2,3})的"
        f"(?=[\u4e00-\u9fa5]{{0,3}}[{_NAMED_PERSON_END}](?![\u4e00-\u9fa5]))"
    )


#: A name given to a person, standing alone after the verb (女儿出生时起名解雅蕾，).
_GIVEN_NAME_RE = re.compile(
    "(?:起名|取名|起名为|取名为|改名为|更名为)([\u4e00-\u9fa5]{2,3})(?=[，,。；;、）)！!？?]|$)"
)


def given_name_spans(text: str) -> list[tuple[int, int]]:
    """The name a person was given or changed to, ending the clause: 女儿出生时起名解雅蕾，
    -> 解雅蕾; 他改名为李建国。 -> 李建国. Taken when it is shaped like a full name (a
    surname and one or two given characters) and is no dictionary word other than a
    name, so 公司更名为中天置业。 stays.

    >>> given_name_spans("女儿出生时起名解雅蕾，后来"), given_name_spans("公司更名为长房集团。")
    ([(7, 10)], [])
    """
    if "名" not in text:
        return []
    from commlib.privacy._names import _is_fresh_name, _split_name

    # every surname, also those that are everyday characters in running text (解, 和):
    # the verb before says a name follows
    return [
        m.span(1)
        for m in _GIVEN_NAME_RE.finditer(text)
        if _split_name(m.group(1), every_surname=True) is not None and _is_fresh_name(m.group(1))
    ]


def named_person_spans(text: str) -> list[tuple[int, int]]:
    """The name in "a person named X": 名为晓玲的导游, 叫蒋黔楚的所长 -> 晓玲, 蒋黔楚.

    Taken when the tagger reads the candidate as one name token (晓玲 ``nr``), so that
    叫外卖的人 and 名为保护的措施 stay.

    >>> named_person_spans("一个名为晓玲的导游"), named_person_spans("叫外卖的人")
    ([(4, 6)], [])
    """
    if "叫" not in text and "名为" not in text:
        return []
    from commlib.privacy._names import _NR_FLAGS, _tagger

    tag, _ = _tagger()
    spans = []
    for m in _named_pattern().finditer(text):
        tokens = tag(m.group(1))
        if len(tokens) == 1 and tokens[0][1] in _NR_FLAGS:
            spans.append(m.span(1))
    return spans


#: English ranks and offices written before a surname in 311 closure notes (Officer
#: Fabiano, Inspector Mark Lawson, Sgt. Egan). Mr/Mrs/Ms/Dr are the regular rules'.
_EN_TITLES = (
    "Officer",
    "Inspector",
    "Sergeant",
    "Sgt",
    "Lieutenant",
    "Lt",
    "Captain",
    "Capt",
    "Detective",
    "Det",
    "Trooper",
    "Deputy",
    "Ranger",
    "Councilor",
    "Councillor",
    "Commissioner",
    "Supervisor",
)
#: Capitalised words that follow such a title but name no one (Officer Responded to the
#: location, Inspector On site): sentence words of closure notes.
_EN_NOT_NAME = frozenset(
    "A An And At By For From In Is It Of On Or The To Was Were Will Has Had Have Did Does "
    "Responded Arrived Visited Called Spoke Said Stated Found Reported Noted Advised "
    "Checked Observed Inspected Issued Removed Transported Went Came Left Took Gave "
    "Contacted Notified Informed Requested Attempted Confirmed Determined Completed Please "
    "Unable Able Not No Yes Case Closed Resolved Invalid Duplicate "
    # offices and units (Deputy Administrator, Inspector General, Officer Services)
    "Administrator Director Manager Chief Engineer Superintendent General Assistant "
    "Department Division Services Service Office Unit Team Staff Crew Police Fire City".split()
) | frozenset(_EN_TITLES)


#: Both English rules need a capital letter (most Chinese texts have none: skip them).
_CAPITAL = re.compile("[A-Z]")


@cache
def _en_title_pattern() -> re.Pattern[str]:
    titles = "|".join(sorted(_EN_TITLES, key=len, reverse=True))
    return re.compile(
        f"(?<![A-Za-z])(?:{titles})\\.? ([A-Z][A-Za-z'’-]+)(?: ([A-Z][A-Za-z'’-]+))?(?![A-Za-z])"
    )


def english_title_spans(text: str) -> list[tuple[int, int]]:
    """The name after an English rank or office: Officer Fabiano, Inspector Mark Lawson
    (both words), not Officer Responded (a sentence word).

    >>> english_title_spans("Notified Officer Munroe at 3:30pm"), english_title_spans(
    ...     "Officer Responded to the location")
    ([(17, 23)], [])
    """
    if not _CAPITAL.search(text):
        return []
    spans = []
    pattern, pos = _en_title_pattern(), 0
    while (m := pattern.search(text, pos)) is not None:
        if m.group(1) in _EN_NOT_NAME:
            pos = m.start(1)  # the word may be a title itself: Captain Detective Hasson
            continue
        end = m.end(2) if m.group(2) and m.group(2) not in _EN_NOT_NAME else m.end(1)
        spans.append((m.start(1), end))
        pos = end
    return spans


#: Sign-offs after which a letter's writer signs (Sincerely  Mark Cardarelli, Thank you
#: Dominic): staff and residents sign closure notes and replies.
_SIGN_OFFS = ("Sincerely", "Regards", "Respectfully", "Cordially", "Thanks", "Thank you")
#: Capitalised words after a sign-off that are no name: the office or team that signs
#: (Sincerely  Boston 311 Team, Thanks  Mayor's Hotline), or the next sentence.
_SIGN_NOT_NAME = _EN_NOT_NAME | frozenset(
    "Boston Mayor Best Interim Senior Team Hotline Community Relations Again Very So Much "
    "Everyone All Sir Madam".split()
)


def _office_word(word: str) -> bool:
    """A word after a sign-off that names an office or starts a sentence, possessive
    or not (Commissioner's Office, Mayor's Hotline)."""
    return word.rstrip(".").removesuffix("'s").removesuffix("’s") in _SIGN_NOT_NAME


@cache
def _sign_off_pattern() -> re.Pattern[str]:
    return re.compile(
        f"(?<![A-Za-z])(?:{'|'.join(_SIGN_OFFS)}),?\\s+"
        f"({_NAME_WORD})((?:\\s+(?:{_NAME_WORD}|[A-Z]\\.?(?![A-Za-z]))){{0,3}})"
    )


#: A capitalised name word, double-barrelled too (Barned-Smith, O'Neil).
_NAME_WORD = "[A-Z][a-z'’]+(?:-[A-Za-z'’]+)*"
#: One word of a signed name: a name word or an initial.
_SIGNED_WORD = re.compile(f"{_NAME_WORD}|[A-Z]\\.?")


def english_sign_off_spans(text: str) -> list[tuple[int, int]]:
    """The name signed after a sign-off: Sincerely  Mark Cardarelli  Supervisor -> Mark
    Cardarelli; Thanks Mark M.; not Sincerely  Boston 311 Team or Thank you I will.

    >>> english_sign_off_spans("Sincerely  Mark Cardarelli  Supervisor of Utility")
    [(11, 26)]
    >>> english_sign_off_spans("Sincerely  Boston 311 Team"), english_sign_off_spans("Thanks. I will")
    ([], [])
    """
    if not _CAPITAL.search(text):
        return []
    spans = []
    for m in _sign_off_pattern().finditer(text):
        if _office_word(m.group(1)):
            continue
        end = m.end(1)
        # the next words while they read as a name (an initial, a surname), not an office
        for word in _SIGNED_WORD.finditer(m.group(2)):
            if _office_word(word.group()):
                break
            end = m.start(2) + word.end()
        spans.append((m.start(1), end))
    return spans
