"""Masking of personal data in ticket text, and hashing of caller identifiers.

Hotline tickets carry residents' phone numbers, ID numbers, bank cards, e-mail
addresses, number plates and names. :func:`mask_pii` replaces each piece with a typed
placeholder, so an analysis still sees *that* a phone number was given without seeing
which; :func:`find_pii` says which kinds a text holds (a report can prove none is left);
:func:`hash_identifier` turns a caller identifier into a salted hash, so repeat callers
stay linkable without their numbers.

Kinds and placeholders (the ``kinds=`` names):

==============  ============  ===================================================
kind            placeholder   what is masked
==============  ============  ===================================================
``"email"``     ``[邮箱]``     e-mail addresses
``"id"``        ``[身份证]``   18-character resident ID numbers shaped like one
                              (birth century 1/2, month 0/1, day 0-3, last char
                              digit or X/x), and any 18- or 15-digit number right
                              after 身份证/证件号
``"bank_card"`` ``[银行卡]``   16-19 digit card numbers with a card-issuer prefix
                              (62, 60, 4, 51-55, 34-37, 94/95), plain or in groups
                              of four, and any 16-19 digits after 卡号/银行卡/账号
``"phone"``     ``[电话]``     mobiles (11 digits 1[3-9]..., grouped, +86/0086),
                              landlines with area code (021-62345678, (021)...),
                              400/800 numbers, 7-8 digit local numbers after
                              电话/座机/手机/联系方式/号码/拨打/致电/回电, and
                              stand-alone ``dddd-dddd`` local numbers
``"plate"``     ``[车牌]``     number plates of every province (沪A12345, 沪A·D12345,
                              new-energy 6-character plates)
``"name"``      ``[姓名]``     a common surname right before 先生/女士/阿姨/师傅/老师/
                              小姐/大爷/阿婆/大妈/老伯/经理/主任/医生 (the title
                              goes too), and a 2-3 character name right after
                              来电人/联系人/姓名/报案人/投诉人/反映人/举报人/
                              求助人/当事人/户名
==============  ============  ===================================================

How it works: every rule is a regular expression with explicit boundary groups
(``(^|[^0-9])...([^0-9]|$)``) instead of look-arounds, so the same pattern runs on
pyarrow's vectorised RE2 engine for a Series and on Python's :mod:`re` for a single
string, with identical results. A rule whose boundary group ate the separator between
two adjacent items is re-run on the rows it changed until nothing changes. A cheap
prefilter (seven digits in a row or ``ddd-dddd``, ``@``, a province-letter pair, a
title or trigger word) keeps the heavy patterns off rows that cannot hold personal
data.

Digits may be half-width or full-width (``１３８...``); the cleaner normally runs NFKC
first, so half-width is the main case.

Limitations: names are found only next to a title or a trigger word, with a surname
from the bundled list (``resources/chinese_surnames.txt``, minus surnames that are
everyday words such as 位/由/和/向/明/强); a bare full name in running text
("李红梅说...") is not masked. A 7-8 digit local number without area code is masked
only after a trigger word or in the ``dddd-dddd`` form. Addresses, QQ and WeChat ids
are not masked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["KINDS", "PLACEHOLDERS", "find_pii", "hash_identifier", "mask_pii"]

#: Kinds of personal data, in the order their rules run (e-mail first, because an
#: address such as ``13812345678@qq.com`` must not lose its local part to the phone
#: rule; ID before bank card, because both are long digit runs).
KINDS: tuple[str, ...] = ("email", "id", "bank_card", "phone", "plate", "name")

#: Placeholder written in place of each kind.
PLACEHOLDERS: dict[str, str] = {
    "email": "[邮箱]",
    "id": "[身份证]",
    "bank_card": "[银行卡]",
    "phone": "[电话]",
    "plate": "[车牌]",
    "name": "[姓名]",
}

# A rule whose trailing boundary swallowed the leading boundary of the next item needs a
# second pass; trigger chains ("电话A、B、C") need one pass per item. Cap the passes.
_MAX_PASSES = 6

# ---------------------------------------------------------------------------------------
# Pattern building blocks. Written in the syntax RE2 and Python's re share: no
# look-arounds, no backreferences, no \d \w \s \b (pandas and RE2 treat them
# differently on non-ASCII text). "$" is rewritten to "\Z" for Python.
# ---------------------------------------------------------------------------------------
_D = "[0-9０-９]"  # a digit, half- or full-width
_ND_END = "([^0-9０-９]|$)"  # trailing boundary: not a digit, or the end
# leading boundary: not a digit or an ASCII letter, and not the decimal point of a number
# (the digits of 0.3597872879209927 are a fraction, not a card; RE2 has no look-behind, so
# a point is accepted only with the non-digit before it)
_LEAD = "(^[.．]|^|[^0-9０-９A-Za-z.．]|[^0-9０-９][.．])"
# a mobile number is masked whatever precedes it, as long as it is not a longer digit run
# or the fraction of a decimal number
_LEAD_MOBILE = "(^[.．]|^|[^0-9０-９.．]|[^0-9０-９][.．])"
_SEP = "[-－ 　]"  # separator inside a grouped number
_EXT = f"(?:(?:[-－]|转|分机){_D}{{1,5}})?"  # optional extension
# trailing boundary of a bare local number: not a digit, letter or unit (2023-2024年)
_UNIT_END = "([^0-9０-９A-Za-z元块万千百米平年月日次个户人号楼层室栋幢至到%％.．:/-]|$)"
_TRIGGER_SEP = "([：:为是、,，/或和及 　]{0,3})"  # between a trigger word and its number

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "[A-HJ-NP-Z]"
_PLATE_CHAR = "[A-HJ-NP-Z0-9０-９]"

_NAME_TRIGGERS = (
    "来电人",
    "联系人",
    "姓名",
    "报案人",
    "投诉人",
    "反映人",
    "举报人",
    "求助人",
    "当事人",
    "户名",
)
# Longer titles first: "王老师傅" is 王 + 老师傅, not 王老师 + 傅.
_TITLES = (
    "老先生",
    "老师傅",
    "先生",
    "女士",
    "阿姨",
    "师傅",
    "老师",
    "小姐",
    "大爷",
    "阿婆",
    "大妈",
    "老伯",
    "经理",
    "主任",
    "医生",
)

# Surnames in the bundled list that are also everyday words right before a title or
# after a trigger ("这位女士", "由师傅处理", "维修师傅", "对门阿姨", "上课时老师"):
# left out, which costs a little recall on rare surnames and buys precision.
_AMBIGUOUS_SURNAMES = frozenset(
    "位由修门居花国来都那利信智展富原公元师司车宿解练计敬连官相和向时应全班楼乌母干衣但"
    "费明强斯印隆危战玉银亢幸奉植衡尧闭言汝暴冒寿巢"
)
# Surnames kept, but not after a character that makes a common word with them:
# 保安师傅, 语文老师, 班主任老师, 历史老师, 门卫阿姨, 水管师傅, 有关老师, 音乐老师,
# 对方女士, 导游先生, 上海阿姨, 现金.
_SURNAME_BLOCKED_AFTER: dict[str, str] = {
    "安": "保治公晏平",
    "文": "语英中人天日法德俄韩作课",
    "任": "主责科",
    "史": "历",
    "卫": "门保环后守",
    "管": "宿物城监主水高",
    "关": "有相海机",
    "乐": "音声快娱",
    "区": "小社城郊景园",
    "方": "对双各官警我他她甲乙",
    "游": "导旅网",
    "于": "由至在属等对关基处归",
    "金": "现奖押租资薪",
    "海": "上",
    "江": "长",
    "高": "最提",
    "成": "完变造",
    "常": "非经正日",
}
# A name's second character cannot be one of these (they start the words that follow a
# name: 反映, 称, 表示, 家住, 电话...); its third character cannot be one of the longer
# list. So "联系人李明反映" masks 李明 and "来电人高度怀疑" masks nothing.
_NOT_2ND = (
    "先女阿师老称说讲反表来在于的电手联要投致及和与等向对认因为是今昨现所希请想已曾多"
    "本之也还又就都将把被让给从到上下里内外年日度层便面式烈时次经物楼号室路区镇街"
    "浦汇行其该此这那每各整共自并但却而或即系"
)
# Kept short on purpose: a name whose last character is listed loses only that
# character's mask ("李建家" -> "[姓名]家"), a name cut after two characters.
_NOT_3RD = _NOT_2ND + "一二三两几家小邻业住户映诉求问打报拨机码栋门居委会部领人们个些位名"


def _not_cjk_or(chars: str) -> str:
    """A class matching one CJK ideograph that is not in ``chars``."""
    return "[^\\x00-\u4dff\u9fa6-\U0010ffff" + "".join(sorted(set(chars))) + "]"


@cache
def _surnames() -> tuple[tuple[str, ...], str]:
    """The bundled surname list: (double surnames, single surnames as one string)."""
    text = resources.files("commlib.resources").joinpath("chinese_surnames.txt")
    words = []
    for line in text.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    doubles = tuple(dict.fromkeys(w for w in words if len(w) == 2))
    singles = "".join(dict.fromkeys(w for w in words if len(w) == 1))
    return doubles, singles


@dataclass(frozen=True)
class _Rule:
    """One regular expression and its replacement; ``$`` means end of text."""

    kind: str
    pattern: str
    repl: str
    #: a cheaper pattern every text this rule changes matches, shared by neighbouring
    #: rules, so the column path can skip rows before trying the rule itself
    subgate: str | None = None

    @property
    def python_pattern(self) -> re.Pattern[str]:
        return _compile_python(self.pattern)


@cache
def _compile_python(pattern: str) -> re.Pattern[str]:
    # RE2 (without multi-line mode) matches "$" only at the very end; so does "\Z".
    return re.compile(pattern.replace("$", r"\Z"))


@cache
def _rules() -> tuple[_Rule, ...]:
    """Every masking rule, in the order they run."""
    ph = PLACEHOLDERS
    d = _D
    doubles, singles = _surnames()
    safe_singles = "".join(
        c for c in singles if c not in _AMBIGUOUS_SURNAMES and c not in _SURNAME_BLOCKED_AFTER
    )
    surname = "(?:" + "|".join(doubles) + "|[" + safe_singles + "])"
    titles = "(?:" + "|".join(_TITLES) + ")"
    title_words = "|".join(_TITLES)
    long_run = f"{d}{{15}}"  # every ID and ungrouped card number has 15 digits in a row
    # once mobiles are masked most rows have no long digit run left: re-check before the
    # landline rules
    still_numeric = _numeric_gate()
    # RE2 rewrites know \\1 to \\9 only: at most nine special surnames per rule.
    specials = list(_SURNAME_BLOCKED_AFTER.items())
    special_rules = tuple(
        _Rule(
            "name",
            "|".join(f"(^|[^{blocked}]){s}{titles}" for s, blocked in chunk),
            "".join(f"\\{i + 1}" for i in range(len(chunk))) + ph["name"],
            title_words,
        )
        for chunk in (specials[i : i + 9] for i in range(0, len(specials), 9))
    )
    trigger_surname = (
        "(?:" + "|".join(doubles) + "|[" + safe_singles + "".join(_SURNAME_BLOCKED_AFTER) + "])"
    )
    cjk2 = _not_cjk_or(_NOT_2ND)
    cjk3 = _not_cjk_or(_NOT_3RD)
    xid = "[0-9０-９XxＸｘ]"
    id18 = f"[1-9１-９]{d}{{5}}[12１２]{d}{{3}}[01０１]{d}[0-3０-３]{d}{{4}}{xid}"
    card_prefix = "(?:[6６][02０２]|[4４]" + d + "|[5５][1-5１-５]|[3３][4-7４-７]|[9９][45４５])"
    local = f"[2-9２-９]{d}{{2,3}}{_SEP}?{d}{{4}}"
    # "\\[电话\\]、" chains a second number onto one already masked: 电话A、B
    phone_triggers = "(电话|座机|联系方式|手机|号码|致电|拨打|回电|\\[电话\\][、/或和及])"
    mobile = f"[1１][3-9３-９]{d}{_SEP}?{d}{{4}}{_SEP}?{d}{{4}}"
    no_zero_pair = f"(?:[1-9１-９]{d}|{d}[1-9１-９])"
    return (
        _Rule(
            "email",
            "[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}",
            ph["email"],
        ),
        _Rule("id", f"{_LEAD}{id18}{_ND_END}", f"\\1{ph['id']}\\2", long_run),
        _Rule(
            "id",
            f"(身份证号码|身份证号|身份证|证件号码|证件号){_TRIGGER_SEP}"
            f"(?:{d}{{17}}{xid}|{d}{{15}}){_ND_END}",
            f"\\1\\2{ph['id']}\\3",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"{_LEAD}{card_prefix}{d}{{14,17}}{_ND_END}",
            f"\\1{ph['bank_card']}\\2",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"(银行卡号|银行卡|储蓄卡|信用卡|卡号|银行账号|账号|帐号){_TRIGGER_SEP}{d}{{16,19}}{_ND_END}",
            f"\\1\\2{ph['bank_card']}\\3",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"{_LEAD}{card_prefix}{d}{{2}}"
            f"(?:(?: {d}{{4}}){{3}}(?: ?{d}{{1,3}})?|(?:[-－]{d}{{4}}){{3}}(?:[-－]?{d}{{1,3}})?)"
            f"{_ND_END}",
            f"\\1{ph['bank_card']}\\2",
        ),
        _Rule(
            "phone",
            f"{_LEAD_MOBILE}(?:[+＋]|00|００)?(?:86|８６){_SEP}?{mobile}{_ND_END}",
            f"\\1{ph['phone']}\\2",
        ),
        _Rule("phone", f"{_LEAD_MOBILE}{mobile}{_ND_END}", f"\\1{ph['phone']}\\2"),
        _Rule(
            "phone",
            f"{_LEAD}(?:[(（][0０]{d}{{2,3}}[)）]{_SEP}?|[0０][1-9１-９]{d}{{1,2}}{_SEP}?)"
            f"{local}{_EXT}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{_LEAD}[48４８][0０][0０]{_SEP}?{d}{{3}}{_SEP}?{d}{{4}}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{phone_triggers}{_TRIGGER_SEP}{local}{_EXT}{_UNIT_END}",
            f"\\1\\2{ph['phone']}\\3",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"(^|[^0-9０-９A-Za-z.,:/号第至-])[3-9３-９]{d}{no_zero_pair}[-－]{d}{{2}}{no_zero_pair}"
            f"{_UNIT_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "plate",
            f"[{_PROVINCES}]{_PLATE_LETTER}[·・•.． 　-]?"
            f"(?:[DF]{_PLATE_CHAR}{{5}}|{d}{{5}}[DF]|{_PLATE_CHAR}{{4}}[A-HJ-NP-Z0-9０-９挂学警港澳])"
            "([^A-Za-z0-9０-９]|$)",
            f"{ph['plate']}\\1",
        ),
        _Rule("name", f"{surname}{titles}", ph["name"], title_words),
        *special_rules,
        _Rule(
            "name",
            f"({'|'.join(_NAME_TRIGGERS)})([：: 　为是]?){trigger_surname}{cjk2}{cjk3}?",
            f"\\1\\2{ph['name']}",
        ),
    )


def _numeric_gate() -> str:
    """Seven digits in a row or ``ddd-dddd``: every phone, ID and card number has it."""
    return f"{_D}{{7}}|{_D}{{3}}{_SEP}{_D}{{4}}"


def _gates() -> dict[str, str]:
    """Per kind, a cheap pattern every text that a rule of that kind changes matches.

    Each gate is a necessary condition of its rules (every numeric rule needs seven
    digits in a row or ``ddd-dddd``), so skipping the rows a gate rejects changes no
    result; it only saves the heavy patterns' time.
    """
    numeric = _numeric_gate()
    return {
        "email": "@",
        "id": numeric,
        "bank_card": numeric,
        "phone": numeric,
        "plate": f"[{_PROVINCES}]{_PLATE_LETTER}",
        "name": "|".join(_TITLES + _NAME_TRIGGERS),
    }


def _check_kinds(kinds) -> tuple[str, ...]:
    if kinds is None:
        return KINDS
    if isinstance(kinds, str):
        kinds = {kinds}
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(
            f"Unknown kind(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(map(repr, KINDS))}."
        )
    return tuple(k for k in KINDS if k in kinds)


# ---------------------------------------------------------------------------------------
# The two engines: Python re for one string, pyarrow RE2 for a column.
# ---------------------------------------------------------------------------------------
def _mask_str(text: str, kinds: tuple[str, ...]) -> str:
    gates = _gates()
    for kind in kinds:
        if not re.search(gates[kind], text):
            continue
        for rule in _rules():
            if rule.kind != kind:
                continue
            pattern = rule.python_pattern
            # every match changes the text, so "until no match" = "until no change"
            for _ in range(_MAX_PASSES):
                if not pattern.search(text):
                    break
                text = pattern.sub(rule.repl, text)
    return text


def _runs(items, key):
    """Consecutive runs of ``items`` sharing ``key``: [(key, [item, ...]), ...]."""
    out: list[tuple[object, list]] = []
    for item in items:
        k = key(item)
        if out and out[-1][0] == k:
            out[-1][1].append(item)
        else:
            out.append((k, [item]))
    return out


def _mask_arrow(arr, kinds: tuple[str, ...]):
    """Mask a pyarrow string array; only rows a rule matches are rewritten.

    Rows are narrowed in three steps, each a necessary condition of the next: any
    gate; the kind's gate; a rule's sub-gate (shared by neighbouring rules). Masking
    only removes digits and words, so a row rejected early can never need a rule later.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    gates = _gates()
    rules = [r for r in _rules() if r.kind in kinds]
    by_gate = _runs(rules, lambda r: gates[r.kind])
    candidate = pc.match_substring_regex(
        arr, pattern="|".join(dict.fromkeys(g for g, _ in by_gate))
    )
    candidate = pc.fill_null(candidate, False)
    if not pc.any(candidate).as_py():
        return arr
    sub = pc.filter(arr, candidate)
    gated: dict[str, object] = {}
    for gate, gate_rules in by_gate:
        if gate not in gated:
            gated[gate] = pc.fill_null(pc.match_substring_regex(sub, pattern=gate), False)
        mask = gated[gate]
        if not pc.any(mask).as_py():
            continue
        part = pc.filter(sub, mask)
        for subgate, sub_rules in _runs(gate_rules, lambda r: r.subgate):
            if subgate is None:
                for rule in sub_rules:
                    part = _apply_rule(part, rule)
                continue
            inner = pc.fill_null(pc.match_substring_regex(part, pattern=subgate), False)
            if not pc.any(inner).as_py():
                continue
            rows = pc.filter(part, inner)
            for rule in sub_rules:
                rows = _apply_rule(rows, rule)
            part = pc.replace_with_mask(part, inner, rows)
        sub = pc.replace_with_mask(sub, mask, part)
    return pc.replace_with_mask(arr, candidate, sub)


