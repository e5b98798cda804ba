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

#: Rows of a table shown in the HTML; the workbook holds every row.
HTML_MAX_ROWS = 25


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
    return Markup(css)  # the package's own stylesheet, not data


def _cell(value, column: str, lang: str) -> dict:
    """One table cell: its lines of text and whether it is numeric (right-aligned)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return {"lines": [""], "numeric": False}
    if isinstance(value, float) and math.isnan(value):
        return {"lines": [""], "numeric": False}
    if isinstance(value, (bool, np.bool_)):
        return {"lines": [t("common.yes", lang) if value else ""], "numeric": False}
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
    return {"lines": str(value).split("\n"), "numeric": False}


def _table(name: str, df: pd.DataFrame, caption: str, lang: str) -> dict:
    shown = df.head(HTML_MAX_ROWS)
    columns = [str(c) for c in shown.columns]
    vital = shown["vital"].to_numpy() if "vital" in shown.columns else None
    rows = [
        {
            "vital": vital is not None and bool(vital[i]),
            "cells": [_cell(v, c, lang) for c, v in zip(columns, row, strict=True)],
        }
        for i, row in enumerate(shown.itertuples(index=False, name=None))
    ]
    note = None
    if len(df) > len(shown):
        note = t("report.rows_note", lang, shown=len(shown), total=len(df))
    return {
        "name": name,
        "caption": caption,
        "headers": [label(c, lang) for c in columns],
        "rows": rows,
        "note": note,
    }


def _section(section, lang: str) -> dict:
    if section.skipped is not None:
        line = t("report.skipped_line", lang, reason=section.skipped)
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
            _table(name, table, section.table_titles.get(name, name), lang)
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
    generated = meta.get("generated")
    if generated is not None:
        when = pd.Timestamp(generated).strftime("%Y-%m-%d %H:%M")
        lines.append(t("report.generated", lang, when=when))
    return _template().render(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=report.title,
        css=_css(),
        meta_lines=lines,
        contents=t("report.contents", lang),
        sections=[_section(s, lang) for s in report.sections],
        footer=t("report.footer", lang, version=meta.get("version", "")),
    )
