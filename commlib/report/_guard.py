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
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from commlib._catalogue import has, t
from commlib.errors import CommlibError, InputFileError
from commlib.report._format import fmt_date

#: File types :func:`scan_outputs` reads.
SCANNABLE = (".html", ".htm", ".xlsx", ".xls", ".ipynb", ".csv", ".tsv", ".txt", ".md", ".json")


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


def _decoded(path: Path) -> list[str]:
    """A text file's content, decoded as :func:`commlib.read_tickets` decodes it.

    GB18030/GBK, Big5, UTF-16 (with or without BOM) and UTF-8 are recognised with the
    reader's own detector. A file no encoding decodes is read as UTF-8 and as GB18030
    with replacement characters, and both readings are checked.
    """
    from commlib.errors import CommlibError as _Err
    from commlib.io._encoding import _detect_encoding
    from commlib.io._sources import _open_source

    data = path.read_bytes()
    try:
        encoding, _ = _detect_encoding(_open_source(path))
        return [data.decode(encoding)]
    except (_Err, UnicodeDecodeError, LookupError):
        return [data.decode("utf-8", errors="replace"), data.decode("gb18030", errors="replace")]


def _xlsx_texts(path: Path) -> list[str]:
    """Every text a person or a tool sees in a workbook.

    Sheet names, every cell (formulas as written and their saved values), comments,
    hyperlinks, headers and footers, defined names and the document properties.
    """
    import openpyxl

    out: list[str] = []
    formulas = openpyxl.load_workbook(path, data_only=False)
    values = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        out.extend(formulas.sheetnames)
        props = formulas.properties
        for key in (
            "title",
            "subject",
            "creator",
            "keywords",
            "description",
            "lastModifiedBy",
            "category",
            "contentStatus",
            "identifier",
            "version",
        ):
            value = getattr(props, key, None)
            if isinstance(value, str):
                out.append(value)
        for name in getattr(formulas, "defined_names", {}) or {}:
            out.append(str(name))
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        out.append(str(cell.value))
                    if cell.comment is not None:
                        out.append(cell.comment.text or "")
                        out.append(cell.comment.author or "")
                    if cell.hyperlink is not None:
                        out.extend(
                            _link_text(str(x))
                            for x in (cell.hyperlink.target, cell.hyperlink.tooltip)
                            if x
                        )
            for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
                for part in (hf.left, hf.center, hf.right):
                    if part.text:
                        out.append(part.text)
        for ws in values.worksheets:
            for row in ws.iter_rows(values_only=True):
                out.extend(str(v) for v in row if v is not None)
    finally:
        formulas.close()
        values.close()
    return out


def _xls_texts(path: Path) -> list[str]:
    """Every cell and sheet name of an old ``.xls`` workbook."""
    with pd.ExcelFile(path) as book:
        out = [str(n) for n in book.sheet_names]
        for name in book.sheet_names:
            df = pd.read_excel(book, sheet_name=name, header=None, dtype=str)
            out.extend(str(v) for v in df.to_numpy().ravel() if isinstance(v, str))
    return out


