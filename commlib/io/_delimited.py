"""Delimited text files (CSV, TSV, ``.txt``): parsed by pyarrow, in parallel."""

from __future__ import annotations

import codecs
import csv
import io

import numpy as np
import pandas as pd

from commlib.io._common import input_error, logger
from commlib.io._encoding import (
    _check_decodes,
    _detect_encoding,
    _recover_from_late_decode_error,
    _undecodable,
)
from commlib.io._sources import _Source

_DELIMITED = ("csv", "tsv", "text")
_DEFAULT_SEP = {"csv": ",", "tsv": "\t", "text": ","}
_SEP_CANDIDATES = (",", "\t", ";", "|")


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
        raise input_error("io.empty_blank", name=src.name)
    sep = _sniff_separator(head_text.split("\n", 1)[0], fmt)
    logger.debug("%s: encoding %s, separator %r", src.name, encoding, sep)

    try:
        df = _read_delimited_arrow(src, sep=sep, encoding=encoding)
    except _LateDecodeError:
        new_encoding = _recover_from_late_decode_error(src, encoding, utf8_evidence)
        if new_encoding == encoding:  # pragma: no cover - pyarrow and Python disagree
            raise input_error("io.pyarrow_rejected", name=src.name, encoding=encoding) from None
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
            raise input_error("io.empty", name=src.name) from err
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
    raise input_error("io.unclosed_quote", name=src.name, row=len(df) + 1)


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
    raise input_error(
        "io.ragged",
        name=src.name,
        line=line if line is not None else "?",
        actual=actual,
        expected=expected,
        start=repr(text[:60]),
        sep=repr(sep),
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
        raise input_error("io.empty", name=src.name) from err
    except pd.errors.ParserError as err:
        raise input_error("io.unparseable", name=src.name, reason=str(err)) from err
    except UnicodeDecodeError as err:
        raise _undecodable(src, {encoding: err}) from err
