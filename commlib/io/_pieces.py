"""Ticket files read piece by piece, for cleaning that never holds the raw table whole.

:func:`read_pieces` reads one file, or several (a glob, a folder, a list), into canonical
pieces exactly as :func:`commlib.read_tickets` would read each file whole: the same
header mapping (decided from the headers alone), the same ``str`` cells, the same
order. Parquet files are read a batch at a time (:meth:`pyarrow.parquet.ParquetFile.
iter_batches`); the other formats are read whole, one file at a time, by
:func:`commlib.read_tickets` (its CSV reader recovers from ragged rows, late encoding
errors and unclosed quotes by looking at the whole file, which a streaming reader
would not), and handed on as one piece that the cleaner cuts further.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from commlib.errors import InputFileError
from commlib.io._common import input_error
from commlib.io._headers import (
    _apply_mapping,
    _check_required,
    _choose_mapping,
    _clean_headers,
    _fill_from_fallbacks,
)
from commlib.io._records import _as_strings
from commlib.io._sources import FORMATS, _decide_format, _open_source

#: Characters that make an input a glob pattern rather than a path.
_GLOB_CHARS = frozenset("*?[")
#: File name endings a folder's files are read by (every format read_tickets knows).
_SUFFIXES = frozenset(s for exts in FORMATS.values() for s in exts)
#: Rows per Parquet batch.
BATCH_ROWS = 50_000


def expand_inputs(inputs: str | os.PathLike | Sequence[str | os.PathLike]) -> list[str]:
    """The files named by ``inputs``: paths, globs and folders, in a fixed order.

    A glob gives its matching files in sorted order; a folder gives its files of a
    known format (:data:`commlib.io.FORMATS`), sorted, not recursing; a path that
    exists is taken as it is (even with ``[`` in its name); any other path is kept,
    for :func:`commlib.read_tickets` to say it does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.csv", "notes.md"):
    ...     _ = (folder / name).write_text("x\\n1\\n")
    >>> [pathlib.Path(p).name for p in expand_inputs(folder)]
    ['a.csv', 'b.csv']
    >>> [pathlib.Path(p).name for p in expand_inputs(str(folder / "*.csv"))]
    ['a.csv', 'b.csv']
    """
    items = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    files: list[str] = []
    for item in items:
        text = os.fspath(item)
        path = Path(text).expanduser()
        if path.is_dir():
            found = sorted(str(p) for p in path.iterdir() if p.suffix.lower() in _SUFFIXES)
            if not found:
                raise InputFileError(key="io.no_files", params={"pattern": repr(text)})
            files.extend(found)
        elif not path.exists() and any(c in text for c in _GLOB_CHARS):
            found = sorted(p for p in glob.glob(os.path.expanduser(text)) if Path(p).is_file())
            if not found:
                raise InputFileError(key="io.no_files", params={"pattern": repr(text)})
            files.extend(found)
        else:
            files.append(text)
    if not files:
        raise InputFileError(key="io.no_files", params={"pattern": repr(inputs)})
    return files


def input_stem(inputs: str | os.PathLike | Sequence[str | os.PathLike]) -> str:
    """What the outputs are named after: the file's stem, or the folder of a glob or folder.

    >>> input_stem("boston311_2015/*.csv"), input_stem("data/tickets.csv")
    ('boston311_2015', 'tickets')
    """
    items = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    first = Path(os.fspath(items[0]))
    if len(items) == 1 and first.is_file():
        return first.stem
    if any(c in str(first) for c in _GLOB_CHARS):
        first = next(p for p in (first, *first.parents) if not any(c in p.name for c in "*?["))
        return first.name or "tickets"
    if first.is_dir():
        return first.resolve().name or "tickets"
    return first.stem or "tickets"


@dataclass
class TicketPieces:
    """Canonical pieces of one or more ticket files, read when iterated (twice at most).

    ``names`` are the columns every piece has (those :func:`commlib.read_tickets`
    gives for the first file); ``attrs`` the provenance ``read_tickets`` records for
    the first file (``"source"`` names the input; ``"files"`` lists each file with its
    row count once read). Rows are numbered across files: ``source_row`` of the first
    file starts at its ``first_data_row`` and each further file continues the count.
    """

    files: list[str]
    columns: object
    sheet: object
    required: object
    names: tuple = ()
    attrs: dict = field(default_factory=dict)
    _plans: list = field(default_factory=list, repr=False)
    _whole: pd.DataFrame | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        """The pieces, canonical columns, index numbered from 0 within each piece."""
        for k, plan in enumerate(self._plans):
            if plan["parquet"]:
                yield from _parquet_pieces(plan, self.names)
            else:
                if k == 0 and self._whole is not None:
                    df, self._whole = self._whole, None
                else:
                    df = _read_whole(plan["path"], self, self.names)
                df.attrs = {}
                yield df

    def column_cells(self, cols: list[str]) -> Iterator[pd.DataFrame]:
        """``cols`` of every piece, reading only those columns where the format allows."""
        for k, plan in enumerate(self._plans):
            if plan["parquet"]:
                yield from _parquet_pieces(plan, self.names, only=cols)
            elif k == 0 and self._whole is not None:
                yield self._whole[cols]
            else:
                yield _read_whole(plan["path"], self, self.names)[cols]


def _read_whole(path: str, pieces: TicketPieces, names: tuple) -> pd.DataFrame:
    from commlib.io import read_tickets

    df = read_tickets(path, columns=pieces.columns, sheet=pieces.sheet, required=pieces.required)
    _same_columns(tuple(df.columns), names, path, pieces.files[0])
    return _in_order(df, names)


def _same_columns(
    got: tuple, names: tuple, path: str, first: str, *, key: str = "io.columns_differ"
) -> None:
    """Raise ``key`` naming the missing and extra columns when ``got`` holds other columns
    than ``names`` (the first file's); the same columns in another order pass (the
    caller puts them in the first file's order with :func:`_in_order`)."""
    missing = [c for c in names if c not in got]
    extra = [c for c in got if c not in names]
    if not missing and not extra and len(got) == len(names):
        return
    raise InputFileError(
        key=key,
        params={
            "name": path,
            "first": first,
            "missing": ", ".join(missing) or "-",
            "extra": ", ".join(extra) or "-",
        },
    )


def _in_order(df: pd.DataFrame, names: tuple) -> pd.DataFrame:
    """``df`` with its columns in the first file's order (checked by :func:`_same_columns`)."""
    return df if tuple(df.columns) == names else df[list(names)]


def _is_parquet(path: str) -> bool:
    try:
        src = _open_source(path)
    except InputFileError:
        return False
    return _decide_format(src, None) == "parquet"


def _parquet_plan(path: str, columns, required) -> dict:
    """How a Parquet file's pieces are read: its headers mapped as read_tickets maps them."""
    import pyarrow.parquet as pq

    src = _open_source(path)
    try:
        pf = pq.ParquetFile(src.path)
    except Exception as err:  # pyarrow.ArrowInvalid and friends
        raise input_error("io.parquet_unreadable", name=src.name, reason=str(err)) from err
    schema = pf.schema_arrow
    meta = schema.pandas_metadata or {}
    index_cols = {c for c in meta.get("index_columns", []) if isinstance(c, str)}
    fields = [f for f in schema if f.name not in index_cols]
    headers = _clean_headers([f.name for f in fields])
    if not headers:
        raise input_error("io.no_columns", name=src.name)
    if pf.metadata.num_rows == 0:
        shown = ", ".join(repr(c) for c in headers[:20])
        raise input_error("io.no_rows", name=src.name, headers=shown)
    mapping, preset = _choose_mapping(headers, columns, src.name)
    _check_required(headers, mapping, columns, preset, required, src.name)
    import pyarrow as pa

    temporal = [
        f.name
        for f in fields
        if pa.types.is_temporal(f.type)
        or pa.types.is_dictionary(f.type)
        and pa.types.is_temporal(f.type.value_type)
    ]
    return {
        "parquet": True,
        "path": str(src.path),
        "name": src.name,
        "file": pf,
        "raw_names": [f.name for f in fields],
        "headers": headers,
        "mapping": mapping,
        "preset": preset,
        "temporal": temporal,
        "rows": pf.metadata.num_rows,
    }


def _parquet_pieces(plan: dict, names: tuple, only: list[str] | None = None):
    """The canonical pieces of a Parquet file, as read_tickets would give its rows.

    Columns of a date or time type are turned into text over the whole column (pandas
    writes ``2024-01-03`` or ``2024-01-03 00:00:00`` depending on every value of it),
    then cut; every other cell is turned into text as read_tickets does, batch by
    batch. Blank rows at the end of the file are dropped, as read_tickets drops them.
    """
    pf = plan["file"]
    raw_names = plan["raw_names"]
    rename = dict(zip(raw_names, plan["headers"], strict=True))
    wanted = raw_names
    if only is not None:
        back = plan["final_to_raw"]
        wanted = list(dict.fromkeys(back[c] for c in only))
    whole = {}
    for col in plan["temporal"]:
        if col in wanted:
            table = pf.read(columns=[col])
            whole[col] = _as_strings(table.to_pandas().reset_index(drop=True)[[col]])[col]
    start = 0
    held: pd.DataFrame | None = None  # blank rows that may be the file's trailing ones
    given = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=wanted, use_pandas_metadata=False):
        n = batch.num_rows
        import pyarrow as pa

        table = pa.Table.from_batches([batch])
        frame = table.to_pandas()
        frame.columns = [str(c) for c in frame.columns]
        keep = [c for c in frame.columns if c not in whole]
        raw = _as_strings(frame[keep]) if keep else pd.DataFrame(index=frame.index)
        for col, text in whole.items():
            raw[col] = text.iloc[start : start + n].reset_index(drop=True)
        raw = raw[[c for c in wanted]]
        start += n
        if only is not None:
            yield raw.set_axis([plan["raw_to_final"][c] for c in wanted], axis=1)[only]
            continue
        raw.columns = [rename[c] for c in raw.columns]
        if held is not None:
            raw = pd.concat([held, raw], ignore_index=True)
            held = None
        filled = np.flatnonzero(raw.notna().to_numpy().any(axis=1))
        last = int(filled[-1]) + 1 if len(filled) else 0
        if last < len(raw):
            held = raw.iloc[last:].reset_index(drop=True)
            raw = raw.iloc[:last]
        if len(raw):
            given += len(raw)
            yield _canonical(raw, plan, names)
    if only is None and not given:  # every row blank: no rows, as read_tickets says
        shown = ", ".join(repr(c) for c in plan["headers"][:20])
        raise input_error("io.no_rows", name=plan["name"], headers=shown)


def _canonical(raw: pd.DataFrame, plan: dict, names: tuple | None) -> pd.DataFrame:
    """One piece's headers mapped as read_tickets maps the whole file's."""
    mapping = {h: t for h, t in plan["mapping"].items() if h in raw.columns}
    df = _apply_mapping(raw.reset_index(drop=True), mapping, plan["name"])
    df, _ = _fill_from_fallbacks(df, plan["preset"], plan["name"])
    if names is not None:
        _same_columns(tuple(df.columns), names, plan["path"], plan.get("first", plan["path"]))
        df = _in_order(df, names)
    return df


def read_pieces(
    inputs: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    columns: str | dict[str, str] | None = None,
    sheet: str | int | None = None,
    required=None,
) -> TicketPieces:
    """Plan the reading of ``inputs`` in pieces: files found, headers mapped and checked.

    Each file is checked now as :func:`commlib.read_tickets` checks it (headers and
    required columns; a non-Parquet file is read whole, the first one kept for the
    first pass), so a file whose columns differ from the first file's is named before
    any cleaning starts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from commlib.datasets import make_tickets
    >>> from commlib.io import read_tickets
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> make_tickets(70, random_state=0).to_parquet(folder / "t.parquet")
    >>> pieces = read_pieces(folder / "t.parquet")
    >>> whole = read_tickets(folder / "t.parquet")
    >>> pd.concat(list(pieces), ignore_index=True).equals(whole)
    True
    """
    files = expand_inputs(inputs)
    plans: list[dict] = []
    first_df = None
    attrs: dict = {}
    names: tuple = ()
    pieces = TicketPieces(files=files, columns=columns, sheet=sheet, required=required)
    for k, path in enumerate(files):
        if _is_parquet(path):
            plan = _parquet_plan(path, columns, required)
            plan["first"] = files[0]
            probe = pd.DataFrame({h: pd.Series([], dtype="str") for h in plan["headers"]})
            df0, copied = _fill_from_fallbacks(
                _apply_mapping(probe, plan["mapping"], plan["name"]), plan["preset"], plan["name"]
            )
            plan["copied"] = copied
            # which raw column each final column comes from (extra columns renamed
            # to make way keep their cells): a one-row probe holding the raw names
            named = pd.DataFrame([plan["raw_names"]], columns=plan["headers"], dtype="str")
            named = _apply_mapping(named, plan["mapping"], plan["name"])
            plan["final_to_raw"] = dict(zip(named.columns, named.iloc[0], strict=True))
            plan["raw_to_final"] = {v: k for k, v in plan["final_to_raw"].items()}
            got = tuple(df0.columns)
            file_attrs = {
                "source": plan["name"],
                "format": "parquet",
                "encoding": None,
                "column_map": dict(plan["mapping"]),
                "preset": plan["preset"],
                "preset_auto": not isinstance(columns, str | dict) or columns == "auto",
                "first_data_row": 1,
                "copied_columns": copied,
            }
            rows = plan["rows"]
        else:
            from commlib.io import read_tickets

            df = read_tickets(path, columns=columns, sheet=sheet, required=required)
            got, file_attrs, rows = tuple(df.columns), dict(df.attrs), len(df)
            plan = {"parquet": False, "path": path}
            if k == 0:
                first_df = df
            del df
        if k == 0:
            names, attrs = got, file_attrs
        else:
            _same_columns(got, names, path, files[0])
        plan["rows"] = rows
        plans.append(plan)
    if len(files) > 1:
        attrs = dict(attrs)
        attrs["source"] = input_stem(inputs)
        attrs["files"] = [Path(p).name for p in files]
    pieces.names, pieces.attrs, pieces._plans, pieces._whole = names, attrs, plans, first_df
    return pieces
