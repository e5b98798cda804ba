"""Heinrich's safety pyramid for complaint tickets, and early warning from near misses.

Heinrich counted about 1 serious injury for every 29 minor ones and 300 harmless near
misses; the point is to act on the near misses before the serious event. This module

- sorts tickets into tiers with a bundled, documented rule set
  (:func:`severity_tiers`, :func:`severity_rules`, ``resources/severity_rules.csv``);
- counts the tiers and shows the *observed* ratio next to 1 : 29 : 300
  (:func:`heinrich_pyramid`, :func:`pyramid_chart`), overall or per building;
- flags places whose near misses rise beyond what their own history and their
  neighbourhood make likely (:func:`near_miss_alerts`);
- checks those alerts against serious events that followed (:func:`backtest_alerts`):
  were the places flagged before, how many weeks ahead, how many alerts were false.

Places are ``address_key`` values with compound-style and road-style keys of one
building merged (:func:`commlib.attribution.place_aliases`), so 枫林新村7号楼 and
青枫路350弄7号 count as one building.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib.attribution._places import _places
from commlib.errors import CommlibError, require_columns

logger = logging.getLogger(__name__)

__all__ = [
    "TIERS",
    "AlertResult",
    "BacktestResult",
    "backtest_alerts",
    "heinrich_pyramid",
    "near_miss_alerts",
    "pyramid_chart",
    "severity_rules",
    "severity_tiers",
]

#: Tiers from the bottom of the pyramid to the top.
TIERS: tuple[str, ...] = ("near_miss", "minor", "serious")
#: Heinrich's textbook ratio, serious : minor : near miss.
HEINRICH_RATIO: tuple[int, int, int] = (1, 29, 300)


# --------------------------------------------------------------------------------------
# severity_tiers
# --------------------------------------------------------------------------------------


@functools.cache
def _bundled_rules() -> pd.DataFrame:
    ref = resources.files("commlib.resources").joinpath("severity_rules.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)


def severity_rules() -> pd.DataFrame:
    """Return the bundled severity rules as a table you can read, filter or extend.

    Columns: ``tier`` (near_miss, minor, serious, or hedge), ``hazard``, ``pattern``
    (a regular expression on title + text, matched case-insensitively) and ``note``. See
    ``commlib/resources/severity_rules.csv`` for the reasoning behind each row.

    Returns
    -------
    pandas.DataFrame
        A new copy of the rules.

    Examples
    --------
    >>> rules = severity_rules()
    >>> sorted(rules["tier"].unique())
    ['hedge', 'minor', 'near_miss', 'serious']
    >>> mine = pd.concat([rules, pd.DataFrame([{"tier": "near_miss", "hazard": "电气",
    ...                                        "pattern": "充电宝鼓包", "note": ""}])])
    """
    return _bundled_rules().copy()


def _load_rules(rules) -> pd.DataFrame:
    if rules is None:
        table = _bundled_rules()
    elif isinstance(rules, str | PathLike):
        table = pd.read_csv(rules, comment="#", dtype=str, keep_default_na=False)
    else:
        table = pd.DataFrame(rules)
    require_columns(table, ["tier", "pattern"], where="severity rules")
    bad = sorted(set(table["tier"]) - {*TIERS, "hedge"})
    if bad:
        raise CommlibError(
            f"Unknown tier(s) {bad} in the severity rules; use near_miss, minor, serious or hedge."
        )
    if "hazard" not in table.columns:
        table = table.assign(hazard="")
    # groups in user patterns become non-capturing, so one outer group holds the match;
    # matching is always case-insensitive, so a leading (?i) is dropped
    pattern = table["pattern"].astype(str).str.replace(r"^\(\?i\)", "", regex=True)
    pattern = pattern.str.replace(r"(?<!\\)\((?!\?)", "(?:", regex=True)
    table = table.assign(pattern=pattern)
    return table.reset_index(drop=True)


def _alternation(patterns) -> str | None:
    patterns = [p for p in patterns if isinstance(p, str) and p]
    if not patterns:
        return None
    return "|".join(f"(?:{p})" for p in patterns)


def _contains(text: pd.Series, pattern: str) -> np.ndarray:
    """Case-insensitive regex search, with Arrow's RE2 kernel when the pattern allows."""
    try:
        hit = text.str.contains(pattern, case=False, regex=True, na=False)
    except Exception:  # a pattern RE2 cannot compile: Python's re
        hit = text.astype(object).str.contains(pattern, flags=re.IGNORECASE, regex=True, na=False)
    return np.asarray(hit, dtype=bool)


