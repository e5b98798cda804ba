"""Read ticket exports (CSV, TSV, XLSX, XLS, Parquet, JSON) into canonical columns.

``read_tickets`` is the one door into commlib: it finds the file's format and text
encoding, reads every cell as a string (so dirty dates and ids reach the cleaner
untouched), maps the file's own headers onto :data:`commlib.schema.CANONICAL_COLUMNS`
and records where the rows came from in ``df.attrs``.

Large CSVs are read with :mod:`pyarrow.csv` in parallel; see :func:`read_tickets`
for why the reader calls pyarrow directly rather than through ``pandas.read_csv``.
The machinery lives in private modules: ``_sources`` (paths, streams, formats),
``_encoding``, ``_delimited``, ``_workbook``, ``_records`` (Parquet, JSON) and
``_headers`` (presets and the checks on columns).
"""

from __future__ import annotations

import os
from typing import IO

import pandas as pd

from commlib.io._common import input_error, logger
from commlib.io._delimited import _DELIMITED, _read_delimited
from commlib.io._encoding import ENCODINGS
from commlib.io._headers import (
    _apply_mapping,
    _check_required,
    _choose_mapping,
    _clean_headers,
    _drop_trailing_empty_rows,
    _fill_from_fallbacks,
    _header_scorer,
)
from commlib.io._records import _read_json, _read_parquet
from commlib.io._sources import FORMATS, _check_encoding_name, _decide_format, _open_source
from commlib.io._workbook import _read_workbook

__all__ = ["read_tickets", "FORMATS", "ENCODINGS"]


