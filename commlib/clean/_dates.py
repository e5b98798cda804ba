"""Dates: every export's format read in one vectorised pass per format family.

:func:`parse_dates` reads the date columns; cells no format reads, and dates outside a
plausible window (default 2000-01-01 to one year after today), are never turned into a
silent ``NaT``: they raise :class:`DateParseError` or, inside :func:`clean_tickets`,
set their row aside with the reason code ``bad_date`` or ``date_out_of_range``.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.clean._arrow import _arrow, _np_bool, _on_rows, _row_numbers
from commlib.clean._text import DATE_COLUMNS
from commlib.errors import CommlibError

logger = logging.getLogger("commlib.clean")

#: The plausible window for ticket dates: from 2000-01-01 to (None) one year after today.
DATE_RANGE: tuple[str | None, str | None] = ("2000-01-01", None)


class DateParseError(CommlibError, ValueError):
    """Date cells that no known format reads, or that fall outside the plausible window.

    Attributes
    ----------
    bad : pandas.DataFrame
        One row per offending cell: ``source_row``, ``column``, ``value`` and
        ``reason_code`` (``"bad_date"`` or ``"date_out_of_range"``).
    """

    def __init__(self, message: str, *, bad: pd.DataFrame):
        super().__init__(message)
        self.bad = bad


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


def _date_window(date_range) -> tuple[np.datetime64, np.datetime64, str, str] | None:
    """(first allowed, first not allowed, start label, end label), or None for no window.

    ``None`` as the end means one year after today; an end without a time of day
    includes that whole day.
    """
    if date_range is None:
        return None
    try:
        start, end = date_range
    except (TypeError, ValueError):
        raise ValueError(
            f"date_range must be a pair (start, end) such as ('2000-01-01', None), "
            f"got {date_range!r}."
        ) from None
    try:
        lo = pd.Timestamp(start) if start is not None else pd.Timestamp("1900-01-01")
        hi = (
            pd.Timestamp(end)
            if end is not None
            else pd.Timestamp.now().normalize() + pd.DateOffset(years=1)
        )
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"date_range must hold two dates such as ('2000-01-01', '2025-12-31') or None "
            f"for an open end, got {date_range!r} ({err})."
        ) from None
    if lo.tzinfo is not None or hi.tzinfo is not None:
        lo, hi = lo.tz_localize(None), hi.tz_localize(None)
    if hi < lo:
        raise ValueError(f"date_range ends ({hi.date()}) before it starts ({lo.date()}).")
    whole_day = hi == hi.normalize()
    stop = hi + pd.Timedelta(days=1) if whole_day else hi
    label = lambda ts: str(ts.date()) if ts == ts.normalize() else str(ts)  # noqa: E731
    return (
        np.datetime64(lo.to_datetime64(), "us"),
        np.datetime64(stop.to_datetime64(), "us"),
        label(lo),
        label(hi),
    )


def _window_labels(window) -> tuple[str, str]:
    """The window's ends as written in notes (the sanity bounds when there is none)."""
    if window is None:
        return f"{_YEAR_RANGE[0]}-01-01", f"{_YEAR_RANGE[1]}-12-31"
    return window[2], window[3]


def _parse_dates(
    df: pd.DataFrame, columns: Sequence[str], dayfirst: bool, window=None
) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series]]]:
    """Parse each column; return the frame and, per column, (blank, bad, outside, raw).

    ``outside`` marks read dates outside ``window`` (see :func:`_date_window`); they
    are ``NaT`` in the returned frame.
    """
    out = df.copy(deep=False)
    found: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series]] = {}
    for col in columns:
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            blank = s.isna().to_numpy()
            bad = np.zeros(len(s), bool)
            values = s
            if getattr(s.dtype, "tz", None) is not None:
                values = s.dt.tz_localize(None)
            parsed = values.to_numpy("datetime64[us]").copy()
        else:
            arr, pre = _date_strings(s)
            arr = pc.utf8_trim_whitespace(arr)
            parsed = _parse_date_array(arr, dayfirst=dayfirst)
            has_pre = pre != np.iinfo(np.int64).min
            parsed[has_pre] = pre[has_pre].view("datetime64[us]")
            blank = _np_bool(pc.or_kleene(pc.is_null(arr), pc.equal(arr, ""))) & ~has_pre
            bad = np.isnat(parsed) & ~blank
        outside = np.zeros(len(s), bool)
        if window is not None:
            ok = ~np.isnat(parsed)
            outside[ok] = (parsed[ok] < window[0]) | (parsed[ok] >= window[1])
            parsed[outside] = np.datetime64("NaT")
        found[col] = (blank, bad, outside, s)
        if not pd.api.types.is_datetime64_any_dtype(s.dtype) or outside.any():
            out[col] = pd.Series(parsed, index=df.index, name=col)
    return out, found


