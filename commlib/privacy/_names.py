"""Person names in running text: part-of-speech segmentation gated by surname and context.

The regular-expression rules find a name next to a title or a trigger word (王女士,
联系人李红梅, 胡华衡书记, 村民刘艳明). This step finds the rest: a full name anywhere in
the text (我们夫妇(雷珍秀,胡湘,…), 交给罗军建、邱林松). It segments the text with jieba's
part-of-speech tagger (rjieba, a Rust port, at about 1 MB/s; jieba.posseg as fallback)
and keeps a token tagged ``nr`` (person name) only when

- it starts with a surname from the bundled list and has one or two given-name
  characters, none of which ends a place or an organisation (路, 村, 湖, 局 ...);
- it is not followed by a place or organisation word (街道, 小区, 公司 ...) and not
  preceded by a place prefix (A3区, 省, 市);
- and either it is not a dictionary word (jieba's dictionary tags many ordinary words
  ``nr``: 谢谢, 文明, 幼儿园, 王府井, 向阳), or the context says person: a title or role
  next to it, an enumeration with another name, a placeholder ``[姓名]`` beside it.

Only texts holding a surname character followed by a CJK character reach the tagger.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import accumulate

from commlib.privacy._context import (
    _boss_spans,
    _joined_to_person,
    _left_surname_spans,
    _relaxed_candidate,
    comrade_spans,
    loose_enum_spans,
    title_before_spans,
)
from commlib.privacy._glued import (
    _EN_TITLES,
    _SALUTATIONS,
    _SIGN_OFFS,
    english_sign_off_spans,
    english_title_spans,
    extend_glued,
    full_title_spans,
    given_name_spans,
    given_title_spans,
    named_person_spans,
    pinyin_name_spans,
    salutation_title_spans,
    self_named_spans,
    sexed_name_spans,
    surname_xing_spans,
    title_char_spans,
)
from commlib.privacy._rules import (
    _NAME_TRIGGERS,
    _NOT_2ND,
    _NOT_RUNNING_SURNAME,
    _OFFICIAL_TITLES,
    _ORG_CHARS,
    _ROLE_TRIGGERS,
    _TITLES,
    PLACEHOLDERS,
    _surnames,
)
from commlib.privacy._structure import (
    MECHANISMS,
    cut_short,
    listed_person,
    person_noun,
    spreads,
    widen_repeated,
)

_NAME = PLACEHOLDERS["name"]

# Words right after a token that make it a place or an organisation, not a person.
_PLACE_NEXT = (
    "路 街 道 街道 社区 小区 苑 园 花园 家园 新村 村 镇 乡 县 区 市 省 湖 山 桥 塘 岭 坡 冲 港 湾"
    " 坪 公司 集团 置业 实业 医院 学校 小学 中学 大学 幼儿园 学院 酒店 宾馆 广场 中心 大道 大厦"
    " 商场 超市 市场 派出所 片区 项目 工程 地产 物业 业委会 银行 门诊部 一期 二期 三期 高架"
    " 北路 南路 东路 西路 中路 大桥 站 线 号 栋 楼 组 队 厂 店 庄 屯 城 府 院 馆 所 局 委 办"
    " 河 江 水库 公园 景区 庭院 半岛 华庭 花苑 雅苑 国际 广告 科技 教育 集镇 交叉口 路口 一带"
    " 郡 府邸 公馆 名邸 山庄 别墅"
    # lines named after the places they join (荆常|高铁, 长株潭|城际, 沪昆|高速)
    " 高铁 铁路 城际 高速 高速公路 公路 轻轨 地铁 机场 码头"
    # kinds of business after a trade name (周基|小吃, 徐记|海鲜, 金皇|燃气, 龙骧|巴士)
    " 小吃 海鲜 燃气 巴士 客运 体育场 体育馆 粮店 门面 餐饮 酒家 饭店 食府 烧烤 火锅 药房 药店"
    " 诊所 驾校 物流 快递 家具 建材 汽修 网吧 茶楼 影城 影院"
    # schools by kind (马石|完小, 贺龙|体校)
    " 完小 体校 技校 职校 党校 附中 附小"
).split()
_PLACE_NEXT_SET = frozenset(_PLACE_NEXT)
# a numbered primary (小) or secondary (中) school: 二小, 一中, 十一中
_SCHOOL_NUMBER = re.compile("[一二三四五六七八九十]{1,3}[小中]")
# Last characters of a kind of shop written as one word (麻将馆, 理发店, 照相馆): after a
# name-like word it names the shop
_SHOP_END = frozenset("店馆")
# Words that start like a place ending (办, 室) but name a person's room: 杨俊|办公室
_PERSONS_ROOMS = frozenset(["办公室"])
# jieba's person-name tags (nr, and nrfg / nrt for known names)
_NR_FLAGS = frozenset(["nr", "nrfg", "nrt"])
# a token's last character that makes it a place: 区景蓉 is "A2区" + 景蓉(花苑)
_PLACE_PREV_END = "区市省县镇乡村州路街"
# last characters of a place read whole as a person: 米沙组, 邹老屋, 金星路, 王呼冲, 华悦城 (the
# model's person words and the rules' three-character names taken without context)
_PLACE_END = frozenset("组冲村镇乡县区市省路街巷湾坪湖港屯铺府场厂店司屋塔城")
# last characters of offices and units (林权办, 拆迁科, 派出所): a name-like word ending in
# one is no name spread inside a text; jieba glues one to the name after it (科何梅|咏)
_UNIT_END = frozenset("办局委厅处科院所队会站室部")
# given-name characters that never occur in a name tagged by the HMM on its own
_NOT_GIVEN_CORE = frozenset(
    "的了和与及或等某氏们个至领线性栋幢一转员牌几者"
    # ends of places and organisations (a name's characters are rarely these; 中 is not
    # here: given names hold it, 唐方中, 秦中秋, 谢喜中)
    + "委局厅部处科院校所队会办站心区市县省镇乡村街司行店厂总副党支湾坪湖桥塘岭坡港园庄"
    # (社 is not here: given names end in it, 余新社, 黄仔社: the communes era)
    + "屯铺集路巷门楼某班目苑庭府场"
    # materials and states, not given names: 黄巴泥, (盖)章未盖齐
    + "泥未"
)
_NOT_GIVEN = set(_NOT_2ND) | _NOT_GIVEN_CORE
# 家 then one of these is a place (左家山, 张家湾, 胡家洞), not a given name (张家辉)
_PLACE_AFTER_JIA = frozenset("山岭冲湾坪塘桥洞寨坡庄铺湖港河嘴坝岗垅垭坳圩滩洲岛村溪峪坊围屋田")
# Everyday words jieba tags as names: a title after them does not make them a person
# (谢谢书记, 感谢局长, 祝您, 敬礼)
_COURTESY = frozenset("谢谢 感谢 多谢 致谢 谢过 祝您 祝愿 敬礼 辛苦".split())
# Tags of proper nouns: a name-like token glued to one of them (no punctuation between)
# is a piece of a longer proper noun, an estate or a company (嘉宇|盛世|华章, 利保麓|谷林语)
_PROPER_FLAGS = frozenset(["nr", "nrt", "nrfg", "nz"])
# A tagged three- or four-character token that is a name plus a following function
# character: 龙云秋|下到, 龙宇|系, 李邦安因|自己
_TRAILING = "下上在到说和与对将把被从向是也就都又系等均已的因"
# Characters that can follow a name directly in running text (particles, prepositions,
# adverbs and speech verbs): 通讯员童床|在媒体, 村民刘艳明|说
_FUNCTION_AFTER = "在已的说于等和与及是也还为就都被把向对到从给让要会不没曾系称讲均又却早"
# A token ending in an amount before 钱: 3万元|钱才界 is money, not the surname 钱
_MONEY_END = "0123456789０１２３４５６７８９元块角万千百十多少"
_ENUM = frozenset("、,，/和与及")
_SKIP = frozenset(["(", "（", ":", "：", "“", '"'])
_VERB_AFTER = "说讲称问道等"
_OPEN = frozenset("(（【[“\"'‘《")
# Relations and roles written right before or after a person's name: 老乡王诚的带领,
# 王诚弟弟王李代理, 战友李自然带, 实际控制人张波剑私自 (issue 12: names after relation
# words were the largest group of misses on the TipDM messages_with_replies.xlsx file)
_RELATIONS = (
    "老乡",
    "战友",
    "同乡",
    "同事",
    "朋友",
    "邻居",
    "哥哥",
    "弟弟",
    "姐姐",
    "妹妹",
    "姐夫",
    "妹夫",
    "嫂子",
    "弟媳",
    "表哥",
    "表弟",
    "表姐",
    "表妹",
    "堂哥",
    "堂弟",
    "堂姐",
    "堂妹",
    "侄子",
    "侄女",
    "外甥",
    "孙子",
    "孙女",
    "女婿",
    "儿媳",
    "岳父",
    "岳母",
    "舅舅",
    "姑姑",
    "伯伯",
    "老公",
    "老婆",
    "前夫",
    "前妻",
    "师傅",
    "租户",
    "房东",
    "控制人",
    "代理人",
    "承包人",
    "包工头",
    "开发商老板",
)
# Role nouns written right after a person's name: 龚梦龙债权人, 胡海山党员 (after one
# of them a name is a person even after a place prefix: M市龚梦龙债权人)
_ROLES_AFTER = ("债权人", "债务人", "当事人", "党员", "股东", "法人", "法定代表人")
_PERSON_CONTEXT = frozenset(
    _RELATIONS
    + _TITLES
    + _OFFICIAL_TITLES
    + _ROLE_TRIGGERS
    + (
        "先生",
        "女士",
        "同志",
        "说",
        "称",
        "表示",
        "反映",
        "告诉",
        "电话",
        "手机",
        "等人",
        "一家",
        "夫妇",
        "夫妻",
        "家属",
        "师傅",
        # a role jieba's tagger reads as a name (顾 + 问): 置业顾问说, 法律顾问
        "顾问",
        "阿姨",
        "叔叔",
        "爷爷",
        "奶奶",
        "老人",
        "签字",
        "签名",
        "举报人",
        "联系人",
        "姓名",
        "副",
    )
    + _ROLES_AFTER
)


@cache
def _surname_sets() -> tuple[frozenset[str], frozenset[str]]:
    doubles, singles = _surnames()
    return frozenset(doubles), frozenset(singles)


@cache
def prefilter_pattern() -> str:
    """A surname character followed by a CJK ideograph or ``[姓名]``, 姓 before a
    surname character, a salutation (尊敬的) or "named X" (叫X的) (RE2 syntax)."""
    doubles, singles = _surnames()
    firsts = "".join(sorted(set(singles) | {d[0] for d in doubles}))
    # (or a masked name: the title rule can leave a name's surname before it, 游[姓名]总经理;
    # or 姓 before a surname that ends the clause: 老板姓贺，)
    return (
        f"[{firsts}](?:[\u4e00-\u9fa5]|\\[姓名\\])"
        f"|姓[{firsts}]|(?:{'|'.join(_SALUTATIONS)})|(?:叫|名为)[\u4e00-\u9fa5]{{2,3}}的"
        # an English rank before a capitalised name: Officer Fabiano
        f"|(?:{'|'.join(_EN_TITLES)})\\.? [A-Z]"
        # or a sign-off before a capitalised word: Sincerely  Mark Cardarelli
        f"|(?:{'|'.join(_SIGN_OFFS)}),?\\s+[A-Z][a-z]"
    )


@cache
def _tagger():
    """``(tag, has_word)``: rjieba's tagger, or jieba.posseg when rjieba is missing."""
    try:
        import rjieba

        return rjieba.tag, rjieba.has_word
    except ImportError:  # pragma: no cover - rjieba is a dependency
        import jieba
        import jieba.posseg

        dictionary = jieba.dt

        def tag(text):
            return [(p.word, p.flag) for p in jieba.posseg.cut(text)]

        def has_word(word):
            return bool(dictionary.FREQ.get(word))

        return tag, has_word


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= c <= "\u9fa5" for c in text)


