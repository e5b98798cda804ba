"""Clean complaint tickets: one call for the whole job, one verb per step.

:func:`clean_tickets` takes a ticket table with canonical columns (as
:func:`commlib.read_tickets` returns it) and hands back a :class:`CleanResult`: the
clean tickets, the rows set aside with a reason a person can act on, and a log that
accounts for every row. Each step is also a public function that takes a DataFrame
first and returns a new one, so it chains with ``DataFrame.pipe``:

>>> import pandas as pd
>>> raw = pd.DataFrame({"text": ["市民来电反映：楼下噪音　很大。"], "category": ["噪声扰民"]})
>>> out = raw.pipe(normalize_text).pipe(strip_boilerplate).pipe(map_categories)
>>> out.loc[0, ["text", "boilerplate", "category"]].tolist()
['楼下噪音 很大。', '市民来电反映', '噪音扰民']

Order of the steps in :func:`clean_tickets`, and why:

1. ``source_row``: the row number in the user's file, kept on every output row.
2. ``normalize_text``: NFKC, Excel ``_x000D_``, HTML entities, control characters,
   whitespace. Everything after it compares normalised values.
3. ``mask``: phone numbers, IDs, names ... in ``title`` and ``text`` are replaced by
   placeholders (:func:`commlib.privacy.mask_pii`). It runs *before* anything is set
   aside or copied, so rejected rows, ``text_original`` and ``boilerplate`` are masked
   too and the (costly) masking runs once per text.
4. ``parse_dates``: rows whose ``created_at`` is missing or unreadable, or whose
   ``closed_at`` is filled but unreadable, are rejected with a reason.
5. ``reject_empty_text``: rows with neither text nor title are rejected.
6. ``strip_boilerplate``: hotline formulas move from ``text`` to ``boilerplate``.
7. ``map_categories``: synonym spellings of a category become one label.
8. ``add_address_key``: a key under which differently written addresses match.
9. ``hash_caller_id``: ``caller_id`` replaced by a salted hash
   (:func:`commlib.privacy.hash_identifier`), on clean and rejected rows.
10. ``drop_duplicate_tickets``: exact duplicate rows are removed (whole-table step).
11. ``mark_repeat_calls``: likely repeat calls get ``repeat_of`` (whole-table step).

Steps 1-8 look at one row at a time, so they run partition by partition (in two
processes for large tables); steps 9-11 run once on the whole table (9 because, with
no salt given, the hash salt is drawn once per process).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import html
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.errors import CommlibError, require_columns

logger = logging.getLogger(__name__)

__all__ = [
    "CleanResult",
    "DateParseError",
    "add_address_key",
    "address_key",
    "clean_tickets",
    "drop_duplicate_tickets",
    "map_categories",
    "mark_repeat_calls",
    "normalize_text",
    "parse_dates",
    "strip_boilerplate",
]

#: Columns that hold dates; :func:`normalize_text` leaves them to :func:`parse_dates`.
DATE_COLUMNS: tuple[str, ...] = ("created_at", "closed_at")

#: Free-text columns :func:`clean_tickets` masks (those present).
MASK_COLUMNS: tuple[str, ...] = ("title", "text", "reply")

#: Punctuation (after NFKC) and spaces trimmed where boilerplate was cut out.
_PUNCT = r"\s,.:;!?、。，：；！？"
_PUNCT_CHARS = " ,.:;!?、。，：；！？"
#: What is trimmed at the end of a text once boilerplate is cut (a final 。 stays).
_TRAIL_CHARS = " ,:;、，：；"


class DateParseError(CommlibError, ValueError):
    """Date cells that no known format reads.

    Attributes
    ----------
    bad : pandas.DataFrame
        One row per unreadable cell: ``source_row``, ``column``, ``value``.
    """

    def __init__(self, message: str, *, bad: pd.DataFrame):
        super().__init__(message)
        self.bad = bad


# --------------------------------------------------------------------------------------
# Arrow helpers
# --------------------------------------------------------------------------------------


def _is_text_column(s: pd.Series) -> bool:
    """True if ``s`` holds strings (``str`` dtype, or object dtype of strings)."""
    if isinstance(s.dtype, pd.StringDtype):
        return True
    if s.dtype == object:
        return pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")
    return False


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow string array behind ``s`` (converted to ``str`` dtype first if needed)."""
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        s = s.astype("str")
    arr = s.array.__arrow_array__()
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def _series(arr: pa.ChunkedArray | pa.Array, like: pd.Series) -> pd.Series:
    """A ``str`` Series from an Arrow string array, with the index and name of ``like``."""
    return pd.Series(arr, dtype="str", index=like.index, name=like.name)


def _np_bool(arr) -> np.ndarray:
    """Arrow boolean (nulls count as False) to a NumPy bool array."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _where_replace(arr: pa.ChunkedArray, pattern: str, repl: str, *, regex: bool = True):
    """Replace ``pattern`` only in the rows that contain it (cheap when few do)."""
    match = pc.match_substring_regex if regex else pc.match_substring
    replace = pc.replace_substring_regex if regex else pc.replace_substring
    hit = _np_bool(match(arr, pattern))
    n_hit = int(hit.sum())
    if n_hit == 0:
        return arr
    if n_hit > len(arr) // 4:
        return replace(arr, pattern, repl)
    mask = pa.array(hit)
    fixed = replace(pc.filter(arr, mask), pattern, repl)
    return pc.replace_with_mask(_combined(arr), mask, _combined(fixed))


def _combined(arr) -> pa.Array:
    """One contiguous Arrow array (``replace_with_mask`` wants plain arrays)."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _on_rows(arr, rows: np.ndarray, fn):
    """Apply the array function ``fn`` to the rows where ``rows`` is True only."""
    n_rows = int(rows.sum())
    if n_rows == 0:
        return arr
    if n_rows == len(arr):
        return fn(arr)
    mask = pa.array(rows)
    return pc.replace_with_mask(_combined(arr), mask, _combined(fn(pc.filter(arr, mask))))


def _row_numbers(df: pd.DataFrame) -> np.ndarray:
    """Row numbers in the user's file: ``source_row`` if present, else from ``attrs``."""
    if "source_row" in df.columns:
        return df["source_row"].to_numpy()
    first = df.attrs.get("first_data_row")
    start = int(first) if first is not None else 1
    return np.arange(start, start + len(df), dtype=np.int64)


# --------------------------------------------------------------------------------------
# normalize_text
# --------------------------------------------------------------------------------------

