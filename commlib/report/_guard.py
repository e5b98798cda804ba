"""The personal-data guard: mask what goes into a report, check what comes out.

One detector: :func:`commlib.privacy.find_pii`, the same rules :func:`commlib.privacy.mask_pii`
masks with, so the guard never flags what masking leaves (and never passes what masking
would catch).
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from commlib._catalogue import has, t
from commlib.errors import CommlibError, InputFileError
from commlib.report._format import fmt_date

#: File types :func:`scan_outputs` reads.
SCANNABLE = (".html", ".htm", ".xlsx", ".ipynb", ".csv", ".tsv", ".txt", ".md", ".json")


class ReportPrivacyError(CommlibError):
    """Personal data was found in a report about to be written; nothing was written."""

    def render(self, lang: str = "zh") -> str:
        """The message in ``lang``, with the kinds and the place named in it too."""
        if self.key is None:
            return str(self)
        kinds = [
            t(f"report.pii.{k}", lang) if has(f"report.pii.{k}") else k
            for k in self.params.get("kind_codes", ())
        ]
        where_key = self.params.get("where_key")
        where = (
            t(where_key, lang, **self.params.get("where_params", {}))
            if where_key
            else self.params["where"]
        )
        return t(self.key, lang, kinds=t("common.list_sep", lang).join(kinds) or "-", where=where)


def pii_kinds(texts: str | Iterable[str]) -> list[str]:
    """Kinds of personal data :func:`commlib.privacy.find_pii` finds in ``texts``."""
    from commlib.privacy import find_pii

    items = [texts] if isinstance(texts, str) else [x for x in texts if isinstance(x, str)]
    items = [x for x in items if x]
    if not items:
        return []
    found = find_pii(pd.Series(items, dtype="str"))
    return [k for k in found.columns if bool(found[k].any())]


def texts_of_file(path: Path) -> list[str]:
    """The human-readable texts of an output file (no embedded images, no markup)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                str(v)
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
                if v is not None
            ]
        finally:
            wb.close()
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        raw = re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", "", raw)
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        return [html.unescape(x) for x in re.split(r"<[^>]+>", raw) if x.strip()]
    if suffix == ".ipynb":
        nb = json.loads(raw)
        texts = []
        for cell in nb.get("cells", []):
            texts.append("".join(cell.get("source", [])))
            for out in cell.get("outputs", []):
                texts.append("".join(out.get("text", [])))
                for mime, value in out.get("data", {}).items():
                    if mime.startswith("text/"):
                        texts.append(value if isinstance(value, str) else "".join(value))
        return texts
    return raw.splitlines()


def visible_text(text: str) -> list[str]:
    """The text a reader of an HTML page sees (and attribute values), without images."""
    stripped = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", text)
    stripped = re.sub(r"<style>.*?</style>", "", stripped, flags=re.S)
    chunks = re.split(r"<[^>]*>", stripped)
    attrs = re.findall(r'(?:alt|title|aria-label)="([^"]*)"', stripped)
    return [html.unescape(c) for c in [*chunks, *attrs] if c.strip()]


def xlsx_strings(path: Path) -> list[str]:
    """Every sheet name and string cell of a workbook."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        out = list(wb.sheetnames)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                out.extend(v for v in row if isinstance(v, str))
    finally:
        wb.close()
    return out


def scan_outputs(paths) -> pd.DataFrame:
    """Check files that are about to leave the office for residents' personal data.

    Reads each file's visible text (HTML without markup or embedded images, every cell
    of a workbook, a notebook's sources and outputs, plain text and CSV) and looks for
    phone numbers, ID numbers, plates, names, bank cards and e-mail addresses with
    :func:`commlib.privacy.find_pii`, the detector that guards the report. Folders are
    searched for the file types in :data:`SCANNABLE`.

    Parameters
    ----------
    paths : str, path-like or iterable of them
        Files or folders.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file``, ``ok`` (True when nothing was found) and ``kinds``
        (the kinds found, comma-separated).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (pathlib.Path(d) / "a.html").write_text("<p>联系电话[电话]</p>", encoding="utf-8")
    ...     _ = (pathlib.Path(d) / "b.csv").write_text("text\\n联系电话13812345678\\n", encoding="utf-8")
    ...     scan_outputs(d)[["ok", "kinds"]].to_numpy().tolist()
    [[True, ''], [False, 'phone']]
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SCANNABLE))
        elif p.is_file():
            files.append(p)
        else:
            raise InputFileError(key="report.error.scan_missing", params={"path": str(p)})
    rows = []
    for f in files:
        if f.suffix.lower() not in SCANNABLE:
            raise InputFileError(
                key="report.error.scan_type",
                params={"path": str(f), "suffix": f.suffix or "-", "types": ", ".join(SCANNABLE)},
            )
        kinds = pii_kinds(texts_of_file(f))
        rows.append({"file": str(f), "ok": not kinds, "kinds": ", ".join(kinds)})
    return pd.DataFrame(rows, columns=["file", "ok", "kinds"])