_DOUBLES, _SINGLES = _surnames()
# surnames the character model starts a span at (a token of its own)
_MODEL_SURNAMES = frozenset([*_DOUBLES, *(c for c in _SINGLES if c not in _NOT_RUNNING_SURNAME)])
_MODEL_FIRSTS = frozenset(s[0] for s in _MODEL_SURNAMES)
_DOUBLES_SET = frozenset(_DOUBLES)


#: One-character "given names" that make a school year with 高/初 (高三同学).
_SCHOOL_YEARS = frozenset("一二三四五六七八九")
#: The years of senior school: 高一, 高二, 高三 (高二才 is 高二 + 才, no name).
_SENIOR_YEARS = frozenset("一二三")
# school levels, before 老师/同学 no given name either (初高中老师, 高中同学): 中 is a
# given-name character (唐方中, 秦中秋), so 高中 and 初中 read as names otherwise
_SCHOOL_LEVELS = frozenset(["高中", "初中", "中专", "小学", "中学", "大学"])
# a word ending in a numeral, then more numerals and a unit of an estate: the numeral
# numbers buildings (林居五、六栋), not a given name (王五、李四)
_NUMERAL_ENDS = frozenset("一二三四五六七八九十")
_NUMBERED_UNITS = re.compile("[、，,和及至到~～—-][一二三四五六七八九十百0-9]+[栋幢号楼单元层期]")
# a building number right after a word: the word names an estate (水墨林溪15号栋, 盛世
# 华庭3栋), not a person (a name is not followed by a building's number)
BUILDING_AFTER = re.compile("[0-9０-９]{1,4}[号#＃]?(?:栋|幢|单元|号楼)")
# a document number after a word: 楚发改价（2017）, 岳临（2015）, 楚建监督〔2013〕, 许字第 (the
# word is the issuing office's abbreviation, not a person; a year, or a year and a
# number (岳学士【2017-563】), closed by its bracket: 王强（2019年去世） is a person)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{0,3}(?:[〔\[【（(]\s*(?:19|20)\d\d\s*(?:[-—－]\s*\d+\s*)?[〕\]】）)]|许?字第)"
)


