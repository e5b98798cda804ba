"""Pareto charts: one table, or one panel per group (see :mod:`commlib.pareto`)."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import has_cjk
from commlib.pareto._table import _is_table, pareto_by, pareto_table
from commlib.schema import label

# ------------------------------------------------------------------------- charts

#: Edge (and hatch) colour of the merged "Other" bar.
_OTHER_EDGE = "#8A949C"


def _enough_categories(max_categories: int | None, n_vital: int) -> int | None:
    """``max_categories`` raised so every vital category keeps its own bar."""
    if max_categories is None:
        return None
    return max(int(max_categories), int(n_vital))


def _wrap_label(value, *, width_cjk: int = 6, width_latin: int = 14, lines: int = 2) -> str:
    """Wrap a long category name onto at most ``lines`` lines, with an ellipsis."""
    text = str(value)
    width = width_cjk if has_cjk(text) else width_latin
    parts = textwrap.wrap(text, width=width, break_long_words=True) or [text]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(width - 1, 1)] + "…"
    return "\n".join(parts)


def _fmt_number(x) -> str:
    x = float(x)
    if math.isfinite(x) and x == round(x):
        return f"{int(round(x)):,}"
    return f"{x:,.1f}"


def _value_label(table: pd.DataFrame, weight: str | None, lang: str) -> str:
    value = table.attrs.get("value", weight if weight is not None else None)
    if value is None:
        same = "count" in table.columns and (table["value"] == table["count"]).all()
        value = "count" if same else None
    if value is None:
        return t("pareto.value", lang)
    return label(value, lang)


def _category_ticks(ax, x, values) -> None:
    """Put wrapped category names under the bars, rotated when they would collide."""
    labels = [_wrap_label(v) for v in values]
    fig = ax.figure
    ax_width_in = ax.get_position().width * fig.get_figwidth()
    slot_in = ax_width_in / max(len(labels), 1)
    size = 9.0

    def width_in(line: str) -> float:
        return sum(1.0 if has_cjk(ch) else 0.6 for ch in line) * size / 72

    widest = max((width_in(line) for lab in labels for line in lab.split("\n")), default=0)
    rotate = widest > 0.9 * slot_in
    ax.set_xticks(x, labels, rotation=40 if rotate else 0, ha="right" if rotate else "center")
    ax.tick_params(axis="x", labelsize=size)
    if rotate:
        for tick in ax.get_xticklabels():
            tick.set_rotation_mode("anchor")


def _draw_pareto(
    ax,
    table: pd.DataFrame,
    *,
    by: str,
    lang: str,
    threshold: float,
    value_label: str,
    highlight_vital: bool = True,
    show_values: bool = True,
    title: str | None = None,
    legend: bool = True,
    footnote: str | None = None,
    xlabel: bool = True,
    ylabel: bool = True,
    y2label: bool = True,
    return_handles: bool = False,
):
    """Draw bars + cumulative line + threshold on ``ax``; return (twin, legend handles)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    from commlib import plotting

    n = len(table)
    x = np.arange(n)
    values = table["value"].to_numpy(dtype=float)
    vital = table["vital"].to_numpy(dtype=bool)
    is_other = table["is_other"].to_numpy(dtype=bool) if "is_other" in table else np.zeros(n, bool)
    if highlight_vital:
        colors = plotting.vital_palette(vital, is_other=is_other)
    else:
        colors = [plotting.OTHER_COLOR if o else plotting.LINE_COLOR for o in is_other]
    bars = ax.bar(x, values, color=colors, width=0.78, edgecolor="white", zorder=2)
    n_other = table.attrs.get("n_other_categories")
    for bar, other in zip(bars, is_other, strict=True):
        if other:  # merged categories: grey, hatched, never read as one cause
            bar.set_hatch("///")
            bar.set_edgecolor(_OTHER_EDGE)
            bar.set_linewidth(0.6)
    if show_values:
        ax.bar_label(bars, labels=[_fmt_number(v) for v in values], padding=2, fontsize=8, zorder=4)
    names = table[by].astype(object).to_numpy().copy()
    if is_other.any() and n_other:
        names[is_other] = t("pareto.other_k", lang, k=n_other)
    _category_ticks(ax, x, names)
    ax.set_xlim(-0.6, n - 0.4)
    top = values.max() if n and values.max() > 0 else 1.0
    ax.set_ylim(0, top * 1.18)
    ax.set_xlabel(label(by, lang) if xlabel else "")
    ax.set_ylabel(value_label if ylabel else "")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)

    twin = ax.twinx()
    cum = table["cum_share"].to_numpy(dtype=float) * 100
    twin.plot(x, cum, color=plotting.LINE_COLOR, marker="o", markersize=4, linewidth=1.6)
    twin.axhline(threshold * 100, color="#7F8C8D", linestyle="--", linewidth=1)
    twin.set_ylim(0, 105)
    twin.set_yticks([0, 20, 40, 60, 80, 100])
    twin.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    twin.grid(False)
    twin.set_ylabel(label("cum_share", lang) if y2label else "")

    handles = []
    if legend or return_handles:
        if highlight_vital and vital.any():
            handles.append(Patch(color=plotting.VITAL_COLOR, label=t("pareto.vital", lang)))
            if (~vital & ~is_other).any():
                handles.append(Patch(color=plotting.REST_COLOR, label=t("pareto.rest", lang)))
        if is_other.any():
            k = table.attrs.get("n_other_categories")
            other_text = t("pareto.other_k", lang, k=k) if k else t("pareto.other_merged", lang)
            handles.append(
                Patch(
                    facecolor=plotting.OTHER_COLOR,
                    edgecolor=_OTHER_EDGE,
                    hatch="///",
                    label=other_text,
                )
            )
        handles.append(
            Line2D([], [], color=plotting.LINE_COLOR, marker="o", label=label("cum_share", lang))
        )
        handles.append(
            Line2D(
                [],
                [],
                color="#7F8C8D",
                linestyle="--",
                label=t("pareto.threshold", lang, pct=f"{round(threshold * 100, 1):g}"),
            )
        )
    if legend:
        # Outside the plot, right of the percentage axis: a Pareto chart has no corner
        # that is reliably empty (tall bars on the left, the line high on the right).
        twin.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.12, 1.0),
            borderaxespad=0,
            fontsize=8,
            title=footnote,
            title_fontsize=8,
            frameon=False,
            alignment="left",
        )
    elif footnote:
        ax.text(
            0.98,
            0.55,
            footnote,
            transform=ax.transAxes,
            ha="right",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
            zorder=5,
        )
    if title:
        ax.set_title(title)
    return twin, handles


