"""The working-day calendar: Chinese public holidays and make-up working days.

Foundation layer: the service-level analyses, the reply-timeliness scores and the
sample-data generator all count working days with the same calendar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CN_HOLIDAYS", "working_days"]

# --------------------------------------------------------------------- the calendar

#: Chinese public holidays (days off that would be working days) and make-up working days
#: (weekend days worked, 调休), per year, transcribed from the State Council's yearly
#: notices (国务院办公厅关于部分节假日安排的通知). 2020's Spring Festival includes the
#: extension to 2 February. Years not listed fall back to Monday-Friday. 2027's notice is
#: not in this table yet: add it with ``holidays=`` (see :func:`working_days`).
CN_HOLIDAYS: dict[int, dict[str, tuple[str, ...]]] = {
    2019: {
        "off": ("01-01", "02-04", "02-05", "02-06", "02-07", "02-08", "04-05", "05-01",
                "05-02", "05-03", "06-07", "09-13", "10-01", "10-02", "10-03", "10-04",
                "10-07"),
        "work": ("02-02", "02-03", "04-28", "05-05", "09-29", "10-12"),
    },
    2020: {
        "off": ("01-01", "01-24", "01-27", "01-28", "01-29", "01-30", "01-31", "04-06",
                "05-01", "05-04", "05-05", "06-25", "06-26", "10-01", "10-02", "10-05",
                "10-06", "10-07", "10-08"),
        "work": ("01-19", "04-26", "05-09", "06-28", "09-27", "10-10"),
    },
    2021: {
        "off": ("01-01", "02-11", "02-12", "02-15", "02-16", "02-17", "04-05", "05-03",
                "05-04", "05-05", "06-14", "09-20", "09-21", "10-01", "10-04", "10-05",
                "10-06", "10-07"),
        "work": ("02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"),
    },
    2022: {
        "off": ("01-03", "01-31", "02-01", "02-02", "02-03", "02-04", "04-04", "04-05",
                "05-02", "05-03", "05-04", "06-03", "09-12", "10-03", "10-04", "10-05",
                "10-06", "10-07"),
        "work": ("01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"),
    },
    2023: {
        "off": ("01-02", "01-23", "01-24", "01-25", "01-26", "01-27", "04-05", "05-01",
                "05-02", "05-03", "06-22", "06-23", "09-29", "10-02", "10-03", "10-04",
                "10-05", "10-06"),
        "work": ("01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"),
    },
    2024: {
        "off": ("01-01", "02-12", "02-13", "02-14", "02-15", "02-16", "04-04", "04-05",
                "05-01", "05-02", "05-03", "06-10", "09-16", "09-17", "10-01", "10-02",
                "10-03", "10-04", "10-07"),
        "work": ("02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"),
    },
    2025: {
        "off": ("01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04",
                "05-01", "05-02", "05-05", "06-02", "10-01", "10-02", "10-03", "10-06",
                "10-07", "10-08"),
        "work": ("01-26", "02-08", "04-27", "09-28", "10-11"),
    },
    2026: {
        "off": ("01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23",
                "04-06", "05-01", "05-04", "05-05", "09-25", "10-01", "10-02", "10-05",
                "10-06", "10-07"),
        "work": ("01-04", "02-14", "02-28", "05-09", "09-20", "10-10"),
    },
}  # fmt: skip


def _holiday_days(holidays) -> tuple[np.ndarray, np.ndarray]:
    """(days off, make-up working days) as datetime64[D] arrays."""
    if holidays is None:
        return np.array([], "datetime64[D]"), np.array([], "datetime64[D]")
    if isinstance(holidays, str):
        if holidays.upper() != "CN":
            raise ValueError(f"holidays must be 'CN', None or a list of dates, got {holidays!r}.")
        off = [f"{y}-{d}" for y, v in CN_HOLIDAYS.items() for d in v["off"]]
        work = [f"{y}-{d}" for y, v in CN_HOLIDAYS.items() for d in v["work"]]
        return np.array(off, "datetime64[D]"), np.array(work, "datetime64[D]")
    if isinstance(holidays, dict):
        off = pd.to_datetime(pd.Series(list(holidays.get("off", ())), dtype="object"))
        work = pd.to_datetime(pd.Series(list(holidays.get("work", ())), dtype="object"))
        return off.values.astype("datetime64[D]"), work.values.astype("datetime64[D]")
    off = pd.to_datetime(pd.Series(list(holidays), dtype="object"))
    return off.values.astype("datetime64[D]"), np.array([], "datetime64[D]")


def _as_days(values) -> np.ndarray:
    s = pd.to_datetime(pd.Series(values), errors="coerce")
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return s.values.astype("datetime64[D]")


def working_days(start, end, *, holidays="CN") -> np.ndarray:
    """Count working days from ``start`` (inclusive) to ``end`` (exclusive), as numpy's busday_count.

    A ticket received on a Friday and answered on Monday took 1 working day; received
    and answered on the same day, 0. Weekends are off except the make-up working days
    of the calendar; public holidays are off.

    Parameters
    ----------
    start, end : array-like of dates
        Same length; date-times are cut to their day. Missing values give NaN.
    holidays : "CN", None, list of dates or dict, default "CN"
        ``"CN"``: the Chinese calendar :data:`CN_HOLIDAYS`; None: Monday-Friday; a list
        of dates off; or ``{"off": [...], "work": [...]}`` with make-up working days.

    Returns
    -------
    numpy.ndarray of float
        Working days; negative when ``end`` is before ``start``.

    Examples
    --------
    >>> working_days(["2024-09-30"], ["2024-10-08"]).tolist()  # National Day week
    [1.0]
    >>> working_days(["2024-09-30"], ["2024-10-08"], holidays=None).tolist()
    [6.0]
    """
    a, b = _as_days(start), _as_days(end)
    if len(a) != len(b):
        raise ValueError(f"start and end differ in length ({len(a)} and {len(b)}).")
    out = np.full(len(a), np.nan)
    ok = ~(np.isnat(a) | np.isnat(b))
    if not ok.any():
        return out
    off, work = _holiday_days(holidays)
    lo = min(a[ok].min(), b[ok].min())
    hi = max(a[ok].max(), b[ok].max())
    days = np.arange(lo, hi + np.timedelta64(1, "D"), dtype="datetime64[D]")
    is_work = ((days.astype("int64") + 3) % 7) < 5  # 1970-01-01 was a Thursday
    is_work[np.isin(days, off)] = False
    is_work[np.isin(days, work)] = True
    cum = np.concatenate([[0], np.cumsum(is_work)])
    ia = (a[ok] - lo).astype("int64")
    ib = (b[ok] - lo).astype("int64")
    out[ok] = cum[ib] - cum[ia]
    return out
