"""Service levels: time to close, backlog, on-time share and repeat callers.

- :func:`service_levels` tells, per category (or department, community), how many tickets
  came in and were closed, how many are still open at the data's end and for how long,
  the median and 90th-percentile days to close, the share closed on time (against a due
  date column or a rule of working days per category) and the share of satisfied callers.
- :func:`repeat_callers` flags pseudonymous callers with 3 or more tickets within 30 days
  (Chengdu's alert rule) without revealing who they are.
- :func:`working_days` counts working days between two dates on the Chinese public-holiday
  calendar (holidays and make-up working days, :data:`CN_HOLIDAYS`).
- :func:`service_levels_chart` draws the median and 90th-percentile days to close.

Every 311 dashboard shows time to close and backlog; Shanghai's streets answer within 1, 3,
5 or 15 working days. The working-day arithmetic here is the one those rules need.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import missing_label
from commlib.errors import CommlibError, require_columns

__all__ = [
    "CN_HOLIDAYS",
    "working_days",
    "service_levels",
    "service_levels_chart",
    "repeat_callers",
]

from commlib._calendar import CN_HOLIDAYS, working_days  # noqa: E402  (re-exported)

# ------------------------------------------------------------------- service levels

_SATISFIED = re.compile(
    r"^(满意|基本满意|非常满意|比较满意|satisfied|very satisfied|mostly satisfied)$", re.I
)


def _satisfied(s: pd.Series) -> pd.Series:
    """1/0 for satisfied / not, NA when unrated. Numbers: 4-5 of 5 (or >= 80% of 10/100)."""
    num = pd.to_numeric(s, errors="coerce")
    if num.notna().sum() and num.notna().sum() >= s.notna().sum() * 0.9:
        top = num.max()
        cut = 4 if top <= 5 else 0.8 * (10 if top <= 10 else 100)
        return (num >= cut).astype("float").where(num.notna())
    txt = s.astype("str").str.strip()
    rated = s.notna() & txt.ne("") & ~txt.str.lower().isin(["nan", "none", "<na>"])
    return txt.str.match(_SATISFIED).astype("float").where(rated)


def _parse_dates(df, col, where):
    # commlib's own reader: every export's format, unreadable cells NaT (optional
    # columns such as due dates never reject a ticket here)
    from commlib.clean import parse_dates

    s = df[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = parse_dates(df[[col]], columns=[col], errors="coerce", date_range=None)[col]
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return s


def service_levels(
    df: pd.DataFrame,
    *,
    by: str = "category",
    date: str = "created_at",
    closed: str = "closed_at",
    due: str = "due_at",
    status: str = "status",
    satisfaction: str = "satisfaction",
    as_of=None,
    deadline_days=None,
    holidays="CN",
    population=None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Per group: tickets, closed, backlog with ages, days to close, on-time and satisfied shares.

    A ticket is closed when ``closed`` holds a date. Open tickets form the backlog at
    ``as_of``; their age is ``as_of - created`` in days. Days to close are calendar days
    (``closed - created``, fractional). A ticket is on time when it was closed by its
    due date; an open ticket already past its due date at ``as_of`` is late; an open
    ticket not yet due is undecided and left out of the share (``on_time_n`` counts the
    decided ones).

    Parameters
    ----------
    df : DataFrame
        One row per ticket.
    by : str, default "category"
        Group column (category, department, community...). Missing values form their
        own group, labelled in ``lang``.
    date, closed : str
        Created and closed date-time columns (closed missing = still open).
    due : str, default "due_at"
        Due date-time column, used when present and ``deadline_days`` is None.
    status : str, default "status"
        Not used for the counts (``closed`` decides); kept so a caller can name it.
    satisfaction : str, default "satisfaction"
        Rating column when present: text (满意/基本满意 count as satisfied) or a 1-5 score
        (4 and 5 count).
    as_of : date-like, optional
        The day the data ends. Default: the latest created or closed time in the data.
    deadline_days : int or dict, optional
        Working days allowed to close, one number or ``{group value: days}``; overrides
        ``due``. Working days follow ``holidays``; a ticket is on time when
        ``working_days(created, closed) <= deadline``.
    holidays : "CN", None, list or dict, default "CN"
        Calendar for ``deadline_days`` (see :func:`working_days`).
    population : Series or dict, optional
        Population per group value; adds ``per_10k``, tickets per 10,000 residents.
    lang : {"zh", "en"}, default "zh"
        Language of the missing-group label.

    Returns
    -------
    DataFrame
        One row per group, most tickets first: ``by``, ``tickets``, ``closed``, ``open``,
        ``open_median_age_days``, ``open_max_age_days``, ``median_days_to_close``,
        ``p90_days_to_close``, ``on_time_share``, ``on_time_n``, ``satisfied_share``,
        ``rated`` (and ``per_10k``). ``attrs["as_of"]`` holds the day used,
        ``attrs["deadline"]`` ``"due"``, ``"rule"`` or None.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "category": ["噪音", "噪音", "垃圾"],
    ...     "created_at": pd.to_datetime(["2024-03-01", "2024-03-04", "2024-03-05"]),
    ...     "closed_at": pd.to_datetime(["2024-03-03", None, "2024-03-06"]),
    ...     "due_at": pd.to_datetime(["2024-03-02", "2024-03-05", "2024-03-08"]),
    ... })
    >>> out = service_levels(df, as_of="2024-03-10")
    >>> out[["category", "tickets", "open", "median_days_to_close", "on_time_share"]]
      category  tickets  open  median_days_to_close  on_time_share
    0       噪音        2     1                   2.0            0.0
    1       垃圾        1     0                   1.0            1.0
    """
    check_lang(lang)
    require_columns(
        df, [by, date, closed], where="service_levels", hint="Name them with by=, date=, closed=."
    )
    created = _parse_dates(df, date, "date")
    done = _parse_dates(df, closed, "closed")
    stamps = pd.concat([created, done])
    end = pd.Timestamp(as_of) if as_of is not None else stamps.max()
    if pd.isna(end):
        raise CommlibError(
            f"service_levels: column '{date}' holds no readable date; check the column or pass as_of=.",
        )
    group = df[by].astype("object").where(df[by].notna(), missing_label(lang))
    is_closed = done.notna()
    days_close = (done - created) / pd.Timedelta(days=1)
    age = ((end - created) / pd.Timedelta(days=1)).where(~is_closed)

    on_time = pd.Series(np.nan, index=df.index)
    mode = None
    if deadline_days is not None:
        mode = "rule"
        limit = (
            group.map(deadline_days).astype("float")
            if isinstance(deadline_days, dict)
            else pd.Series(float(deadline_days), index=df.index)
        )
        wd_closed = working_days(created, done, holidays=holidays)
        wd_now = working_days(created, pd.Series(end, index=df.index), holidays=holidays)
        on_time = pd.Series(
            np.where(is_closed, wd_closed <= limit, np.where(wd_now > limit, 0.0, np.nan)),
            index=df.index,
        )
        on_time = on_time.where(limit.notna() & created.notna()).astype("float")
    elif due in df.columns:
        mode = "due"
        due_at = _parse_dates(df, due, "due")
        decided = due_at.notna() & created.notna() & (is_closed | (due_at < end))
        on_time = pd.Series(np.where(is_closed, done <= due_at, False), index=df.index).astype(
            "float"
        )
        on_time = on_time.where(decided)

    sat = (
        _satisfied(df[satisfaction])
        if satisfaction in df.columns
        else pd.Series(np.nan, index=df.index)
    )
    work = pd.DataFrame(
        {
            "g": group.to_numpy(),
            "closed": is_closed.to_numpy(),
            "open": (~is_closed).to_numpy(),
            "age": age.to_numpy(),
            "dclose": days_close.where(is_closed).to_numpy(),
            "ontime": on_time.to_numpy(),
            "sat": sat.to_numpy(dtype="float", na_value=np.nan),
        }
    )
    g = work.groupby("g", sort=False, dropna=False)
    out = pd.DataFrame(
        {
            "tickets": g.size(),
            "closed": g["closed"].sum(),
            "open": g["open"].sum(),
            "open_median_age_days": g["age"].median(),
            "open_max_age_days": g["age"].max(),
            "median_days_to_close": g["dclose"].median(),
            "p90_days_to_close": g["dclose"].quantile(0.9),
            "on_time_share": g["ontime"].mean(),
            "on_time_n": g["ontime"].count(),
            "satisfied_share": g["sat"].mean(),
            "rated": g["sat"].count(),
        }
    )
    out.index.name = by
    if population is not None:
        pop = pd.Series(population, dtype="float")
        out["per_10k"] = out["tickets"] / out.index.map(pop).astype("float") * 10_000
    out = out.sort_values(["tickets"], ascending=False, kind="stable").reset_index()
    out.attrs["as_of"] = end
    out.attrs["deadline"] = mode
    return out