def _split_name(word: str, *, every_surname: bool = False) -> tuple[str, str] | None:
    """(surname, given) when ``word`` is shaped like a full name, else None.
    ``every_surname``: also the surnames that are everyday characters in running text
    (解, 和), where the context already says a name follows (起名解雅蕾)."""
    doubles, singles = _surname_sets()
    if not _is_cjk(word) or (not every_surname and word[0] in _NOT_RUNNING_SURNAME):
        return None
    if len(word) >= 3 and word[:2] in doubles:
        surname, given = word[:2], word[2:]
    elif word[0] in singles:
        surname, given = word[0], word[1:]
    else:
        return None
    if not 1 <= len(given) <= 2 or any(c in _NOT_GIVEN for c in given):
        return None
    if len(given) == 2 and given[0] == "家" and given[1] in _PLACE_AFTER_JIA:
        return None
    return surname, given


#: Characters that make the next one a measure word, not a surname (3张, 几张, 两张).
_NUMERALS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十百千万两几多余数每")
#: Surnames that are also measure words: after a number they count things (19,745 张工单,
#: 3 封信), while other surnames after a number start a numbered list (1方勇晓，2李孟华).
_MEASURE_SURNAMES = frozenset("张封")


#: Nouns that 张/封 count (三张工单, 那张表, 一封信): before them the "surname" is a measure
#: word, whatever stands before it (`n` 张工单, 这张照片).
_MEASURED_NOUNS = ("工单", "表", "照片", "图", "票", "卡", "纸", "单子", "桌", "床", "信", "发票")


def _counted(text: str, start: int) -> bool:
    """True if the character at ``start`` is a measure word, not a surname."""
    if text[start : start + 1] not in _MEASURE_SURNAMES:
        return False
    return text[:start].rstrip()[-1:] in _NUMERALS or text[start + 1 :].startswith(_MEASURED_NOUNS)


