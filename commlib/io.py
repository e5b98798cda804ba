"""Read ticket exports (CSV, TSV, XLSX, Parquet, JSON) into canonical columns.

``read_tickets`` is the one door into commlib: it finds the file's format and text
encoding, reads every cell as a string (so dirty dates and ids reach the cleaner
untouched), maps the file's own headers onto :data:`commlib.schema.CANONICAL_COLUMNS`
and records where the rows came from in ``df.attrs``.

Large CSVs are read with :mod:`pyarrow.csv` in parallel; see :func:`read_tickets`
for why the reader calls pyarrow directly rather than through ``pandas.read_csv``.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from commlib.errors import InputFileError, MissingColumnsError
from commlib.schema import CANONICAL_COLUMNS, EXTRA_SAMPLE_COLUMNS, PRESETS

__all__ = ["read_tickets", "FORMATS", "ENCODINGS"]

logger = logging.getLogger(__name__)

#: Formats ``read_tickets`` understands, with the file extensions that select them.
#: ``"text"`` is a delimited file whose separator (comma, tab, semicolon or bar) is
#: sniffed from its header line.
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "tsv": (".tsv", ".tab"),
    "text": (".txt", ".dat"),
    "xlsx": (".xlsx", ".xlsm"),
    "xls": (".xls",),
    "parquet": (".parquet", ".pq"),
    "jsonl": (".jsonl", ".ndjson"),
    "json": (".json",),
}

#: Encodings tried, in this order, on text files when ``encoding=None``.
#: GB18030 is a superset of GBK and GB2312, so it also reads those.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030")

_EXTENSION_FORMAT = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}
_FORMAT_ALIASES = {"txt": "text", "tab": "tsv", "ndjson": "jsonl", "xlsm": "xlsx", "pq": "parquet"}
_DELIMITED = ("csv", "tsv", "text")
_DEFAULT_SEP = {"csv": ",", "tsv": "\t", "text": ","}
_SEP_CANDIDATES = (",", "\t", ";", "|")
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip", ".7z", ".rar")

#: Bytes read from the start of a file to sniff its format and encoding.
_HEAD_BYTES = 4 * 1024 * 1024

# Characters stripped from both ends of a header name: ordinary whitespace, the
# ideographic (full-width) space U+3000, no-break space, BOM and zero-width marks.
_HEADER_STRIP = re.compile(
    r"^[\s\u3000\ufeff\u200b-\u200d\u2060]+|[\s\u3000\ufeff\u200b-\u200d\u2060]+$"
)
_HEADER_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

# Canonical names, plus the extra column the bundled sample carries.
_KNOWN_NAMES = (*CANONICAL_COLUMNS, *EXTRA_SAMPLE_COLUMNS)
_TEXT_COLUMNS = ("text", "title", "category")


def read_tickets(
    source: str | os.PathLike | IO,
    *,
    columns: str | dict[str, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    required: list[str] | tuple[str, ...] | None = None,
    format: str | None = None,
) -> pd.DataFrame:
    """Read a ticket export into a DataFrame with canonical column names.

    This is how tickets enter commlib: one call turns a hotline, 311 or message-board
    export into the columns every other function expects, without losing a character
    of the raw cells.

    The format comes from the file extension (see :data:`FORMATS`), checked against
    the file's first bytes: an ``.xls`` that is really a tab-separated text file, or
    a ``.csv`` that is really a workbook, is read as what it is. A ``.txt`` (or a
    stream) is sniffed for its separator. Every cell is read as a string: an empty
    cell becomes missing, but words such as ``"NA"``, ``"null"`` or ``"无"`` stay as
    text, and dates are not parsed (``clean_tickets`` parses them and reports the
    ones it rejects). The input file is never modified.

    Parameters
    ----------
    source : str, path-like or file-like
        A path, or an open file object. A binary stream (``open(p, "rb")``,
        :class:`io.BytesIO`) has its encoding detected like a file; a text stream
        (:class:`io.StringIO`) is taken as already decoded. A stream's format is
        sniffed from its content unless ``format`` is given.
    columns : {None, "12345", "311", "board"} or dict, optional
        How to map the file's headers to canonical names. ``None`` picks
        automatically: canonical headers are used as they are, otherwise the preset
        of :data:`commlib.schema.PRESETS` that matches most headers is used (the
        choice is logged). A preset name forces that preset. A dict
        ``{file header: name}`` maps exactly those headers; a name that is not
        canonical is kept as given. Headers are compared after normalisation
        (surrounding white space removed, NFKC, case folded, runs of spaces and
        dashes turned into ``_``), so ``Created Date``, ``created-date`` and
        ``created_date`` all match the 311 preset's ``created_date``. When several
        headers map to one name, the first in the preset's (or dict's) order wins
        and the others are kept as extra columns under their own names.
    sheet : str or int, optional
        Worksheet of an XLSX/XLS file, by name or 0-based position. Default: the
        first sheet.
    encoding : str, optional
        Text encoding of a CSV/TSV/JSON file. Default: detected by trial decoding,
        in the order of :data:`ENCODINGS` (UTF-8, UTF-8 with BOM, GB18030); a file
        starting with a UTF-16 byte-order mark (Excel's "Unicode text") is read as
        UTF-16.
    required : list of str, optional
        Canonical names the result must have. Default: for a dict ``columns``, every
        target of the dict; otherwise ``created_at`` and at least one of ``text``,
        ``title``, ``category``. Pass ``()`` to require nothing.
    format : {"csv", "tsv", "text", "xlsx", "xls", "parquet", "jsonl", "json"}, optional
        Force the format instead of inferring it.

    Returns
    -------
    pandas.DataFrame
        Canonical columns present in the file, in canonical order, then every other
        column under its (stripped) original header, in file order. All columns
        have the ``str`` dtype; missing cells are NaN. The index is a default
        RangeIndex, and ``df.attrs`` records provenance:

        - ``"source"``: the file name (``"<stream>"`` for an unnamed stream);
        - ``"format"``, ``"encoding"`` (None for workbooks and Parquet);
        - ``"column_map"``: ``{original header: name}`` for every mapped header;
        - ``"preset"``: ``"canonical"``, ``"12345"``, ``"311"``, ``"board"``,
          ``"custom"`` or None;
        - ``"first_data_row"``: the row number the user sees for row 0, so row
          ``i`` of the frame is row ``first_data_row + i`` of the file. For CSV and
          spreadsheets that is 2 (the header is row 1) and rows count records as
          Excel shows them: a cell with line breaks is one row. Blank rows inside
          the data are kept (as all-missing rows) so the numbering holds; blank
          rows at the end are dropped. For JSON lines it is 1 (the line number);
          for JSON arrays and Parquet, 1 is the first record.

    Raises
    ------
    InputFileError
        The file is missing, empty (or has headers but no rows), of an unknown or
        unreadable format, not decodable with the encodings tried, has rows with
        more or fewer fields than its header, or lacks the requested sheet.
    MissingColumnsError
        Required columns could not be found; the message names the closest headers.

    Notes
    -----
    CSV and TSV files are parsed by :func:`pyarrow.csv.read_csv` with
    ``newlines_in_values=True``, in parallel. ``pandas.read_csv(engine="pyarrow")``
    does not expose that option, and without it pyarrow's parallel chunker stops
    with "CSV parser got out of sync with chunker" on large files whose complaint
    texts hold line breaks, which hotline exports nearly always do. If pyarrow
    cannot parse a file for another reason, ``pandas.read_csv(engine="c")`` is tried.

    Encoding detection trial-decodes the first 4 MiB. If a later part of a file
    whose start was valid UTF-8 is not UTF-8, the error names the line where it
    breaks (such files usually join two exports); if the start was plain ASCII the
    whole file is tried again with the remaining encodings.

    openpyxl (3.1) returns workbook text as stored, and does not decode the OOXML
    ``_xHHHH_`` escapes: a carriage return saved by Excel or a government export
    tool arrives as the literal text ``_x000D_``, and line breaks and tabs
    (``\\n\\t\\t``) arrive as they are. ``read_tickets`` keeps both; the cleaner
    removes them. Date-formatted cells become text like ``"2024-01-15 10:23:45"``.

    Examples
    --------
    A GB18030 (GBK) export as Excel writes it, from an in-memory stream:

    >>> import io
    >>> raw = "工单编号,受理时间,诉求内容,备注\\nGD001,2024-01-03 09:00,快递丢失,NA\\n"
    >>> df = read_tickets(io.BytesIO(raw.encode("gb18030")))
    >>> df.columns.tolist()
    ['ticket_id', 'created_at', 'text', '备注']
    >>> df.loc[0, "备注"]
    'NA'
    >>> df.attrs["encoding"], df.attrs["preset"], df.attrs["first_data_row"]
    ('gb18030', '12345', 2)

    A NYC 311 file in the Open Data header style, from a path:

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = folder / "311.csv"
    >>> _ = path.write_text(
    ...     "Unique Key,Created Date,Complaint Type,Borough\\n"
    ...     "59893219,01/15/2024 10:23:45 PM,Noise - Residential,BROOKLYN\\n"
    ... )
    >>> df = read_tickets(path)
    >>> df.columns.tolist()
    ['ticket_id', 'created_at', 'category', 'Borough']
    >>> df.attrs["column_map"]["Created Date"]
    'created_at'

    Your own headers, with a dict:

    >>> df = read_tickets(
    ...     io.StringIO("编号,时间,内容\\n1,2024-01-03,楼上噪音\\n"),
    ...     columns={"编号": "ticket_id", "时间": "created_at", "内容": "text"},
    ... )
    >>> df.loc[0, "text"]
    '楼上噪音'
    """
    src = _open_source(source)
    if encoding is not None:
        encoding = _check_encoding_name(encoding)
    fmt = _decide_format(src, format)
    logger.debug("read_tickets: %s read as %s", src.name, fmt)

    if fmt in _DELIMITED:
        raw, used_encoding = _read_delimited(src, fmt=fmt, encoding=encoding or src.encoding)
        first_data_row = 2
    elif fmt in ("xlsx", "xls"):
        raw, used_encoding = _read_workbook(src, fmt=fmt, sheet=sheet), None
        first_data_row = 2
    elif fmt == "parquet":
        raw, used_encoding = _read_parquet(src), None
        first_data_row = 1
    else:
        raw, used_encoding = _read_json(src, fmt=fmt, encoding=encoding or src.encoding)
        first_data_row = 1

    raw.columns = _clean_headers(raw.columns)
    raw = _drop_trailing_empty_rows(raw)
    if raw.shape[1] == 0:
        raise InputFileError(f"file {src.name} is empty: it has no columns and no rows.")
    if len(raw) == 0:
        shown = ", ".join(repr(c) for c in raw.columns[:20])
        raise InputFileError(
            f"file {src.name} has headers ({shown}) but no data rows. "
            "Check that the export finished, or that you picked the right sheet."
        )

    mapping, preset = _choose_mapping(list(raw.columns), columns, src.name)
    _check_required(list(raw.columns), mapping, columns, preset, required, src.name)
    df = _apply_mapping(raw, mapping, src.name)
    df.attrs = {
        "source": src.name,
        "format": fmt,
        "encoding": used_encoding,
        "column_map": dict(mapping),
        "preset": preset,
        "first_data_row": first_data_row,
    }
    return df


# --------------------------------------------------------------------------- sources


@dataclass
class _Source:
    """Where the bytes come from: a path (read lazily) or bytes already in memory."""

    name: str
    path: Path | None
    data: bytes | None
    head: bytes
    size: int
    encoding: str | None = None  # set when a text stream was given (already decoded)

    @property
    def complete(self) -> bool:
        """True if ``head`` holds the whole file."""
        return self.size <= len(self.head)

    @property
    def extension(self) -> str:
        return self.path.suffix.lower() if self.path is not None else ""

    def all_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        return self.path.read_bytes()

    def binary(self):
        """Something pandas, openpyxl and pyarrow can open."""
        return str(self.path) if self.path is not None else io.BytesIO(self.data)


def _open_source(source) -> _Source:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        try:
            with open(path, "rb") as fh:
                head = fh.read(_HEAD_BYTES)
                size = os.fstat(fh.fileno()).st_size
        except FileNotFoundError as err:
            raise InputFileError(
                f"file {path} does not exist (looked for {path.absolute()}). "
                "Check the name and the folder, or pass the full path."
            ) from err
        except IsADirectoryError as err:
            raise InputFileError(f"{path} is a folder, not a file: pass one file.") from err
        except OSError as err:
            raise InputFileError(f"cannot open file {path}: {err.strerror or err}.") from err
        return _Source(name=path.name, path=path, data=None, head=head, size=size)

    if hasattr(source, "read"):
        content = source.read()
        name = getattr(source, "name", None)
        name = Path(name).name if isinstance(name, (str, os.PathLike)) else "<stream>"
        encoding = None
        if isinstance(content, str):
            content, encoding = content.encode("utf-8"), "utf-8"
        elif not isinstance(content, (bytes, bytearray, memoryview)):
            raise TypeError(f"source.read() returned {type(content).__name__}, not bytes or str")
        content = bytes(content)
        return _Source(
            name=name,
            path=None,
            data=content,
            head=content[:_HEAD_BYTES],
            size=len(content),
            encoding=encoding,
        )
    raise TypeError(
        f"source must be a path or an open file, not {type(source).__name__}. "
        "To read a DataFrame you already have, you do not need read_tickets."
    )


def _check_encoding_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as err:
        raise ValueError(
            f"unknown encoding {encoding!r}; use e.g. 'utf-8', 'gb18030' or 'utf-16'."
        ) from err


# ---------------------------------------------------------------------------- format


def _supported_formats_text() -> str:
    return "; ".join(f"{fmt} ({', '.join(exts)})" for fmt, exts in FORMATS.items())


def _magic(head: bytes) -> str | None:
    """Format of a binary file from its first bytes, or None for text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    return None


def _sniff_text_format(src: _Source) -> str:
    """json, jsonl or text (delimited) from the first non-blank characters."""
    start = src.head.lstrip(codecs.BOM_UTF8).lstrip()[:512]
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") else "json"
    if start[:1] == b"<":
        lowered = start[:200].lower()
        if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
            raise InputFileError(
                f"file {src.name} is an HTML page, not a table file (some systems save "
                "web pages with an .xls extension). Open it in Excel or WPS and save it "
                "as .xlsx or CSV UTF-8, then read that."
            )
    return "text"


def _decide_format(src: _Source, fmt: str | None) -> str:
    if src.size == 0:
        raise InputFileError(f"file {src.name} is empty (0 bytes).")
    if fmt is not None:
        key = _FORMAT_ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
        if key not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
        return key

    magic = _magic(src.head)
    ext = src.extension
    if src.path is None or ext == "":
        return magic or _sniff_text_format(src)
    if ext not in _EXTENSION_FORMAT:
        hint = ""
        if ext in _COMPRESSED:
            hint = " Extract the archive first, then read the file inside."
        raise InputFileError(
            f"file {src.name} has an extension commlib does not read ({ext!r}). "
            f"Supported formats: {_supported_formats_text()}.{hint} If the file is one of "
            "these under another name, pass format=..., e.g. format='csv'."
        )
    by_ext = _EXTENSION_FORMAT[ext]
    if magic is not None:
        if magic != by_ext:
            logger.warning("%s has extension %s but its content is %s", src.name, ext, magic)
        return magic
    if by_ext in ("xlsx", "xls", "parquet"):
        sniffed = _sniff_text_format(src)
        logger.warning(
            "%s has extension %s but is a text file; reading it as %s", src.name, ext, sniffed
        )
        return sniffed
    if by_ext == "text":
        return _sniff_text_format(src)
    return by_ext


# -------------------------------------------------------------------------- encoding


def _undecodable(
    src: _Source, failures: dict[str, UnicodeDecodeError], tried: tuple[str, ...] | None = None
) -> InputFileError:
    details = []
    for enc, err in failures.items():
        bad = err.object[err.start : err.start + 1]
        line = err.object.count(b"\n", 0, err.start) + 1
        details.append(f"{enc}: byte 0x{bad.hex()} on line {line}")
    tried_text = ", ".join(tried or failures)
    return InputFileError(
        f"cannot decode file {src.name} as text: tried the encodings {tried_text} "
        f"(GB18030 also covers GBK and GB2312), and each failed ({'; '.join(details)}). "
        "Re-save the file as UTF-8 (Excel/WPS: Save As > 'CSV UTF-8'), or pass "
        "encoding='...' if you know the file's encoding."
    )


def _detect_encoding(src: _Source) -> tuple[str, bool]:
    """Trial-decode the head of the file; return (encoding, head is non-ASCII UTF-8)."""
    head = src.head
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    candidates = ("utf-8-sig",) if head.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    failures: dict[str, UnicodeDecodeError] = {}
    for enc in candidates:
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=src.complete)
        except UnicodeDecodeError as err:
            failures[enc] = err
            continue
        return enc, enc.startswith("utf-8") and not head.isascii()
    raise _undecodable(src, failures, tried=ENCODINGS)