def _apply_rule(arr, rule: _Rule):
    """Apply ``rule`` to the rows it matches, then again while it still matches.

    A second pass is needed when a trailing boundary group swallowed the character
    that the next item needed as its leading boundary ("13812345678,13912345678").
    """
    import pyarrow.compute as pc

    todo = pc.fill_null(pc.match_substring_regex(arr, pattern=rule.pattern), False)
    for _ in range(_MAX_PASSES):
        if not pc.any(todo).as_py():
            break
        rows = pc.filter(arr, todo)
        new = pc.replace_substring_regex(rows, pattern=rule.pattern, replacement=rule.repl)
        arr = pc.replace_with_mask(arr, todo, new)
        again = pc.match_substring_regex(new, pattern=rule.pattern)
        todo = pc.replace_with_mask(todo, todo, again)
    return arr


def _as_arrow_strings(series: pd.Series):
    """A pyarrow large_string array holding ``series`` (zero-copy for ``str`` dtype)."""
    import pyarrow as pa

    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        series = series.astype("str")
    arr = pa.array(series.array)
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------
def mask_pii(text_or_series, *, kinds=None):
    """Replace personal data in ticket text with typed placeholders.

    Use it before tickets leave the machine that received them, or before any table or
    chart is shared: the text keeps its meaning ("联系电话[电话]") but not the number.

    Parameters
    ----------
    text_or_series : str or pandas.Series
        One text, or a column of texts. NA values stay NA. Non-string values of a
        Series are turned into strings first.
    kinds : str or iterable of str, optional
        Which kinds to mask, from ``"email"``, ``"id"``, ``"bank_card"``, ``"phone"``,
        ``"plate"``, ``"name"`` (see :data:`KINDS` and the module docstring). Default:
        all.

    Returns
    -------
    str or pandas.Series
        The masked text; for a Series a new Series of dtype ``str`` with the same index
        and name. The input is never modified.

    Raises
    ------
    TypeError
        If ``text_or_series`` is neither a str nor a Series.
    ValueError
        If ``kinds`` names an unknown kind.

    See Also
    --------
    find_pii : which kinds of personal data a text holds.
    hash_identifier : a linkable stand-in for a caller's phone number.

    Notes
    -----
    Placeholders are ``[电话]``, ``[身份证]``, ``[银行卡]``, ``[邮箱]``, ``[车牌]`` and
    ``[姓名]``. Masking is idempotent. Dates, times, ticket numbers, house numbers,
    amounts, postcodes, bus and metro lines, ``12345`` and digit runs longer than the
    item's own length are left alone: a mobile number must be exactly 11 digits, not
    part of a longer run. A Series is masked with pyarrow's vectorised RE2 engine (about
    a million tickets in a few seconds on one core); a str with Python's :mod:`re`; both
    give the same result.

    Examples
    --------
    >>> mask_pii("来电人张先生，联系电话13812345678，车牌沪A·D12345")
    '来电人[姓名]，联系电话[电话]，车牌[车牌]'
    >>> mask_pii("联系人李红梅反映2024年3月5日起123弄5号601室漏水，工单GD2024030500123")
    '联系人[姓名]反映2024年3月5日起123弄5号601室漏水，工单GD2024030500123'
    >>> mask_pii("身份证310101199003071234，座机021-62345678", kinds={"phone"})
    '身份证310101199003071234，座机[电话]'

    >>> import pandas as pd
    >>> s = pd.Series(["拨打12345热线", None, "邮箱zhang.san@163.com"], name="text")
    >>> mask_pii(s).tolist()
    ['拨打12345热线', nan, '邮箱[邮箱]']
    """
    kinds = _check_kinds(kinds)
    if isinstance(text_or_series, str):
        return _mask_str(text_or_series, kinds)
    if not isinstance(text_or_series, pd.Series):
        raise TypeError(
            f"mask_pii takes a str or a pandas Series, not {type(text_or_series).__name__}; "
            "for a DataFrame pass one column, e.g. mask_pii(df['text'])."
        )
    series = text_or_series
    arr = _as_arrow_strings(series)
    masked = _mask_arrow(arr, kinds) if len(arr) else arr
    return pd.Series(pd.array(masked, dtype="str"), index=series.index, name=series.name)