def _glued_proper(i: int, words: list[str], flags: list[str]) -> bool:
    """Token ``i`` glued to another proper noun of two or more characters: 盛世|华章."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and len(words[j]) >= 2 and flags[j] in _PROPER_FLAGS:
            if words[j] not in _PERSON_CONTEXT and _NAME not in words[j]:
                return True
    return False


# Tags (jieba's and LAC's) of verbs, function words and names: a word with one of them
# that starts with a place ending is no place ending (蒋大力|所在, 王明|委托, 刘兴英|河南人)
_NOT_PLACE_TAGS = frozenset("v vd d c p r u b f LOC ORG PER TIME".split())
# First letters of the tags of function words: after a name such a word is never a place
# ending, even one written alike (叶永|所|建, "built by Ye Yong", not the office 所)
_FUNCTION_TAG_HEADS = frozenset("upcdr")


def while_doing(text: str, start: int) -> bool:
    """Whether ``text[start:]`` is the 边…边… construction ("doing X while Y": 边建边批,
    边走边看), which the tagger reads as a name with the surname 边.

    >>> while_doing("可以边建边批嘛", 2), while_doing("边建国说", 0)
    (True, False)
    """
    return text[start : start + 1] == "边" and text[start + 2 : start + 3] == "边"


def place_after(after: str, tag: str = "") -> bool:
    """Whether the word ``after`` a name-like word (tagged ``tag``) makes it a place or
    an organisation (杨星塘|组, 周楠|中学, 程明|物业), not a title, a person's room or a
    verb (王明|市长, 杨俊|办公室, 蒋大力|所在).

    >>> place_after("中学"), place_after("市长"), place_after("所在", "v"), place_after("所", "u")
    (True, False, False, False)
    >>> place_after("二小", "b"), place_after("十一中"), place_after("麻将馆")
    (True, True, True)
    """
    if tag[:1] in _FUNCTION_TAG_HEADS:
        return False
    if _SCHOOL_NUMBER.fullmatch(after):
        return True  # 泉星|二小, 楚钢|一中: a numbered school, not a person
    if len(after) >= 3 and after[-1] in _SHOP_END and not after.startswith("纪念"):
        # 胡细国|麻将馆, 蒋美|理发店: a shop named after its owner (a memorial hall,
        # 纪念馆, names the person it remembers)
        return True
    return after in _PLACE_NEXT_SET or (
        after[:1] in _PLACE_NEXT_SET
        and after not in _PERSON_CONTEXT
        and after not in _PERSONS_ROOMS
        and tag not in _NOT_PLACE_TAGS
    )


def name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of person names the tagger finds in ``text``."""
    tag, has_word = _tagger()
    tokens = tag(text)
    # most texts hold no token tagged nr: decide that before building anything
    if not tokens:
        return []
    words, flags = map(list, zip(*tokens, strict=True))
    lengths = list(map(len, words))
    starts = [0, *accumulate(lengths)]
    # the character model: names jieba cut into pieces (李|自然, 符|东|哓)
    from commlib.privacy._glued import glued_spans
    from commlib.privacy._namemodel import model_spans

    model = model_spans(text, words, flags, starts)
    # a name glued to a function character: 张建|在|在, 王巳|和|与 (read before the nr
    # shortcut: jieba does not always tag the name nr)
    model += glued_spans(text, words, flags, starts, surnames=_MODEL_SURNAMES)
    if "nr" not in flags and "nrt" not in flags and "nrfg" not in flags:
        return model
    nr_tokens = [i for i, flag in enumerate(flags) if flag in _NR_FLAGS]
    n = len(tokens)

    def nxt(i: int) -> str:
        return words[i + 1] if i + 1 < n else ""

    def prev(i: int) -> str:
        return words[i - 1] if i > 0 else ""

    candidates: dict[int, bool] = {}  # token index -> strong (accepted on its own)
    # words read as a place or an organisation somewhere in the text (楚雅二|医院): the
    # same word elsewhere in the text is that place too (被楚雅二两个科室踢来)
    places: set[str] = set()
    spans_extra: dict[int, int] = {}  # token index -> characters taken from the next token
    for i in nr_tokens:
        word = words[i]
        if while_doing(text, starts[i]):
            continue  # 可以边建边批: doing two things at once, not the surname 边
        if (
            len(word) in (3, 4)
            and word[-1] in _TRAILING
            and _split_name(word) is None
            and _split_name(word[:-1]) is not None
        ):
            word = word[:-1]
            lengths[i] = len(word)
        if _split_name(word) is None:
            # a surname the running rules leave out (费, 和) or a given character that is
            # also a function word (肖和均): weak, or strong when it stands alone
            relaxed = _relaxed_candidate(i, words, flags)
            if relaxed is not None:
                candidates[i] = relaxed
            continue
        if word in _COURTESY or word in _PERSON_CONTEXT:
            continue  # 孙子孙女: a relation word is not a name
        after, before = nxt(i), prev(i)
        if _glued_proper(i, words, flags):
            continue
        if word[0] == "钱" and before[-1:] and before[-1] in _MONEY_END:
            continue
        if before.endswith("[") and after.startswith("]"):
            continue  # a placeholder such as [房号]
        start, end = starts[i], starts[i] + len(word)
        if _counted(text, start):
            continue  # after a number the "surname" is a measure word: 19,745 张工单
        left = text[max(0, start - len(_NAME) - 1) : start]
        right = text[end : end + len(_NAME) + 1]
        if after[:1].isascii() and after[:1].isalpha():
            continue  # 谷林语|f区: part of a place code
        if word[-1] in _NUMERAL_ENDS and _NUMBERED_UNITS.match(text, end):
            continue  # 翡翠林居五|、六栋: the numeral numbers buildings of an estate
        if BUILDING_AFTER.match(text, end):
            places.add(word)
            continue  # 水墨林溪|15号栋: an estate and its building
        if _DOC_NUMBER.match(text, end):
            continue  # 楚卫|合管发[2015]2号: an office's abbreviation in a document number
        if place_after(after, flags[i + 1] if i + 1 < n else ""):
            places.add(word)
            continue
        role_after = after in _ROLES_AFTER and len(word) == 3 and not has_word(word)
        if (
            before
            and not role_after
            and (before[-1] in _PLACE_PREV_END or before[-1].isascii() and before[-1].isalpha())
        ):
            # only this reading is a place (乌川湖村|黄尊富信访): the same word elsewhere
            # in the text is judged on its own context (户主为黄尊富父亲)
            continue
        # look through one bracket or colon: 我们夫妇(雷珍秀, 举报人：唐明新
        before_flag = flags[i - 1] if i > 0 else ""
        if before in _SKIP and i > 1:
            before, before_flag = words[i - 2], flags[i - 2]
        # a name cut after its second character (李秋|顺于, 黄孚|新|夫妇): three characters
        if (
            len(word) == 2
            and cut_short(i, words)
            and _split_name(word + after[0]) is not None
            and not has_word(word + after[0])
        ):
            candidates[i] = True
            spans_extra[i] = 1
            continue
        # structure: a noun that names a person before it (打手, 操盘手, 病友), a title
        # word after it (总书记, 党委书记)
        structural = person_noun(before, before_flag) or (
            MECHANISMS["person_noun"] is True and after.endswith(_OFFICIAL_TITLES)
        )
        context = (
            structural
            or after in _PERSON_CONTEXT
            or before in _PERSON_CONTEXT
            or before.endswith(_ROLE_TRIGGERS)
            or before.endswith(_RELATIONS)
            or any(after.startswith(t) for t in _OFFICIAL_TITLES)
            # glued to a masked name (刘海|[姓名]主任: the rest of 刘海林), or listed
            # next to one as no everyday word, even one jieba's dictionary tags as a name
            # ([姓名]，查明了事实: 查明 is a verb), unless a listed person
            or (left.endswith(_NAME) or right.startswith(_NAME))
            and not _long_word(word)
            or (
                left[:-1].endswith(_NAME)
                and left[-1] in _ENUM
                or right[1:].startswith(_NAME)
                and right[0] in _ENUM
            )
            and _listable(word)
            # (a dictionary word joined to a person stays: 业主与高峰, 村民和文明)
            or _joined_to_person(i, words)
            and not has_word(word)
        )
        # without context only a three-character name the dictionary does not know is
        # taken on its own (凌君艳, 潘程鹏), unless it ends like a place (四方冲和王呼冲);
        # two characters are too often a fragment of a place (黄星, 梅溪) or a company (富吉)
        surname, given = _split_name(word)
        if (
            given in _SCHOOL_YEARS
            or given in _SCHOOL_LEVELS
            or (surname == "高" and given[0] in _SENIOR_YEARS)
        ):
            # 高三, 初二, 初高中: a school year or level before 同学/老师; 高二|才开始: a
            # senior-school year with more after it; not a name
            continue
        # a dictionary word (许可, 文明) needs more than a role before it: 业主许可的前提
        known = has_word(word)
        role_before = (
            before in _PERSON_CONTEXT
            or before.endswith(_ROLE_TRIGGERS)
            or before.endswith(_RELATIONS)
            or structural
        )
        # ... unless it ends a clause after the role (村民陈云，): a famous name the
        # dictionary lists is a person there too
        ends_clause = (
            MECHANISMS["known_alone"] is True
            and not _is_cjk(after[:1] or "x")
            and known
            and listed_person(surname, given)
        )
        # ... or it follows an official title (镇长杨俊办公室): a listed person there too
        after_title = (
            MECHANISMS["known_alone"] is True
            and known
            and before.endswith(_OFFICIAL_TITLES)
            and listed_person(surname, given)
        )
        # ... or it follows a noun of persons (委托代理人胡杨亲属关系): a listed person
        after_role = (
            MECHANISMS["known_alone"] is True
            and known
            and (before.endswith(_ROLE_TRIGGERS) or before.endswith(_RELATIONS))
            and listed_person(surname, given)
        )
        candidates[i] = (
            context
            and not (
                known
                and role_before
                and after not in _PERSON_CONTEXT
                and not ends_clause
                and not after_title
                and not after_role
            )
        ) or (len(given) == 2 and not known and word[-1] not in _PLACE_END)
        # jieba glues a name's last character to a following verb: 刘艳|明说
        if len(given) == 1 and len(after) == 2 and after[1] in _VERB_AFTER and i + 1 < n:
            if after[0] not in _NOT_GIVEN:
                spans_extra[i] = 1
    # enumerations: a weak candidate next to an accepted name (罗军建、邱林松)
    changed = True
    while changed:
        changed = False
        for i, strong in candidates.items():
            if strong:
                continue
            for j in (i - 2, i + 2):
                between = words[min(i, j) + 1] if 0 <= j < n else ""
                if between in _ENUM and candidates.get(j) and _listable(words[i]):
                    candidates[i] = changed = True
                    break
    found = [
        (starts[i], starts[i] + lengths[i] + spans_extra.get(i, 0))
        for i, strong in candidates.items()
        if strong and text[starts[i] : starts[i] + lengths[i]] not in places
    ]
    return found + [(a, b) for a, b in model if text[a:b] not in places]


@cache
def _regex_parts() -> tuple[str, str, str, str]:
    """Pieces of the name patterns: any surname on the list; the surnames that are no
    everyday word in running text; those without the surnames that are also function
    words (公司于今年，); a character class of possible given-name characters."""
    doubles, singles = _surname_sets()

    def alternation(chars) -> str:
        return "(?:" + "|".join(sorted(doubles)) + "|[" + "".join(sorted(chars)) + "])"

    ok_singles = set(singles) - _NOT_RUNNING_SURNAME
    plain = ok_singles - set(_FUNCTION_AFTER) - set("于以自其")
    given = "[" + "".join(sorted({chr(c) for c in range(0x4E00, 0x9FA6)} - _NOT_GIVEN)) + "]"
    return alternation(singles), alternation(ok_singles), alternation(plain), given


