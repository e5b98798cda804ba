"""Workbooks (XLSX via openpyxl, old XLS via xlrd): sheet choice and formula cells."""

from __future__ import annotations

import difflib
import importlib
import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable

import pandas as pd

from commlib.io._common import input_error, logger
from commlib.io._headers import _HEADER_STRIP, _clean_headers
from commlib.io._sources import _Source

# A formula cell with no cached value: <c r="B2" ...><f>SUM(A1)</f></c>, or with an
# empty <v/>. Namespace prefixes (<x:c>) are allowed, as some .NET exporters write them.
_P = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<" + _P + rb"c\b[^>]*?\br=\"([A-Z]+[0-9]+)\"[^>]*>\s*"
    rb"<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>)\s*"
    rb"(?:<" + _P + rb"v\s*/>|<" + _P + rb"v>\s*</" + _P + rb"v>)?\s*</" + _P + rb"c>"
)
_ANY_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")


def _read_workbook(
    src: _Source,
    *,
    fmt: str,
    sheet: str | int | None,
    score: Callable[[list[str]], int],
) -> tuple[pd.DataFrame, dict]:
    """Read one sheet as strings; return it and facts for ``df.attrs``.

    With ``sheet=None`` the sheet whose headers ``score`` highest is read (the first
    sheet on a tie), so a workbook whose first sheet is a cover note still works.
    """
    engines = ["openpyxl"] if fmt == "xlsx" else _xls_engines()
    if not engines:
        raise input_error("io.xls_needs_xlrd", name=src.name)
    book = None
    for engine in engines:
        try:
            with warnings.catch_warnings():
                # pandas 3 deprecates its xlrd engine; xlrd is only the fallback here
                warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated")
                book = pd.ExcelFile(src.binary(), engine=engine)
            break
        except Exception as err:  # zipfile.BadZipFile, KeyError, calamine/xlrd errors ...
            failure = err
    if book is None:
        raise input_error(
            "io.workbook_unreadable", name=src.name, fmt=fmt.upper(), reason=str(failure)
        ) from failure
    facts: dict = {}
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None and len(names) > 1:
            target = _best_sheet(book, names, score, src.name)
            facts["sheet_auto"] = target != names[0]
        else:
            target = _pick_sheet(names, sheet, src.name)
            facts["sheet_auto"] = False
        facts["sheet"] = target
        facts["sheets"] = names
        df = pd.read_excel(
            book,
            sheet_name=target,
            header=0,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    df.columns = [str(c) for c in df.columns]
    df = df.astype("str") if len(df.columns) else df
    if fmt == "xlsx" and df.isna().to_numpy().any():
        count, cells = _formula_cells_without_value(src, target)
        facts["formula_cells_without_value"] = count
        facts["formula_cells_example"] = cells
        if count:
            logger.warning(
                "%s: sheet %r has %d formula cell(s) without a saved value (e.g. %s), "
                "which read as empty; open and save the file in Excel or WPS to store them",
                src.name,
                target,
                count,
                ", ".join(cells),
            )
    return df, facts


def _xls_engines() -> list[str]:
    """Engines that read old .xls workbooks here: calamine (pandas' choice), then xlrd."""
    engines = []
    for module, engine in (("python_calamine", "calamine"), ("xlrd", "xlrd")):
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        engines.append(engine)
    return engines


def _best_sheet(book, names: list[str], score, name: str) -> str:
    scores = []
    for sheet_name in names:
        try:
            headers = pd.read_excel(book, sheet_name=sheet_name, header=0, nrows=0).columns
        except Exception:  # an unreadable or chart-only sheet scores nothing  # noqa: BLE001
            scores.append(-1)
            continue
        scores.append(score(_clean_headers(headers)))
    best = max(range(len(names)), key=lambda i: (scores[i], -i))
    if best != 0:
        logger.info(
            "%s: read sheet %r, whose headers match best (%d), not the first sheet %r; "
            "pass sheet= (Python) or --sheet (command line) to read another",
            name,
            names[best],
            scores[best],
            names[0],
        )
    return names[best]


def _pick_sheet(names: list[str], sheet: str | int | None, name: str) -> str:
    listing = ", ".join(repr(n) for n in names)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if -len(names) <= sheet < len(names):
            return names[sheet]
        raise input_error(
            "io.sheet_out_of_range", name=name, count=len(names), sheet=sheet, sheets=listing
        )
    if sheet in names:
        return sheet
    stripped = {_HEADER_STRIP.sub("", n): n for n in names}
    if _HEADER_STRIP.sub("", str(sheet)) in stripped:
        return stripped[_HEADER_STRIP.sub("", str(sheet))]
    if str(sheet).lstrip("-").isdigit():  # "2" from a command line: a position
        return _pick_sheet(names, int(sheet), name)
    close = difflib.get_close_matches(str(sheet), names, n=1, cutoff=0.5)
    if close:
        raise input_error(
            "io.sheet_not_found_close",
            name=name,
            sheet=repr(sheet),
            sheets=listing,
            close=repr(close[0]),
        )
    raise input_error("io.sheet_not_found", name=name, sheet=repr(sheet), sheets=listing)


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """Path inside the XLSX archive of the worksheet named ``sheet``."""
    import xml.etree.ElementTree as ET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter(f"{ns_main}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{ns_rel}id")
    if rel_id is None:
        return None
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for element in rels.iter(f"{ns_pkg}Relationship"):
        if element.get("Id") == rel_id:
            target = element.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _formula_cells_without_value(src: _Source, sheet: str) -> tuple[int, list[str]]:
    """Count the sheet's formula cells that have no cached value, with up to 3 addresses.

    openpyxl (``data_only=True``, as pandas opens workbooks) returns None for them,
    so they would read as silently empty. A file written by a program that never
    computed its formulas has them; Excel and WPS store the values when they save.
    The sheet's XML is scanned with a regular expression only if it holds a formula.
    """
    try:
        with zipfile.ZipFile(src.binary()) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return 0, []
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, OSError, SyntaxError) as err:
        logger.debug("%s: formula check skipped (%s)", src.name, err)
        return 0, []
    if not _ANY_FORMULA.search(data):
        return 0, []
    cells = [m.group(1).decode() for m in _FORMULA_WITHOUT_VALUE.finditer(data)]
    return len(cells), cells[:3]