def service_levels_chart(table: pd.DataFrame, *, ax=None, top: int = 15, lang: str = "zh"):
    """Draw median and 90th-percentile days to close per group (bars and markers).

    Parameters
    ----------
    table : DataFrame
        The output of :func:`service_levels`.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.
    top : int, default 15
        Groups shown, those with most tickets.
    lang : {"zh", "en"}, default "zh"
        Language of titles and labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> df = pd.DataFrame({"category": ["a", "b"],
    ...     "created_at": pd.to_datetime(["2024-01-01", "2024-01-02"]),
    ...     "closed_at": pd.to_datetime(["2024-01-03", "2024-01-09"])})
    >>> ax = service_levels_chart(service_levels(df), lang="en")
    >>> ax.get_xlabel()
    'Days to close'
    """
    check_lang(lang)
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    use_chinese_font()
    by = table.columns[0]
    data = table.head(top).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(data) + 1.5))
    labels = data[by].astype("str")
    ax.barh(
        labels, data["median_days_to_close"], color="#4C72B0", label=t("service.chart.median", lang)
    )
    ax.scatter(
        data["p90_days_to_close"],
        labels,
        color="#C44E52",
        marker="|",
        s=200,
        label=t("service.chart.p90", lang),
    )
    ax.set_xlabel(t("service.chart.xlabel", lang))
    ax.set_title(t("service.chart.title", lang))
    ax.legend(loc="lower right")
    return ax