def _check_decodes(src: _Source, encoding: str) -> None:
    """Raise if the head of the file is not valid in a user-given encoding."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(src.head, final=src.complete)
    except UnicodeDecodeError as err:
        line = src.head.count(b"\n", 0, err.start) + 1
        raise InputFileError(
            f"file {src.name} is not valid {encoding}: byte "
            f"0x{src.head[err.start : err.start + 1].hex()} on line {line} cannot be decoded. "
            "Leave encoding=None to let commlib detect it, or pass the right encoding."
        ) from err


def _recover_from_late_decode_error(src: _Source, encoding: str, utf8_evidence: bool) -> str:
    """A part beyond the sniffed head failed to decode: find a better encoding or explain."""
    data = src.all_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        if encoding.startswith("utf-8") and utf8_evidence:
            raise InputFileError(
                f"file {src.name} is UTF-8 up to line {line}, but line {line} holds bytes "
                f"that are not UTF-8 (0x{bad} at byte {err.start}). The file mixes "
                "encodings, as happens when two exports are joined together: re-save the "
                "part from that line on as UTF-8, or fix that line."
            ) from err
        if not encoding.startswith("utf-8") or encoding == "utf-8-sig":
            raise _undecodable(src, {encoding: err}) from err
        try:
            data.decode("gb18030")
        except UnicodeDecodeError as err2:
            raise _undecodable(src, {"utf-8": err, "gb18030": err2}, tried=ENCODINGS) from err2
        logger.info(
            "%s: not UTF-8 after the first %d bytes; using gb18030", src.name, len(src.head)
        )
        return "gb18030"
    return encoding


# ------------------------------------------------------------------------- delimited


def _sniff_separator(first_line: str, fmt: str) -> str:
    default = _DEFAULT_SEP[fmt]
    counts = {sep: first_line.count(sep) for sep in _SEP_CANDIDATES}
    if fmt != "text" and counts[default]:
        return default
    best = max(_SEP_CANDIDATES, key=lambda s: counts[s])
    return best if counts[best] else default


def _arrow_encoding(encoding: str) -> str:
    # pyarrow reads UTF-8 natively and skips a UTF-8 BOM; anything else is
    # transcoded through Python's codec while reading.
    return "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding


def _read_delimited(src: _Source, *, fmt: str, encoding: str | None) -> tuple[pd.DataFrame, str]:
    if encoding is None:
        encoding, utf8_evidence = _detect_encoding(src)
    else:
        _check_decodes(src, encoding)
        utf8_evidence = True
    head_text = _decoded_head(src, encoding)
    if not head_text.strip():
        raise InputFileError(f"file {src.name} is empty: it holds only blank lines.")
    sep = _sniff_separator(head_text.split("\n", 1)[0], fmt)
    logger.debug("%s: encoding %s, separator %r", src.name, encoding, sep)

    try:
        df = _read_delimited_arrow(src, sep=sep, encoding=encoding)
    except _LateDecodeError:
        new_encoding = _recover_from_late_decode_error(src, encoding, utf8_evidence)
        if new_encoding == encoding:  # pragma: no cover - pyarrow and Python disagree
            raise InputFileError(
                f"file {src.name}: pyarrow rejected its {encoding} text."
            ) from None
        encoding = new_encoding
        df = _read_delimited_arrow(src, sep=sep, encoding=encoding)
    except _ArrowParseError as err:
        logger.info("%s: pyarrow could not parse it (%s); using the C engine", src.name, err)
        df = _read_delimited_c(src, sep=sep, encoding=encoding)
    return df, encoding


class _LateDecodeError(Exception):
    pass


class _ArrowParseError(Exception):
    pass


def _read_delimited_arrow(src: _Source, *, sep: str, encoding: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    invalid: list[tuple[int, int, str]] = []

    def on_invalid_row(row) -> str:
        if len(invalid) < 5:
            invalid.append((row.expected_columns, row.actual_columns, row.text))
        return "skip"

    parse_options = pacsv.ParseOptions(
        delimiter=sep,
        newlines_in_values=True,  # complaint texts hold line breaks
        ignore_empty_lines=False,  # keep blank rows so row numbers match the file
        invalid_row_handler=on_invalid_row,
    )
    string = pa.large_string()
    try:
        convert_options = pacsv.ConvertOptions(
            default_column_type=string,  # pyarrow >= 25
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
    except TypeError:  # pragma: no cover - older pyarrow: name every column
        names = next(csv.reader(io.StringIO(_decoded_head(src, encoding)), delimiter=sep), [])
        convert_options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, string),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
    read_options = pacsv.ReadOptions(encoding=_arrow_encoding(encoding))
    source = str(src.path) if src.path is not None else pa.BufferReader(src.data)
    try:
        table = pacsv.read_csv(
            source,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
    except UnicodeDecodeError as err:
        raise _LateDecodeError(str(err)) from err
    except pa.ArrowInvalid as err:
        message = str(err)
        if "invalid UTF8" in message or "invalid utf8" in message.lower():
            raise _LateDecodeError(message) from err
        if "Empty CSV file" in message:
            raise InputFileError(f"file {src.name} is empty.") from err
        raise _ArrowParseError(message) from err
    if invalid:
        _raise_ragged(src, sep=sep, encoding=encoding, first_bad=invalid[0])

    names = table.column_names
    table = table.rename_columns([f"c{i}" for i in range(len(names))])
    str_dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    df = table.to_pandas(
        types_mapper={pa.large_string(): str_dtype, pa.string(): str_dtype}.get,
        self_destruct=True,
    )
    df.columns = names
    _check_unclosed_quote(src, df)
    return df


def _check_unclosed_quote(src: _Source, df: pd.DataFrame) -> None:
    """Catch a double quote that opens a cell and never closes.

    pyarrow then reads the rest of the file into that one cell without an error, so
    the symptom is a last row holding line breaks and an odd number of quote marks
    in the file. The file is re-read only when the last row holds a line break.
    """
    if len(df) == 0:
        return
    last = df.iloc[-1]
    if not last.str.contains("\n", regex=False).fillna(False).any():
        return
    if src.all_bytes().count(b'"') % 2 == 0:
        return
    row = len(df) + 1
    raise InputFileError(
        f"file {src.name}: a cell in row {row} (the last row read, counting the header as "
        "row 1) opens a double quote that is never closed, so the rest of the file was "
        "read into that cell. Close the quote, or re-export the file with text cells in "
        "double quotes."
    )


def _decoded_head(src: _Source, encoding: str) -> str:
    return (
        codecs.getincrementaldecoder(encoding)(errors="replace").decode(src.head).lstrip("\ufeff")
    )


def _raise_ragged(src: _Source, *, sep: str, encoding: str, first_bad: tuple[int, int, str]):
    """Find the first row whose field count differs from the header's, and say where."""
    expected, actual, text = first_bad
    py_encoding = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    if src.path is not None:
        stream = open(src.path, encoding=py_encoding, errors="replace", newline="")
    else:
        stream = io.TextIOWrapper(
            io.BytesIO(src.data), encoding=py_encoding, errors="replace", newline=""
        )
    line = None
    with stream:
        reader = csv.reader(stream, delimiter=sep)
        header = next(reader, [])
        start = reader.line_num + 1
        for record in reader:
            if record and len(record) != len(header):
                line, expected, actual = start, len(header), len(record)
                text = sep.join(record)
                break
            start = reader.line_num + 1
    where = f"line {line}" if line is not None else "a row"
    sep_name = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}.get(sep, repr(sep))
    raise InputFileError(
        f"file {src.name}: {where} has {actual} fields but the header has {expected} "
        f"(the row starts {text[:60]!r}). Cells are separated by a {sep_name}; an unquoted "
        f"{sep_name} or line break inside a cell splits a row. Fix that line, or re-export "
        "the file with text cells in double quotes (Excel and WPS do this when saving as "
        "CSV UTF-8)."
    )


