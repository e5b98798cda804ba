"""The workbook writer: one sheet per table, labelled headers, frozen header row."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from commlib._catalogue import t
from commlib.report._format import PERCENT_COLUMNS, fmt_date, label

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "sheet"
    candidate, k = base, 1
    while candidate.lower() in taken:
        k += 1
        suffix = f"_{k}"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (list, tuple, np.ndarray)):
        return "；".join(str(v) for v in value)
    return str(value)


def _write_sheet(ws, df: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in df.columns]
    headers = [label(c, lang) for c in columns]
    ws.append(headers)
    for row in df.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3EA")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        sample = (
            df[col].head(500).map(lambda v: "" if _xlsx_value(v) is None else str(_xlsx_value(v)))
        )
        width = max([_display_width(headers[j - 1])] + [_display_width(s) for s in sample])
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if col in PERCENT_COLUMNS or pd.api.types.is_datetime64_any_dtype(df[col]) or width > 60:
            fmt = "0.0%" if col in PERCENT_COLUMNS else "yyyy-mm-dd"
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if width > 60:
                    cell[0].alignment = Alignment(wrap_text=True, vertical="top")
                elif cell[0].value is not None:
                    cell[0].number_format = fmt


def write_xlsx(report, path: Path) -> None:
    from openpyxl import Workbook

    lang = report.lang
    wb = Workbook()
    about = wb.active
    taken: set[str] = set()
    about.title = _sheet_name(label("about", lang), taken)
    meta = report.meta
    rows = [(label("item", lang), label("value", lang)), (label("about", lang), report.title)]
    if meta.get("source"):
        rows.append((t("report.source_label", lang), str(meta["source"])))
    if meta.get("start") is not None:
        period = f"{fmt_date(meta['start'])} – {fmt_date(meta['end'])}"
        rows.append((t("report.kpi_period", lang), period))
    for s in report.sections:
        line = t("report.skipped_line", lang, reason=s.skipped) if s.skipped else "✓"
        rows.append((s.title, line))
    about_df = pd.DataFrame(rows[1:], columns=["item", "value"])
    _write_sheet(about, about_df, lang)
    for s in report.sections:
        for name, table in s.tables.items():
            title = s.table_titles.get(name, name)
            ws = wb.create_sheet(_sheet_name(title, taken))
            _write_sheet(ws, table, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