#: Named HTML entities decoded with plain substring kernels; ``&amp;`` goes last so a
#: double-escaped ``&amp;nbsp;`` is decoded once, as :func:`html.unescape` does.
_COMMON_ENTITIES: tuple[tuple[str, str], ...] = (
    ("&nbsp;", "\u00a0"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#39;", "'"),
    ("&apos;", "'"),
    ("&ldquo;", "\u201c"),
    ("&rdquo;", "\u201d"),
    ("&middot;", "\u00b7"),
    ("&mdash;", "\u2014"),
    ("&amp;", "&"),
)
_ENTITY_RE = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_EXCEL_ESCAPE_RE = r"_x000[DdAa9]_"
#: C0/C1 controls except tab/newline/CR (whitespace, handled below), zero-width
#: characters and the byte-order mark.
_CONTROL_RE = r"[\x00-\x08\x0e-\x1f\x7f\x{80}-\x{84}\x{86}-\x{9f}\x{200b}-\x{200d}\x{2060}\x{feff}]"
_SPACE_RE = r"[\s\x{85}\x{2028}\x{2029}]+"
_BEFORE_NFKC_RE = f"{_EXCEL_ESCAPE_RE}|{_ENTITY_RE}"
_AFTER_NFKC_RE = f"{_CONTROL_RE}|[\\t\\n\\r\\f\\v\\x{{85}}\\x{{2028}}\\x{{2029}}]|  |^ | $"


def _decode_entities(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Decode HTML entities (every row of ``arr`` holds at least one)."""
    # Which entities occur (first one per row): only those get a substring pass.
    first = pc.struct_field(pc.extract_regex(arr, f"(?P<e>{_ENTITY_RE})"), "e")
    present = set(pc.unique(first).to_pylist())
    sub = arr
    for entity, char in _COMMON_ENTITIES:
        if entity in present:
            sub = pc.replace_substring(sub, entity, char)
    # Rows still showing an entity had a rarer (or a second, or a double-escaped) one:
    # decode their original text with html.unescape, once per distinct string.
    rest = _np_bool(pc.match_substring_regex(sub, _ENTITY_RE))
    if rest.any():
        values = pc.filter(arr, pa.array(rest)).to_pylist()
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        decoded = np.asarray([html.unescape(u) for u in uniques], dtype=object)[codes]
        sub = pc.replace_with_mask(
            _combined(sub), pa.array(rest), pa.array(decoded, pa.large_string())
        )
    return sub


def _fix_before_nfkc(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Excel escapes to a space, HTML entities decoded (rows that have either)."""
    arr = _where_replace(arr, _EXCEL_ESCAPE_RE, " ")
    hit = _np_bool(pc.match_substring_regex(arr, _ENTITY_RE))
    return _on_rows(arr, hit, _decode_entities)


def _fix_after_nfkc(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Controls removed, whitespace collapsed, ends trimmed (rows that need it)."""
    arr = _where_replace(arr, _CONTROL_RE, "")
    arr = pc.replace_substring_regex(arr, _SPACE_RE, " ")
    return pc.utf8_trim_whitespace(arr)


def _normalize_array(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """NFKC, escapes, entities, controls and whitespace of one Arrow string array.

    Three passes touch every row (one regex test, NFKC, one regex test); the fixes
    run only on the rows the tests pick out.
    """
    # Excel's escaped line breaks and HTML entities (before NFKC: &nbsp; is U+00A0).
    arr = _on_rows(arr, _np_bool(pc.match_substring_regex(arr, _BEFORE_NFKC_RE)), _fix_before_nfkc)
    # NFKC: full-width letters, digits and punctuation to their plain forms, U+3000 and
    # U+00A0 to a space, compatibility ideographs to the unified ones.
    arr = pc.utf8_normalize(arr, "NFKC")
    arr = _on_rows(arr, _np_bool(pc.match_substring_regex(arr, _AFTER_NFKC_RE)), _fix_after_nfkc)
    # Blank cells become missing.
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _normalize_distinct(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """:func:`_normalize_array`, once per distinct value when values repeat a lot."""
    n = len(arr)
    if n < 50_000:
        return _normalize_array(arr)
    probe = pc.unique(arr.slice(0, 20_000))
    if len(probe) > 2_000:  # mostly distinct (free text): no gain from factorising
        return _normalize_array(arr)
    encoded = _combined(pc.dictionary_encode(arr))
    clean = _combined(_normalize_array(pa.chunked_array([encoded.dictionary])))
    return pa.chunked_array([pc.take(clean, encoded.indices)])  # Array.take: fast path


def _default_text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in DATE_COLUMNS and _is_text_column(df[c])]


def _normalize_text(df: pd.DataFrame, columns) -> tuple[pd.DataFrame, int, str]:
    cols = _default_text_columns(df) if columns is None else list(columns)
    require_columns(df, cols, where="normalize_text")
    out = df.copy(deep=False)
    changed = np.zeros(len(df), dtype=bool)
    for col in cols:
        if not _is_text_column(df[col]):
            continue
        before = _arrow(df[col])
        after = _normalize_distinct(before)
        diff = pc.invert(pc.equal(before, after))
        # null vs null is "same"; null vs value is a change (blank cell to NA).
        diff = pc.if_else(
            pc.and_(pc.is_null(before), pc.is_null(after)),
            False,
            pc.fill_null(diff, True),
        )
        changed |= _np_bool(diff)
        out[col] = _series(after, df[col])
    note = f"columns: {', '.join(cols)}" if cols else "no text columns"
    return out, int(changed.sum()), note


def normalize_text(df: pd.DataFrame, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Make text comparable: NFKC, no Excel escapes, entities, controls or extra spaces.

    For each column, in this order: Excel's escaped line breaks (``_x000D_``,
    ``_x000A_``, ``_x0009_``) become a space; HTML entities (``&nbsp;``, ``&amp;``,
    ``&lt;``, ``&#20013;`` ...) are decoded; Unicode NFKC normalisation maps full-width
    letters, digits and punctuation to their plain forms (``１２３`` to ``123``, ``，`` to
    ``,``) and odd spaces (U+3000, U+00A0) to a plain space; control characters and
    zero-width characters are removed; runs of whitespace (spaces, tabs, newlines)
    become one space; ends are stripped. A cell left blank becomes missing (NA).

    All work runs on Arrow string kernels over whole columns; the rarer fixes (escapes,
    entities, controls) only touch the rows that need them.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    columns : sequence of str, optional
        Columns to normalise. Default: every column holding strings except the date
        columns ``created_at`` and ``closed_at`` (:func:`parse_dates` cleans those).

    Returns
    -------
    pandas.DataFrame
        A new frame; normalised columns have the ``str`` dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["楼道&nbsp;堆物_x000D_\\n１２３号　门口  ", "   "]})
    >>> normalize_text(df)["text"].tolist()
    ['楼道 堆物 123号 门口', nan]
    """
    out, changed, note = _normalize_text(df, columns)
    logger.info("normalize_text: %d rows changed (%s)", changed, note)
    return out


# --------------------------------------------------------------------------------------
# parse_dates
# --------------------------------------------------------------------------------------

_TIME = (
    r"(?:[ T]+(?P<H>\d{1,2})(?::(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:[.,](?P<f>\d{1,9}))?)?)?:?)?"
    r" ?(?P<ap>[AaPp][Mm])?"
    r"(?: ?(?:Z|[+-]\d{2}:?\d{2}))?"
)
#: Year first: 2024-03-05, 2024/3/5 14:02, 2024.3.5, 2024-03-05T14:02:00 (and the
#: Chinese forms once 年/月/日/时/分/秒 are replaced).
_YMD_RE = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + "$"
#: Year last: 01/15/2024 10:23:45 PM (month first, or day first with ``dayfirst``).
_XXY_RE = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})" + _TIME + "$"
#: Compact: 20240305, 20240305 1402, 20240305140233.
_COMPACT_RE = (
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
    r"(?:[ T]?(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2}))?)?$"
)
#: Excel serial day numbers (days since 1899-12-30): 45356 or 45356.58.
_EXCEL_RE = r"^\d{5}(?:\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
_YEAR_RANGE = (1900, 2100)


def _num(struct: pa.ChunkedArray, field: str) -> np.ndarray:
    """A field of an extract_regex struct as float64, NaN where empty or missing."""
    col = pc.struct_field(struct, field)
    col = pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)
    return pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)


