"""The safety pyramid: events counted per tier and the observed ratio, and its chart."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib.attribution._places import _places
from commlib.errors import require_columns
from commlib.heinrich._tiers import HEINRICH_RATIO, TIERS, severity_tiers

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
        return f"1 : {_count_text(m / s)} : {_count_text(n / s)}"
    return f"0 : {int(m)} : {int(n)}"


def _count_text(r: float) -> str:
    """A count or a ratio's term for a label: whole with thousands separators from 100 on
    (2,217, where ``.3g`` printed 2.22e+03), else three significant digits (7.39).

    >>> _count_text(2217.0), _count_text(214.31), _count_text(7.39)
    ('2,217', '214', '7.39')
    """
    return f"{r:,.0f}" if r >= 100 else f"{r:.3g}"


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
            note = t("heinrich.textbook_would_be", lang, n=_count_text(r))
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