def _footnote(table: pd.DataFrame, lang: str) -> str:
    total = table.attrs.get("total", table["value"].sum())
    parts = [t("pareto.total", lang, total=_fmt_number(total))]
    if "excluded_rows" in table.attrs:
        parts.append(t("pareto.excluded", lang, n=f"{table.attrs['excluded_rows']:,}"))
    return t("pareto.sep", lang).join(parts)


def pareto_chart(
    data: pd.DataFrame,
    *,
    by: str = "category",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    ax=None,
    lang: str = "zh",
    title: str | None = None,
    highlight_vital: bool = True,
    show_values: bool = True,
    dropna: bool = False,
):
    """Draw a Pareto chart: bars largest first, the vital few highlighted, a cumulative line.

    Bars show counts (or the weight's sums); the cumulative share is a line on a
    second y axis from 0 to 100 %, with a dashed line at ``threshold``. A legend box
    carries the total and the number of rows excluded (missing values), like SAS's
    inset. Long category names are wrapped and rotated.

    Parameters
    ----------
    data : DataFrame
        Raw rows, or the output of :func:`pareto_table` (drawn as it is: ``weight``,
        ``max_categories`` and ``dropna`` are then ignored, and the threshold is read
        from its ``attrs`` when present).
    by : str, default "category"
        Column to rank.
    weight, threshold, dropna
        As in :func:`pareto_table`.
    max_categories : int, optional
        Bars before the rest is merged into "Other", as in :func:`pareto_table`, but
        never fewer than the vital categories: each vital category keeps its own bar.
        The merged bar comes last, grey and hatched, labelled "其他（合并 N 类）".
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, default "zh"
        Language of the labels (工单数 / 累计占比 / 关键少数, or English).
    title : str, optional
        Chart title. Default "<label>帕累托图"; pass "" for none.
    highlight_vital : bool, default True
        Colour the vital few and mute the rest.
    show_values : bool, default True
        Print each bar's value above it.

    Returns
    -------
    matplotlib Axes
        The bar axes. The cumulative line lives on a twin axes sharing its x axis
        (``ax.figure.axes``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["快递", "快递", "快递", "噪音", "噪音", "绿化"]})
    >>> ax = pareto_chart(df)
    >>> len(ax.patches)
    3
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    if _is_table(data, by):
        table = data
        threshold = table.attrs.get("threshold", threshold)
    else:
        kwargs = {"by": by, "weight": weight, "threshold": threshold, "dropna": dropna}
        table = pareto_table(data, **kwargs, lang=lang)
        keep = _enough_categories(max_categories, int(table["vital"].sum()))
        if keep is not None and keep < len(table):
            table = pareto_table(data, **kwargs, max_categories=keep, lang=lang)
    if ax is None:
        width = min(max(6.0, 0.55 * len(table) + 3.0), 16.0)
        _, ax = plt.subplots(figsize=(width, 4.8), layout="constrained")
    if title is None:
        title = t("pareto.title", lang, by=label(by, lang))
    _draw_pareto(
        ax,
        table,
        by=by,
        lang=lang,
        threshold=threshold,
        value_label=_value_label(table, weight, lang),
        highlight_vital=highlight_vital,
        show_values=show_values,
        title=title,
        footnote=_footnote(table, lang),
    )
    return ax


def _format_group(value) -> str:
    if isinstance(value, pd.Timestamp):
        if value == value.normalize() and value.day == 1:
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d")
    return str(value)


def pareto_by_chart(
    data: pd.DataFrame,
    *,
    by: str = "category",
    group: str = "community",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = 8,
    freq: str | None = None,
    groups=None,
    col_wrap: int = 3,
    lang: str = "zh",
    highlight_vital: bool = True,
    show_values: bool = False,
):
    """Draw one small Pareto chart per group (community, month), in a grid.

    Each panel is drawn like :func:`pareto_chart` with its own y scale (groups differ in
    size) and its own vital few; the panel title gives the group and its total.

    Parameters
    ----------
    data : DataFrame
        Raw rows, or the output of :func:`pareto_by` (drawn as it is).
    by, group, weight, threshold, freq
        As in :func:`pareto_by`.
    max_categories : int or None, default 8
        Categories kept per panel before merging the rest into "Other"; raised to the
        largest number of vital categories of a panel, so that every vital category
        has its own bar. The merged bar comes last, grey and hatched, labelled with
        the number of categories it holds.
    groups : sequence, optional
        Groups to draw, in this order. Default: every group, in the table's order
        (ascending; chronological for dates).
    col_wrap : int, default 3
        Panels per row.
    lang : {"zh", "en"}, default "zh"
        Language of the labels.
    highlight_vital, show_values
        As in :func:`pareto_chart`; values are off by default to keep panels legible.

    Returns
    -------
    matplotlib Figure
        A plain Figure (not a seaborn FacetGrid: each panel needs a twin axis, which
        FacetGrid does not manage). Panels are ``fig.axes`` in group order, followed by
        their twin axes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"community": ["甲", "甲", "乙"], "category": ["快递", "噪音", "噪音"]})
    >>> fig = pareto_by_chart(df)
    >>> len(fig.axes)
    4
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    if col_wrap < 1:
        raise ValueError(f"col_wrap must be at least 1, got {col_wrap!r}.")
    use_chinese_font()
    full = None
    if _is_table(data, by, group):
        table = data
        threshold = table.attrs.get("threshold", threshold)
    else:
        kwargs = {"by": by, "group": group, "weight": weight, "threshold": threshold}
        full = table = pareto_by(data, **kwargs, freq=freq, lang=lang)
        n_vital = int(table.groupby(group, observed=True)["vital"].sum().max()) if len(table) else 0
        keep = _enough_categories(max_categories, n_vital)
        if keep is not None and (table["rank"] > keep).any():
            table = pareto_by(data, **kwargs, max_categories=keep, freq=freq, lang=lang)
    order = table[group].drop_duplicates().tolist() if groups is None else list(groups)
    unknown = [g for g in order if not (table[group] == g).any()]
    if unknown:
        raise ValueError(f"groups not found in column {group!r}: {unknown}.")
    n = len(order)
    ncol = min(col_wrap, n)
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(4.6 * ncol, 3.6 * nrow), squeeze=False, layout="constrained"
    )
    value_label = _value_label(table, weight, lang)
    sep = t("pareto.sep", lang)
    legend_handles: dict = {}
    for i, g in enumerate(order):
        ax = axes[i // ncol][i % ncol]
        sub = table[table[group] == g].reset_index(drop=True)
        if full is not None and sub["is_other"].any():  # merged in this panel, not overall
            merged = (full[group] == g) & ~full[by].isin(sub.loc[~sub["is_other"], by])
            sub.attrs["n_other_categories"] = int(merged.sum())
        total = t("pareto.total", lang, total=_fmt_number(sub["value"].sum()))
        _, handles = _draw_pareto(
            ax,
            sub,
            by=by,
            lang=lang,
            threshold=threshold,
            value_label=value_label,
            highlight_vital=highlight_vital,
            show_values=show_values,
            title=f"{_format_group(g)}{sep}{total}",
            legend=False,
            return_handles=True,
            xlabel=False,
            ylabel=i % ncol == 0,
            y2label=(i % ncol == ncol - 1) or i == n - 1,
        )
        for h in handles:
            if isinstance(h, Patch) and h.get_hatch():  # one "merged" entry for all panels
                h.set_label(t("pareto.other_merged", lang))
            legend_handles.setdefault(h.get_label(), h)
    for j in range(n, nrow * ncol):
        fig.delaxes(axes[j // ncol][j % ncol])
    fig.legend(
        handles=list(legend_handles.values()),
        loc="outside lower center",
        ncol=len(legend_handles),
        fontsize=9,
        frameon=False,
    )
    return fig
