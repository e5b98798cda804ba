"""Places: compound (community) names written one way, and address keys.

:func:`normalize_community` joins a compound's spellings ("锦岚苑居委" and "锦岚苑");
:func:`address_key` builds a key under which differently written addresses of one
place are equal, once per distinct address with Arrow kernels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.clean._arrow import _arrow, _combined, _np_bool
from commlib.errors import require_columns

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千"
#: Chinese numerals are turned into digits only before these address units, so names
#: such as 三林路 or 四平路 are left alone.
_CN_NUM_BEFORE = "号|弄|支弄|栋|幢|座|号楼|单元|室|层|楼|巷|村|街坊"
_CN_NUM_RE = re.compile(f"([{_CN_NUM}]+)(?={_CN_NUM_BEFORE})")
#: Shanghai's districts; a leading "上海市" / "XX区" is dropped from the key.
_SH_DISTRICTS = (
    "黄浦|徐汇|长宁|静安|普陀|虹口|杨浦|闵行|宝山|嘉定|浦东新|浦东|金山|松江|青浦|奉贤|崇明"
)
#: Words after a place that describe where at the place, not another place.
ADDRESS_DESCRIPTORS: tuple[str, ...] = (
    "底商",
    "商铺",
    "门口",
    "门前",
    "大门口",
    "大门",
    "附近",
    "旁边",
    "边上",
    "旁",
    "对面",
    "楼下",
    "楼上",
    "楼道",
    "周边",
    "周围",
    "一带",
    "路口",
    "东侧",
    "西侧",
    "南侧",
    "北侧",
    "东面",
    "西面",
    "南面",
    "北面",
    "东边",
    "西边",
    "南边",
    "北边",
    "内",
    "处",
)
_EN_WORDS: tuple[tuple[str, str], ...] = (
    ("STREET", "ST"),
    ("AVENUE", "AVE"),
    ("AV", "AVE"),
    ("ROAD", "RD"),
    ("BOULEVARD", "BLVD"),
    ("DRIVE", "DR"),
    ("PLACE", "PL"),
    ("LANE", "LN"),
    ("COURT", "CT"),
    ("PARKWAY", "PKWY"),
    ("HIGHWAY", "HWY"),
    ("TERRACE", "TER"),
    ("SQUARE", "SQ"),
    ("EAST", "E"),
    ("WEST", "W"),
    ("NORTH", "N"),
    ("SOUTH", "S"),
)


def _cn_number(token: str) -> str:
    """一二三 -> 123 (digit by digit); 一百二十三 -> 123, 十二 -> 12 (positional)."""
    if not any(ch in _CN_UNITS for ch in token):
        return "".join(str(_CN_DIGITS[ch]) for ch in token)
    total, current = 0, 0
    for ch in token:
        if ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return str(total + current)


def _address_key_array(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """The key of each distinct address (Arrow kernels; Python only for 汉字 numerals)."""
    arr = pc.utf8_upper(pc.utf8_normalize(arr, "NFKC"))
    # Brackets and what they hold: 云岭西路123号(近长寿路).
    arr = pc.replace_substring_regex(arr, r"\([^)]*\)|\[[^\]]*\]|【[^】]*】", "")
    # Spaces: removed next to non-ASCII characters, collapsed between ASCII words.
    arr = pc.replace_substring_regex(arr, r"\s+", " ")
    arr = pc.replace_substring_regex(arr, r"([^\x00-\x7f]) ", "\\1")
    arr = pc.replace_substring_regex(arr, r" ([^\x00-\x7f])", "\\1")
    arr = pc.replace_substring_regex(arr, r"[,.;:'\"#。，、;：]", " ")
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r" +", " "))
    arr = pc.replace_substring_regex(arr, r"([^\x00-\x7f]) ", "\\1")
    arr = pc.replace_substring_regex(arr, r" ([^\x00-\x7f])", "\\1")
    # Chinese numerals before an address unit become digits (Python on the few rows).
    has_cn = _np_bool(pc.match_substring_regex(arr, f"[{_CN_NUM}]+(?:{_CN_NUM_BEFORE})"))
    if has_cn.any():
        mask = pa.array(has_cn)
        sub = pc.filter(arr, mask).to_pylist()
        fixed = [_CN_NUM_RE.sub(lambda m: _cn_number(m.group(1)), v) for v in sub]
        arr = pc.replace_with_mask(arr, mask, pa.array(fixed, pa.large_string()))
    # City and district prefixes.
    arr = pc.replace_substring_regex(arr, f"^(?:中国)?(?:上海市?)?(?:(?:{_SH_DISTRICTS})区)?", "")
    # Trailing descriptors (repeatedly: 123号楼下门口).
    desc = "|".join(sorted(ADDRESS_DESCRIPTORS, key=len, reverse=True))
    arr = pc.replace_substring_regex(arr, f"(?:{desc})+$", "")
    # Building words: 3号楼 / 3栋 / 3幢 / 3座 -> 3号.
    arr = pc.replace_substring_regex(arr, r"(\d+)(?:号楼|号栋|号幢|栋|幢|座)", "\\1号")
    # Room, unit and floor inside a building: a building is one place.
    arr = pc.replace_substring_regex(
        arr, r"(号)(?:\d+单元)?(?:\d+(?:层|楼))?(?:-?\d+(?:室|户)?)?$", "\\1"
    )
    arr = pc.replace_substring_regex(arr, r"\d+单元|\d+(?:室|户)$", "")
    arr = pc.replace_substring_regex(arr, f"(?:{desc})+$", "")
    # English: street words to their USPS abbreviation, apartment numbers dropped.
    arr = pc.replace_substring_regex(
        arr, r" (?:APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM) ?\w+$", ""
    )
    for long, short in _EN_WORDS:
        arr = pc.replace_substring_regex(arr, f"\\b{long}\\b", short)
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


#: Suffixes that name the committee rather than the compound ("锦岚苑居委" -> "锦岚苑").
COMMUNITY_SUFFIXES: tuple[str, ...] = ("居民委员会", "居委会", "居民区", "居委")


def normalize_community(
    df: pd.DataFrame, *, column: str = "community", suffixes: Sequence[str] = COMMUNITY_SUFFIXES
) -> pd.DataFrame:
    """Write each compound's name one way, so per-compound counts are not split.

    Exports name the same compound by the compound ("锦岚苑") or by its residents'
    committee ("锦岚苑居委", "锦岚苑居民委员会"). The committee suffix is removed when
    something is left after it; everything else is kept as written.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with a ``column`` of compound names. Not modified.
    column : str, default "community"
        The column to tidy.
    suffixes : sequence of str
        Suffixes to remove, longest first. Default :data:`COMMUNITY_SUFFIXES`.

    Returns
    -------
    pandas.DataFrame
        A new frame with the tidied column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"community": ["锦岚苑居委", "锦岚苑", "桂香小区居委会", "居委会", None]})
    >>> normalize_community(df)["community"].tolist()
    ['锦岚苑', '锦岚苑', '桂香小区', '居委会', nan]
    """
    if column not in df.columns:
        return df
    pattern = (
        "^(.+?)(?:" + "|".join(re.escape(x) for x in sorted(suffixes, key=len, reverse=True)) + ")$"
    )
    out = df.copy(deep=False)
    values = out[column].astype("str")
    out[column] = values.str.replace(pattern, r"\1", regex=True)
    return out


def address_key(values: pd.Series) -> pd.Series:
    """A key under which differently written addresses of one place are equal.

    Built for grouping tickets by place, not for display. Per address: NFKC
    (full-width to half-width) and upper case; bracketed notes dropped; spaces removed
    between Chinese characters and collapsed between English words; a leading
    上海市 / district (普陀区 ...) dropped; Chinese numerals before an address unit
    become digits (长寿路一二三号 and 长寿路一百二十三号 -> 长寿路123号; names such as
    三林路 are left alone); trailing descriptors (底商, 门口, 附近, 旁, 对面, 楼下,
    东侧 ..., see ``ADDRESS_DESCRIPTORS``) dropped; 号楼/栋/幢/座 become 号; unit,
    floor and room (``2单元``, ``6楼``, ``601室``, ``3号601``) dropped, so a building
    is one place; 弄 is kept (1弄3号 and 3号 differ). English: ``STREET`` -> ``ST``,
    ``AVENUE`` -> ``AVE`` and other USPS abbreviations, ``APT 4B`` dropped.

    Work is done once per distinct address with Arrow kernels.

    Parameters
    ----------
    values : pandas.Series
        Addresses.

    Returns
    -------
    pandas.Series
        Keys (``str`` dtype; missing where the address is missing or empty), same index.

    Examples
    --------
    >>> import pandas as pd
    >>> address_key(pd.Series(["云岭西路123号", "云岭西路123号底商", "云岭西路一二三号",
    ...                        "云岭西路１２３号门口", "上海市普陀区云岭西路123号3楼"])).tolist()
    ['云岭西路123号', '云岭西路123号', '云岭西路123号', '云岭西路123号', '云岭西路123号']
    >>> address_key(pd.Series(["兰亭苑3号楼601室", "兰亭苑3栋", "长寿路一百二十三号"])).tolist()
    ['兰亭苑3号', '兰亭苑3号', '长寿路123号']
    >>> address_key(pd.Series(["123 Main Street", "123  main st.", "123 MAIN ST APT 4B"])).tolist()
    ['123 MAIN ST', '123 MAIN ST', '123 MAIN ST']
    """
    s = pd.Series(values)
    codes, uniques = pd.factorize(s)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=s.index, name="address_key", dtype="str")
    keys = _address_key_array(_arrow(pd.Series(np.asarray(uniques, dtype=object), dtype="str")))
    taken = pc.take(_combined(keys), pa.array(codes, mask=codes < 0))
    return pd.Series(taken, dtype="str", index=s.index, name="address_key")


def add_address_key(df: pd.DataFrame, *, column: str = "address") -> pd.DataFrame:
    """Add an ``address_key`` column built by :func:`address_key` from ``column``.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    column : str, default "address"
        Address column.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``address_key``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"address": ["云岭西路123号底商", "云岭西路125号"]})
    >>> add_address_key(df)["address_key"].tolist()
    ['云岭西路123号', '云岭西路125号']
    """
    require_columns(df, [column], where="add_address_key")
    out = df.copy(deep=False)
    out["address_key"] = address_key(df[column]).to_numpy() if len(df) else []
    out["address_key"] = out["address_key"].astype("str")
    return out