# ------------------------------------------------------------------ repeat callers

_PHONE_LIKE = r"^\+?[\d][\d\- ]{6,}\d$"


def repeat_callers(
    df: pd.DataFrame,
    *,
    caller: str = "caller_id",
    date: str = "created_at",
    min_tickets: int = 3,
    window: str = "30D",
    salt=None,
) -> pd.DataFrame:
    """Flag callers with ``min_tickets`` or more tickets within any ``window`` (pseudonymously).

    The caller column should already hold salted hashes
    (:func:`commlib.privacy.hash_identifier`); they are returned as given. If most of its
    values look like raw phone numbers (digits, 7 or more), they are hashed here first
    (with ``salt``; None draws a per-process salt), so no number ever reaches the output.

    Parameters
    ----------
    df : DataFrame
        One row per ticket.
    caller : str, default "caller_id"
        Pseudonymous caller column. Tickets with no caller are left out (counted in
        ``attrs["no_caller"]``).
    date : str, default "created_at"
        Ticket time.
    min_tickets : int, default 3
        Tickets within ``window`` that make a repeat caller.
    window : str, default "30D"
        Length of the sliding window (a pandas offset such as ``"30D"``).
    salt : str or bytes, optional
        Salt for hashing raw phone numbers.

    Returns
    -------
    DataFrame
        One row per flagged caller, most tickets in a window first: ``caller``,
        ``tickets`` (all of theirs), ``max_in_window``, ``first``, ``last``,
        ``peak_end`` (the ticket time ending the busiest window). ``attrs["hashed"]``
        tells whether the ids were hashed here.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "caller_id": ["h1", "h1", "h1", "h2", "h2", "h2"],
    ...     "created_at": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-20",
    ...                                   "2024-01-01", "2024-03-01", "2024-05-01"]),
    ... })
    >>> repeat_callers(df)[["caller_id", "tickets", "max_in_window"]]
      caller_id  tickets  max_in_window
    0        h1        3              3
    """
    require_columns(
        df, [caller, date], where="repeat_callers", hint="Name them with caller= and date=."
    )
    ids = df[caller]
    present = ids.notna() & ids.astype("str").str.strip().ne("")
    ids = ids[present].astype("str").str.strip()
    hashed = False
    if len(ids) and ids.str.replace(r"\.0$", "", regex=True).str.match(_PHONE_LIKE).mean() > 0.5:
        from commlib.privacy import hash_identifier

        ids = hash_identifier(ids.str.replace(r"\.0$", "", regex=True), salt=salt)
        hashed = True
    work = pd.DataFrame(
        {
            "c": ids.to_numpy(),
            "d": pd.to_datetime(df.loc[present, date], errors="coerce").to_numpy(),
        }
    )
    work = work.dropna(subset=["d"]).sort_values(["c", "d"], kind="stable").reset_index(drop=True)
    work["one"] = 1.0
    rolled = (
        work.groupby("c", sort=False).rolling(window, on="d")["one"].sum().reset_index(drop=True)
    )
    work["in_window"] = rolled.to_numpy()
    g = work.groupby("c", sort=False)
    peak_idx = g["in_window"].idxmax()
    out = pd.DataFrame(
        {
            "tickets": g.size(),
            "max_in_window": g["in_window"].max().astype("int64"),
            "first": g["d"].min(),
            "last": g["d"].max(),
            "peak_end": work.loc[peak_idx.to_numpy(), "d"].to_numpy(),
        }
    )
    out = out[out["max_in_window"] >= min_tickets]
    out = out.sort_values(["max_in_window", "tickets"], ascending=False, kind="stable")
    out = out.rename_axis(caller).reset_index()
    out.attrs["hashed"] = hashed
    out.attrs["no_caller"] = int((~present).sum())
    return out
