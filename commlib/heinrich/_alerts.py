"""Near-miss alerts per place and their backtest against serious events."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from commlib._compat import renamed_parameters
from commlib._util import period_alias
from commlib.attribution._places import _places
from commlib.errors import require_columns
from commlib.heinrich._pyramid import _event_flags, _with_tiers

# --------------------------------------------------------------------------------------
# near_miss_alerts
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AlertResult:
    """What :func:`near_miss_alerts` returns.

    Attributes
    ----------
    alerts : pandas.DataFrame
        One row per alert episode (consecutive flagged periods at one place), earliest
        first: ``place``, ``community``, ``first_fired`` (end of the first flagged
        period: the day the alert could first be raised), ``last_fired``,
        ``periods_flagged``, ``count`` (near misses in the recent window when it first
        fired), ``expected`` (what history predicted), ``p_value`` (when it first fired),
        ``min_p_value``.
    weekly : pandas.DataFrame
        One row per place and period: ``place``, ``period_end``, ``near_misses``,
        ``recent`` (count in the recent window), ``expected``, ``p_value``, ``fired``.
    params : dict
        The parameters used.
    """

    alerts: pd.DataFrame
    weekly: pd.DataFrame
    params: dict

    def __repr__(self) -> str:
        return (
            f"AlertResult({len(self.alerts)} alerts at "
            f"{self.alerts['place'].nunique() if len(self.alerts) else 0} places)"
        )


#: Cells (places x periods) of the alert tables computed at once.
_ALERT_CELLS = 2_000_000


@renamed_parameters(time="date")
def near_miss_alerts(
    df: pd.DataFrame,
    *,
    by: str = "address_key",
    freq: str = "W",
    window: int = 4,
    history: int = 52,
    prior_periods: float = 26.0,
    min_history: int = 8,
    alpha: float = 1e-4,
    min_count: int = 3,
    tier: str = "tier",
    date: str = "created_at",
    community: str | None = "community",
    merge_aliases: bool = True,
    rules=None,
    periods=None,
) -> AlertResult:
    """Flag places whose near misses rise beyond what their history makes likely.

    Use it weekly: an alert names a building where unsafe conditions (飞线充电,
    楼道堆物 ...) are being reported more than that building, and buildings like it
    around it, usually see, so someone can go and look before something happens.

    The statistic, per place and period ``t`` (periods of ``freq``, labelled by their
    end; only data up to the end of ``t`` is used):

    - ``N`` = near misses at the place in the last ``window`` periods (t included).
    - Baseline: ``C`` near misses at the place in the ``history`` periods before the
      window, over ``B`` periods (fewer at the start of the data); and the
      neighbourhood rate ``r`` = near misses per place per period in the same
      community (the other places of it) over the same baseline periods.
    - Empirical Bayes: the place's rate has a Gamma prior worth ``prior_periods``
      periods of the neighbourhood rate, updated with its own baseline:
      ``rate ~ Gamma(a = C + prior_periods * r, b = B + prior_periods)`` (``a`` at
      least 0.5). The number of near misses expected in the window then follows the
      Gamma-Poisson (negative binomial) predictive law ``NB(a, b / (b + window))``,
      whose mean is ``expected = window * a / b``.
    - ``p_value = P(NB >= N)``. The place is flagged in period ``t`` when
      ``p_value < alpha``, ``N >= min_count`` and the baseline spans at least
      ``min_history`` periods.

    A quiet building in a quiet compound needs few near misses to be flagged; a
    building that always reports many needs a real rise. Consecutive flagged periods
    form one alert; ``first_fired`` is the end of its first period.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets, with ``tier`` from :func:`severity_tiers` (computed with ``rules`` if
        absent). Not modified.
    by : str, default "address_key"
        Place column; for ``"address_key"`` building aliases are merged.
    freq : str, default "W"
        Period length: weeks ("W" ends on Sunday, "W-MON" on Monday, any pandas week
        anchor), months ("MS", "ME", "M"), quarters ("QS", "QE", "QS-JAN" ...), days
        ("D") or years: every alias of ``commlib._util.PERIOD_ALIASES``.
    window : int, default 4
        Recent periods compared with the baseline.
    history : int, default 52
        Baseline periods before the recent window.
    prior_periods : float, default 26
        Weight of the neighbourhood rate, in periods of the place's own history.
    min_history : int, default 8
        Baseline periods needed before any place can be flagged: at the start of the
        data there is no history to compare with, and every near miss would look new.
    alpha : float, default 1e-4
        Tail probability below which a place is flagged. Every place is tested every
        period, so it is small: ordinary variation raises about one flag per 10,000
        place-periods (for 200 buildings watched weekly, about one a year). The law is
        discrete, so the real rate is at most ``alpha``.
    min_count : int, default 3
        Fewest near misses in the window that can raise an alert.
    tier, date, community : str
        Column names; without ``community`` the whole table is one neighbourhood.
    merge_aliases : bool, default True
        Merge compound-style and road-style keys of one building.
    rules : optional
        Rules for :func:`severity_tiers` when ``tier`` is absent.
    periods : PeriodIndex or (first day, last day), optional
        The periods the statistic runs over. Default: from the period of the first
        ticket to that of the last. Fix it when the table is one part of a larger one
        (a community, a district) so that the baselines agree with those of the whole,
        or to run the weeks on to today. Every ticket must fall within it.

    Returns
    -------
    AlertResult
        ``.alerts`` (one row per alert, with ``first_fired``) and ``.weekly``.

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> quiet = [f"青枫路350弄{i}号" for i in range(1, 11)]
    >>> rows = [(w, "楼道堆物", quiet[i % 10]) for i, w in enumerate(weeks[::3])]
    >>> rows += [(w, "有人飞线充电", "青枫路350弄7号") for w in weeks[34:38] for _ in (0, 1)]
    >>> df = pd.DataFrame(rows, columns=["created_at", "text", "address"])
    >>> res = near_miss_alerts(df)
    >>> first = res.alerts.iloc[0]
    >>> first["place"], int(first["count"]), str(first["first_fired"].date())
    ('青枫路350弄7号', 4, '2024-09-08')
    """
    from scipy.special import betainc  # P(NB >= N) = I_{1-p}(N, a); loads faster than stats

    require_columns(df, [date], where="near_miss_alerts")
    if window < 1 or history < 1:
        raise ValueError("window and history must be at least 1 period.")
    data = _with_tiers(df, tier, rules)
    has_comm = community is not None and community in data.columns
    if by == "address_key":
        places = _places(data, by, community or "community", merge_aliases and has_comm)
    else:
        require_columns(data, [by], where="near_miss_alerts")
        places = data[by].astype("str")
    pfreq = _period_freq(freq)
    when = pd.to_datetime(data[date])
    ok = when.notna().to_numpy() & places.notna().to_numpy()
    ticket_periods = when[ok].dt.to_period(pfreq)
    near = (data[tier][ok].astype(object) == "near_miss").to_numpy()
    params = {
        "by": by,
        "freq": freq,
        "window": window,
        "history": history,
        "prior_periods": prior_periods,
        "min_history": min_history,
        "alpha": alpha,
        "min_count": min_count,
        "periods": periods,
    }
    if ok.sum() == 0:
        return AlertResult(_empty_alerts(), pd.DataFrame(), params)
    all_periods = _period_grid(ticket_periods, periods, pfreq)
    n_t = len(all_periods)
    # codes straight from the text column: no Python string per ticket (2M: 145 MB)
    place_codes, place_labels = pd.factorize(places[ok].reset_index(drop=True))
    n_p = len(place_labels)
    t_idx = (ticket_periods.array.asi8 - all_periods[0].ordinal).astype(np.int64)
    counts = np.zeros((n_p, n_t), dtype=np.int32)  # whole counts: 4 bytes a cell, not 8
    np.add.at(counts, (place_codes[near], t_idx[near]), 1)
    # community of each place: most frequent
    if has_comm:
        # community codes in the names' sorted order, so ties break as by name; no
        # Python string per ticket (2M tickets: 0.4 GB)
        c_codes, c_names = pd.factorize(data.loc[ok, community].fillna("").astype("str"), sort=True)
        cf = pd.DataFrame({"p": place_codes, "c": c_codes})
        comm_of = cf.groupby(["p", "c"]).size().rename("n").reset_index()
        comm_of = comm_of.sort_values(["p", "n"], ascending=[True, False]).drop_duplicates("p")
        comm_of["c"] = np.asarray(c_names, dtype=object)[comm_of["c"].to_numpy()]
        comm_label = comm_of.set_index("p")["c"].reindex(range(n_p)).fillna("").to_numpy()
    else:
        comm_label = np.full(n_p, "", dtype=object)
    comm_codes, _ = pd.factorize(pd.Series(comm_label))
    n_comm = comm_codes.max() + 1
    # rolling sums via cumulative sums along time, by blocks of places: the tables are
    # places x periods, and a city's archive has hundreds of thousands of places; only
    # the cells kept (a near miss in the window, or an alert) outlive their block
    t = np.arange(n_t)
    recent_lo = np.maximum(t - window + 1, 0)
    base_hi = recent_lo  # exclusive, in csum index terms: periods < recent_lo
    base_lo = np.maximum(base_hi - history, 0)
    b_len = (base_hi - base_lo).astype(np.float64)  # periods of baseline
    block = max(1, _ALERT_CELLS // max(n_t, 1))

    def _windows(lo, hi):
        csum = np.concatenate(
            [np.zeros((hi - lo, 1)), np.cumsum(counts[lo:hi], axis=1, dtype=np.float64)], axis=1
        )
        return csum[:, t + 1] - csum[:, recent_lo], csum[:, base_hi] - csum[:, base_lo]

    comm_base = np.zeros((n_comm, n_t))
    for lo in range(0, n_p, block):
        hi = min(lo + block, n_p)
        np.add.at(comm_base, comm_codes[lo:hi], _windows(lo, hi)[1])
    places_in_comm = np.bincount(comm_codes, minlength=n_comm).astype(np.float64)
    others_all = np.maximum(places_in_comm[comm_codes] - 1, 1)
    b = b_len[None, :] + prior_periods
    prob = b / (b + window)
    kept = {k: [] for k in ("p", "t", "near_misses", "recent", "expected", "p_value", "fired")}
    for lo in range(0, n_p, block):
        hi = min(lo + block, n_p)
        recent, base = _windows(lo, hi)
        cc = comm_codes[lo:hi]
        others = others_all[lo:hi][:, None]
        r_nb = (comm_base[cc] - base) / others / np.maximum(b_len, 1)[None, :]
        a = np.maximum(base + prior_periods * r_nb, 0.5)
        p_value = np.where(recent > 0, betainc(np.maximum(recent, 1), a, 1 - prob), 1.0)
        expected = window * a / b
        fired = (p_value < alpha) & (recent >= min_count) & (b_len >= min_history)[None, :]
        keep = (recent > 0) | fired
        pi, ti = np.nonzero(keep)  # place-major, as the whole table's rows were
        kept["p"].append(pi + lo)
        kept["t"].append(ti)
        kept["near_misses"].append(counts[lo:hi][keep].astype(np.float64))
        for name, arr in (
            ("recent", recent),
            ("expected", expected),
            ("p_value", p_value),
            ("fired", fired),
        ):
            kept[name].append(arr[keep])
    cols = {k: np.concatenate(v) for k, v in kept.items()}

    period_end = all_periods.end_time.normalize()
    weekly = pd.DataFrame(
        {
            "place": np.asarray(place_labels, dtype=object)[cols["p"]],
            "community": np.asarray(comm_label)[cols["p"]],
            "period_end": period_end.to_numpy()[cols["t"]],
            "near_misses": cols["near_misses"],
            "recent": cols["recent"],
            "expected": cols["expected"],
            "p_value": cols["p_value"],
            "fired": cols["fired"],
        }
    )
    weekly["place"] = weekly["place"].astype("str")
    alerts = _episodes(weekly)
    return AlertResult(alerts, weekly, params)


def _period_freq(freq: str) -> str:
    """The pandas period frequency of ``freq``: any alias of :data:`commlib._util.PERIOD_ALIASES`
    ("MS", "ME", "QS-JAN" ...). Weeks keep their anchor ("W" ends on Sunday, "W-MON" on
    Monday), as pandas periods have always read them here."""
    if isinstance(freq, str) and freq.upper().startswith("W"):
        return freq.upper()
    return period_alias(freq)


def _period_grid(ticket_periods: pd.Series, periods, freq: str) -> pd.PeriodIndex:
    """The periods the alerts run over: the tickets' range, or the one ``periods`` fixes."""
    from commlib.errors import CommlibError

    if periods is None:
        return pd.period_range(ticket_periods.min(), ticket_periods.max(), freq=freq)
    try:
        if isinstance(periods, pd.PeriodIndex | pd.Period):
            idx = pd.PeriodIndex([periods]) if isinstance(periods, pd.Period) else periods
            first, last = idx.min().start_time, idx.max().end_time
        else:
            stamps = [pd.Timestamp(v) for v in periods]
            first, last = min(stamps), max(stamps)
        grid = pd.period_range(pd.Period(first, freq), pd.Period(last, freq), freq=freq)
    except (TypeError, ValueError) as err:
        raise CommlibError(
            f"periods must be a PeriodIndex or dates such as ('2024-01-01', '2024-12-31'), "
            f"got {periods!r}."
        ) from err
    outside = int(((ticket_periods < grid[0]) | (ticket_periods > grid[-1])).sum())
    if outside:
        raise CommlibError(
            f"near_miss_alerts: {outside} tickets fall outside periods={periods!r} "
            f"({grid[0]} to {grid[-1]}); widen periods or select the tickets first."
        )
    return grid


