"""The workbook writer: one sheet per table, labelled headers, frozen header row.

What a reader of the workbook can rely on:

- numbers are numbers: integer and float columns, and text cells that are a formatted
  number (``1,482``, ``45.3%``, ``3.25``) are stored as numbers, shares with a percent
  format; months (``2024-03``) and dates (``2024-03-05``) are stored as dates;
- yes/no columns say 是/否 (yes/no), as the HTML does;
- no cell is a formula: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is written as text with Excel's quote prefix
  (:func:`commlib._files.xlsx_safe_cell`);
- control characters, which a workbook cannot hold, are removed from every text;
- every text, header and sheet name passes the final personal-data check: what it finds
  is masked (and counted by the caller's :class:`~commlib.report._guard.OutputMasker`);
- sheet names (at most 31 characters) are shortened at a word boundary, never mid-word.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from commlib._catalogue import t
from commlib._files import formula_like, printable, xlsx_safe_cell
from commlib.report._format import P_COLUMNS, PERCENT_COLUMNS, fmt_date, label

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f]")
#: Characters after which a sheet name may be cut.
_BREAK_AFTER = set(" _-·、，,;；:：/（）()【】[]《》")
_MAX_SHEET = 31

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_INTEGER = re.compile(r"^-?(?:0|[1-9]\d{0,14})$")
_PERCENT = re.compile(r"^-?\d+(?:\.\d+)?%$")
#: Columns that mix figures and words cell by cell (the overview's values).
_MIXED_VALUE_COLUMNS = frozenset({"value"})
#: Columns whose digits are identifiers, not quantities: kept as text.
_ID_LIKE = re.compile(r"(?:^|_)(?:id|ids|key|code|row|rows|phone|number|no)$", re.I)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _word_bounds(text: str) -> list[int]:
    """Positions where ``text`` may be cut without splitting a word."""
    bounds = {i + 1 for i, ch in enumerate(text) if ch in _BREAK_AFTER}
    bounds |= {i for i, ch in enumerate(text) if ch in _BREAK_AFTER}
    if any(ord(ch) > 0x2E80 for ch in text):
        try:
            import rjieba

            pos = 0
            for token in rjieba.cut(text):
                pos += len(token)
                bounds.add(pos)
        except ImportError:  # pragma: no cover - rjieba is a dependency
            pass
    # a change of script (Chinese to Latin or digits) is a boundary too
    for i in range(1, len(text)):
        if (ord(text[i - 1]) > 0x2E80) != (ord(text[i]) > 0x2E80):
            bounds.add(i)
    return sorted(b for b in bounds if 0 < b <= len(text))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary.

    Examples
    --------
    >>> shorten("Categories ranked by tickets per community", 31)
    'Categories ranked by tickets'
    >>> shorten("各小区前五类诉求及其占比与累计占比变化趋势分析表格汇总", 12)
    '各小区前五类诉求及其占比'
    """
    if len(text) <= limit:
        return text
    fits = [b for b in _word_bounds(text) if b <= limit]
    cut = fits[-1] if fits and fits[-1] >= limit // 3 else limit
    return text[:cut].rstrip(" _-·、，,;；:：/（(【[《")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", printable(str(name))).strip().strip("'") or "sheet"
    candidate, k = shorten(base, _MAX_SHEET), 1
    while candidate.lower() in taken:
        k += 1
        suffix = f"_{k}"
        candidate = shorten(base, _MAX_SHEET - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _number(text: str, column: str):
    """A text that is a formatted number, as ``(value, number_format)``; else None."""
    s = text.strip()
    if _PERCENT.match(s):
        return float(s[:-1]) / 100, "0.0%"
    if _GROUPED.match(s):
        v = float(s.replace(",", ""))
        return (int(v), "#,##0") if "." not in s else (v, "#,##0.00")
    if _DECIMAL.match(s):
        return float(s), "0.00"
    if _INTEGER.match(s) and not _ID_LIKE.search(column):
        return int(s), "0"
    return None


def _xlsx_value(value, lang: str = "zh"):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return t("common.yes" if value else "common.no", lang)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.tz_localize(None).to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return printable("；".join(str(v) for v in value))
    return printable(str(value))


def _column_values(df: pd.DataFrame, col: str, lang: str, masker) -> tuple[list, list]:
    """The column's cell values for openpyxl and each cell's number format (or None)."""
    s = df[col]
    values = [_xlsx_value(v, lang) for v in s.tolist()]
    formats: list = [None] * len(values)
    texts = [v for v in values if isinstance(v, str)]
    if texts and masker is not None:
        idx = [i for i, v in enumerate(values) if isinstance(v, str)]
        masked = masker.mask(pd.Series(texts, dtype="str"))
        for i, v in zip(idx, masked.tolist(), strict=True):
            values[i] = v
        texts = [values[i] for i in idx]
    if pd.api.types.is_datetime64_any_dtype(s):
        return values, ["yyyy-mm-dd"] * len(values)
    if col in PERCENT_COLUMNS:
        return values, ["0.0%" if isinstance(v, float) else None for v in values]
    if col in P_COLUMNS:
        return values, ["0.000" if isinstance(v, float) else None for v in values]
    if not texts:
        return values, formats
    nonblank = [x.strip() for x in texts if x.strip()]
    if nonblank and all(_MONTH.match(x) for x in nonblank):
        for i, v in enumerate(values):
            if isinstance(v, str) and v.strip():
                values[i], formats[i] = _dt.datetime.strptime(v.strip(), "%Y-%m"), "yyyy-mm"
        return values, formats
    if nonblank and all(_DAY.match(x) for x in nonblank):
        for i, v in enumerate(values):
            if isinstance(v, str) and v.strip():
                values[i] = _dt.datetime.strptime(v.strip(), "%Y-%m-%d")
                formats[i] = "yyyy-mm-dd"
        return values, formats
    # a column of formatted numbers, or a mixed "value" column (the overview's figures)
    found = [_number(v, col) if isinstance(v, str) and v.strip() else None for v in values]
    numeric = sum(f is not None for f in found)
    if numeric and (numeric == len(nonblank) or col in _MIXED_VALUE_COLUMNS):
        for i, f in enumerate(found):
            if f is not None:
                values[i], formats[i] = f
    return values, formats


def _write_sheet(ws, df: pd.DataFrame, lang: str, masker=None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in df.columns]
    headers = [printable(label(c, lang)) for c in columns]
    if masker is not None and headers:
        headers = masker.mask(pd.Series(headers, dtype="str")).tolist()
    ws.append(headers)
    prepared = [_column_values(df, c, lang, masker) for c in df.columns]
    cols_values = [p[0] for p in prepared]
    for row in zip(*cols_values, strict=True) if cols_values else ():
        ws.append(list(row))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3EA")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        xlsx_safe_cell(cell)
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions
    for j, (values, formats) in enumerate(prepared, start=1):
        letter = get_column_letter(j)
        shown = [
            v.strftime("%Y-%m-%d") if isinstance(v, _dt.date) else "" if v is None else str(v)
            for v in values[:500]
        ]
        width = max([_display_width(headers[j - 1])] + [_display_width(s) for s in shown])
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        risky = [i for i, v in enumerate(values) if formula_like(v)]
        for i in risky:
            xlsx_safe_cell(ws.cell(row=i + 2, column=j))
        if width > 60:
            for i in range(len(values)):
                ws.cell(row=i + 2, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        for i, fmt in enumerate(formats):
            if fmt is not None and values[i] is not None:
                ws.cell(row=i + 2, column=j).number_format = fmt


def write_xlsx(report, path: Path, masker=None) -> None:
    """Write ``report``'s tables to ``path``; ``masker`` masks and counts every text."""
    from openpyxl import Workbook

    lang = report.lang
    wb = Workbook()
    about = wb.active
    taken: set[str] = set()

    def sheet_title(text: str) -> str:
        if masker is not None:
            text = masker.mask(pd.Series([printable(str(text))], dtype="str")).iloc[0]
        return _sheet_name(text, taken)

    about.title = sheet_title(label("about", lang))
    meta = report.meta
    rows = [(label("about", lang), report.title)]
    if meta.get("source"):
        rows.append((t("report.source_label", lang), str(meta["source"])))
    if meta.get("start") is not None:
        period = f"{fmt_date(meta['start'])} – {fmt_date(meta['end'])}"
        rows.append((t("report.kpi_period", lang), period))
    for s in report.sections:
        line = t("report.skipped_line", lang, reason=s.skipped) if s.skipped else "✓"
        rows.append((s.title, line))
    about_df = pd.DataFrame(rows, columns=["item", "value"], dtype=object)
    _write_sheet(about, about_df, lang, masker)
    for s in report.sections:
        for name, table in s.tables.items():
            title = s.table_titles.get(name, name)
            ws = wb.create_sheet(sheet_title(title))
            _write_sheet(ws, table, lang, masker)
    for key in ("title", "subject", "creator", "description", "keywords"):
        value = getattr(wb.properties, key, None)
        if isinstance(value, str) and masker is not None:
            setattr(wb.properties, key, masker.mask(pd.Series([value], dtype="str")).iloc[0])
    wb.properties.title = sheet_title_text(report.title, masker)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def sheet_title_text(text: str, masker) -> str:
    """The workbook's document title: the report title, masked, without controls."""
    text = printable(str(text))
    if masker is not None:
        text = masker.mask(pd.Series([text], dtype="str")).iloc[0]
    return text
