"""Where and when complaints concentrate: hour x weekday, and house number along a street.

- :func:`hour_weekday_table` counts tickets per weekday and hour of the day;
  :func:`hour_weekday_heatmap` draws it. Complaints about terraces, noise or traffic
  often cluster on weekend evenings, and knowing that tells a social worker when to go
  and look.
- :func:`street_profile` counts tickets per house number along one road, in the order
  of the numbers, so a hot segment stands out; :func:`street_profile_chart` draws it.

Tickets exported with a date but no time (``2024/3/5``) are read as midnight. They carry
no hour, so :func:`hour_weekday_table` leaves tickets at exactly 00:00:00 out by default
and reports how many in ``attrs["excluded"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib.errors import require_columns

__all__ = [
    "hour_weekday_table",
    "hour_weekday_heatmap",
    "street_profile",
    "street_profile_chart",
]


def _weekdays(lang: str) -> list[str]:
    """Monday ... Sunday in ``lang`` (周一 ... 周日, Mon ... Sun)."""
    return [t(f"hotspots.weekday.{i}", lang) for i in range(7)]


_ZH_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")


def hour_weekday_table(
    df: pd.DataFrame,
    *,
    date: str = "created_at",
    drop_midnight: bool = True,
    normalize: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Count tickets per weekday (rows, Monday first) and hour of the day (columns 0-23).

    Parameters
    ----------
    df : DataFrame
        One row per ticket.
    date : str, default "created_at"
        Date-time column (text is parsed with ``pd.to_datetime``).
    drop_midnight : bool, default True
        Leave out tickets stamped exactly 00:00:00: in hotline exports these are
        nearly always a date without a time, and would pile up in hour 0.
    normalize : bool, default False
        Return shares of all counted tickets instead of counts.
    lang : {"zh", "en"}, default "zh"
        Weekday labels.

    Returns
    -------
    DataFrame
        7 rows (周一 ... 周日) x 24 columns (0 ... 23). ``attrs["excluded"]`` counts the
        tickets left out (no date, or midnight), ``attrs["n"]`` the tickets counted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"created_at": pd.to_datetime(
    ...     ["2024-06-01 19:10", "2024-06-01 19:40", "2024-06-03 08:00", "2024-06-04 00:00"])})
    >>> tab = hour_weekday_table(df)
    >>> int(tab.loc["周六", 19]), int(tab.loc["周一", 8]), tab.attrs["excluded"]
    (2, 1, {'missing_date': 0, 'midnight': 1})
    """
    check_lang(lang)
    require_columns(df, [date], where="hour_weekday_table input")
    when = df[date]
    if not pd.api.types.is_datetime64_any_dtype(when):
        when = pd.to_datetime(when, errors="coerce")
    missing = when.isna().to_numpy()
    midnight = np.zeros(len(when), dtype=bool)
    if drop_midnight:
        midnight = ~missing & (when == when.dt.normalize()).to_numpy()
    ok = ~missing & ~midnight
    w = when[ok]
    codes = w.dt.day_of_week.to_numpy() * 24 + w.dt.hour.to_numpy()
    counts = np.bincount(codes.astype(np.int64), minlength=7 * 24).reshape(7, 24)
    out = pd.DataFrame(counts, index=pd.Index(_weekdays(lang), name="weekday"))
    out.columns = pd.Index(range(24), name="hour")
    if normalize:
        out = out / max(int(counts.sum()), 1)
    out.attrs = {
        "n": int(ok.sum()),
        "excluded": {"missing_date": int(missing.sum()), "midnight": int(midnight.sum())},
    }
    return out