def find_pii(text_or_series, *, kinds=None):
    """Say which kinds of personal data a text holds.

    Use it to prove that a table about to be shared holds no personal data left, or to
    count how often callers leave their details in the ticket text.

    Parameters
    ----------
    text_or_series : str or pandas.Series
        One text, or a column of texts.
    kinds : str or iterable of str, optional
        Which kinds to look for (names as in :func:`mask_pii`). Default: all.

    Returns
    -------
    dict or pandas.DataFrame
        For a str, ``{kind: bool}``. For a Series, a bool DataFrame with the Series'
        index and one column per kind; NA texts hold nothing (False).

    Notes
    -----
    A kind is present when :func:`mask_pii` would write at least one more of its
    placeholders than the text already holds, so both functions always agree and an
    already masked text reports nothing.

    Examples
    --------
    >>> found = find_pii("市民来电反映，联系电话138-1234-5678")
    >>> [kind for kind, present in found.items() if present]
    ['phone']
    >>> import pandas as pd
    >>> find_pii(pd.Series(["王女士来电", "噪音扰民", "联系人：[姓名]"]))[["phone", "name"]]
       phone   name
    0  False   True
    1  False  False
    2  False  False
    """
    kinds = _check_kinds(kinds)
    if isinstance(text_or_series, str):
        masked = _mask_str(text_or_series, kinds)
        return {
            k: masked.count(PLACEHOLDERS[k]) > text_or_series.count(PLACEHOLDERS[k]) for k in kinds
        }
    if not isinstance(text_or_series, pd.Series):
        raise TypeError(
            f"find_pii takes a str or a pandas Series, not {type(text_or_series).__name__}."
        )
    import pyarrow.compute as pc

    arr = _as_arrow_strings(text_or_series)
    masked = _mask_arrow(arr, kinds) if len(arr) else arr
    columns = {}
    for k in kinds:
        before = pc.count_substring(arr, pattern=PLACEHOLDERS[k])
        after = pc.count_substring(masked, pattern=PLACEHOLDERS[k])
        present = pc.fill_null(pc.greater(after, before), False)
        columns[k] = present.to_numpy(zero_copy_only=False)
    return pd.DataFrame(columns, index=text_or_series.index, columns=list(kinds))


