"""Formatting shared by the section builders and the two writers: numbers, dates,
column labels, figures. Every word comes from the catalogue (``report.*`` keys)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd

from commlib._catalogue import has, t

#: Columns shown as percentages.
PERCENT_COLUMNS = frozenset(
    {
        "share",
        "cum_share",
        "share_of_all",
        "top_share",
        "share_start",
        "share_end",
        "change",
        "satisfied_share",
        "on_time_share",
    }
)
#: Columns shown as p-values.
P_COLUMNS = frozenset({"p_value", "p_adj"})


def label(column: str, lang: str) -> str:
    """A table column's header: the report's own label, else :func:`commlib.schema.label`."""
    from commlib.schema import label as schema_label

    key = f"report.col.{column}"
    return t(key, lang) if has(key) else schema_label(column, lang)


def fmt_int(n) -> str:
    return f"{int(n):,}"


def fmt_pct(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def fmt_date(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def fmt_duration(td: pd.Timedelta, lang: str) -> str:
    hours = td.total_seconds() / 3600
    if hours < 48:
        return t("report.hours", lang, x=f"{hours:.1f}")
    return t("report.days", lang, x=f"{hours / 24:.1f}")


def join_names(values, lang: str, limit: int = 5) -> str:
    values = [str(v) for v in values]
    more = "…" if len(values) > limit else ""
    return t("common.list_sep", lang).join(values[:limit]) + more


def by_noun(by: str, lang: str) -> str:
    """How a sentence names the groups: "小区" / "communities", else the column label."""
    if by == "community":
        return t("report.by_noun.community", lang)
    return t("report.by_noun.other", lang, label=label(by, lang))


def by_label(by: str, lang: str) -> str:
    """The group column named inside a sentence ("小区" / "community")."""
    return label(by, lang) if lang == "zh" else label(by, lang).lower()


def missing(lang: str, cols: Sequence[str]) -> str:
    """The skip reason for absent columns, naming them in ``lang``."""
    names = t("common.list_sep", lang).join(
        t("report.quoted", lang, name=label(c, lang)) for c in cols
    )
    key = "report.need_columns" if len(cols) == 1 else "report.need_columns_many"
    return t(key, lang, cols=names)


def usable(df: pd.DataFrame, col: str) -> bool:
    return col in df.columns and bool(df[col].notna().any())


def figure_png(fig, *, dpi: int = 110) -> bytes:
    """Render a matplotlib Figure to PNG bytes and close it.

    Use it to put a chart of your own into a :class:`ReportSection`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3])
    >>> figure_png(fig)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