def severity_tiers(
    df: pd.DataFrame,
    *,
    rules=None,
    columns: tuple[str, ...] = ("title", "text"),
) -> pd.DataFrame:
    """Give each ticket a Heinrich tier (near miss, minor, serious) from keyword rules.

    Use it to count the pyramid and to find the near misses worth acting on.
    The rules (default: :func:`severity_rules`) are regular expressions on the ticket's
    title and text joined. Order of work:

    1. ``near_miss`` rules run on the text as written (飞线充电, 楼道堆物, 电线老化,
       燃气味, 电瓶车进楼道 ...).
    2. ``hedge`` rules remove negated or hypothetical mentions of harm (未造成人员受伤,
       无人受伤, 万一着火, 发生火灾跑不出去, 火灾隐患 ...).
    3. ``minor`` (摔伤, 轻微烫伤, 受轻伤 ...) and ``serious`` (火灾, 起火, 重伤, 死亡,
       送医 ...) rules run on what is left.

    A ticket takes the highest tier any rule gives it. A ticket no rule matches stays
    untiered (missing): nothing is guessed from the category or the department.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    rules : DataFrame, path or list of dicts, optional
        Rules with columns ``tier``, ``pattern`` (and optionally ``hazard``, ``note``)
        that *replace* the bundled ones; to extend, concatenate with
        :func:`severity_rules`.
    columns : tuple of str, default ("title", "text")
        Text columns searched; those absent are skipped.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``tier`` (ordered categorical near_miss < minor < serious,
        missing when untiered), ``tier_match`` (the words that decided it) and
        ``hazard`` (the hazard of the deciding rule).

    Raises
    ------
    commlib.errors.MissingColumnsError
        If none of ``columns`` is present.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": [
    ...     "楼下有人飞线充电", "老人在台阶上摔伤了", "楼道电瓶车起火，有人送医",
    ...     "消防通道堵了，万一着火进不来", "厨房冒烟，未造成人员受伤", "楼上装修很吵"]})
    >>> severity_tiers(df)["tier"].tolist()
    ['near_miss', 'minor', 'serious', nan, nan, nan]
    """
    present = [c for c in columns if c in df.columns]
    if not present:
        require_columns(df, list(columns[:1]), where="severity_tiers")
    table = _load_rules(rules)
    # work on positions: a duplicated index must not break the reindexing below
    text = df[present[0]].fillna("").astype("str").reset_index(drop=True)
    for col in present[1:]:
        text = text + " " + df[col].fillna("").astype("str").reset_index(drop=True)
    out = df.copy(deep=False)
    tier = pd.Series(np.nan, index=text.index, dtype=object)
    match = pd.Series(np.nan, index=text.index, dtype=object)
    hazard = pd.Series(np.nan, index=text.index, dtype=object)

    def _apply(name: str, source: pd.Series):
        nonlocal tier, match, hazard
        sub = table[table["tier"] == name]
        if sub.empty:
            return
        # one vectorised pass (Arrow/RE2) finds the candidate rows; rules then run on those
        candidates = _contains(source, _alternation(sub["pattern"]))
        if not candidates.any():
            return
        cand = source[candidates]
        for _, rule in sub.iterrows():
            found = cand.str.extract(f"({rule['pattern']})", flags=re.IGNORECASE, expand=False)
            hit = (found.notna() & (found.astype(str) != "")).reindex(
                source.index, fill_value=False
            )
            if not hit.any():
                continue
            found = found.reindex(source.index)
            tier = tier.mask(hit, name)
            match = match.mask(hit, found)
            hazard = hazard.mask(hit, rule.get("hazard", ""))

    # lowest tier first, so a higher tier overwrites it
    _apply("near_miss", text)
    hedges = _alternation(table.loc[table["tier"] == "hedge", "pattern"])
    cleaned = text.str.replace(hedges, "〇", regex=True, flags=re.IGNORECASE) if hedges else text
    _apply("minor", cleaned)
    _apply("serious", cleaned)
    out["tier"] = pd.Categorical(tier.to_numpy(), categories=list(TIERS), ordered=True)
    out["tier_match"] = match.astype("str").to_numpy()
    out["hazard"] = hazard.astype("str").to_numpy()
    return out


# --------------------------------------------------------------------------------------
# events: tickets about one happening counted once
# --------------------------------------------------------------------------------------


def _with_tiers(df: pd.DataFrame, tier: str, rules) -> pd.DataFrame:
    if tier in df.columns:
        return df
    return severity_tiers(df, rules=rules).rename(columns={"tier": tier})