def _empty_alerts() -> pd.DataFrame:
    # microseconds, as the alerts computed from period ends: concatenating keeps the unit
    return pd.DataFrame(
        {
            "place": pd.Series(dtype="str"),
            "community": pd.Series(dtype="str"),
            "first_fired": pd.Series(dtype="datetime64[us]"),
            "last_fired": pd.Series(dtype="datetime64[us]"),
            "periods_flagged": pd.Series(dtype=int),
            "count": pd.Series(dtype=int),
            "expected": pd.Series(dtype=float),
            "p_value": pd.Series(dtype=float),
            "min_p_value": pd.Series(dtype=float),
        }
    )


def _episodes(weekly: pd.DataFrame) -> pd.DataFrame:
    f = weekly[weekly["fired"]].sort_values(["place", "period_end"])
    if f.empty:
        return _empty_alerts()
    gap = f["period_end"].diff()
    step = f["period_end"].groupby(f["place"]).diff().min()
    step = step if pd.notna(step) else pd.Timedelta(days=7)
    new = (f["place"] != f["place"].shift()) | (gap > pd.Timedelta(days=31)) | (gap > step * 1.5)
    f = f.assign(episode=new.cumsum())
    g = f.groupby("episode", sort=False)
    firsts = g.head(1).set_index("episode")
    alerts = pd.DataFrame(
        {
            "place": firsts["place"],
            "community": firsts["community"],
            "first_fired": firsts["period_end"],
            "last_fired": g["period_end"].max(),
            "periods_flagged": g.size(),
            "count": firsts["recent"].astype(int),
            "expected": firsts["expected"],
            "p_value": firsts["p_value"],
            "min_p_value": g["p_value"].min(),
        }
    )
    return alerts.sort_values(["first_fired", "place"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# backtest_alerts
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BacktestResult:
    """What :func:`backtest_alerts` returns.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per serious event: ``date``, ``place``, ``flagged_before`` (an alert at
        the place fired within ``horizon`` before it), ``first_fired``, ``lead_weeks``.
    alerts : pandas.DataFrame
        The alerts with ``outcome``: "hit" (a serious event followed at the place within
        ``horizon``), "false alarm" (none followed, and the data covers the horizon), or
        "pending" (the horizon runs past the end of the data; not judged).
    hit_rate : float
        Share of serious events flagged before they happened.
    false_alarm_rate : float
        Share of judged alerts that were false alarms.
    """

    events: pd.DataFrame
    alerts: pd.DataFrame
    hit_rate: float
    false_alarm_rate: float

    def __repr__(self) -> str:
        return (
            f"BacktestResult({len(self.events)} serious events, hit rate {self.hit_rate:.0%}; "
            f"{len(self.alerts)} alerts, false-alarm rate {self.false_alarm_rate:.0%})"
        )


def _event_table(
    serious_events: pd.DataFrame | None,
    df: pd.DataFrame,
    *,
    tier: str,
    date: str,
    community: str,
    merge_aliases: bool,
    rules,
) -> pd.DataFrame:
    """Serious events as (date, place), from an events table or from the tickets."""
    if serious_events is None:
        data = _with_tiers(df, tier, rules)
        sel = (data[tier].astype(object) == "serious").to_numpy()
        places = _places(data, "address_key", community, merge_aliases)[sel]
        when = pd.to_datetime(data[date])[sel]
        first = _event_flags(places, data[tier][sel], when, pd.Timedelta("2D"))
        return pd.DataFrame({"date": when.to_numpy()[first], "place": places.to_numpy()[first]})
    ev = serious_events
    date_col = next((c for c in ("date", date, "created_at") if c in ev.columns), None)
    if date_col is None:
        require_columns(ev, ["date"], where="serious_events")
    if "event_type" in ev.columns and (ev["event_type"] == "serious_incident").any():
        ev = ev[ev["event_type"] == "serious_incident"]
    if "address_key" in ev.columns:
        keys = ev["address_key"].astype("str")
    else:
        require_columns(ev, ["address"], where="serious_events")
        from commlib.clean import address_key

        keys = address_key(ev["address"])
    # map event keys through the aliases learned from the tickets
    if merge_aliases and community in df.columns:
        from commlib.attribution import place_aliases

        base = df if "address_key" in df.columns else df.assign(**{"address_key": keys})
        table = place_aliases(base, column="address_key", community=community)
        keys = keys.replace(dict(zip(table["alias"], table["place"], strict=True)))
    return pd.DataFrame({"date": pd.to_datetime(ev[date_col]).to_numpy(), "place": keys.to_numpy()})


@renamed_parameters(time="date")
def backtest_alerts(
    df: pd.DataFrame,
    alerts,
    serious_events: pd.DataFrame | None = None,
    *,
    horizon: str | pd.Timedelta = "13W",
    tier: str = "tier",
    date: str = "created_at",
    community: str = "community",
    merge_aliases: bool = True,
    rules=None,
) -> BacktestResult:
    """Check alerts against the serious events that followed: hits, lead time, false alarms.

    Use it to decide whether to trust the alerts: for each serious event, was its place
    flagged before it happened, and how many weeks ahead? Of the alerts, how many were
    followed by nothing?

    An event counts as flagged when an alert at its place first fired within
    ``horizon`` before the event's day (strictly before it); ``lead_weeks`` is
    measured from the earliest such firing. An alert is a hit when a serious event
    followed at its place within ``horizon``; a false alarm when none did and the data
    runs at least ``horizon`` past it; otherwise it is pending and not judged.

    Parameters
    ----------
    df : pandas.DataFrame
        The tickets the alerts were computed from (for the end of the data and, if
        ``serious_events`` is None, the events themselves).
    alerts : AlertResult or pandas.DataFrame
        From :func:`near_miss_alerts`.
    serious_events : pandas.DataFrame, optional
        Events with a ``date`` (or ``created_at``) and an ``address_key`` (or
        ``address``) column, such as ``cl.load_sample("events")`` (rows with
        ``event_type == "serious_incident"`` are used when that column exists).
        Default: serious tickets in ``df`` (tickets at one place within two days are one
        event).
    horizon : str or Timedelta, default "13W"
        How far ahead an alert is allowed to warn (a quarter).
    tier, date, community : str
        Column names.
    merge_aliases : bool, default True
        Merge compound-style and road-style keys of one building.
    rules : optional
        Rules for :func:`severity_tiers` when ``tier`` is absent.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> import pandas as pd
    >>> tickets = pd.DataFrame({"created_at": pd.to_datetime(["2024-01-01", "2024-12-31"]),
    ...                         "text": ["装修", "装修"], "address": ["A路1号", "A路1号"]})
    >>> alerts = pd.DataFrame({"place": ["A路1号", "B路2号"],
    ...                        "first_fired": pd.to_datetime(["2024-03-03", "2024-05-05"])})
    >>> events = pd.DataFrame({"date": ["2024-04-01"], "address": ["A路1号底商"]})
    >>> bt = backtest_alerts(tickets, alerts, events)
    >>> ev = bt.events.iloc[0]
    >>> ev["place"], bool(ev["flagged_before"]), float(ev["lead_weeks"])
    ('A路1号', True, 4.1)
    >>> bt.alerts["outcome"].tolist(), bt.false_alarm_rate
    (['hit', 'false alarm'], 0.5)
    """
    table = alerts.alerts if isinstance(alerts, AlertResult) else alerts
    require_columns(table, ["place", "first_fired"], where="backtest_alerts(alerts)")
    require_columns(df, [date], where="backtest_alerts")
    hz = pd.Timedelta(horizon)
    events = _event_table(
        serious_events,
        df,
        tier=tier,
        date=date,
        community=community,
        merge_aliases=merge_aliases,
        rules=rules,
    )
    events = events.sort_values("date").reset_index(drop=True)
    data_end = pd.to_datetime(df[date]).max()
    al = table.copy()
    al["first_fired"] = pd.to_datetime(al["first_fired"])
    ev_day = events["date"].dt.normalize()
    pairs = events.assign(ev_day=ev_day, ev=np.arange(len(events))).merge(
        al.assign(al=np.arange(len(al)))[["place", "first_fired", "al"]], on="place"
    )
    before = (pairs["first_fired"] < pairs["ev_day"]) & (
        pairs["first_fired"] >= pairs["ev_day"] - hz
    )
    pairs = pairs[before]
    earliest = pairs.groupby("ev")["first_fired"].min()
    events["flagged_before"] = events.index.isin(earliest.index)
    events["first_fired"] = earliest.reindex(events.index)
    events["lead_weeks"] = ((ev_day - events["first_fired"]).dt.days / 7).round(1)
    hits = set(pairs["al"])
    judged_by = al["first_fired"] + hz <= data_end
    al["outcome"] = np.where(
        np.isin(np.arange(len(al)), list(hits)),
        "hit",
        np.where(judged_by, "false alarm", "pending"),
    )
    n_judged = int((al["outcome"] != "pending").sum())
    far = float((al["outcome"] == "false alarm").sum() / n_judged) if n_judged else float("nan")
    hit_rate = float(events["flagged_before"].mean()) if len(events) else float("nan")
    return BacktestResult(events, al, hit_rate, far)