@cache
def _bounded_patterns() -> tuple[re.Pattern[str], ...]:
    """Python patterns for names bounded by punctuation (look-arounds: Python only).

    - after a role or a trigger, a surname and one or two characters standing alone
      before punctuation, a digit or the end: 村民曾照雄，/ 本人叫陈立小，/ 举报人：邱林松2018
      (村民殷切希望 and 业主许可的 run on, so they are not names);
    - in an enumeration, such a short run next to a name already masked:
      [姓名]、龙贵、龙宇;
    - any role ending in 员 or 师, or the head of a unit (组长), before a name ended by
      punctuation or a function character: 供电员潘生民，/ 网格员李红到;
    - an organisation or a numbered unit right before a name and punctuation:
      檀市中学陈金，/ 十二组龙森开，;
    - a name standing alone before 等人: ，石清道等人.

    The last three take a candidate only when it is no dictionary word, starts with no
    word other than a name and holds no title (:func:`_is_fresh_name`).
    """
    any_surname, surname, plain, given = _regex_parts()
    name = f"{surname}{given}{{1,2}}"
    name_plain = f"{plain}{given}{{1,2}}"
    stop = "(?=[^\\u4e00-\\u9fa5]|$)"
    roles = sorted(set(_ROLE_TRIGGERS + _NAME_TRIGGERS + _EXTRA_ROLES), key=len, reverse=True)
    # (a given name may end in a conjunction or 向 where punctuation follows: 联系人：石向))
    open_ended = f"{surname}{given}?[{_OPEN_ENDED}](?=[{_CLOSING}]|$)"
    after_role = re.compile(
        f"(?:{'|'.join(roles)})(?:[：:，, 　(（]|—{{1,2}})?({name}|{open_ended}){stop}"
    )
    num = "[0-9]{0,3}[.、．]?"  # numbered lists: 1方勇晓，2李孟华
    enum_after = re.compile(f"\\[姓名\\][、，,/]{num}({name})(?=[、，,/）)。；;\\s　]|$)")
    enum_before = re.compile(f"(?:^|(?<=[、，,/（(：:]))({name})[、，,/]{num}\\[姓名\\]")
    # jieba cut a three-character name after two: [姓名]利，龙贵
    tail = re.compile(f"\\[姓名\\]({given})(?=[、，,/）)])")
    # a role word, then a name running on into a function character: 通讯员童床在媒体,
    # 村民刘艳明说 (the candidate is checked against the dictionary: 居民生活在)
    # (or a two-character adverb or verb: 实际控制人张波剑私自挪用, 战友李自然带领导)
    adverbs = "|".join(_ADVERB_AFTER)
    role_run = re.compile(f"(?:{'|'.join(roles)})({name})(?=[{_FUNCTION_AFTER}]|{adverbs})")
    # a role, a three-character name and a word of two characters right after it
    # (负责人赵兴万声称, 站长毛群刚提拔为): checked by _verb_after_name
    role_verb = re.compile(
        f"(?:{'|'.join(roles)}|长(?<=[{_HEAD_UNITS}家]长))({surname}{given}{{2}})"
        "(?=[\u4e00-\u9fa5]{2})"
    )
    # handed to a person: 将办公楼分配给左群新。(punctuation only, a fresh name)
    given_to = re.compile(f"(?:{'|'.join(_GIVEN_TO)})({name}){stop}")
    # an enumeration running on into a function character: [姓名]，龙宇系一家人
    enum_run = re.compile(f"\\[姓名\\][、，,/]{num}({name})(?=[{_FUNCTION_AFTER}])")
    # a salutation before a name and an official title takes every surname, even one
    # that is an everyday word: 尊敬的衡华市长 (checked against the dictionary: 公安局长)
    official = "|".join(sorted(_OFFICIAL_TITLES, key=len, reverse=True))
    # (the title rules may already have taken the last characters: 尊敬的衡[姓名]市长;
    # the title may name its party committee first: 尊敬的易炼红市委书记)
    party = "|".join(_PARTY_BEFORE_TITLE)
    salutation = re.compile(
        f"(?:{'|'.join(_SALUTATIONS)}|致)({any_surname}{given}{{0,2}})"
        f"(?=(?:{party})?副?(?:{official})|\\[姓名\\])"
    )
    # any role word ending in 员 or 师, or a head of a unit (X长), before a name ended by
    # punctuation or a function character: 供电员潘生民，/ 网格员李红到 / 组长王强。
    # (the role character first, the look-behind after it: the scan jumps to 员/师/长)
    role_any = (
        f"(?:(?:员|师(?![傅范]))(?<=[\u4e00-\u9fa5].)|长(?<=[{_HEAD_UNITS}家]长)"
        "|人(?<=[\u4e00-\u9fa5]{3}))"
        f"[：:]?({name_plain})(?=[^\u4e00-\u9fa5]|$|[{_FUNCTION_AFTER}])"
    )
    # an organisation or a unit right before a name and punctuation: 檀市中学陈金，/
    # 十二组龙森开，/ 供电公司刘强。(punctuation only: 公司于今年 runs on)
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    numeral = "[0-9０-９一二三四五六七八九十]"
    unit_name = (
        f"(?:{units}|组(?<={numeral}组)|队(?<={numeral}队))({name_plain})(?=[，,。；;、！!？?）)])"
    )
    # a name before 等人 (and others), standing alone: ，石清道等人 (any surname)
    etc = f"(?<![\u4e00-\u9fa5])({any_surname}{given}{{1,2}})(?=等人)(?!等人口)"
    extra = tuple(re.compile(p) for p in (role_any, unit_name, etc))
    return (
        after_role,
        enum_after,
        enum_before,
        tail,
        role_run,
        enum_run,
        salutation,
        given_to,
        *extra,
        role_verb,
    )


# Two-character adverbs and verbs that can follow a name directly after a role
_ADVERB_AFTER = (
    "私自",
    "擅自",
    "多次",
    "一直",
    "已经",
    "曾经",
    "亲自",
    "带领",
    "带着",
    "带人",
    "拒绝",
    "承诺",
    "答应",
    "告诉",
    "打电话",
    "因病",
    "生病",
    "去世",
    "代理",
    "负责",
)
# Verbs of handing over written before a person: 分配给左群新。
_GIVEN_TO = ("交给", "分配给", "转给", "送给", "卖给", "租给", "借给", "分给", "转让给", "过户给")


# Units whose head is written X长 before a name: 组长王强, 队长, 村长, 站长
_HEAD_UNITS = "组队村站所局科处校院厂社镇乡县市班"
# Organisations and units written right before a person's name (檀市中学陈金，)
_UNITS = (
    "中学",
    "小学",
    "大学",
    "学校",
    "幼儿园",
    "医院",
    "卫生院",
    "公司",
    "社区",
    "居委会",
    "村委会",
    "街道",
    "派出所",
    "供电所",
    "财政所",
    "管理所",
    "物业",
)

_EXTRA_ROLES = _RELATIONS + (
    "叫",
    "通讯员",
    "记者",
    "教师",
    "职工",
    "员工",
    "会计",
    "民警",
    "本人姓名",
    "患者",
    "病人",
    "家属",
    "领导",
    "干部",
    "工作人员",
    "保安",
    "医生",
    "护士",
    "律师",
    "老师",
    "店主",
    # village cadres: 综治专干李永在村部
    "专干",
    # parties and officers of a complaint or a case (控告人:唐华文，), of a company
    # (监事长李珍本；, 客服主管——肖威，)
    "控告人",
    "信访人",
    "上诉人",
    "申诉人",
    "原告",
    "被告",
    "委托人",
    "代理人",
    "监护人",
    "证人",
    "股东",
    "监事",
    "主管",
    "总监",
    "秘书长",
    "理事长",
    "监事长",
)


def _replace(text: str, spans) -> str:
    out = []
    last = 0
    # a name glued to a function character takes it (张建|在在); the longer of two
    # spans at one start wins (张建在 over 张建)
    spans = extend_glued(text, spans, _MODEL_SURNAMES)
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(_NAME)
        last = end
    out.append(text[last:])
    return "".join(out)