def hour_weekday_heatmap(
    df: pd.DataFrame,
    *,
    date: str = "created_at",
    drop_midnight: bool = True,
    ax=None,
    cmap: str = "Reds",
    lang: str = "zh",
    title: str | None = None,
):
    """Draw tickets per weekday x hour as a heatmap, to see when complaints happen.

    Parameters
    ----------
    df : DataFrame
        One row per ticket, or the output of :func:`hour_weekday_table` (7 x 24).
    date, drop_midnight, lang
        As in :func:`hour_weekday_table`.
    ax : matplotlib Axes, optional
    cmap : str, default "Reds"
    title : str, optional
        Pass "" for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"created_at": pd.to_datetime(["2024-06-01 19:10", "2024-06-03 08:00"])})
    >>> ax = hour_weekday_heatmap(df)
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['周一', '周二']
    """
    import matplotlib.pyplot as plt

    from commlib import plotting

    check_lang(lang)
    plotting.use_chinese_font()
    if df.shape == (7, 24) and list(df.columns) == list(range(24)):
        tab = df
    else:
        tab = hour_weekday_table(df, date=date, drop_midnight=drop_midnight, lang=lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6), layout="constrained")
    im = ax.imshow(tab.to_numpy(dtype=float), aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_yticks(range(7), list(tab.index))
    ax.set_xticks(range(0, 24, 2), [str(h) for h in range(0, 24, 2)])
    ax.set_xlabel(t("hotspots.heatmap.xlabel", lang))
    ax.grid(False)
    cbar = ax.figure.colorbar(im, ax=ax, pad=0.01)
    cbar.set_label(t("hotspots.heatmap.cbar", lang))
    if title is None:
        title = t("hotspots.heatmap.title", lang)
    if title:
        ax.set_title(title)
    return ax


def street_profile(
    df: pd.DataFrame,
    *,
    street: str,
    address: str = "address_key",
    by: str | None = None,
) -> pd.DataFrame:
    """Count tickets per house number along one street, in the order of the numbers.

    The address is searched for ``street`` followed by a house number (Arabic or
    Chinese digits: ``桐荫路148号``, ``桐荫路一四八号``). Use the normalised
    ``address_key`` from :func:`commlib.clean_tickets` so that the spellings of one
    door are counted together.

    Parameters
    ----------
    df : DataFrame
        One row per ticket.
    street : str
        Road name as written in the addresses, e.g. ``"桐荫路"``.
    address : str, default "address_key"
        Address column.
    by : str, optional
        Also split the counts by this column (one column of counts per value).

    Returns
    -------
    DataFrame
        One row per house number found, ascending: ``number``, ``address``
        (``street + number + 号``), ``count`` (and one column per value of ``by``),
        ``share`` (of the street's tickets). ``attrs["n_street"]`` is the number of
        tickets on the street.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"address_key": ["桐荫路100号", "桐荫路60号", "桐荫路一〇〇号",
    ...                                    "青枫路1号"]})
    >>> street_profile(df, street="桐荫路")[["number", "count"]]
       number  count
    0      60      1
    1     100      2
    """
    require_columns(df, [address] + ([by] if by else []), where="street_profile input")
    addr = df[address].astype("string")
    num = addr.str.extract(f"{street}([0-9〇一二三四五六七八九]+)号", expand=False)
    num = num.str.translate(_ZH_DIGITS)
    ok = num.notna() & num.str.fullmatch("[0-9]+").fillna(False)
    numbers = num[ok].astype(int)
    if by is None:
        counts = numbers.value_counts().sort_index().rename("count").to_frame()
    else:
        counts = pd.crosstab(numbers, df.loc[ok, by])
        counts.columns = [str(c) for c in counts.columns]
        counts.insert(0, "count", counts.sum(axis=1))
    counts.index.name = "number"
    out = counts.reset_index()
    out.insert(1, "address", [f"{street}{n}号" for n in out["number"]])
    total = int(out["count"].sum())
    out["share"] = out["count"] / total if total else np.nan
    out.attrs = {"street": street, "n_street": total, "by": by}
    return out


def street_profile_chart(
    profile: pd.DataFrame,
    *,
    ax=None,
    highlight: float = 0.8,
    lang: str = "zh",
    title: str | None = None,
):
    """Draw tickets per house number along a street, the hot doors in red.

    Parameters
    ----------
    profile : DataFrame
        Output of :func:`street_profile`.
    ax : matplotlib Axes, optional
    highlight : float, default 0.8
        Colour the doors that together make this share of the street's tickets (largest
        first), like the vital few of a Pareto chart.
    lang : {"zh", "en"}, default "zh"
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> prof = street_profile(pd.DataFrame({"address_key": ["桐荫路60号"] * 3 + ["桐荫路68号"]}),
    ...                       street="桐荫路")
    >>> len(street_profile_chart(prof).patches)
    2
    """
    import matplotlib.pyplot as plt

    from commlib import plotting

    check_lang(lang)
    plotting.use_chinese_font()
    require_columns(profile, ["number", "count"], where="street_profile_chart input")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.8), layout="constrained")
    counts = profile["count"].to_numpy(dtype=float)
    order = np.argsort(-counts, kind="stable")
    cum = np.cumsum(counts[order]) / max(counts.sum(), 1)
    prev = np.r_[0, cum[:-1]]
    hot = np.zeros(len(counts), dtype=bool)
    hot[order] = prev < highlight
    colors = [plotting.VITAL_COLOR if h else plotting.REST_COLOR for h in hot]
    x = np.arange(len(profile))
    ax.bar(x, counts, color=colors, zorder=2)
    ax.set_xticks(x, [str(n) for n in profile["number"]], rotation=90, fontsize=8)
    street = profile.attrs.get("street", "")
    ax.set_xlabel(t("hotspots.street.xlabel", lang, street=street))
    ax.set_ylabel(t("hotspots.street.ylabel", lang))
    ax.grid(axis="x", visible=False)
    if title is None:
        title = t("hotspots.street.title", lang, street=street)
    if title:
        ax.set_title(title)
    return ax