def parse_dates(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    errors: str = "raise",
    date_range: tuple | None = DATE_RANGE,
) -> pd.DataFrame:
    """Turn date columns written in any export's format into datetimes.

    Reads, in one vectorised pass per format family:

    - ``2024-03-05 14:02``, ``2024-03-05 14:02:33``, ``2024-03-05T14:02:00``,
      ``2024/3/5 14:02``, ``2024/3/5``, ``2024.3.5`` (year first);
    - ``2024年3月5日14时02分``, ``2024年3月5日 14:02``, ``2024年3月5日下午2点``;
    - ``20240305`` and ``20240305140233`` (compact);
    - ``01/15/2024 10:23:45 PM`` (US 311 style, month first); ``15/01/2024`` with
      ``dayfirst=True`` (European and most non-US exports, day first);
    - Excel serial day numbers such as ``45356.58`` (read to the second);
    - cells that are already dates (Excel files) and numeric columns.

    Full-width digits are read too (cells are NFKC-normalised first). A time-zone
    suffix (``Z``, ``+08:00``) is dropped: times are kept as written. Years outside
    1900-2100, month 13, 30 February, 25:00 and the like are unreadable, never
    silently moved. Dates that are read but fall outside ``date_range`` (by default
    before 2000 or more than a year after today: a 1900 placeholder, a 2099 typo) are
    out of range, and treated like unreadable ones.

    An unreadable or out-of-range cell is never turned into a silent ``NaT``: with
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
        Read ``05/03/2024`` as 5 March rather than 3 May. Only the year-last forms
        depend on it; ``2024-03-05`` is always 5 March.
    errors : {"raise", "coerce"}, default "raise"
        ``"coerce"`` turns unreadable and out-of-range cells into ``NaT`` and logs a
        warning with the count and the first values.
    date_range : (start, end) or None, default ("2000-01-01", None)
        The plausible window, both ends included; ``None`` as the end means one year
        after today, ``None`` as the start means no lower bound. ``date_range=None``
        keeps only the 1900-2100 sanity check.

    Returns
    -------
    pandas.DataFrame
        A new frame whose date columns have a ``datetime64`` dtype.

    Raises
    ------
    DateParseError
        If ``errors="raise"`` and a non-empty cell cannot be read or is out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"created_at": ["2024年3月5日14时02分", "2024/3/5", "45356.5",
    ...                                   "01/15/2024 10:23:45 PM", "20240305"]})
    >>> parse_dates(df)["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
    ['2024-03-05 14:02:00', '2024-03-05 00:00:00', '2024-03-05 12:00:00', '2024-01-15 22:23:45', '2024-03-05 00:00:00']
    >>> parse_dates(pd.DataFrame({"created_at": ["05/03/2024"]}), dayfirst=True)["created_at"][0]
    Timestamp('2024-03-05 00:00:00')
    >>> try:
    ...     parse_dates(pd.DataFrame({"created_at": ["2024-13-45"]}))
    ... except DateParseError as err:
    ...     print(err)
    1 unreadable date(s): created_at '2024-13-45' (row 1)
    >>> try:
    ...     parse_dates(pd.DataFrame({"created_at": ["1900-01-01"]}), date_range=("2000-01-01", "2030-12-31"))
    ... except DateParseError as err:
    ...     print(err)
    1 date(s) outside 2000-01-01 to 2030-12-31: created_at '1900-01-01' (row 1)
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    window = _date_window(date_range)
    out, found = _parse_dates(df, columns, dayfirst, window)
    rows = _row_numbers(df)
    bad_parts = []
    for code, pick in (("bad_date", 1), ("date_out_of_range", 2)):
        for col, facts in found.items():
            hit, raw = facts[pick], facts[3]
            if hit.any():
                idx = np.flatnonzero(hit)
                bad_parts.append(
                    pd.DataFrame(
                        {
                            "source_row": rows[idx],
                            "column": col,
                            "value": raw.iloc[idx].astype(str).to_numpy(),
                            "reason_code": code,
                        }
                    )
                )
    if bad_parts:
        bad = pd.concat(bad_parts, ignore_index=True)
        msgs = []
        for code, what in (
            ("bad_date", "unreadable date(s)"),
            ("date_out_of_range", "date(s) outside {} to {}".format(*_window_labels(window))),
        ):
            sub = bad[bad["reason_code"] == code]
            if len(sub):
                shown = "; ".join(
                    f"{r.column} '{r.value}' (row {r.source_row})" for r in sub.head(5).itertuples()
                )
                more = f" and {len(sub) - 5} more" if len(sub) > 5 else ""
                msgs.append(f"{len(sub)} {what}: {shown}{more}")
        msg = " | ".join(msgs)
        if errors == "raise":
            raise DateParseError(msg, bad=bad)
        logger.warning("parse_dates: %s; set to NaT (errors='coerce')", msg)
    return out