def read_tickets(
    source: str | os.PathLike | IO,
    *,
    columns: str | dict[str, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    required: list[str | tuple[str, ...]] | tuple[str | tuple[str, ...], ...] | None = None,
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
    columns : {None, "auto", "12345", "board", "311", "boston"} or dict, optional
        How to map the file's headers to canonical names. ``None`` (the default) and
        ``"auto"`` pick automatically: canonical headers are used as they are,
        otherwise the preset of :data:`commlib.schema.PRESETS` that matches most
        headers is used; the choice is logged and kept in ``df.attrs["preset"]``. A
        preset name forces that preset: ``"12345"`` for Chinese hotline exports
        (also ``日期``, ``答复意见``, ``点赞数``, ``办结时限`` ...), ``"board"`` for
        message boards (``留言主题``, ``留言详情``, ``答复时间`` ...), ``"311"`` for NYC
        311 in either header style (``complaint_type`` or ``Complaint Type``; the
        borough is the community when there is no community board, and the
        descriptor is also the text when the file has no text column) and
        ``"boston"`` for Boston's 311 CRM export (``OPEN_DT``, ``TYPE``,
        ``TARGET_DT`` ...). Besides the canonical names, presets fill the optional
        columns of :data:`commlib.schema.OPTIONAL_COLUMNS` (``reply``, ``due_at``,
        ``likes`` ...). A dict
        ``{file header: name}`` maps exactly those headers; a name that is not
        canonical is kept as given. Headers are compared after normalisation
        (surrounding white space removed, NFKC, case folded, runs of spaces and
        dashes turned into ``_``), so ``Created Date``, ``created-date`` and
        ``created_date`` all match the 311 preset's ``created_date``. When several
        headers map to one name, the first in the preset's (or dict's) order wins
        and the others are kept as extra columns under their own names.
    sheet : str or int, optional
        Worksheet of an XLSX/XLS file, by name or 0-based position (the command
        line's ``--sheet``). Default: the sheet whose headers match best, which is
        the first sheet unless another matches more columns (a workbook whose first
        sheet is a cover note); the choice is logged and kept in ``df.attrs``.
    encoding : str, optional
        Text encoding of a CSV/TSV/JSON file. Default: detected. UTF-8 (with or
        without BOM) and UTF-16 (Excel's "Unicode text", by its byte-order mark or
        the zero bytes of ASCII characters) are recognised by trial decoding; other
        files are tried as GB18030 (which covers GBK and GB2312), Big5 and
        Windows-1252, and when several decode the file, :mod:`charset_normalizer`
        picks the one whose text reads best, so a Big5 file is not read as GB18030
        garbage. See :data:`ENCODINGS`.
    required : list of str or of tuples of str, optional
        Canonical names the result must have; a tuple in the list means "at least
        one of these", so ``[("text", "title", "category")]`` accepts a file without
        dates. Default: for a dict ``columns``, every target of the dict; otherwise
        ``created_at`` and at least one of ``text``, ``title``, ``category``. Pass
        ``()`` to require nothing.
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
          ``"boston"``, ``"custom"`` or None; ``"preset_auto"``: True when it was
          chosen by matching headers;
        - ``"copied_columns"``: ``{column: column it was copied from}`` for columns
          a preset fills from another (NYC's ``text`` from ``subcategory``);
        - for workbooks, ``"sheet"`` (the sheet read), ``"sheets"`` (all sheet
          names), ``"sheet_auto"`` (True when
          it is not the first sheet and was chosen by its headers) and, for XLSX with
          empty cells, ``"formula_cells_without_value"`` (formula cells with no saved
          value, which read as empty; a warning is logged when there are any) with
          ``"formula_cells_example"`` (up to three cell addresses);
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
        Raised with a catalogue key (``err.render("zh")`` gives the Chinese text).
        The file is missing, empty (or has headers but no rows), of an unknown or
        unreadable format, not decodable with the encodings tried, has rows with
        more or fewer fields than its header, or lacks the requested sheet.
    MissingColumnsError
        Required columns could not be found; the message names the closest headers
        and how to say which header holds each column (``columns=`` in Python,
        ``--columns MAP.json`` on the command line).

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
    ['ticket_id', 'created_at', 'category', 'community']
    >>> df.attrs["column_map"]["Created Date"]
    'created_at'
    >>> df.attrs["preset"]
    '311'

    Your own headers, with a dict:

    >>> df = read_tickets(
    ...     io.StringIO("编号,时间,内容\\n1,2024-01-03,楼上噪音\\n"),
    ...     columns={"编号": "ticket_id", "时间": "created_at", "内容": "text"},
    ... )
    >>> df.loc[0, "text"]
    '楼上噪音'
    """
    src = _open_source(source)
    workbook_facts: dict = {}
    if encoding is not None:
        encoding = _check_encoding_name(encoding)
    fmt = _decide_format(src, format)
    logger.debug("read_tickets: %s read as %s", src.name, fmt)

    if fmt in _DELIMITED:
        raw, used_encoding = _read_delimited(src, fmt=fmt, encoding=encoding or src.encoding)
        first_data_row = 2
    elif fmt in ("xlsx", "xls"):
        raw, workbook_facts = _read_workbook(
            src, fmt=fmt, sheet=sheet, score=_header_scorer(columns)
        )
        used_encoding, first_data_row = None, 2
    elif fmt == "parquet":
        raw, used_encoding = _read_parquet(src), None
        first_data_row = 1
    else:
        raw, used_encoding = _read_json(src, fmt=fmt, encoding=encoding or src.encoding)
        first_data_row = 1

    raw.columns = _clean_headers(raw.columns)
    raw = _drop_trailing_empty_rows(raw)
    if raw.shape[1] == 0:
        raise input_error("io.no_columns", name=src.name)
    if len(raw) == 0:
        shown = ", ".join(repr(c) for c in raw.columns[:20])
        raise input_error("io.no_rows", name=src.name, headers=shown)

    mapping, preset = _choose_mapping(list(raw.columns), columns, src.name)
    sheets = workbook_facts.get("sheets", ())
    _check_required(
        list(raw.columns),
        mapping,
        columns,
        preset,
        required,
        src.name,
        sheets=(workbook_facts["sheet"], sheets) if len(sheets) > 1 else None,
    )
    df = _apply_mapping(raw, mapping, src.name)
    df, copied = _fill_from_fallbacks(df, preset, src.name)
    df.attrs = {
        "source": src.name,
        "format": fmt,
        "encoding": used_encoding,
        "column_map": dict(mapping),
        "preset": preset,
        "preset_auto": not isinstance(columns, (str, dict)) or columns == "auto",
        "first_data_row": first_data_row,
        "copied_columns": copied,
        **workbook_facts,
    }
    return df