def _event_flags(
    places: pd.Series, tiers: pd.Series, when: pd.Series, merge_within: pd.Timedelta
) -> np.ndarray:
    """True for the first ticket of each event (same place and tier, close in time)."""
    frame = pd.DataFrame({"p": places.to_numpy(), "t": tiers.astype(object).to_numpy()})
    frame["w"] = when.to_numpy()
    frame["i"] = np.arange(len(frame))
    frame = frame.sort_values(["p", "t", "w"], kind="stable")
    same = (frame["p"] == frame["p"].shift()) & (frame["t"] == frame["t"].shift())
    close = (frame["w"] - frame["w"].shift()) <= merge_within
    first = ~(same & close)
    flags = np.zeros(len(frame), dtype=bool)
    flags[frame["i"].to_numpy()] = first.to_numpy()
    return flags


# --------------------------------------------------------------------------------------
# heinrich_pyramid
# --------------------------------------------------------------------------------------


def _ratio_text(s, m, n) -> str:
    if s > 0:
        return f"1 : {m / s:.3g} : {n / s:.3g}"
    return f"0 : {int(m)} : {int(n)}"


@renamed_parameters(time="date")
def heinrich_pyramid(
    df: pd.DataFrame,
    *,
    by: str | None = None,
    tier: str = "tier",
    unit: str = "event",
    merge_within: str | pd.Timedelta = "2D",
    date: str = "created_at",
    community: str = "community",
    merge_aliases: bool = True,
    rules=None,
) -> pd.DataFrame:
    """Count serious, minor and near-miss events and show the observed ratio.

    Use it to see whether near misses are being reported at all, and where: Heinrich's
    1 : 29 : 300 is a textbook figure from industry, not a target; the ratio that matters
    is the one in your own tickets.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets, with a ``tier`` column from :func:`severity_tiers` (computed with
        ``rules`` if absent). Not modified.
    by : str, optional
        Group column (``"community"``, ``"address_key"`` ...). None: one row overall.
        ``"address_key"`` has building aliases merged (see ``merge_aliases``).
    tier : str, default "tier"
        Tier column.
    unit : {"event", "ticket"}, default "event"
        ``"event"``: tickets of the same tier at the same place less than
        ``merge_within`` after the previous one count once (four calls about one fire
        are one fire). ``"ticket"``: every ticket counts.
    merge_within : str or Timedelta, default "2D"
        Gap that separates two events.
    date, community : str
        Column names.
    merge_aliases : bool, default True
        Merge compound-style and road-style keys of one building.
    rules : optional
        Rules for :func:`severity_tiers` when ``tier`` is absent.

    Returns
    -------
    pandas.DataFrame
        One row per group (or one row): ``serious``, ``minor``, ``near_miss``,
        ``untiered`` (tickets), ``minor_per_serious``, ``near_miss_per_serious``
        (missing when there is no serious event), ``near_miss_share`` (near misses /
        all tiered events, the "near-miss ratio" of safety software), ``observed_ratio``
        and ``textbook_ratio`` ("1 : 29 : 300"). Sorted by serious, then near misses.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-01-01 08:00", "2024-01-10 08:00",
    ...         "2024-02-01 08:00", "2024-03-01 08:00", "2024-03-01 08:10", "2024-04-01 08:00"]),
    ...     "text": ["飞线充电", "楼道堆物", "老人摔伤", "楼道起火送医", "楼里起火", "装修吵"],
    ...     "address": ["青枫路350弄7号"] * 6})
    >>> pyr = heinrich_pyramid(df)
    >>> pyr.loc[0, ["serious", "minor", "near_miss"]].astype(int).tolist(), pyr.loc[0, "observed_ratio"]
    ([1, 1, 2], '1 : 1 : 2')
    """
    if unit not in ("event", "ticket"):
        raise ValueError(f"unit must be 'event' or 'ticket', got {unit!r}.")
    data = _with_tiers(df, tier, rules)
    tiers = data[tier]
    counted = tiers.notna().to_numpy()
    if unit == "event":
        require_columns(data, [date], where="heinrich_pyramid(unit='event')")
        places = (
            _places(data, "address_key", community, merge_aliases)
            if ("address_key" in data.columns or "address" in data.columns)
            else pd.Series("", index=data.index)
        )
        first = _event_flags(
            places.fillna(""), tiers, pd.to_datetime(data[date]), pd.Timedelta(merge_within)
        )
        counted = counted & first
    if by is None:
        group = pd.Series("全部", index=data.index, name="group")
    elif by == "address_key":
        group = _places(data, by, community, merge_aliases).rename(by)
    else:
        require_columns(data, [by], where="heinrich_pyramid")
        group = data[by]
    frame = pd.DataFrame(
        {"g": group.to_numpy(), "tier": tiers.astype(object).to_numpy(), "counted": counted}
    )
    table = (
        frame[frame["counted"]]
        .groupby(["g", "tier"], dropna=True)
        .size()
        .unstack("tier")
        .reindex(columns=list(TIERS[::-1]), fill_value=0)
        .fillna(0)
        .astype(int)
    )
    untiered = frame[frame["tier"].isna()].groupby("g").size()
    all_groups = pd.Index(frame["g"].dropna().unique())
    table = table.reindex(all_groups, fill_value=0)
    table["untiered"] = untiered.reindex(table.index, fill_value=0).astype(int)
    s, m, n = table["serious"], table["minor"], table["near_miss"]
    table["minor_per_serious"] = (m / s).where(s > 0)
    table["near_miss_per_serious"] = (n / s).where(s > 0)
    tiered = s + m + n
    table["near_miss_share"] = (n / tiered).where(tiered > 0)
    table["observed_ratio"] = [_ratio_text(a, b, c) for a, b, c in zip(s, m, n, strict=True)]
    table["textbook_ratio"] = "1 : 29 : 300"
    table = table.sort_values(["serious", "near_miss"], ascending=False, kind="stable")
    table.columns.name = None
    if by is None:
        return table.reset_index(drop=True)
    return table.rename_axis(by).reset_index()


