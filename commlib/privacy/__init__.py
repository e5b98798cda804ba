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
import secrets
from functools import cache

import pandas as pd

from commlib.privacy._engine import (
    _as_arrow_strings,
    _mask_arrow,
    _mask_str,
    _normalise_arrow,
    _normalise_str,
)
from commlib.privacy._rules import KINDS, PLACEHOLDERS, _check_kinds

__all__ = ["KINDS", "PLACEHOLDERS", "find_pii", "hash_identifier", "mask_pii"]


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