def mask_names(text: str) -> str:
    """``text`` with every name the tagger and the bounded patterns find masked.

    Run until nothing changes (a mask can change how the rest is segmented), so that
    masking twice gives the same text as masking once.
    """
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    original = text
    for _ in range(4):
        new = _mask_names_once(text)
        if new == text:
            break
        text = new
    text = open_ended_given(text)
    text = listed_names(text)
    if text != original:
        text = widen_repeated(original, text)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[original] = text
    return text


#: A conjunction or the preposition 向 right after a masked name and before punctuation:
#: nothing follows for it to join, so it ends the given name (（邱林松、龙平和）, 联系人：
#: 石向)).
_OPEN_ENDED = "和与及向"
_CLOSING = "）)、，,。；;！!？?"
_OPEN_ENDED_STOP = re.compile(f"\\[姓名\\][{_OPEN_ENDED}](?=[{_CLOSING}]|$)")
#: What a bracket right after a person's name says about that person (邢明向（化名邢ze）,
#: 雷珍秀（女，, 李明和（电话: the 向 or 和 before it ends the given name, since the
#: preposition or conjunction would need an object there.
_PERSON_ASIDE = (
    "化名",
    "曾用名",
    "又名",
    "别名",
    "原名",
    "现名",
    "小名",
    "绰号",
    "外号",
    "男",
    "女",
    "电话",
    "手机",
    "联系电话",
    "身份证",
    "系",
    "即",
    "现任",
    "原任",
    "时任",
)
_OPEN_ENDED_ASIDE = re.compile(
    f"\\[姓名\\][{_OPEN_ENDED}](?=[（(](?:{'|'.join(_PERSON_ASIDE)}|[0-9０-９]|\\[(?!姓名)))"
)
#: Stars right after a masked name: the publisher starred the rest of it (李秋*, 王**):
#: part of the name, taken into the placeholder (not a run of three or more, which masks
#: a number).
_STARRED_TAIL = re.compile(r"\[姓名\][*＊]{1,2}(?![*＊])")
#: A listed name, then 向: checked for a verb right after (苏纳、邢明向进行通缉).
_LISTED_XIANG = re.compile(r"\[姓名\][、，,]\[姓名\]向")


def open_ended_given(text: str) -> str:
    """``text`` (masked) with a conjunction or 向 that cannot start a phrase where it
    stands taken into the name before it: before punctuation (龙平|和）), and 向 after a
    listed name before a verb (苏纳、邢明|向|进行通缉: the preposition 向 needs an
    object; 向|领导反映 keeps it).

    >>> open_ended_given("当事人（[姓名]、[姓名]和）到会"), open_ended_given("[姓名]、[姓名]向领导反映")
    ('当事人（[姓名]、[姓名]）到会', '[姓名]、[姓名]向领导反映')
    """
    if _NAME not in text:
        return text
    text = _OPEN_ENDED_STOP.sub(_NAME, text)
    text = _OPEN_ENDED_ASIDE.sub(_NAME, text)
    text = _STARRED_TAIL.sub(_NAME, text)
    if "向" not in text:
        return text
    tag, has_word = _tagger()
    out, last = [], 0
    for m in _LISTED_XIANG.finditer(text):
        rest = text[m.end() : m.end() + 8]
        words = tag(rest)
        if words and words[0][1] == "v" and not has_word("向" + rest[:1]):
            out.append(text[last : m.end() - 1])
            last = m.end()
    return "".join(out) + text[last:] if out else text


#: One item of a numbered list: a number, a mark, a masked name or two to three Chinese
#: characters, a separator (1曹水秀、2[姓名]、36、赵靳青、).
_LIST_ITEM = re.compile(r"[0-9]{1,3}[.、．]?(\[姓名\]|[\u4e00-\u9fa5]{2,3})[、，,；;]?")
#: Least items of a numbered list, and least share of them masked names, for the rest to
#: be read as names too.
_LIST_MIN_ITEMS = 5
_LIST_MIN_SHARE = 0.8


def listed_names(text: str) -> str:
    """``text`` (masked) with the items of a numbered list of names that the rules left
    masked too: where five items or more follow one another and four in five are masked
    names already, the others of two or three characters are names the rules could not
    read alone (周进庭, 肖坪: a given name ending like a place; 游好奇: a word).

    >>> listed_names("代表：1[姓名]、2[姓名]、3周进庭、4[姓名]、5[姓名]、6[姓名]。")
    '代表：1[姓名]、2[姓名]、3[姓名]、4[姓名]、5[姓名]、6[姓名]。'
    """
    if text.count(_NAME) < _LIST_MIN_ITEMS * _LIST_MIN_SHARE:
        return text
    runs, run = [], []
    for m in _LIST_ITEM.finditer(text):
        if run and m.start() != run[-1].end():
            runs.append(run)
            run = []
        run.append(m)
    runs.append(run)
    spans = []
    for run in runs:
        masked = sum(m.group(1) == _NAME for m in run)
        if len(run) >= _LIST_MIN_ITEMS and masked >= _LIST_MIN_SHARE * len(run):
            spans += [m.span(1) for m in run if m.group(1) != _NAME]
    for a, b in reversed(spans):
        text = text[:a] + _NAME + text[b:]
    return text


# Real exports repeat texts (replies written from templates, a message pasted twice):
# each distinct text is segmented once per process (while it is cached: an entry of a
# real message is about 2.3 KB, so 20,000 bound a cleaning worker's cache near 45 MB)
_CACHE: dict[str, str] = {}
_CACHE_SIZE = 20_000


def _is_new_name(candidate: str) -> bool:
    """A candidate from a bounded pattern: not a dictionary word unless tagged a name."""
    tag, has_word = _tagger()
    return not has_word(candidate) or tag(candidate)[0][1].startswith("nr")


def _is_role_name(candidate: str, text: str = "", end: int = 0) -> bool:
    """A candidate after a role and before punctuation: a new name, no courtesy word and
    no two-character dictionary word (许可, 谢谢, 高峰 are tagged names by jieba). A name
    ending in a conjunction or 向 before punctuation (联系人：石向)) may be a rare noun of
    the dictionary (石向), no adjective or verb (温和, 顾及)."""
    tag, has_word = _tagger()
    if candidate in _COURTESY:
        return False
    closed = end == len(text) or text[end] in _CLOSING
    if candidate[-1] in _OPEN_ENDED and closed and len(candidate) <= 3:
        return not has_word(candidate) or tag(candidate)[0][1] in ("n", "nr", "nz")
    if len(candidate) == 2 and has_word(candidate):
        return False
    return _is_new_name(candidate)


