"""Section builders that read the tickets over time: the monthly trend, near misses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from commlib._catalogue import t
from commlib.report import _format
from commlib.report._format import (
    fmt_date,
    fmt_int,
    join_names,
    label,
    missing,
    usable,
)
from commlib.report._model import ReportSection

if TYPE_CHECKING:
    from commlib.report._model import _Context


def skip(section_id: str, lang: str, reason: str) -> ReportSection:
    """A section that was not built, with the reason shown in its place."""
    return ReportSection(section_id, t(f"report.section.{section_id}", lang), skipped=reason)


def _count_chart(
    counts: pd.Series,
    lang: str,
    *,
    tick_format: str,
    xlabel: str,
    per_bar: float,
    max_ticks: int | None = None,
    rotate_over: int = 8,
):
    """Tickets per period as bars: months, or days and hours for data of under three
    months (one or two monthly bars say nothing). ``max_ticks``: label about that many
    bars, evenly spaced (None: every bar)."""
    import matplotlib.pyplot as plt

    from commlib.plotting import LINE_COLOR, use_chinese_font

    use_chinese_font()
    width = min(max(6.0, per_bar * len(counts) + 2.5), 14.0)
    fig, ax = plt.subplots(figsize=(width, 3.8), layout="constrained")
    ax.bar(range(len(counts)), counts.to_numpy(), color=LINE_COLOR, alpha=0.85)
    step = 1 if max_ticks is None else max(1, -(-len(counts) // max_ticks))
    ticks = list(range(0, len(counts), step))
    labels = [counts.index[i].strftime(tick_format) for i in ticks]
    ax.set_xticks(ticks, labels, rotation=45 if len(ticks) > rotate_over else 0, ha="right")
    ax.set_ylabel(label("tickets", lang))
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


#: Bins of the trend chart for data of under three months: (key, pandas frequency,
#: tick format, format of the busiest bin in the text, shortest span in days), the first
#: whose span fits.
_SHORT_BINS = (
    ("daily", "D", "%m-%d", "%Y-%m-%d", 7),
    ("hourly", "h", "%m-%d %H:00", "%Y-%m-%d %H:00", 0),
)


def section_trend(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    months = df["created_at"].dt.to_period("M")
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    counts.index = counts.index.to_timestamp()
    # latest month first: a shortened table shows the months a reader asks about
    monthly = (
        pd.DataFrame(
            {"month": [p.strftime("%Y-%m") for p in counts.index], "tickets": counts.to_numpy()}
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )
    peak, low = counts.idxmax(), counts.idxmin()
    if len(counts) == 1:
        paras = [t("report.tr_one", lang, n=fmt_int(counts.iloc[0]), month=peak.strftime("%Y-%m"))]
    else:
        paras = [
            t(
                "report.tr_text",
                lang,
                mean=fmt_int(round(counts.mean())),
                peak=peak.strftime("%Y-%m"),
                peak_n=fmt_int(counts.max()),
                low=low.strftime("%Y-%m"),
                low_n=fmt_int(counts.min()),
            )
        ]
    start, end = df["created_at"].min(), df["created_at"].max()
    if start.day != 1 or (end + pd.Timedelta(days=1)).day != 1:
        paras.append(t("report.tr_partial", lang, start=fmt_date(start), end=fmt_date(end)))
    tables = {"monthly": monthly}
    titles = {"monthly": t("report.tr_table", lang)}
    limits = {"monthly": 12}
    if len(counts) < 3:
        # one or two monthly bars say nothing: count days (or hours, under a week)
        span = (end - start) / pd.Timedelta(days=1)
        created = df["created_at"].dropna()
        if (created == created.dt.normalize()).all():
            span = max(span, _SHORT_BINS[0][-1])  # dates without a time: never per hour
        key, freq, tick_format, peak_format, _ = next(b for b in _SHORT_BINS if span >= b[-1])
        bins = df["created_at"].dt.floor(freq).value_counts().sort_index()
        full = pd.date_range(bins.index.min(), bins.index.max(), freq=freq)
        bins = bins.reindex(full, fill_value=0)
        busiest = bins.idxmax()
        paras.append(
            t(
                f"report.tr_{key}",
                lang,
                mean=f"{bins.mean():.1f}" if bins.mean() < 10 else fmt_int(round(bins.mean())),
                peak=busiest.strftime(peak_format),
                peak_n=fmt_int(bins.max()),
            )
        )
        chart = _count_chart(
            bins,
            lang,
            tick_format=tick_format,
            xlabel=t(f"report.tr_{key}_axis", lang),
            per_bar=0.12,
            max_ticks=12,
            rotate_over=6,
        )
        figures = {key: _format.figure_png(chart)}
        fig_titles = {key: t(f"report.tr_{key}_chart", lang)}
    else:
        chart = _count_chart(
            counts, lang, tick_format="%Y-%m", xlabel=label("month", lang), per_bar=0.45
        )
        figures = {"monthly": _format.figure_png(chart)}
        fig_titles = {"monthly": t("report.tr_chart", lang)}

    if not usable(df, "category"):
        paras.append(t("report.tr_no_trends", lang, reason=missing(lang, ["category"])))
    elif len(counts) < 3:
        paras.append(
            t("report.tr_no_trends", lang, reason=t("report.few_months", lang, n=len(counts)))
        )
    else:
        try:
            from commlib import trends
        except ImportError:
            paras.append(
                t(
                    "report.tr_no_trends",
                    lang,
                    reason=t("report.module_missing", lang, module="trends"),
                )
            )
        else:
            result = trends.share_trend(
                df, by="category", freq="MS", min_count=ctx.opt("trend", "min_count", 10)
            )
            rising = trends.rising_factors(result, min_change=ctx.opt("trend", "min_change", 0.0))
            if len(rising):
                paras.append(
                    t("report.tr_rising", lang, names=join_names(rising["category"], lang, 6))
                )
                keep = [
                    "rank",
                    "category",
                    "count",
                    "share_start",
                    "share_end",
                    "change",
                    "odds_ratio",
                    "p_adj",
                ]
                tables["rising"] = rising[[c for c in keep if c in rising.columns]]
                titles["rising"] = t("report.tr_rising_table", lang)
                ax = trends.share_trend_chart(
                    result, categories=rising["category"].head(3).tolist(), lang=lang, title=""
                )
                figures["rising"] = _format.figure_png(ax.figure)
                fig_titles["rising"] = t("report.tr_rising_chart", lang)
            else:
                paras.append(t("report.tr_none", lang))
    return ReportSection(
        "trend",
        t("report.section.trend", lang),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
        figures=figures,
        figure_titles=fig_titles,
        table_rows=limits,
    )


def section_near_misses(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    need = []
    if not (usable(df, "text") or usable(df, "title")):
        need.append("text")
    if not (usable(df, "address_key") or usable(df, "address")):
        need.append("address")
    if need:
        return skip("near_misses", lang, missing(lang, need))
    try:
        from commlib import heinrich
    except ImportError:
        return skip("near_misses", lang, t("report.module_missing", lang, module="heinrich"))
    data = heinrich.severity_tiers(df)
    if not data["tier"].notna().any():
        return skip("near_misses", lang, t("report.nm_no_tiers", lang))
    community = "community" if "community" in data.columns else None
    pyramid = heinrich.heinrich_pyramid(data, community=community or "community")
    row = pyramid.iloc[0]
    paras = [
        t(
            "report.nm_pyramid_text",
            lang,
            serious=fmt_int(row["serious"]),
            minor=fmt_int(row["minor"]),
            near=fmt_int(row["near_miss"]),
            ratio=row["observed_ratio"],
        )
    ]
    # lang= reaches the chart once heinrich.pyramid_chart takes it (same release)
    ax = heinrich.pyramid_chart(pyramid, lang=lang)
    ax.set_title("")  # the caption under the figure says it, in the report's language
    figures = {"pyramid": _format.figure_png(ax.figure)}
    by = "address_key" if "address_key" in data.columns else "address"
    limits: dict[str, int] = {}
    result = heinrich.near_miss_alerts(
        data,
        by=by,
        freq=ctx.opt("near_misses", "freq", "W"),
        community=community,
    )
    alerts = result.alerts
    tables = {"pyramid": pyramid[["serious", "minor", "near_miss", "untiered", "observed_ratio"]]}
    titles = {"pyramid": t("report.nm_pyramid", lang)}
    if len(alerts):
        shown = _alert_table(alerts, data, result, by=by, lang=lang)
        n_active = int(shown["active"].sum())
        as_of = fmt_date(ctx.as_of)
        paras.append(
            t(
                "report.nm_text",
                lang,
                n=len(alerts),
                places=alerts["place"].nunique(),
                active=n_active,
                as_of=as_of,
            )
        )
        if n_active:
            paras.append(t("report.nm_active", lang, n=n_active, as_of=as_of))
        else:
            last = fmt_date(shown["last_fired"].max())
            paras.append(t("report.nm_none_active", lang, as_of=as_of, last=last))
        tables["near_misses"] = shown
        titles["near_misses"] = t("report.nm_table", lang, as_of=as_of)
        limits["near_misses"] = ctx.opt("near_misses", "top", 15)
    else:
        paras.append(t("report.nm_none", lang))
    return ReportSection(
        "near_misses",
        t("report.section.near_misses", lang),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
        figures=figures,
        figure_titles={"pyramid": t("report.nm_pyramid", lang)},
        table_rows=limits,
    )


def _alert_table(alerts: pd.DataFrame, data: pd.DataFrame, result, *, by: str, lang: str):
    """Alerts with their hazard and whether they still fire at the data's end.

    Active alerts come first, then the most recent; an alert is active when it fired in
    the last period the data covers.
    """
    last_period = result.weekly["period_end"].max() if len(result.weekly) else None
    near = data[data["tier"] == "near_miss"]
    hazards = (
        near.assign(_h=near["hazard"].replace({"": pd.NA, "nan": pd.NA}))
        .dropna(subset=["_h"])
        .groupby([by, "_h"], observed=True)
        .size()
        .sort_values(ascending=False, kind="stable")
        .reset_index()
        .drop_duplicates(by)
        .set_index(by)["_h"]
    )
    out = alerts.assign(
        hazard=alerts["place"].map(hazards).fillna(""),
        active=(alerts["last_fired"] >= last_period) if last_period is not None else False,
    )
    out = out.sort_values(["active", "last_fired"], ascending=[False, False], kind="stable")
    cols = [
        "place",
        "community",
        "hazard",
        "first_fired",
        "last_fired",
        "active",
        "periods_flagged",
        "count",
        "expected",
    ]
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)