def _read_delimited_c(src: _Source, *, sep: str, encoding: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            src.binary(),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            encoding=encoding,
            engine="c",
        )
    except pd.errors.EmptyDataError as err:
        raise InputFileError(f"file {src.name} is empty.") from err
    except pd.errors.ParserError as err:
        raise InputFileError(
            f"file {src.name} cannot be parsed as a table: {err}. Usually a cell holds an "
            "unquoted separator or line break; fix that line, or re-export the file with "
            "text cells in double quotes."
        ) from err
    except UnicodeDecodeError as err:
        raise _undecodable(src, {encoding: err}) from err


# -------------------------------------------------------------------------- workbooks


def _read_workbook(src: _Source, *, fmt: str, sheet: str | int | None) -> pd.DataFrame:
    if fmt == "xls":
        try:
            import xlrd  # noqa: F401
        except ImportError as err:
            raise InputFileError(
                f"file {src.name} is an old binary Excel workbook (.xls). Open it in Excel "
                "or WPS and save it as .xlsx (or as CSV UTF-8), then read that file; or "
                "install the 'xlrd' package, which reads .xls."
            ) from err
    engine = "openpyxl" if fmt == "xlsx" else "xlrd"
    try:
        book = pd.ExcelFile(src.binary(), engine=engine)
    except Exception as err:  # zipfile.BadZipFile, KeyError, xlrd errors ...
        raise InputFileError(
            f"file {src.name} cannot be opened as an {fmt.upper()} workbook ({err}). "
            "If it opens in Excel or WPS, save it again as .xlsx and read that copy."
        ) from err
    with book:
        names = list(book.sheet_names)
        target = _pick_sheet(names, sheet, src.name)
        df = pd.read_excel(
            book,
            sheet_name=target,
            header=0,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    df.columns = [str(c) for c in df.columns]
    return df.astype("str") if len(df.columns) else df


def _pick_sheet(names: list[str], sheet: str | int | None, name: str) -> str:
    listing = ", ".join(repr(n) for n in names)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if -len(names) <= sheet < len(names):
            return names[sheet]
        raise InputFileError(
            f"file {name} has {len(names)} sheet(s), so there is no sheet number {sheet} "
            f"(numbers start at 0). Its sheets are: {listing}."
        )
    if sheet in names:
        return sheet
    stripped = {_HEADER_STRIP.sub("", n): n for n in names}
    if _HEADER_STRIP.sub("", str(sheet)) in stripped:
        return stripped[_HEADER_STRIP.sub("", str(sheet))]
    close = difflib.get_close_matches(str(sheet), names, n=1, cutoff=0.5)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    raise InputFileError(
        f"file {name} has no sheet named {sheet!r}. Its sheets are: {listing}.{suggestion}"
    )


# ------------------------------------------------------------------- parquet and json


def _read_parquet(src: _Source) -> pd.DataFrame:
    try:
        df = pd.read_parquet(src.binary())
    except Exception as err:  # pyarrow.ArrowInvalid and friends
        raise InputFileError(f"file {src.name} cannot be read as Parquet ({err}).") from err
    df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    return _as_strings(df)


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _as_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Turn every column into the ``str`` dtype, keeping missing values missing."""
    out = {}
    for i in range(df.shape[1]):
        values = df.iloc[:, i]
        if values.dtype == object:
            values = values.map(_json_cell)
        out[i] = values.astype("str")
    result = pd.DataFrame(out, index=df.index)
    result.columns = list(df.columns)
    return result


def _read_json(src: _Source, *, fmt: str, encoding: str | None) -> tuple[pd.DataFrame, str]:
    if encoding is None:
        encoding, _ = _detect_encoding(src)
    data = src.all_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise _undecodable(src, {encoding: err}) from err
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputFileError(f"file {src.name} is empty.")
    # Numbers are kept as their exact text: ids and phone numbers must not turn to floats.
    loads_kw = {"parse_int": str, "parse_float": str, "parse_constant": str}
    if fmt == "jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line, **loads_kw)
            except json.JSONDecodeError as err:
                raise InputFileError(
                    f"file {src.name}: line {number} is not valid JSON ({err.msg}). Each line "
                    "of a JSON-lines file must hold one object {...}."
                ) from err
            records.append(record)
    else:
        try:
            payload = json.loads(text, **loads_kw)
        except json.JSONDecodeError as err:
            raise InputFileError(
                f"file {src.name} is not valid JSON ({err.msg} on line {err.lineno}). "
                "If it holds one object per line, name it .jsonl or pass format='jsonl'."
            ) from err
        records = _json_records(payload, src.name)
    if records and not all(isinstance(r, dict) for r in records):
        raise InputFileError(
            f"file {src.name} must hold records (JSON objects with one key per column)."
        )
    if not records:
        raise InputFileError(f"file {src.name} is empty: it holds no records.")
    records = [{key: _json_cell(value) for key, value in r.items()} for r in records]
    return _as_strings(pd.DataFrame.from_records(records)), encoding


def _json_records(payload: Any, name: str) -> list:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        lists = [v for v in payload.values() if isinstance(v, list)]
        if len(lists) == 1:  # {"data": [...], "total": 3} as APIs return
            return lists[0]
    raise InputFileError(
        f"file {name} does not hold a list of records: expected [{{...}}, {{...}}] or an "
        "object with one list of records inside."
    )


# ------------------------------------------------------------------------- headers


def _clean_headers(columns) -> list[str]:
    """Strip white space (incl. full-width space and BOM); name blanks; de-duplicate."""
    cleaned = []
    seen: set[str] = set()
    for i, column in enumerate(columns):
        name = _HEADER_STRIP.sub("", str(column))
        if not name or name.startswith("Unnamed: "):
            name = f"Unnamed: {i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        cleaned.append(name)
    return cleaned


def _normalise_header(header: str) -> str:
    """Key headers are compared on: NFKC, case folded, spaces and dashes as ``_``."""
    key = unicodedata.normalize("NFKC", _HEADER_STRIP.sub("", str(header))).casefold()
    return _HEADER_SEPARATORS.sub("_", key).strip("_")


def _drop_trailing_empty_rows(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) == 0 or df.shape[1] == 0 or df.iloc[-1].notna().any():
        return df
    filled = np.flatnonzero(df.notna().to_numpy().any(axis=1))
    keep = int(filled[-1]) + 1 if len(filled) else 0
    return df.iloc[:keep].reset_index(drop=True)


def _match(headers: list[str], spec: dict[str, str], *, exact_first: bool) -> dict[str, str]:
    """Map headers with ``spec`` ({key: target}); first key in spec order wins a target."""
    by_norm: dict[str, list[str]] = {}
    for header in headers:
        by_norm.setdefault(_normalise_header(header), []).append(header)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for key, target in spec.items():
        if target in taken:
            continue
        candidates = [key] if exact_first and key in headers else []
        candidates += by_norm.get(_normalise_header(key), [])
        for header in candidates:
            if header not in mapping:
                mapping[header] = target
                taken.add(target)
                break
    return mapping


def _choose_mapping(headers: list[str], columns, name: str) -> tuple[dict[str, str], str | None]:
    if isinstance(columns, dict):
        return _match(headers, columns, exact_first=True), "custom"
    if isinstance(columns, str):
        if columns not in PRESETS:
            raise ValueError(
                f"unknown preset {columns!r}; use one of {', '.join(map(repr, PRESETS))}, "
                "or a dict {file header: canonical name}."
            )
        return _match(headers, PRESETS[columns], exact_first=False), columns
    if columns is not None:
        raise TypeError(
            f"columns must be None, a preset name or a dict, not {type(columns).__name__}"
        )

    candidates = {"canonical": {c: c for c in _KNOWN_NAMES}, **PRESETS}
    best, best_map, best_score = None, {}, 0
    for preset, spec in candidates.items():
        mapping = _match(headers, spec, exact_first=False)
        score = len(set(mapping.values()) & set(CANONICAL_COLUMNS))
        if score > best_score:  # ties keep the earlier candidate
            best, best_map, best_score = preset, mapping, score
    if best is None:
        logger.warning("%s: no header matches a canonical name or a preset", name)
    else:
        logger.info("%s: headers matched with preset %r (%d columns)", name, best, best_score)
    return best_map, best


def _check_required(headers, mapping, columns, preset, required, name) -> None:
    found = set(mapping.values())
    groups: list[tuple[str, ...]]
    if required is not None:
        groups = [(c,) for c in required]
    elif isinstance(columns, dict):
        groups = [(t,) for t in dict.fromkeys(columns.values())]
    else:
        groups = [("created_at",), _TEXT_COLUMNS]
    missing_groups = [g for g in groups if not found.intersection(g)]
    if not missing_groups:
        return

    if isinstance(columns, dict):
        spec = columns
    elif preset in PRESETS:
        spec = PRESETS[preset]
    else:
        spec = {k: v for p in PRESETS.values() for k, v in p.items()}
    unmapped = [h for h in headers if h not in mapping]
    norm_unmapped = {_normalise_header(h): h for h in unmapped}
    parts, missing = [], []
    for group in missing_groups:
        missing.extend(group)
        keys = [k for k, v in spec.items() if v in group]
        close: list[str] = []
        for probe in [*keys, *group]:
            for hit in difflib.get_close_matches(
                _normalise_header(probe), norm_unmapped, n=3, cutoff=0.5
            ):
                if norm_unmapped[hit] not in close:
                    close.append(norm_unmapped[hit])
        label = (
            f"'{group[0]}'"
            if len(group) == 1
            else "at least one of " + ", ".join(f"'{g}'" for g in group)
        )
        if keys:
            label += f" (a header such as {', '.join(repr(k) for k in keys[:4])})"
        if close:
            label += f" (closest: {', '.join(repr(c) for c in close[:3])})"
        parts.append(label)

    if isinstance(columns, dict):
        how = "with your columns= dict"
    elif preset is not None:
        how = f"with preset {preset!r}"
    else:
        how = f"with none of the presets ({', '.join(PRESETS)}) or canonical names"
    example_target = missing_groups[0][0]
    raise MissingColumnsError(
        f"file {name} is missing column(s) {'; '.join(parts)}. "
        f"It has: {', '.join(repr(h) for h in headers)}. Headers were matched {how}. "
        f"Pass columns={{'<your header>': '{example_target}', ...}} to say which header "
        "holds each column.",
        missing=missing,
        available=headers,
    )


def _apply_mapping(raw: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.DataFrame:
    targets = set(mapping.values())
    new_names = []
    for header in raw.columns:
        if header in mapping:
            new_names.append(mapping[header])
            continue
        new = header
        k = 0
        while new in targets:  # an extra column whose name a mapped column now uses
            k += 1
            new = f"{header}.{k}"
        if new != header:
            logger.warning("%s: extra column %r renamed %r to make way", name, header, new)
        targets.add(new)
        new_names.append(new)
    df = raw.set_axis(new_names, axis=1)
    canonical = [c for c in CANONICAL_COLUMNS if c in targets and c in new_names]
    rest = [c for c in new_names if c not in set(canonical)]
    return df[canonical + rest]