def texts_of_file(path: Path) -> list[str]:
    """Every text of an output file a person can see or a tool can read.

    Workbooks: see :func:`_xlsx_texts`. HTML: :func:`html_texts` (text, comments,
    attribute values and links, not embedded images or the stylesheet). Notebooks:
    sources and text outputs. Text files (CSV, TSV, TXT, Markdown, JSON) in any
    encoding :func:`commlib.read_tickets` reads.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_texts(path)
    if suffix == ".xls":
        return _xls_texts(path)
    readings = _decoded(path)
    if suffix in (".html", ".htm"):
        return [x for raw in readings for x in html_texts(raw)]
    if suffix == ".ipynb":
        nb = json.loads(readings[0])
        texts = []
        for cell in nb.get("cells", []):
            texts.append("".join(cell.get("source", [])))
            for out in cell.get("outputs", []):
                texts.append("".join(out.get("text", [])))
                for mime, value in out.get("data", {}).items():
                    if mime.startswith("text/"):
                        value = value if isinstance(value, str) else "".join(value)
                        texts.extend(html_texts(value) if mime == "text/html" else [value])
        return texts
    return [line for raw in readings for line in raw.splitlines()]


# HTML pieces: comments, raw-text elements, tags, and the text between them.
_HTML_PIECES = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<style><style\b[^>]*>.*?</style\s*>)"
    r"|(?P<script><script\b[^>]*>)(?P<script_body>.*?)(?P<script_end></script\s*>)"
    r"|(?P<tag><[^>]*>)",
    re.S | re.I,
)
_ATTR = re.compile(r"""(\s[^\s=/>"']+\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


def _link_text(value: str) -> str:
    """An attribute value as a reader of the link sees it (percent-escapes decoded)."""
    from urllib.parse import unquote

    return unquote(value)


def _html_slots(raw: str) -> list[tuple[int, int, str, bool]]:
    """Where the readable texts of an HTML page are: ``(start, end, text, in_attribute)``.

    Text between tags, comment bodies, script bodies and every attribute value (links,
    ``title=``, ``alt=`` ...) except embedded ``data:`` images; the stylesheet is left out.
    """
    slots: list[tuple[int, int, str, bool]] = []
    pos = 0

    def text_slot(a: int, b: int) -> None:
        if b > a and raw[a:b].strip():
            slots.append((a, b, html.unescape(raw[a:b]), False))

    for m in _HTML_PIECES.finditer(raw):
        text_slot(pos, m.start())
        pos = m.end()
        if m.group("comment"):
            text_slot(m.start() + 4, m.end() - 3)
        elif m.group("script") is not None:
            text_slot(m.start("script_body"), m.end("script_body"))
        elif m.group("tag"):
            base = m.start()
            for a in _ATTR.finditer(m.group("tag")):
                k = next(i for i in (2, 3, 4) if a.group(i) is not None)
                value = html.unescape(a.group(k))
                if value.strip() and not value.lstrip().lower().startswith("data:"):
                    slots.append((base + a.start(k), base + a.end(k), value, True))
    text_slot(pos, len(raw))
    return slots


def html_texts(raw: str) -> list[str]:
    """The texts of an HTML page a person can see or a tool can read.

    Examples
    --------
    >>> html_texts('<a href="tel:13812345678" title="王女士">联系</a><!-- 备注 -->')
    ['tel:13812345678', '王女士', '联系', ' 备注 ']
    """
    return [_link_text(text) if attr else text for _, _, text, attr in _html_slots(raw)]


def mask_html(raw: str, masker: OutputMasker) -> str:
    """``raw`` with personal data masked wherever :func:`html_texts` reads.

    Examples
    --------
    >>> m = OutputMasker()
    >>> mask_html('<p title="电话13812345678">车主沪A12345</p>', m)
    '<p title="电话[电话]">车主[车牌]</p>'
    >>> m.counts
    {'phone': 1, 'plate': 1}
    """
    slots = _html_slots(raw)
    if not slots:
        return raw
    texts = pd.Series(
        [_link_text(text) if attr else text for _, _, text, attr in slots], dtype="str"
    )
    masked = masker.mask(texts)
    pieces, pos = [], 0
    for (a, b, _, attr), before, after in zip(slots, texts.tolist(), masked.tolist(), strict=True):
        if before == after:
            continue
        pieces.append(raw[pos:a])
        pieces.append(html.escape(after, quote=attr))
        pos = b
    pieces.append(raw[pos:])
    return "".join(pieces)


class OutputMasker:
    """Masks texts on their way into an output file and counts what it masked, by kind.

    The final check of every output: whatever :func:`commlib.privacy.find_pii` finds in
    a text is masked with :func:`commlib.privacy.mask_as_checked` (one detector), and the texts
    masked are counted per kind in :attr:`counts`.

    Examples
    --------
    >>> m = OutputMasker()
    >>> m.mask(pd.Series(["联系电话13812345678", "噪音"])).tolist()
    ['联系电话[电话]', '噪音']
    >>> m.counts
    {'phone': 1}
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def mask(self, texts: pd.Series) -> pd.Series:
        from commlib.privacy import find_pii, mask_as_checked

        if not len(texts):
            return texts
        texts = texts.astype("str")
        masked = mask_as_checked(texts)
        changed = (masked != texts).fillna(False).astype(bool) & texts.notna()
        if changed.any():
            found = find_pii(texts[changed])
            for kind in found.columns:
                n = int(found[kind].sum())
                if n:
                    self.counts[kind] = self.counts.get(kind, 0) + n
        return masked


def record_masked(report, counts: Mapping[str, int]) -> None:
    """Keep ``counts`` in ``report.meta["masked_at_output"]`` (largest per kind over outputs).

    The same cell is usually in both the HTML page and the workbook, so the counts of
    the two outputs are not added: each kind keeps the larger one.
    """
    meta = report.meta
    if not isinstance(meta, dict):
        return
    merged = dict(meta.get("masked_at_output") or {})
    for kind, n in counts.items():
        merged[kind] = max(merged.get(kind, 0), int(n))
    meta["masked_at_output"] = merged


def visible_text(text: str) -> list[str]:
    """The texts of an HTML page a person sees or a tool reads (see :func:`html_texts`)."""
    return html_texts(text)


def xlsx_strings(path: Path) -> list[str]:
    """Every text of a workbook a person sees or a tool reads (see :func:`_xlsx_texts`)."""
    return _xlsx_texts(Path(path))


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
    from commlib.privacy import mask_as_checked

    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        if pd.api.types.is_bool_dtype(s) or pd.api.types.infer_dtype(s) in _NOT_TEXT:
            continue
        values = s.map(cell_text, na_action="ignore")
        out[col] = mask_as_checked(values.astype("str"))
    out.columns = [str(c) for c in out.columns]
    return out


def masked_labels(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with personal data masked in its label columns (a copy only if needed)."""
    from commlib.privacy import mask_as_checked

    out = df
    for col in dict.fromkeys((*_LABEL_COLUMNS, by)):
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        uniq = pd.Series(pd.unique(s.dropna()), dtype=object)
        masked = mask_as_checked(uniq.astype("str"))
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
    from commlib.privacy import mask_as_checked

    return dataclasses.replace(
        section,
        title=mask_as_checked(section.title),
        paragraphs=tuple(mask_as_checked(p) for p in section.paragraphs),
        tables={k: mask_frame(v) for k, v in section.tables.items()},
        table_titles={k: mask_as_checked(v) for k, v in section.table_titles.items()},
        figure_titles={k: mask_as_checked(v) for k, v in section.figure_titles.items()},
        skipped=None if section.skipped is None else mask_as_checked(section.skipped),
    )