def _person_noun_before(text: str, at: int) -> bool:
    """Whether the 人 at ``at`` ends a noun of persons of three characters: one the
    dictionary knows (承包人, 代理人) or a two-character word and 人, "one who does it"
    (管理人, 投诉人: 负责管理人肖龙海。), not a word that merely ends in 人 (成人, 个人,
    他人)."""
    if at < 2:
        return False
    tag, has_word = _tagger()
    if has_word(text[at - 2 : at + 1]):
        return True
    # the segmenter must start a word at 人 (人 alone, or glued to the surname after it:
    # 负责管理|人肖|龙海), after a word ending in a verb of two characters (管理), not
    # read 人 inside a word (没人|管吗, 注重|人文|关怀)
    start = max(0, at - 4)
    pos, prev = start, ""
    for word, flag in tag(text[start : at + 3]):
        if pos == at:
            starts_name = word == "人" or (word[0] == "人" and flag.startswith("nr"))
            verb = tag(prev[-2:]) if len(prev) >= 2 else []
            return starts_name and len(verb) == 1 and verb[0][1] in ("v", "vn")
        if pos > at:
            return False
        pos += len(word)
        prev = word
    return False


#: Words of a death right after a person's name in a list of the deceased (印石村程春桃身故,
#: 彭萍和母故: "whose mother died").
_DEATH_AFTER = ("身故", "病故", "去世", "逝世", "过世", "母故", "父故", "妻故", "夫故")


@cache
def _deceased_pattern() -> re.Pattern[str]:
    _, _, surname, given = _regex_parts()
    # after a village, a group or a household, a number or punctuation
    before = "(?:(?<=[村组户镇乡])|(?<![\u4e00-\u9fa5]))"
    return re.compile(f"{before}({surname}{given}{{1,2}})(?={'|'.join(_DEATH_AFTER)})")


def _deceased_spans(text: str) -> list[tuple[int, int]]:
    """A fresh name (no dictionary word) between a village, a household or punctuation
    and a word of death: 2018年印石村五保户程春桃身故, 印石村彭谷安妻故."""
    if "故" not in text and "世" not in text:
        return []  # every word of death ends in one of them: most texts stop here
    return [m.span(1) for m in _deceased_pattern().finditer(text) if _is_fresh_name(m.group(1))]


def _is_run_name(candidate: str) -> bool:
    """A name running on after a role: no dictionary word starts it (业主安全|得不到,
    居民生活|在), except a three-character name the dictionary knows as one (王晓红)."""
    tag, has_word = _tagger()
    head = candidate[:2]
    if has_word(head) and not (len(candidate) == 2 and tag(head)[0][1] == "nr"):
        return len(candidate) == 3 and tag(candidate)[0][1] == "nr" and has_word(candidate)
    if len(candidate) == 2:
        return not has_word(candidate)
    return not has_word(candidate) or tag(candidate)[0][1] == "nr"


def _long_word(word: str) -> bool:
    """A dictionary word of three characters or more that is no listed person (支付宝,
    which jieba tags as a name): never the rest of a name glued to a masked one
    (冒充[姓名]支付宝)."""
    if len(word) < 3:
        return False
    has_word = _tagger()[1]
    if not has_word(word):
        return False
    split = _split_name(word)
    return split is None or not listed_person(*split)


_TITLE_WORDS = tuple(set(_TITLES + _OFFICIAL_TITLES + _ROLE_TRIGGERS + ("警官", "组长")))


def _is_fresh_name(candidate: str) -> bool:
    """A candidate from the role, unit and 等人 rules: no dictionary word (盖章, 顾问),
    no dictionary word other than a name at its head (毕业|后, 时间|不), no title after
    the surname (左书记, 许警官: the title rules keep those)."""
    tag, has_word = _tagger()
    if has_word(candidate) or candidate[1:].startswith(_TITLE_WORDS):
        return False
    head = candidate[:2]
    return not (has_word(head) and not tag(head)[0][1].startswith("nr"))


#: Least character-model score of a three-character name run on from a role into a word
#: (赵兴万 1.3, 毛群刚 2.1, 李明科 2.4; 李明|确认 -1.8, 王强|调解 -2.4).
_ROLE_VERB_SCORE = 1.0


def _verb_after_name(text: str, m: re.Match) -> bool:
    """Whether the three-character candidate of ``m`` (after a role) is a name running on
    into a word of two characters (负责人赵兴万声称, 站长毛群刚提拔): the two
    characters after it are a dictionary word, the candidate is no word and starts with
    none but a name, and the character model reads the three as a name
    (主任李明确认 is 李明 + 确认: its score is low).

    >>> import re
    >>> m = re.search("负责人(赵兴万)", "负责人赵兴万声称不服")
    >>> _verb_after_name("负责人赵兴万声称不服", m)
    True
    """
    from commlib.privacy._namemodel import name_score

    tag, has_word = _tagger()
    cand, end = m.group(1), m.end(1)
    split = _split_name(cand)
    if split is None or not has_word(text[end : end + 2]) or has_word(cand):
        return False
    head = cand[:2]  # a known name may start it (李明|科), no other word (业主安全|得)
    if has_word(head) and not tag(head)[0][1].startswith("nr"):
        return False
    # its last character stands alone before the word (赵兴万|声称), not inside a longer
    # one (局长李鸿|指着地图, 村民杨永|家门口)
    if len(tag(cand[-1] + text[end : end + 2])[0][0]) > 1:
        return False
    return name_score(*split) >= _ROLE_VERB_SCORE


#: Party committees written before an official title: 易炼红|市委书记.
_PARTY_BEFORE_TITLE = ("市委", "县委", "区委", "省委", "州委", "党委", "党组")


def _saluted_name(text: str, m: re.Match) -> bool:
    """Whether the candidate of the salutation rule is a name: no dictionary word (other
    than a name); before a party committee and its title only a full name of three
    characters that starts with no word (尊敬的易炼红市委书记, not 尊敬的岳麓|区委书记, a
    district).

    >>> import re
    >>> m = re.search("尊敬的(岳麓)", "尊敬的岳麓区委书记")
    >>> _saluted_name("尊敬的岳麓区委书记", m)
    False
    """
    cand = m.group(1)
    if len(cand) < 2 or not _is_new_name(cand):
        return False
    if text.startswith(_PARTY_BEFORE_TITLE, m.end(1)):
        _, has_word = _tagger()
        return len(cand) == 3 and not has_word(cand[:2])
    return True


#: A phone or ID number, masked, starred by the publisher or raw, at the start of a bracket.
_BRACKET_NUMBER = (
    r"[（(](?:\[(?:电话|身份证)\]|[*＊]{6,}|0000-0{8}|1[3-9][0-9]{9}|[0-9]{3,4}[-—][0-9]{7,8})"
)


@cache
def _near_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two places a name stands between fixed words: between a party committee and its
    title (区委于新凡书记: any surname, even one that is a preposition), and right before a
    bracket holding the person's phone or ID number (纪委的吉重(****)同志, 吉重（[电话]）)."""
    any_surname, _, plain, given = _regex_parts()
    official = "|".join(sorted(_OFFICIAL_TITLES, key=len, reverse=True))
    party = "|".join(_PARTY_BEFORE_TITLE)
    committee = re.compile(f"(?:{party})({any_surname}{given}{{1,2}})(?=副?(?:{official}))")
    numbered = re.compile(f"({plain}{given}{{1,2}})(?={_BRACKET_NUMBER})")
    return committee, numbered