def _date_strings(s: pd.Series) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Date cells as normalised strings (for parsing), plus already-parsed datetimes.

    Returns the string array (null where the cell is not a string) and an int64 array
    of microseconds since the epoch (``NaT`` value where the cell was not a date
    object) for cells that were datetimes already (Excel files read by openpyxl).
    """
    n = len(s)
    pre = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        vals = s.to_numpy(dtype=float, na_value=np.nan)
        integral = np.isfinite(vals) & (vals == np.floor(vals))
        text = np.where(
            integral,
            np.where(integral, vals, 0).astype(np.int64).astype(str),
            vals.astype(str),
        ).astype(object)
        text[~np.isfinite(vals)] = None
        return pa.chunked_array([pa.array(text, pa.large_string())]), pre
    if s.dtype == object:
        kind = pd.api.types.infer_dtype(s, skipna=True)
        if kind not in ("string", "empty"):
            values = s.to_numpy()
            is_dt = np.fromiter(
                (isinstance(v, _dt.date | np.datetime64) for v in values), bool, count=n
            )
            if is_dt.any():
                # Times are kept as written: a time zone is dropped, not converted to UTC.
                dates = [
                    v.replace(tzinfo=None) if getattr(v, "tzinfo", None) is not None else v
                    for v in values[is_dt]
                ]
                stamps = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce")
                pre[is_dt] = stamps.to_numpy("datetime64[us]").view(np.int64)
            text = np.asarray(
                [
                    None if d or v is None or v is pd.NA else str(v)
                    for v, d in zip(values, is_dt, strict=True)
                ],
                dtype=object,
            )
            for i in np.flatnonzero(pd.isna(values) & ~is_dt):
                text[i] = None
            return pa.chunked_array([pa.array(text, pa.large_string())]), pre
    arr = _arrow(s)
    return arr, pre


def _nfkc(arr):
    return pc.utf8_normalize(arr, "NFKC")


def _chinese_date_to_iso(arr):
    """2024年3月5日14时02分 -> 2024-3-5 14:02; 上午/下午 become AM/PM."""
    arr = pc.replace_substring_regex(arr, "[年月]", "-")
    arr = pc.replace_substring_regex(arr, "[日号] *", " ")
    arr = pc.replace_substring_regex(arr, "[时点]", ":")
    arr = pc.replace_substring_regex(arr, "分|秒", ":")
    arr = pc.replace_substring_regex(arr, "上午 *(.*)$", "\\1 AM")
    arr = pc.replace_substring_regex(arr, "(?:下午|晚上) *(.*)$", "\\1 PM")
    arr = pc.replace_substring_regex(arr, ":+$", "")
    arr = pc.replace_substring_regex(arr, ": *([AP]M)$", " \\1")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, " +", " "))


def _parse_date_array(arr: pa.ChunkedArray, *, dayfirst: bool) -> np.ndarray:
    """Parse normalised date strings to datetime64[us]; NaT where no format fits."""
    n = len(arr)
    notnull = _np_bool(pc.is_valid(arr))
    # NFKC only where a cell is not plain ASCII (full-width digits, 年月日).
    arr = _on_rows(arr, notnull & ~_np_bool(pc.string_is_ascii(arr)), _nfkc)
    arr = pc.utf8_trim_whitespace(arr)
    # Chinese forms to ISO-like: 2024年3月5日14时02分 -> 2024-3-5 14:02
    chinese = _np_bool(pc.match_substring_regex(arr, "[年月日号时点分秒午]"))
    arr = _on_rows(arr, chinese, _chinese_date_to_iso)
    nan = np.full(n, np.nan)
    y, m, d, hh, mi, ss, fr = (nan.copy() for _ in range(7))
    frac_len = np.zeros(n)
    pm = np.zeros(n, dtype=bool)
    am = np.zeros(n, dtype=bool)

    def run(pattern: str, fields: dict, ap: bool):
        """Extract ``pattern`` from the cells no earlier pattern read."""
        todo = notnull & np.isnan(y)
        if not todo.any():
            return
        idx = np.flatnonzero(todo)
        sub = arr if len(idx) == n else pc.filter(arr, pa.array(todo))
        struct = pc.extract_regex(sub, pattern)
        valid = _np_bool(pc.is_valid(struct))
        if not valid.any():
            return
        rows = idx[valid]
        stype = struct.type
        names = {stype.field(i).name for i in range(stype.num_fields)}
        for name, target in fields.items():
            target[rows] = _num(struct, name)[valid]
        for name, target in (("H", hh), ("M", mi), ("S", ss)):
            if name in names:
                target[rows] = _num(struct, name)[valid]
        if "f" in names:
            fr[rows] = _num(struct, "f")[valid]
            f_len = pc.utf8_length(pc.struct_field(struct, "f"))
            frac_len[rows] = f_len.to_numpy(zero_copy_only=False)[valid]
        if ap and "ap" in names:
            a = pc.utf8_upper(pc.struct_field(struct, "ap"))
            pm[rows] = _np_bool(pc.equal(a, "PM"))[valid]
            am[rows] = _np_bool(pc.equal(a, "AM"))[valid]

    if n:
        run(_YMD_RE, {"y": y, "m": m, "d": d}, True)
        run(_COMPACT_RE, {"y": y, "m": m, "d": d}, False)
        if dayfirst:
            run(_XXY_RE, {"y": y, "a": d, "b": m}, True)
        else:
            run(_XXY_RE, {"y": y, "a": m, "b": d}, True)
    hh = np.where(np.isnan(hh), 0, hh)
    mi = np.where(np.isnan(mi), 0, mi)
    ss = np.where(np.isnan(ss), 0, ss)
    fr = np.where(np.isnan(fr), 0, fr)
    ampm = pm | am
    bad_ampm = ampm & ((hh > 12) | (hh == 0))
    hh = np.where(pm & (hh < 12), hh + 12, hh)
    hh = np.where(am & (hh == 12), 0, hh)
    ok = (
        ~np.isnan(y)
        & (y >= _YEAR_RANGE[0])
        & (y <= _YEAR_RANGE[1])
        & (m >= 1)
        & (m <= 12)
        & (d >= 1)
        & (d <= 31)
        & (hh < 24)
        & (mi < 60)
        & (ss < 60)
        & ~bad_ampm
    )
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    if ok.any():
        yi = y[ok].astype(np.int64)
        mo = (yi - 1970) * 12 + (m[ok].astype(np.int64) - 1)
        month_start = mo.astype("datetime64[M]")
        day = month_start.astype("datetime64[D]") + (d[ok].astype(np.int64) - 1)
        same_month = day.astype("datetime64[M]") == month_start  # rejects 2月30日
        micro = np.round(fr[ok] * 10.0 ** (6 - frac_len[ok])).astype(np.int64)
        stamp = (
            day.astype("datetime64[us]")
            + (hh[ok].astype(np.int64) * 3600 + mi[ok].astype(np.int64) * 60).astype(
                "timedelta64[s]"
            )
            + ss[ok].astype(np.int64).astype("timedelta64[s]")
            + micro.astype("timedelta64[us]")
        )
        stamp[~same_month] = np.datetime64("NaT")
        out[ok] = stamp
    # Excel serial numbers.
    excel = _np_bool(pc.match_substring_regex(arr, _EXCEL_RE)) & np.isnat(out)
    if excel.any():
        days = pc.cast(pc.filter(arr, pa.array(excel)), pa.float64()).to_numpy()
        micro = np.round(days * 86_400) * 1_000_000  # to the second: serials carry float noise
        out[excel] = _EXCEL_EPOCH + micro.astype(np.int64).astype("timedelta64[us]")
    return out


def _parse_dates(
    df: pd.DataFrame, columns: Sequence[str], dayfirst: bool
) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray, pd.Series]]]:
    """Parse each column; return the frame and, per column, (missing, bad, raw)."""
    out = df.copy(deep=False)
    found: dict[str, tuple[np.ndarray, np.ndarray, pd.Series]] = {}
    for col in columns:
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            missing = s.isna().to_numpy()
            found[col] = (missing, np.zeros(len(s), bool), s)
            continue
        arr, pre = _date_strings(s)
        arr = pc.utf8_trim_whitespace(arr)
        parsed = _parse_date_array(arr, dayfirst=dayfirst)
        has_pre = pre != np.iinfo(np.int64).min
        parsed[has_pre] = pre[has_pre].view("datetime64[us]")
        blank = _np_bool(pc.or_kleene(pc.is_null(arr), pc.equal(arr, ""))) & ~has_pre
        bad = np.isnat(parsed) & ~blank
        found[col] = (blank, bad, s)
        out[col] = pd.Series(parsed, index=df.index, name=col)
    return out, found


def parse_dates(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    errors: str = "raise",
) -> pd.DataFrame:
    """Turn date columns written in any export's format into datetimes.

    Reads, in one vectorised pass per format family:

    - ``2024-03-05 14:02``, ``2024-03-05 14:02:33``, ``2024-03-05T14:02:00``,
      ``2024/3/5 14:02``, ``2024/3/5``, ``2024.3.5`` (year first);
    - ``2024年3月5日14时02分``, ``2024年3月5日 14:02``, ``2024年3月5日下午2点``;
    - ``20240305`` and ``20240305140233`` (compact);
    - ``01/15/2024 10:23:45 PM`` (US 311 style; day first with ``dayfirst=True``);
    - Excel serial day numbers such as ``45356.58`` (read to the second);
    - cells that are already dates (Excel files) and numeric columns.

    Full-width digits are read too (cells are NFKC-normalised first). A time-zone
    suffix (``Z``, ``+08:00``) is dropped: times are kept as written. Years outside
    1900-2100, month 13, 30 February, 25:00 and the like are unreadable, never
    silently moved.

    An unreadable non-empty cell is never turned into a silent ``NaT``: with
    ``errors="raise"`` (the default) a :class:`DateParseError` lists the cells, with
    the row number in the user's file. :func:`clean_tickets` instead sets those rows
    aside with a reason. Empty cells become ``NaT`` (an open ticket has no
    ``closed_at``).

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    columns : sequence of str, default ("created_at", "closed_at")
        Date columns; those absent from ``df`` are skipped.
    dayfirst : bool, default False
        Read ``05/03/2024`` as 5 March rather than 3 May.
    errors : {"raise", "coerce"}, default "raise"
        ``"coerce"`` turns unreadable cells into ``NaT`` and logs a warning with the
        count and the first values.

    Returns
    -------
    pandas.DataFrame
        A new frame whose date columns have a ``datetime64`` dtype.

    Raises
    ------
    DateParseError
        If ``errors="raise"`` and a non-empty cell cannot be read.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"created_at": ["2024年3月5日14时02分", "2024/3/5", "45356.5",
    ...                                   "01/15/2024 10:23:45 PM", "20240305"]})
    >>> parse_dates(df)["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
    ['2024-03-05 14:02:00', '2024-03-05 00:00:00', '2024-03-05 12:00:00', '2024-01-15 22:23:45', '2024-03-05 00:00:00']
    >>> try:
    ...     parse_dates(pd.DataFrame({"created_at": ["2024-13-45"]}))
    ... except DateParseError as err:
    ...     print(err)
    1 unreadable date(s): created_at '2024-13-45' (row 1)
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    out, found = _parse_dates(df, columns, dayfirst)
    rows = _row_numbers(df)
    bad_parts = []
    for col, (_, bad, raw) in found.items():
        if bad.any():
            idx = np.flatnonzero(bad)
            bad_parts.append(
                pd.DataFrame(
                    {
                        "source_row": rows[idx],
                        "column": col,
                        "value": raw.iloc[idx].astype(str).to_numpy(),
                    }
                )
            )
    if bad_parts:
        bad = pd.concat(bad_parts, ignore_index=True)
        shown = "; ".join(
            f"{r.column} '{r.value}' (row {r.source_row})" for r in bad.head(5).itertuples()
        )
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        msg = f"{len(bad)} unreadable date(s): {shown}{more}"
        if errors == "raise":
            raise DateParseError(msg, bad=bad)
        logger.warning("parse_dates: %s; set to NaT (errors='coerce')", msg)
    return out


# --------------------------------------------------------------------------------------
# strip_boilerplate
# --------------------------------------------------------------------------------------


@functools.cache
def _bundled_boilerplate() -> tuple[str, ...]:
    text = resources.files("commlib.resources").joinpath("boilerplate.txt").read_text("utf-8")
    return tuple(_pattern_lines(text.splitlines()))


def _pattern_lines(lines: Iterable[str]) -> list[str]:
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _load_patterns(patterns) -> list[str]:
    if patterns is None:
        pats = list(_bundled_boilerplate())
    elif isinstance(patterns, str | PathLike):
        with open(patterns, encoding="utf-8") as fh:
            pats = _pattern_lines(fh)
    else:
        pats = [p for p in patterns if p]
    import unicodedata

    return [unicodedata.normalize("NFKC", p) for p in pats]


def _split_marked(marked: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """Split texts with \x01phrase\x02-marked boilerplate into (text, phrases).

    Literal splits and index arithmetic only, no regex: ``text`` is what lies outside
    the markers, ``phrases`` the marked phrases "|"-joined without their punctuation.
    """
    marked = _combined(marked)
    parts = pc.split_pattern(marked, "\x01")  # [before, "ph\x02after", "ph\x02after", ...]
    offsets = parts.offsets.to_numpy()
    offsets = offsets - offsets[0]
    flat = pc.list_flatten(parts)
    counts = np.diff(offsets)
    is_first = np.zeros(len(flat), dtype=bool)
    is_first[offsets[:-1][counts > 0]] = True
    halves = pc.split_pattern(flat, "\x02", max_splits=1)
    pieces = pc.list_flatten(halves)
    h_off = halves.offsets.to_numpy()
    h_off = h_off - h_off[0]
    starts = h_off[:-1]
    # Text: the first element whole, then what follows each \x02.
    seg_idx = np.where(is_first, starts, starts + 1)
    segments = pc.take(pieces, pa.array(seg_idx))
    text = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), segments)
    text = pc.binary_join(text, pa.scalar("", pa.large_string()))
    # Phrases: the part before each \x02, grouped back by row.
    phrase_idx = starts[~is_first]
    phrases = pc.utf8_rtrim(pc.take(pieces, pa.array(phrase_idx)), _PUNCT_CHARS)
    per_row = counts - 1
    per_row[counts == 0] = 0
    p_off = np.concatenate([[0], np.cumsum(per_row)]).astype(np.int32)
    found = pa.ListArray.from_arrays(pa.array(p_off), phrases)
    found = pc.binary_join(found, pa.scalar("|", pa.large_string()))
    found = pc.if_else(pc.equal(found, ""), pa.scalar(None, found.type), found)
    return text, found