def check_no_personal_data(texts: str | Iterable[str], *, where: str = "the report") -> None:
    """Raise :class:`ReportPrivacyError` if any text holds personal data.

    The detector is :func:`commlib.privacy.find_pii`: every kind ``mask_pii`` masks.

    Parameters
    ----------
    texts : str or iterable of str
    where : str
        What is being checked, for the message.

    Examples
    --------
    >>> check_no_personal_data(["来电人[姓名]反映噪音", "工单 GD2024010107699"])
    >>> try:
    ...     check_no_personal_data(["联系电话13812345678"])
    ... except ReportPrivacyError as err:
    ...     print(str(err)[:40])
    personal data (phone) found in the repor
    """
    guard(texts, where=where, where_key="report.where.report" if where == "the report" else None)


def guard(texts, *, where: str, where_key: str | None = None, where_params=None) -> None:
    """:func:`check_no_personal_data` with the place also named by a catalogue key."""
    kinds = pii_kinds(texts)
    if kinds:
        params = {
            "kinds": ", ".join(kinds),
            "where": where,
            "kind_codes": tuple(kinds),
            "where_key": where_key,
            "where_params": dict(where_params or {}),
        }
        en = t("report.error.privacy", "en", kinds=params["kinds"], where=where)
        raise ReportPrivacyError(en, key="report.error.privacy", params=params)


# ------------------------------------------------------------------------ masking

#: Object columns whose values are not text (numbers or dates with gaps): left as they are.
_NOT_TEXT = frozenset(
    {
        "integer",
        "floating",
        "mixed-integer-float",
        "decimal",
        "boolean",
        "datetime",
        "datetime64",
        "date",
        "timedelta",
        "timedelta64",
        "period",
        "empty",
    }
)

#: Label columns that sections group by, name in sentences and draw on charts.
_LABEL_COLUMNS = (
    "category",
    "subcategory",
    "community",
    "address",
    "address_key",
    "department",
    "street",
    "transfer_path",
)


def cell_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "；".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return fmt_date(value)
    return str(value)


def mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Mask every text cell (lists of texts too) of a table; numbers are left alone."""
    from commlib.privacy import mask_pii

    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        if pd.api.types.is_bool_dtype(s) or pd.api.types.infer_dtype(s) in _NOT_TEXT:
            continue
        values = s.map(cell_text, na_action="ignore")
        out[col] = mask_pii(values.astype("str"))
    out.columns = [str(c) for c in out.columns]
    return out


def masked_labels(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with personal data masked in its label columns (a copy only if needed)."""
    from commlib.privacy import mask_pii

    out = df
    for col in dict.fromkeys((*_LABEL_COLUMNS, by)):
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        uniq = pd.Series(pd.unique(s.dropna()), dtype=object)
        masked = mask_pii(uniq.astype("str"))
        differs = uniq.astype("str") != masked
        changed = dict(zip(uniq[differs], masked[differs], strict=True))
        if not changed:
            continue
        if out is df:
            out = df.copy()
        hit = s.isin(list(changed))
        out[col] = s.astype(object).where(~hit, s.astype(object).map(changed))
    return out


def masked_section(section):
    """A :class:`ReportSection` with its title, texts and string cells masked."""
    from commlib.privacy import mask_pii

    return dataclasses.replace(
        section,
        title=mask_pii(section.title),
        paragraphs=tuple(mask_pii(p) for p in section.paragraphs),
        tables={k: mask_frame(v) for k, v in section.tables.items()},
        table_titles={k: mask_pii(v) for k, v in section.table_titles.items()},
        figure_titles={k: mask_pii(v) for k, v in section.figure_titles.items()},
        skipped=None if section.skipped is None else mask_pii(section.skipped),
    )