@cache
def _process_salt() -> bytes:
    return secrets.token_bytes(32)


def hash_identifier(values, *, salt=None, length: int = 16):
    """Replace a caller identifier (phone number, ID number...) by a salted hash.

    Use it on the ``caller_id`` column before sharing tickets: the same caller gets the
    same hash, so repeat calls can still be counted, but the number is gone.

    Parameters
    ----------
    values : str or pandas.Series
        One identifier, or a column of them. NA stays NA; other values are turned into
        strings (a float column of whole numbers, as Excel gives phone numbers, is read
        as integers first).
    salt : str or bytes, optional
        Secret mixed into every hash (HMAC-SHA256 key). With the same salt the same
        identifier always gets the same hash: pass one (kept secret) to link callers
        across runs or files. With None (default) a random salt is drawn once per
        Python process, so hashes link callers within one session only and cannot be
        reversed by hashing all 11-digit phone numbers.
    length : int, default 16
        Hex characters of the digest to keep (1-64); 16 gives 64 bits, enough to keep
        millions of callers apart.

    Returns
    -------
    str or pandas.Series
        The hex hash; for a Series a new ``str`` Series with the same index and name.

    Notes
    -----
    Identifiers are hashed as given: ``"13812345678"`` and ``"138-1234-5678"`` get
    different hashes, so normalise the column first if its formats vary. Each distinct
    value is hashed once and the results mapped back, so a column of a million calls
    from a hundred thousand callers costs a hundred thousand hashes.

    Examples
    --------
    >>> hash_identifier("13812345678", salt="secret")
    'ccc5113e23aa6fe4'
    >>> import pandas as pd
    >>> ids = pd.Series(["13812345678", None, "13812345678"])
    >>> hashed = hash_identifier(ids, salt="secret")
    >>> bool(hashed[0] == hashed[2]), bool(hashed.isna()[1])
    (True, True)
    """
    if not 1 <= int(length) <= 64:
        raise ValueError(f"length must be between 1 and 64 hex characters, got {length}.")
    if salt is None:
        key = _process_salt()
    elif isinstance(salt, bytes):
        key = salt
    elif isinstance(salt, str):
        key = salt.encode("utf-8")
    else:
        raise TypeError(f"salt must be a str, bytes or None, not {type(salt).__name__}.")

    def one(value: str) -> str:
        digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return digest[: int(length)]

    if isinstance(values, str):
        return one(values)
    if not isinstance(values, pd.Series):
        raise TypeError(
            f"hash_identifier takes a str or a pandas Series, not {type(values).__name__}."
        )
    series = values
    if series.dtype.kind == "f":
        whole = series.dropna()
        if (whole == whole.round()).all():
            series = series.astype("Int64")
    notna = series.notna()
    as_str = series[notna].astype(str)
    uniques = pd.unique(as_str.to_numpy(dtype=object))
    lookup = {u: one(u) for u in uniques}
    out = pd.Series(pd.NA, index=series.index, dtype="str", name=series.name)
    out[notna] = as_str.map(lookup).to_numpy(dtype=object)
    return out