def _strip_boilerplate(df: pd.DataFrame, patterns, column: str) -> tuple[pd.DataFrame, int, str]:
    out = df.copy(deep=False)
    pats = _load_patterns(patterns)
    arr = _arrow(df[column])
    if not pats or len(arr) == 0:
        out["boilerplate"] = _series(pa.nulls(len(arr), pa.large_string()), df[column])
        if "text_original" not in out.columns:
            out["text_original"] = df[column]
        return out, 0, "no patterns" if not pats else ""
    body = "|".join(f"(?:{p})" for p in pats)
    find = f"(?:{body})"
    hit = _np_bool(pc.match_substring_regex(arr, find))
    boiler = pa.nulls(len(arr), pa.large_string())
    text = arr
    if hit.any():
        mask = pa.array(hit)
        sub = pc.filter(arr, mask)
        # Wrap every phrase (and the punctuation after it) in \x01 ... \x02: one regex
        # pass; the passes below look for the literal markers, which RE2 finds fast.
        marked = pc.replace_substring_regex(sub, f"{find}[{_PUNCT}]*", "\x01\\0\x02")
        stripped, found = _split_marked(marked)
        stripped = pc.utf8_rtrim(pc.utf8_ltrim(stripped, _PUNCT_CHARS), _TRAIL_CHARS)
        text = pc.replace_with_mask(arr, mask, _combined(stripped))
        boiler = pc.replace_with_mask(boiler, mask, _combined(found))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    if "text_original" not in out.columns:  # keep the first original on a re-run
        out["text_original"] = df[column]
    out[column] = _series(text, df[column])
    out["boilerplate"] = _series(boiler, df[column])
    n_hit = int(hit.sum())
    only = int((hit & _np_bool(pc.is_null(text))).sum())
    note = f"{len(pats)} patterns; {n_hit} rows had boilerplate"
    if only:
        note += f"; {only} rows were boilerplate only (text now empty, kept)"
    return out, n_hit, note


def strip_boilerplate(
    df: pd.DataFrame,
    *,
    patterns: Sequence[str] | str | PathLike | None = None,
    column: str = "text",
) -> pd.DataFrame:
    """Move hotline formulas (市民来电反映, 希望相关部门尽快处理 ...) out of the text.

    Operators wrap every request in the same phrases; left in place they top every
    word count. Each phrase found (with the punctuation right after it) is cut out of
    ``text`` and listed, ``"|"``-joined, in a new column ``boilerplate``; the text as
    it came in is kept in ``text_original`` (left unchanged if that column exists).
    A text that was boilerplate only becomes missing; the row is kept.

    The bundled list is ``commlib/resources/boilerplate.txt`` (RE2 regular
    expressions, one per line, documented in the file). Mask before you strip when
    texts carry personal data: :func:`clean_tickets` does, so ``text_original`` and
    ``boilerplate`` are masked as well.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    patterns : sequence of str, or path, optional
        RE2 patterns (no look-around or back-references), or a path to a UTF-8 file
        with one per line (``#`` starts a comment). Default: the bundled list.
        Earlier patterns win where two start at the same place.
    column : str, default "text"
        Column to clean.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``column`` cleaned, plus ``boilerplate`` and ``text_original``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["市民来电反映:小区门口垃圾堆放,希望相关部门尽快处理。"]})
    >>> out = strip_boilerplate(df)
    >>> out.loc[0, "text"], out.loc[0, "boilerplate"]
    ('小区门口垃圾堆放', '市民来电反映|希望相关部门尽快处理')
    >>> out.loc[0, "text_original"]
    '市民来电反映:小区门口垃圾堆放,希望相关部门尽快处理。'
    """
    require_columns(df, [column], where="strip_boilerplate")
    out, n_hit, note = _strip_boilerplate(df, patterns, column)
    logger.info("strip_boilerplate: %s", note)
    return out


# --------------------------------------------------------------------------------------
# map_categories
# --------------------------------------------------------------------------------------


def _norm_label(value: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


@functools.cache
def _bundled_synonyms() -> tuple[tuple[str, str], ...]:
    path = resources.files("commlib.resources").joinpath("category_synonyms.csv")
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str)
    return tuple(zip(table["synonym"], table["category"], strict=True))