def _near_spans(text: str) -> list[tuple[int, int]]:
    """Spans of :func:`_near_patterns`: a candidate that is a new name (no dictionary word
    unless a name) and ends in no unit character (市委政法委书记); before a number, a
    fresh name (no dictionary word, no title)."""
    committee, numbered = _near_patterns()
    spans = [
        m.span(1)
        for m in committee.finditer(text)
        if _is_new_name(m.group(1)) and m.group(1)[-1] not in _ORG_CHARS
    ]
    if "(" in text or "（" in text:
        spans += [m.span(1) for m in numbered.finditer(text) if _is_fresh_name(m.group(1))]
    return spans


def _mask_names_once(text: str) -> str:
    (
        after_role,
        enum_after,
        enum_before,
        tail,
        role_run,
        enum_run,
        salutation,
        given_to,
        role_any,
        unit_name,
        etc,
        role_verb,
    ) = _bounded_patterns()
    # a dictionary word after a role is an ordinary word: 本人权益，; so is a
    # two-character one the dictionary tags as a name (业主许可，/ 市民，谢谢。)
    spans = [
        m.span(1) for m in after_role.finditer(text) if _is_role_name(m.group(1), text, m.end(1))
    ]
    spans += [m.span(1) for m in given_to.finditer(text) if _is_fresh_name(m.group(1))]
    # without punctuation to end it, a run after a role must be no word at all
    _, has_word = _tagger()
    spans += [m.span(1) for m in role_run.finditer(text) if _is_run_name(m.group(1))]
    spans += [m.span(1) for m in role_verb.finditer(text) if _verb_after_name(text, m)]
    spans += [
        (m.start(1), m.end(1) + (len(_NAME) if text.startswith(_NAME, m.end(1)) else 0))
        for m in salutation.finditer(text)
        if _saluted_name(text, m) or text.startswith(_NAME, m.end(1))
    ]
    spans += _boss_spans(text)
    spans += _left_surname_spans(text)
    spans += _near_spans(text)
    before = title_before_spans(text)
    if any(b - a == 2 for a, b in before):
        # a two-character reading must not cut off a longer name the tagger finds at
        # the same place (组长殷兴义|门前: 义门 is a word, the tagger still reads 殷兴义)
        longer = name_spans(text)
        before = [(a, b) for a, b in before if not any(c == a and d > b for c, d in longer)]
    spans += before
    # 姚一同志: a name before 同志 spreads whatever its shape (姚一 is no regular name)
    comrades = comrade_spans(text)
    spans += comrades
    spans += title_char_spans(text)
    spans += given_title_spans(text)
    spans += full_title_spans(text)
    spans += surname_xing_spans(text)
    spans += pinyin_name_spans(text)
    spans += self_named_spans(text)
    spans += sexed_name_spans(text)
    spans += salutation_title_spans(text)
    spans += named_person_spans(text)
    spans += given_name_spans(text)
    spans += english_title_spans(text)
    spans += english_sign_off_spans(text)
    for m in role_any.finditer(text):
        candidate = m.group(1)
        ended = m.end(1) == len(text) or not _is_cjk(text[m.end(1)])
        if _is_fresh_name(candidate) and (ended or _is_run_name(candidate)):
            if text[m.start() : m.start() + 1] != "人" or _person_noun_before(text, m.start()):
                spans.append(m.span(1))
    spans += _deceased_spans(text)
    spans += [m.span(1) for m in unit_name.finditer(text) if _is_fresh_name(m.group(1))]
    if "等人" in text:
        spans += [m.span(1) for m in etc.finditer(text) if _is_fresh_name(m.group(1))]
    found = {text[a:b] for a, b in spans}
    text_before = text
    if spans:
        text = _replace(text, spans)
    spans = name_spans(text)
    if spans:
        found |= {text[a:b] for a, b in spans}
        text = _replace(text, spans)
    if _NAME in text:
        text = tail.sub(_NAME, text)
        loose = loose_enum_spans(text)
        if loose:
            found |= {text[a:b] for a, b in loose}
            text = _replace(text, loose)
        for _ in range(50):
            new = _mask_first_listed(enum_after, text)
            new = _mask_first_listed(enum_before, new)
            new = _mask_first_listed(enum_run, new)
            if new == text:
                break
            text = new
    # a full name found once is a name everywhere in the text: 通讯员童床在媒体 ...
    # ，童床还为 (only names of two or more characters that are not dictionary words)
    comrade_names = {text_before[a:b] for a, b in comrades}
    # (not where a place word follows: 花炮祖师李甜 is a person, 李甜镇 the town)
    for name in sorted(found | comrade_names, key=len, reverse=True):
        if spreads(name) or name in comrade_names and not has_word(name):
            text = _replace_but_places(text, name)
    return text


#: One-character kinds of place after a name's other occurrence (李甜|镇, 黄财|镇).
_PLACE_KIND_CHARS = frozenset("镇乡村县区市省路街巷湾坪冲组")


def _replace_but_places(text: str, name: str) -> str:
    """``text`` with ``name`` written as ``[姓名]`` wherever it occurs, except where a
    place word follows it (李甜|镇, 黄星|大道, 杜路花|小区: the place named after it).

    >>> _replace_but_places("李甜镇是花炮祖师李甜的故乡", "李甜")
    '李甜镇是花炮祖师[姓名]的故乡'
    """
    out, last = [], 0
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        nxt = text[end : end + 1]
        if not (nxt in _PLACE_KIND_CHARS or _starts_place_word(text, end)):
            out.append(text[last:at])
            out.append(_NAME)
            last = end
        at = text.find(name, end)
    return "".join(out) + text[last:] if out else text


#: Kinds of place or organisation of two characters or more named after a person or a
#: word (杜路花|小区, 黄星|大道); verbs and nouns such as 教育 or 国际 are not among them,
#: so 王军|教育孩子 stays masked.
_PLACE_KIND_WORDS = (
    "小区 社区 大道 街道 新村 花园 家园 公司 集团 医院 学校 小学 中学 大学 广场 大厦 大桥"
    " 高速 片区 公园 景区 山庄 商城 市场 超市"
).split()


def _starts_place_word(text: str, at: int) -> bool:
    """Whether one of ``_PLACE_KIND_WORDS`` starts at ``at``."""
    return any(text.startswith(w, at) for w in _PLACE_KIND_WORDS)


def _listable(word: str) -> bool:
    """Whether ``word`` may be taken as a name for standing in a list next to a name: no
    dictionary word, unless the dictionary lists it as a person (陈云). jieba's
    dictionary tags everyday words as names too (查明 in [姓名]，查明了事实)."""
    _, has_word = _tagger()
    if not has_word(word):
        return True
    split = _split_name(word)
    return split is not None and listed_person(*split)


def _mask_first_listed(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with the first name ``pattern`` lists next to a masked one masked, by the
    same test as the tagger's list cue (:func:`_listable`): 蒋勇大、[姓名], but not
    [姓名]，周末对门 or [姓名]，查明了."""
    for m in pattern.finditer(text):
        if _listable(m.group(1)):
            a, b = m.span(1)
            return text[:a] + _NAME + text[b:]
    return text


_PREFILTER: re.Pattern[str] | None = None


def may_hold_name(text: str) -> bool:
    """Whether ``text`` passes the prefilter (a surname character followed by CJK)."""
    global _PREFILTER
    if _PREFILTER is None:
        _PREFILTER = re.compile(prefilter_pattern())
    return _PREFILTER.search(text) is not None