def pyramid_chart(
    data: pd.DataFrame,
    *,
    row: int = 0,
    textbook: bool = True,
    title: str | None = None,
    ax=None,
    lang: str = "zh",
    **pyramid_kwargs,
):
    """Draw the observed safety pyramid, with Heinrich's 1 : 29 : 300 for comparison.

    Bar widths are on a log scale (a count of 1 next to 300 would be invisible on a
    linear one), labelled with the observed counts. The textbook pyramid is drawn as
    an outline scaled to the same number of near misses.

    Parameters
    ----------
    data : pandas.DataFrame
        A table from :func:`heinrich_pyramid`, or tickets (the overall pyramid is
        computed with ``pyramid_kwargs``).
    row : int, default 0
        Which row of the table to draw.
    textbook : bool, default True
        Draw the 1 : 29 : 300 outline.
    title : str, optional
        Chart title; default names the group and the observed ratio.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"zh", "en"}, default "zh"
        Language of the tier labels, the textbook notes and the default title.
    **pyramid_kwargs
        Passed to :func:`heinrich_pyramid` when ``data`` holds tickets.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"serious": [2], "minor": [7], "near_miss": [600],
    ...                       "observed_ratio": ["1 : 3.5 : 300"]})
    >>> ax = pyramid_chart(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['隐患（未遂）', '轻微', '严重']
    >>> [t.get_text() for t in pyramid_chart(table, lang="en").get_yticklabels()]
    ['near miss', 'minor', 'serious']
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    if not {"serious", "minor", "near_miss"} <= set(data.columns):
        data = heinrich_pyramid(data, **pyramid_kwargs)
    rec = data.iloc[row]
    counts = [int(rec["near_miss"]), int(rec["minor"]), int(rec["serious"])]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    width = [np.log10(c + 1) for c in counts]
    top = max(max(width), np.log10(301))
    colors = ["#F4D03F", "#E67E22", "#C0392B"]
    for y, (w, c, col) in enumerate(zip(width, counts, colors, strict=True)):
        ax.barh(y, w, left=-w / 2, height=0.8, color=col, edgecolor="white", zorder=2)
        ax.text(0, y, f"{c}", ha="center", va="center", fontsize=12, zorder=3)
    if textbook and counts[0] > 0:
        scale = counts[0] / HEINRICH_RATIO[2]
        ref = [HEINRICH_RATIO[2] * scale, HEINRICH_RATIO[1] * scale, HEINRICH_RATIO[0] * scale]
        for y, r in enumerate(ref):
            w = np.log10(r + 1)
            ax.barh(
                y, w, left=-w / 2, height=0.8, fill=False, edgecolor="#566573", ls="--", zorder=4
            )
            note = t("heinrich.textbook_would_be", lang, n=f"{r:.3g}")
            ax.text(w / 2 + 0.05, y, note, va="center", fontsize=9)
    ax.set_yticks(range(3), [t(f"heinrich.tier.{tier}", lang) for tier in TIERS])
    ax.set_xlim(-top / 2 - 0.2, top / 2 + 1.6)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    group = ""
    for col in data.columns[:1]:
        if col not in ("serious", "minor", "near_miss"):
            group = t("heinrich.group_prefix", lang, group=rec[col])
    ratio = rec["observed_ratio"] if "observed_ratio" in rec else _ratio_text(*counts[::-1])
    ax.set_title(title or t("heinrich.title", lang, group=group, ratio=ratio))
    return ax


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
        Period length (a pandas period alias; "W" is weeks ending on Sunday).
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
    when = pd.to_datetime(data[date])
    ok = when.notna().to_numpy() & places.notna().to_numpy()
    periods = when[ok].dt.to_period(freq)
    pl = places[ok].to_numpy(dtype=object)
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
    }
    if ok.sum() == 0:
        return AlertResult(_empty_alerts(), pd.DataFrame(), params)
    all_periods = pd.period_range(periods.min(), periods.max(), freq=freq)
    n_t = len(all_periods)
    place_codes, place_labels = pd.factorize(pd.Series(pl))
    n_p = len(place_labels)
    t_idx = (periods.array.asi8 - all_periods[0].ordinal).astype(np.int64)
    counts = np.zeros((n_p, n_t), dtype=np.float64)
    np.add.at(counts, (place_codes[near], t_idx[near]), 1.0)
    # community of each place: most frequent
    if has_comm:
        comm_series = data.loc[ok, community].fillna("").astype(str).to_numpy()
        cf = pd.DataFrame({"p": place_codes, "c": comm_series})
        comm_of = cf.groupby(["p", "c"]).size().rename("n").reset_index()
        comm_of = comm_of.sort_values(["p", "n"], ascending=[True, False]).drop_duplicates("p")
        comm_label = comm_of.set_index("p")["c"].reindex(range(n_p)).fillna("").to_numpy()
    else:
        comm_label = np.full(n_p, "", dtype=object)
    comm_codes, _ = pd.factorize(pd.Series(comm_label))
    n_comm = comm_codes.max() + 1
    # rolling sums via cumulative sums along time
    csum = np.concatenate([np.zeros((n_p, 1)), np.cumsum(counts, axis=1)], axis=1)
    t = np.arange(n_t)
    recent_lo = np.maximum(t - window + 1, 0)
    recent = csum[:, t + 1] - csum[:, recent_lo]
    base_hi = recent_lo  # exclusive, in csum index terms: periods < recent_lo
    base_lo = np.maximum(base_hi - history, 0)
    base = csum[:, base_hi] - csum[:, base_lo]
    b_len = (base_hi - base_lo).astype(np.float64)  # periods of baseline
    comm_base = np.zeros((n_comm, n_t))
    np.add.at(comm_base, comm_codes, base)
    places_in_comm = np.bincount(comm_codes, minlength=n_comm).astype(np.float64)
    others = np.maximum(places_in_comm[comm_codes] - 1, 1)[:, None]
    r_nb = (comm_base[comm_codes] - base) / others / np.maximum(b_len, 1)[None, :]
    a = np.maximum(base + prior_periods * r_nb, 0.5)
    b = b_len[None, :] + prior_periods
    prob = b / (b + window)
    p_value = np.where(recent > 0, betainc(np.maximum(recent, 1), a, 1 - prob), 1.0)
    expected = window * a / b
    fired = (p_value < alpha) & (recent >= min_count) & (b_len >= min_history)[None, :]

    period_end = all_periods.end_time.normalize()
    weekly = pd.DataFrame(
        {
            "place": np.repeat(np.asarray(place_labels, dtype=object), n_t),
            "community": np.repeat(comm_label, n_t),
            "period_end": np.tile(period_end.to_numpy(), n_p),
            "near_misses": counts.ravel(),
            "recent": recent.ravel(),
            "expected": expected.ravel(),
            "p_value": p_value.ravel(),
            "fired": fired.ravel(),
        }
    )
    weekly = weekly[(weekly["recent"] > 0) | weekly["fired"]].reset_index(drop=True)
    weekly["place"] = weekly["place"].astype("str")
    alerts = _episodes(weekly)
    return AlertResult(alerts, weekly, params)


def _empty_alerts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place": pd.Series(dtype="str"),
            "community": pd.Series(dtype="str"),
            "first_fired": pd.Series(dtype="datetime64[ns]"),
            "last_fired": pd.Series(dtype="datetime64[ns]"),
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