def _synonym_table(synonyms) -> dict[str, str]:
    """``{normalised synonym: canonical label}`` from a dict, a CSV path or the bundle."""
    if synonyms is None:
        pairs = _bundled_synonyms()
    elif isinstance(synonyms, Mapping):
        pairs = tuple(synonyms.items())
    elif isinstance(synonyms, str | PathLike):
        table = pd.read_csv(synonyms, dtype=str)
        require_columns(
            table,
            ["category", "synonym"],
            where=f"synonym file {synonyms!s}",
            hint="It needs a 'category' column (canonical label) and a 'synonym' column.",
        )
        pairs = tuple(zip(table["synonym"], table["category"], strict=True))
    else:
        raise TypeError("synonyms must be None, a dict {synonym: category} or a CSV path")
    table: dict[str, str] = {}
    for syn, canon in pairs:
        if isinstance(syn, str) and isinstance(canon, str):
            table[_norm_label(syn)] = canon.strip()
            table.setdefault(_norm_label(canon), canon.strip())
    return table


def _map_categories(df: pd.DataFrame, synonyms, column: str) -> tuple[pd.DataFrame, int, str]:
    table = _synonym_table(synonyms)
    s = df[column]
    codes, uniques = pd.factorize(s)
    new_uniques = []
    unknown: list[str] = []
    for u in uniques:
        hit = table.get(_norm_label(u))
        if hit is None:
            unknown.append(u)
            new_uniques.append(u)
        else:
            new_uniques.append(hit)
    new_u = np.asarray(new_uniques, dtype=object)
    values = np.where(codes >= 0, new_u[np.maximum(codes, 0)] if len(new_u) else None, None)
    mapped = pd.Series(values, index=s.index, name=column, dtype="str")
    out = df.copy(deep=False)
    out[column] = mapped
    before = s.astype("str")
    changed = int((before.ne(mapped) & mapped.notna()).sum())
    unknown_set = set(unknown)
    n_unknown_rows = int(
        np.isin(codes, [i for i, u in enumerate(uniques) if u in unknown_set]).sum()
    )
    note = f"{changed} rows relabelled; {len(unknown)} unknown labels kept as they are ({n_unknown_rows} rows)"
    if unknown:
        note += (
            ": " + ", ".join(repr(u) for u in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        )
    return out, changed, note


def map_categories(
    df: pd.DataFrame,
    *,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    column: str = "category",
) -> pd.DataFrame:
    """Give each category one spelling: 噪声扰民, 噪音 and 扰民噪音 all become 噪音扰民.

    Labels are matched after NFKC, whitespace collapsing and case folding, so
    ``"Noise "`` and ``"noise"`` match the same synonym. Labels not in the table are
    kept as they are; how many is logged (and shown in :func:`clean_tickets`' log).
    The work is done once per distinct label, not once per row.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    synonyms : dict or path, optional
        ``{synonym: canonical label}``, or a CSV file with columns ``category``
        (canonical) and ``synonym``. Default: the bundled
        ``commlib/resources/category_synonyms.csv``.
    column : str, default "category"
        Column to map.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``column`` mapped.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["噪声扰民", "乱停车", "噪音扰民", "其他"]})
    >>> map_categories(df)["category"].tolist()
    ['噪音扰民', '停车管理', '噪音扰民', '其他']
    >>> map_categories(df, synonyms={"其他": "其它"})["category"].tolist()
    ['噪声扰民', '乱停车', '噪音扰民', '其它']
    """
    require_columns(df, [column], where="map_categories")
    out, _, note = _map_categories(df, synonyms, column)
    logger.info("map_categories: %s", note)
    return out


# --------------------------------------------------------------------------------------
# address_key
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# drop_duplicate_tickets
# --------------------------------------------------------------------------------------

#: Columns that differ between two copies of one exported row and so are ignored when
#: looking for duplicates.
_PROVENANCE_COLUMNS = ("source_row",)


def _duplicates(df: pd.DataFrame, subset) -> tuple[np.ndarray, np.ndarray]:
    """(is_duplicate, position of the kept first copy) for each row."""
    cols = (
        [c for c in df.columns if c not in _PROVENANCE_COLUMNS] if subset is None else list(subset)
    )
    n = len(df)
    if n == 0 or not cols:
        return np.zeros(n, bool), np.arange(n)
    # Copies share every column, so only rows whose ticket_id (or, without one, whose
    # row hash) repeats can be copies; those few are then compared exactly, column by
    # column, so a hash collision can never drop a distinct row.
    if "ticket_id" in cols:
        maybe = df["ticket_id"].duplicated(keep=False).to_numpy()
    else:
        h = pd.util.hash_pandas_object(df[cols], index=False).to_numpy()
        maybe = pd.Series(h).duplicated(keep=False).to_numpy()
    dup = np.zeros(n, bool)
    first = np.arange(n)
    if maybe.any():
        idx = np.flatnonzero(maybe)
        sub = df.iloc[idx][cols].reset_index(drop=True)
        grp = sub.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
        d = pd.Series(grp).duplicated().to_numpy()
        dup[idx] = d
        first_pos = pd.Series(idx).groupby(grp).transform("first").to_numpy()
        first[idx] = first_pos
    return dup, first


def drop_duplicate_tickets(
    df: pd.DataFrame, *, subset: Sequence[str] | None = None
) -> pd.DataFrame:
    """Remove rows that are exact copies of an earlier row.

    Exports often repeat a row (paged downloads, a merged file exported twice). A
    copy agrees on *every* column, ticket_id included; two calls about the same
    problem are different tickets and are kept (see :func:`mark_repeat_calls`). The
    first copy is kept. ``source_row`` is ignored, since copies sit on different
    rows of the file. Run it after :func:`normalize_text` so that copies differing
    only in spaces or full-width digits are caught.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    subset : sequence of str, optional
        Compare only these columns. Default: all but ``source_row``.

    Returns
    -------
    pandas.DataFrame
        A new frame without the later copies (index kept).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ticket_id": ["A", "A", "B"], "text": ["漏水", "漏水", "漏水"]})
    >>> drop_duplicate_tickets(df)["ticket_id"].tolist()
    ['A', 'B']
    """
    dup, _ = _duplicates(df, subset)
    logger.info("drop_duplicate_tickets: %d duplicate rows removed", int(dup.sum()))
    return df.loc[~dup].copy(deep=False)


# --------------------------------------------------------------------------------------
# mark_repeat_calls
# --------------------------------------------------------------------------------------

_SIG_BITS = 1024  # bigram-set signature width; 128 bytes per compared text


def _bigram_signatures(texts: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each text's character bigrams hashed into a ``_SIG_BITS``-bit set (uint64 words)."""
    m = len(texts)
    words = _SIG_BITS // 64
    sig = np.zeros((m, words), dtype=np.uint64)
    if m == 0:
        return sig
    lengths = pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    strings = pc.fill_null(texts, "").to_pylist()
    chunk = 20_000
    for start in range(0, m, chunk):
        stop = min(start + chunk, m)
        joined = "".join(strings[start:stop])
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lens = lengths[start:stop]
        row = np.repeat(np.arange(stop - start), lens)
        if len(cp) < 2:
            continue
        same = row[1:] == row[:-1]
        h = (cp[:-1] * np.uint64(0x9E3779B1) + cp[1:] * np.uint64(0x85EBCA77)) >> np.uint64(7)
        h = (h % np.uint64(_SIG_BITS)).astype(np.int64)[same]
        bits = np.zeros((stop - start, _SIG_BITS), dtype=bool)
        bits[row[1:][same], h] = True
        sig[start:stop] = np.packbits(bits, axis=1).view(np.uint64)
    return sig


def _jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    inter = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    union = np.bitwise_count(a | b).sum(axis=1, dtype=np.int64)
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def _mark_repeats(
    df: pd.DataFrame, window, similarity: float, lookback: int, text: str
) -> tuple[pd.DataFrame, int, str]:
    n = len(df)
    out = df.copy(deep=False)
    if "address_key" not in df.columns:
        out = add_address_key(out)
    ids = df["ticket_id"] if "ticket_id" in df.columns else pd.Series(np.arange(n), index=df.index)
    ak = pd.factorize(out["address_key"])[0]
    cat = pd.factorize(out["category"])[0]
    created = pd.to_datetime(out["created_at"]).to_numpy("datetime64[us]").view(np.int64)
    nat = np.isnat(pd.to_datetime(out["created_at"]).to_numpy("datetime64[us]"))
    tid = pd.factorize(ids)[0]
    win = int(pd.Timedelta(window) / pd.Timedelta(microseconds=1))
    order = np.lexsort((created, cat, ak))
    ak_s, cat_s, t_s, tid_s = ak[order], cat[order], created[order], tid[order]
    valid = (ak_s >= 0) & (cat_s >= 0) & ~nat[order]
    pairs = []
    for k in range(1, lookback + 1):
        if n <= k:
            break
        i = np.arange(k, n)
        j = i - k
        c = (
            valid[i]
            & valid[j]
            & (ak_s[i] == ak_s[j])
            & (cat_s[i] == cat_s[j])
            & (t_s[i] - t_s[j] <= win)
            & ((tid_s[i] != tid_s[j]) | (tid_s[i] < 0))
        )
        pairs.append((k, i[c], j[c]))
    parent = np.full(n, -1, dtype=np.int64)
    n_pairs = sum(len(p[1]) for p in pairs)
    if n_pairs:
        involved = np.unique(np.concatenate([np.concatenate([p[1], p[2]]) for p in pairs]))
        pos = np.full(n, -1, dtype=np.int64)
        pos[involved] = np.arange(len(involved))
        tx = out[text] if text in out.columns else pd.Series(pd.NA, index=out.index, dtype="str")
        if "title" in out.columns:
            tx = tx.fillna(out["title"])
        texts = _arrow(tx.iloc[order[involved]].reset_index(drop=True))
        sig = _bigram_signatures(texts)
        # Largest lag first, so the nearest earlier match (smallest lag) wins.
        for _k, i, j in reversed(pairs):
            sim = _jaccard(sig[pos[i]], sig[pos[j]])
            hit = sim >= similarity
            parent[i[hit]] = j[hit]
    # Follow each chain to its first call (pointer jumping; parents are earlier rows).
    root = np.where(parent >= 0, parent, np.arange(n))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    is_repeat_sorted = parent >= 0
    repeat_of = np.full(n, None, dtype=object)
    id_values = ids.to_numpy(dtype=object)
    src = order[root[is_repeat_sorted]]
    repeat_of[order[is_repeat_sorted]] = id_values[src]
    out["repeat_of"] = pd.Series(repeat_of, index=out.index, dtype="str")
    n_rep = int(is_repeat_sorted.sum())
    chains = len(np.unique(root[is_repeat_sorted])) if n_rep else 0
    note = (
        f"{n_rep} repeat calls in {chains} chains "
        f"(window {window}, bigram Jaccard >= {similarity}; {n_pairs} candidate pairs)"
    )
    return out, n_rep, note


def mark_repeat_calls(
    df: pd.DataFrame,
    *,
    window: str | pd.Timedelta = "3D",
    similarity: float = 0.6,
    lookback: int = 3,
    text: str = "text",
) -> pd.DataFrame:
    """Flag likely repeat calls about one problem; nothing is deleted.

    A ticket is a repeat of an earlier one when both have the same ``address_key``
    (built from ``address`` if absent) and the same ``category``, it was created at
    most ``window`` after that earlier ticket, it has a different ``ticket_id``, and
    their texts are near-identical: the Jaccard similarity of their character-bigram
    sets is at least ``similarity``. Chains are followed, so ``repeat_of`` holds the
    ticket_id of the *first* call of the chain (each link within ``window`` of the
    previous one); first calls and singletons get missing ``repeat_of``.

    Built to scale: rows are sorted by (address_key, category, created_at) and each
    row is compared only with the ``lookback`` rows before it, by shifting arrays;
    texts of candidate pairs are reduced to 1024-bit bigram-hash sets, so the
    similarity is a popcount. Hash collisions make the similarity slightly
    generous (about +0.05 for unrelated 150-character texts).

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with ``created_at`` (datetime), ``category``, ``address`` or
        ``address_key``, and ``text`` (``title`` fills a missing text).
    window : str or pandas.Timedelta, default "3D"
        Longest gap between two linked calls.
    similarity : float, default 0.6
        Smallest bigram Jaccard similarity of two texts for a repeat.
    lookback : int, default 3
        How many earlier calls of the same place and category each call is compared
        with.
    text : str, default "text"
        Column whose texts are compared.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``repeat_of`` (and ``address_key`` if it was built).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "ticket_id": ["A", "B", "C", "D"],
    ...     "created_at": pd.to_datetime(["2024-03-01 08:00", "2024-03-02 09:00",
    ...                                   "2024-03-03 10:00", "2024-03-20 10:00"]),
    ...     "category": ["噪音扰民"] * 4,
    ...     "address": ["云岭西路123号", "云岭西路一二三号", "云岭西路123号底商", "云岭西路123号"],
    ...     "text": ["楼下酒吧深夜噪音很大影响休息", "楼下酒吧深夜噪音很大影响休息!",
    ...              "楼下酒吧深夜噪音很大,影响休息", "楼下酒吧深夜噪音很大影响休息"],
    ... })
    >>> mark_repeat_calls(df)["repeat_of"].tolist()
    [nan, 'A', 'A', nan]
    """
    require_columns(df, ["created_at", "category"], where="mark_repeat_calls")
    if "address_key" not in df.columns:
        require_columns(df, ["address"], where="mark_repeat_calls")
    out, _, note = _mark_repeats(df, window, similarity, lookback, text)
    logger.info("mark_repeat_calls: %s", note)
    return out


# --------------------------------------------------------------------------------------
# clean_tickets
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CleanResult:
    """What :func:`clean_tickets` hands back.

    Attributes
    ----------
    tickets : pandas.DataFrame
        The clean tickets, with ``source_row`` (row in the user's file).
    rejected : pandas.DataFrame
        Rows set aside: ``source_row``, ``step``, ``reason`` (plain words naming the
        column, the bad value and the row), then the row's cells (masked when
        masking is on; dates as they were written).
    duplicates : pandas.DataFrame
        Rows removed as exact copies: ``source_row`` and ``duplicate_of`` (the
        ``source_row`` of the copy kept).
    log : pandas.DataFrame
        One line per step: ``step``, ``rows_in``, ``rows_out``, ``rows_changed``
        (rows whose values the step altered), ``seconds`` (wall clock),
        ``cpu_seconds`` (this process's CPU time), ``note``.
    """

    tickets: pd.DataFrame
    rejected: pd.DataFrame
    duplicates: pd.DataFrame
    log: pd.DataFrame

    @property
    def rows_in(self) -> int:
        """Rows in the input table."""
        return int(self.log["rows_in"].iloc[0]) if len(self.log) else 0

    def summary(self) -> str:
        """A few lines saying where every input row went.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"created_at": ["2024-03-05", "bad"], "text": ["漏水", "漏水"]})
        >>> print(clean_tickets(df, mask=False).summary())  # doctest: +NORMALIZE_WHITESPACE
        2 rows in: 1 clean, 1 rejected, 0 duplicates removed.
        rejected by parse_dates: 1
        """
        lines = [
            f"{self.rows_in} rows in: {len(self.tickets)} clean, {len(self.rejected)} rejected, "
            f"{len(self.duplicates)} duplicates removed."
        ]
        if len(self.rejected):
            for step, count in self.rejected["step"].value_counts(sort=False).items():
                lines.append(f"rejected by {step}: {count}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"CleanResult({self.summary().splitlines()[0]})"

    def _repr_html_(self) -> str:
        head = html.escape(self.summary()).replace("\n", "<br>")
        return f"<p>{head}</p>" + self.log.to_html(index=False)


def _reason_frame(part: pd.DataFrame, step: str, reasons: np.ndarray) -> pd.DataFrame:
    out = part.copy(deep=False)
    out.insert(0, "reason", pd.Series(reasons, index=part.index, dtype="str"))
    out.insert(0, "step", step)
    if "source_row" in out.columns:
        out.insert(0, "source_row", out.pop("source_row"))
    return out


def _join_reasons(parts: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Per row, the "; "-joined reasons of the masks that hit it (None if none)."""
    reasons = np.full(n, None, dtype=object)
    for mask, texts in parts:
        for i in np.flatnonzero(mask):
            reasons[i] = texts[i] if reasons[i] is None else f"{reasons[i]}; {texts[i]}"
    return reasons


def _clean_rows(
    df: pd.DataFrame, opts: dict
) -> tuple[pd.DataFrame, list[pd.DataFrame], list[dict]]:
    """The per-row steps: each row is handled without looking at the others."""
    log: list[dict] = []
    rejected: list[pd.DataFrame] = []

    def record(step, rows_in, rows_out, changed, note, t0, c0):
        log.append(
            {
                "step": step,
                "rows_in": rows_in,
                "rows_out": rows_out,
                "rows_changed": int(changed),
                "seconds": round(time.perf_counter() - t0, 3),
                "cpu_seconds": round(time.process_time() - c0, 3),
                "note": note,
            }
        )

    # normalise
    t0 = time.perf_counter()
    c0 = time.process_time()
    cols = [c for c in _default_text_columns(df) if c != "source_row"]
    df, changed, note = _normalize_text(df, cols)
    record("normalize_text", len(df), len(df), changed, note, t0, c0)

    # mask
    t0 = time.perf_counter()
    c0 = time.process_time()
    if opts["mask"]:
        from commlib.privacy import mask_pii

        df = df.copy(deep=False)
        masked_cols = [c for c in MASK_COLUMNS if c in df.columns]
        changed_mask = np.zeros(len(df), bool)
        for col in masked_cols:
            before = df[col]
            after = pd.Series(mask_pii(before), index=df.index, name=col)
            changed_mask |= (before.ne(after) & after.notna()).to_numpy(dtype=bool, na_value=False)
            df[col] = after
        note = f"masked {', '.join(masked_cols)}" if masked_cols else "no text columns to mask"
        record("mask", len(df), len(df), changed_mask.sum(), note, t0, c0)
    else:
        record("mask", len(df), len(df), 0, "skipped (mask=False): personal data left in", t0, c0)

    # dates
    t0 = time.perf_counter()
    c0 = time.process_time()
    date_cols = [c for c in opts["date_columns"] if c in df.columns]
    n_in = len(df)
    if date_cols:
        parsed, found = _parse_dates(df, date_cols, opts["dayfirst"])
        rows = df["source_row"].to_numpy()
        parts = []
        for col, (blank, bad, raw) in found.items():
            if (col == date_cols[0] or col == "created_at") and blank.any():
                texts = np.full(n_in, None, dtype=object)
                for i in np.flatnonzero(blank):
                    texts[i] = f"{col} 为空 (行 {rows[i]})"
                parts.append((blank, texts))
            if bad.any():
                idx = np.flatnonzero(bad)
                values = raw.iloc[idx].astype("str").to_numpy(dtype=object, na_value="")
                texts = np.full(n_in, None, dtype=object)
                for i, value in zip(idx, values, strict=True):
                    texts[i] = f"{col} 无法识别的日期 '{value}' (行 {rows[i]})"
                parts.append((bad, texts))
        bad_any = np.zeros(n_in, bool)
        for mask_, _ in parts:
            bad_any |= mask_
        if bad_any.any():
            reasons = _join_reasons(parts, n_in)[bad_any]
            if opts["mask"]:
                from commlib.privacy import mask_pii

                reasons = np.asarray(mask_pii(pd.Series(reasons, dtype="str")), dtype=object)
            part = df.loc[bad_any]
            if opts["mask"]:
                # Date cells are typed by hand too: a phone number can sit in one.
                part = part.copy(deep=False)
                for col in date_cols:
                    if _is_text_column(part[col]):
                        part[col] = mask_pii(part[col].astype("str"))
            rejected.append(_reason_frame(part, "parse_dates", reasons))
        df = parsed.loc[~bad_any]
        counts = {c: int(f[1].sum()) for c, f in found.items()}
        note = f"parsed {', '.join(date_cols)}; rejected {int(bad_any.sum())} " + (
            "(" + ", ".join(f"{c}: {k} unreadable" for c, k in counts.items()) + ")"
        )
        record("parse_dates", n_in, len(df), n_in, note, t0, c0)
    else:
        record("parse_dates", n_in, n_in, 0, "skipped: no date columns", t0, c0)

    # empty text
    t0 = time.perf_counter()
    c0 = time.process_time()
    n_in = len(df)
    text_cols = [c for c in ("text", "title") if c in df.columns]
    if text_cols:
        empty = np.ones(n_in, bool)
        for c in text_cols:
            empty &= df[c].isna().to_numpy()
        if empty.any():
            rows = df["source_row"].to_numpy()[empty]
            what = "text 与 title 均为空" if len(text_cols) == 2 else f"{text_cols[0]} 为空"
            reasons = np.asarray([f"{what} (行 {r})" for r in rows], dtype=object)
            rejected.append(_reason_frame(df.loc[empty], "reject_empty_text", reasons))
            df = df.loc[~empty]
        record("reject_empty_text", n_in, len(df), 0, f"rejected {int(empty.sum())}", t0, c0)
    else:
        record("reject_empty_text", n_in, n_in, 0, "skipped: no text or title column", t0, c0)

    # Steps that rewrite one column and keep every row; skipped with a note when their
    # column is absent. Each returns (frame, rows changed, note).
    def community_step(d):
        out = normalize_community(d)
        changed = int((d["community"].fillna("") != out["community"].fillna("")).sum())
        return out, changed, f"{changed} names tidied"

    def address_step(d):
        out = add_address_key(d)
        n_addr, n_keys = out["address"].nunique(), out["address_key"].nunique()
        changed = int(out["address_key"].notna().sum())
        return out, changed, f"{n_addr} distinct addresses -> {n_keys} distinct keys"

    column_steps = (
        ("strip_boilerplate", "text", lambda d: _strip_boilerplate(d, opts["boilerplate"], "text")),
        ("map_categories", "category", lambda d: _map_categories(d, opts["synonyms"], "category")),
        # "锦岚苑居委" and "锦岚苑" are one compound
        ("normalize_community", "community", community_step),
        ("add_address_key", "address", address_step),
    )
    for step, column, run in column_steps:
        t0 = time.perf_counter()
        c0 = time.process_time()
        if column in df.columns:
            df, changed, note = run(df)
            record(step, len(df), len(df), changed, note, t0, c0)
        else:
            record(step, len(df), len(df), 0, f"skipped: no {column} column", t0, c0)
    return df, rejected, log


#: From this many rows on, ``clean_tickets`` runs the per-row steps in two processes
#: (when the machine has two cores): measured on 1M synthetic tickets, it saves about
#: 40 % of the time; below this the start-up of a worker costs more than it saves.
_PARALLEL_MIN_ROWS = 250_000
_FORK_OK = sys.platform.startswith("linux")


def _hashed(hash_identifier, s: pd.Series, salt) -> pd.Series:
    hashed = hash_identifier(s, salt=salt)
    return pd.Series(np.asarray(hashed, dtype=object), index=s.index, name=s.name, dtype="str")


def _merge_logs(logs: list[list[dict]]) -> list[dict]:
    """One log from the logs of the partitions (same steps in the same order)."""
    merged = []
    for entries in zip(*logs, strict=True):
        notes = [e["note"] for e in entries]
        note = (
            notes[0]
            if len(set(notes)) == 1
            else " | ".join(f"part {i + 1}: {n}" for i, n in enumerate(notes))
        )
        merged.append(
            {
                "step": entries[0]["step"],
                "rows_in": sum(e["rows_in"] for e in entries),
                "rows_out": sum(e["rows_out"] for e in entries),
                "rows_changed": sum(e["rows_changed"] for e in entries),
                "seconds": max(e["seconds"] for e in entries),
                "cpu_seconds": round(sum(e["cpu_seconds"] for e in entries), 3),
                "note": note,
            }
        )
    return merged


def _clean_rows_parallel(df: pd.DataFrame, opts: dict, n_jobs: int):
    """:func:`_clean_rows` on ``n_jobs`` contiguous partitions, one in this process."""
    import concurrent.futures
    import multiprocessing

    bounds = np.linspace(0, len(df), n_jobs + 1).astype(int)
    parts = [df.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    # "fork" where it is safe (Linux): the worker starts at once and does not re-run
    # the user's script; Arrow re-creates its thread pool after a fork. Elsewhere
    # "spawn", which needs the ``if __name__ == "__main__":`` guard in scripts.
    ctx = multiprocessing.get_context("fork" if _FORK_OK else "spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=n_jobs - 1, mp_context=ctx) as pool:
        futures = [pool.submit(_clean_rows, part, opts) for part in parts[1:]]
        results = [_clean_rows(parts[0], opts)] + [f.result() for f in futures]
    rows = pd.concat([r[0] for r in results])
    rejected = [frame for r in results for frame in r[1]]
    return rows, rejected, _merge_logs([r[2] for r in results])


def clean_tickets(
    df: pd.DataFrame,
    *,
    mask: bool = True,
    salt: str | bytes | None = None,
    boilerplate: Sequence[str] | str | PathLike | None = None,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    repeat_window: str | pd.Timedelta = "3D",
    repeat_similarity: float = 0.6,
    date_columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    n_jobs: int | None = None,
) -> CleanResult:
    """Clean a ticket table in one call and account for every row.

    Runs, in order: :func:`normalize_text`; masking of ``title``/``text`` through
    :func:`commlib.privacy.mask_pii`; :func:`parse_dates`, rejecting rows
    whose ``created_at`` is missing or unreadable or whose ``closed_at`` is filled but
    unreadable; rejecting rows with neither ``text`` nor ``title``;
    :func:`strip_boilerplate`; :func:`map_categories`; :func:`add_address_key`;
    hashing ``caller_id`` through :func:`commlib.privacy.hash_identifier`;
    :func:`drop_duplicate_tickets`; :func:`mark_repeat_calls`. Steps whose columns are
    absent are skipped with a note in the log. Masking runs before anything is set
    aside or copied, so no output column (``rejected`` and ``text_original``
    included) holds unmasked text.

    Every output row carries ``source_row``, its row number in the user's file:
    ``df.attrs["first_data_row"] + position`` when the frame came from
    :func:`commlib.read_tickets` (which records the file row of the first data row),
    otherwise ``position + 1``; an existing ``source_row`` column is kept. The
    function checks that rows in = clean + rejected + duplicates removed and raises
    :class:`commlib.errors.CommlibError` if not.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with canonical columns. Not modified.
    mask : bool, default True
        Mask personal data. Turn off only for data that never leaves a secure place.
    salt : str or bytes, optional
        Salt for hashing ``caller_id`` (see :func:`commlib.privacy.hash_identifier`).
    boilerplate : sequence of str or path, optional
        Boilerplate patterns; default the bundled list (see :func:`strip_boilerplate`).
    synonyms : dict or path, optional
        Category synonyms; default the bundled table (see :func:`map_categories`).
    repeat_window : str or pandas.Timedelta, default "3D"
        Longest gap between linked repeat calls.
    repeat_similarity : float, default 0.6
        Smallest text similarity of a repeat call.
    date_columns : sequence of str, default ("created_at", "closed_at")
        Date columns. The first one (``created_at``) must be filled.
    dayfirst : bool, default False
        Read ``05/03/2024`` as 5 March.
    n_jobs : int, optional
        Processes for the per-row steps (normalise to address key; the table is cut
        into contiguous partitions). Default: 2 from 250,000 rows on, on Linux with
        two cores or more, else 1. Results are the same either way. Elsewhere a value
        above 1 starts workers with "spawn": guard a script's top level with
        ``if __name__ == "__main__":``.

    Returns
    -------
    CleanResult
        ``tickets``, ``rejected``, ``duplicates`` and ``log``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "ticket_id": ["A1", "A2", "A2", "A3"],
    ...     "created_at": ["2024/3/5 14:02", "2024年3月6日 09:10", "2024年3月6日 09:10", "2024-13-45"],
    ...     "category": ["噪声扰民", "乱停车", "乱停车", "噪音"],
    ...     "text": ["市民来电反映：楼下KTV噪音很大", "小区门口乱停车", "小区门口乱停车", "噪音"],
    ... })
    >>> result = clean_tickets(raw, mask=False)
    >>> result.tickets[["source_row", "ticket_id", "category", "text"]].to_numpy().tolist()
    [[1, 'A1', '噪音扰民', '楼下KTV噪音很大'], [2, 'A2', '停车管理', '小区门口乱停车']]
    >>> result.rejected["reason"].tolist()
    ["created_at 无法识别的日期 '2024-13-45' (行 4)"]
    >>> result.duplicates
       source_row  duplicate_of
    2           3             2
    """
    n_in = len(df)
    work = df.copy(deep=False)
    if "source_row" not in work.columns:
        work.insert(0, "source_row", _row_numbers(df))
    opts = {
        "mask": mask,
        "salt": salt,
        "boilerplate": boilerplate,
        "synonyms": synonyms,
        "date_columns": tuple(date_columns),
        "dayfirst": dayfirst,
    }
    if n_jobs is None:
        big = n_in >= _PARALLEL_MIN_ROWS and _FORK_OK
        n_jobs = min(2, os.cpu_count() or 1) if big else 1
    if n_jobs > 1 and n_in >= 2 * n_jobs:
        rows_df, rejected_parts, log = _clean_rows_parallel(work, opts, int(n_jobs))
    else:
        rows_df, rejected_parts, log = _clean_rows(work, opts)

    # caller_id: hashed in this process, after normalisation, on clean and rejected rows
    # alike (with salt=None the hash salt is drawn once per process, so workers must not).
    t0 = time.perf_counter()
    c0 = time.process_time()
    if mask and "caller_id" in rows_df.columns:
        from commlib.privacy import hash_identifier

        rows_df = rows_df.copy(deep=False)
        rows_df["caller_id"] = _hashed(hash_identifier, rows_df["caller_id"], salt)
        for i, part in enumerate(rejected_parts):
            if "caller_id" in part.columns:
                part = part.copy(deep=False)
                part["caller_id"] = _hashed(hash_identifier, part["caller_id"], salt)
                rejected_parts[i] = part
        note = "caller_id hashed (salted)"
    else:
        note = "skipped: " + ("mask=False" if not mask else "no caller_id column")
    log.append(
        {
            "step": "hash_caller_id",
            "rows_in": len(rows_df),
            "rows_out": len(rows_df),
            "rows_changed": int(rows_df["caller_id"].notna().sum())
            if "caller_id" in rows_df and mask
            else 0,
            "seconds": round(time.perf_counter() - t0, 3),
            "cpu_seconds": round(time.process_time() - c0, 3),
            "note": note,
        }
    )

    # Whole-table steps.
    t0 = time.perf_counter()
    c0 = time.process_time()
    n_rows = len(rows_df)
    dup, first = _duplicates(rows_df, None)
    src = rows_df["source_row"].to_numpy()
    duplicates = pd.DataFrame(
        {"source_row": src[dup], "duplicate_of": src[first[dup]]}, index=rows_df.index[dup]
    )
    tickets = rows_df.loc[~dup]
    log.append(
        {
            "step": "drop_duplicate_tickets",
            "rows_in": n_rows,
            "rows_out": len(tickets),
            "rows_changed": 0,
            "seconds": round(time.perf_counter() - t0, 3),
            "cpu_seconds": round(time.process_time() - c0, 3),
            "note": f"removed {int(dup.sum())} exact duplicate rows (all columns but source_row)",
        }
    )
    if "ticket_id" in tickets.columns:
        reused = int(tickets["ticket_id"].duplicated().sum())
        if reused:
            log[-1]["note"] += f"; {reused} rows reuse a ticket_id with different content (kept)"

    t0 = time.perf_counter()

    c0 = time.process_time()
    need = [c for c in ("created_at", "category") if c not in tickets.columns]
    if "address_key" not in tickets.columns:
        need.append("address")
    if need:
        log.append(
            {
                "step": "mark_repeat_calls",
                "rows_in": len(tickets),
                "rows_out": len(tickets),
                "rows_changed": 0,
                "seconds": round(time.perf_counter() - t0, 3),
                "cpu_seconds": round(time.process_time() - c0, 3),
                "note": f"skipped: no {', '.join(need)} column",
            }
        )
    else:
        tickets, n_rep, note = _mark_repeats(tickets, repeat_window, repeat_similarity, 3, "text")
        log.append(
            {
                "step": "mark_repeat_calls",
                "rows_in": len(tickets),
                "rows_out": len(tickets),
                "rows_changed": n_rep,
                "seconds": round(time.perf_counter() - t0, 3),
                "cpu_seconds": round(time.process_time() - c0, 3),
                "note": note,
            }
        )

    tickets = tickets.reset_index(drop=True)
    if rejected_parts:
        rejected = pd.concat(rejected_parts).sort_values("source_row", kind="stable")
        rejected = rejected.reset_index(drop=True)
    else:
        rejected = pd.DataFrame(
            {
                "source_row": pd.Series([], dtype=np.int64),
                "step": pd.Series([], dtype="str"),
                "reason": pd.Series([], dtype="str"),
            }
        )
    log_df = pd.DataFrame(
        log,
        columns=["step", "rows_in", "rows_out", "rows_changed", "seconds", "cpu_seconds", "note"],
    )
    if len(tickets) + len(rejected) + len(duplicates) != n_in:
        raise CommlibError(
            f"clean_tickets lost track of rows: {n_in} in, {len(tickets)} clean + "
            f"{len(rejected)} rejected + {len(duplicates)} duplicates. Please report this bug."
        )
    if int((log_df["rows_in"] - log_df["rows_out"]).sum()) != len(rejected) + len(duplicates):
        raise CommlibError(
            "clean_tickets log does not reconcile with its outputs; please report this bug."
        )
    logger.info(
        "clean_tickets: %d in, %d clean, %d rejected, %d duplicates",
        n_in,
        len(tickets),
        len(rejected),
        len(duplicates),
    )
    return CleanResult(tickets=tickets, rejected=rejected, duplicates=duplicates, log=log_df)
