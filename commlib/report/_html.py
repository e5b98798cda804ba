"""The HTML writer: one self-contained page from a Jinja2 template with autoescape.

The template (``templates/report.html.j2``) receives plain text only; Jinja2 escapes
every value, so no text of the report (a category named ``<script>``) becomes markup.
The stylesheet is the package's own ``resources/report.css``, passed in as trusted.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
from functools import cache

import numpy as np
import pandas as pd

from commlib._catalogue import t
from commlib.report._format import P_COLUMNS, PERCENT_COLUMNS, fmt_date, fmt_pct, label

#: Rows of a table shown in the HTML (tables are ordered most important first: largest
#: groups, latest months, active alerts); the workbook holds every row. A section can
#: ask for fewer (``ReportSection.table_rows``).
HTML_MAX_ROWS = 15
#: A text cell longer than this sets its column in the "long" style (smaller, wider).
_LONG_CELL = 30
#: Yes/no columns whose "no" is shown too.
_BOTH_WAYS = frozenset({"active"})


@cache
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("commlib.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def _css():
    from importlib import resources

    from markupsafe import Markup

    css = resources.files("commlib.resources").joinpath("report.css").read_text(encoding="utf-8")
    extra = resources.files("commlib.report").joinpath("templates", "report.css")
    css += "\n" + extra.read_text(encoding="utf-8")
    return Markup(css)  # the package's own stylesheets, not data


def embed_font(html: str, text: str) -> str:
    """``html`` with the bundled CJK font's glyphs for ``text`` at the top of its stylesheet.

    See :func:`commlib.plotting.cjk_font_face`; the page is returned unchanged when
    ``text`` needs no CJK font or the font is not installed.
    """
    from commlib.plotting import cjk_font_face

    rule = cjk_font_face(text)
    if not rule:
        return html
    head, sep, rest = html.partition("<style>\n")
    if not sep:
        raise ValueError("the page has no <style> element for the embedded font")
    return head + sep + rule + rest


def _cell(value, column: str, lang: str) -> dict:
    """One table cell: its lines of text and whether it is numeric (right-aligned)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return {"lines": [""], "numeric": False}
    if isinstance(value, float) and math.isnan(value):
        return {"lines": [""], "numeric": False}
    if isinstance(value, (bool, np.bool_)):
        # a "still active" flag is read both ways; elsewhere an empty cell means no
        no = t("common.no", lang) if column in _BOTH_WAYS else ""
        return {"lines": [t("common.yes", lang) if value else no], "numeric": False}
    if isinstance(value, (pd.Timestamp, _dt.datetime, np.datetime64)):
        return {"lines": [fmt_date(value)], "numeric": True}
    if isinstance(value, (int, np.integer)):
        return {"lines": [f"{int(value):,}"], "numeric": True}
    if isinstance(value, (float, np.floating)):
        if column in PERCENT_COLUMNS:
            text = fmt_pct(float(value))
        elif column in P_COLUMNS:
            text = f"{value:.3g}" if value >= 0.001 else "< 0.001"
        else:
            text = f"{value:,.2f}"
        return {"lines": [text], "numeric": True}
    text = str(value)
    return {"lines": text.split("\n"), "numeric": False, "long": len(text) > _LONG_CELL}


def _table(name: str, df: pd.DataFrame, caption: str, lang: str, limit: int | None = None) -> dict:
    shown = df.head(min(limit, HTML_MAX_ROWS) if limit else HTML_MAX_ROWS)
    columns = [str(c) for c in shown.columns]
    vital = shown["vital"].to_numpy() if "vital" in shown.columns else None
    rows = [
        {
            "vital": vital is not None and bool(vital[i]),
            "cells": [_cell(v, c, lang) for c, v in zip(columns, row, strict=True)],
        }
        for i, row in enumerate(shown.itertuples(index=False, name=None))
    ]
    # a column with one long text is set wide as a whole (else the browser squeezes the
    # shorter cells of it to a character per line)
    long_cols = {j for r in rows for j, c in enumerate(r["cells"]) if c.get("long")}
    for r in rows:
        for j in long_cols:
            if not r["cells"][j]["numeric"]:
                r["cells"][j]["long"] = True
    note = None
    if len(df) > len(shown):
        note = t("report.rows_note", lang, shown=len(shown), total=len(df))
    return {
        "name": name,
        "caption": caption,
        "headers": [label(c, lang) for c in columns],
        "rows": rows,
        "note": note,
        "small": len(rows) <= 8,
        # many columns or long texts: the full width, so no column is squeezed
        "wide": len(columns) > 7 or any(c.get("long") for r in rows for c in r["cells"]),
    }


def _section(section, lang: str) -> dict:
    if section.skipped is not None:
        line = t("report.not_built_line", lang, title=section.title, reason=section.skipped)
        return {"id": section.id, "title": section.title, "skipped": line}
    kpis = []
    tables = dict(section.tables)
    if section.id == "overview" and "overview" in tables:
        kpi = tables.pop("overview")
        kpis = [(str(k), str(v)) for k, v in zip(kpi["metric"], kpi["value"], strict=True)]
    return {
        "id": section.id,
        "title": section.title,
        "skipped": None,
        "kpis": kpis,
        "paragraphs": list(section.paragraphs),
        "figures": [
            {
                "name": name,
                "caption": section.figure_titles.get(name, name),
                "data": base64.b64encode(png).decode("ascii"),
            }
            for name, png in section.figures.items()
        ],
        "tables": [
            _table(
                name,
                table,
                section.table_titles.get(name, name),
                lang,
                section.table_rows.get(name),
            )
            for name, table in tables.items()
        ],
    }


def render_html(report) -> str:
    """The report as one HTML page (a string)."""
    lang = report.lang
    meta = report.meta
    lines = []
    if meta.get("source"):
        lines.append(t("report.source", lang, source=meta["source"]))
    if meta.get("start") is not None:
        lines.append(
            t("report.period", lang, start=fmt_date(meta["start"]), end=fmt_date(meta["end"]))
        )
    if meta.get("as_of") is not None:
        lines.append(t("report.as_of", lang, date=fmt_date(meta["as_of"])))
    generated = meta.get("generated")
    if generated is not None:
        when = pd.Timestamp(generated).strftime("%Y-%m-%d %H:%M")
        lines.append(t("report.generated", lang, when=when))
    sections = [_section(s, lang) for s in report.sections]
    built_ids = {s["id"] for s in sections if s["skipped"] is None}
    actions = [a for a in meta.get("actions") or () if a.get("section") in built_ids]
    return _template().render(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=report.title,
        css=_css(),
        meta_lines=lines,
        contents=t("report.contents", lang),
        actions_title=t("report.actions_title", lang),
        actions=actions,
        not_built_title=t("report.not_built_title", lang),
        built=[s for s in sections if s["skipped"] is None],
        not_built=[s for s in sections if s["skipped"] is not None],
        footer=t("report.footer", lang, version=meta.get("version", "")),
    )
