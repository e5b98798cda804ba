"""Reading an archive of files into one Dask frame, one partition per file."""

from __future__ import annotations

import functools
import glob
import io
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from commlib.errors import InputFileError

#: Characters that make a string a glob pattern rather than a path.
_GLOB_CHARS = frozenset("*?[")


def _expand(paths_or_glob) -> list[str]:
    """The files to read, in a fixed order: a glob's matches and a folder's files sorted."""
    items = [paths_or_glob] if isinstance(paths_or_glob, str | os.PathLike) else paths_or_glob
    files: list[str] = []
    for item in items:
        text = os.fspath(item)
        if any(c in text for c in _GLOB_CHARS):
            files.extend(sorted(glob.glob(text, recursive=True)))
        elif Path(text).is_dir():
            files.extend(sorted(str(p) for p in Path(text).rglob("*.parquet")))
        else:
            files.append(text)
    if not files:
        raise InputFileError(key="dask.no_files", params={"pattern": repr(paths_or_glob)})
    return files


def _probe(path: str, columns, required) -> pd.DataFrame:
    """The empty frame :func:`commlib.read_tickets` gives for ``path`` (read on one row)."""
    from commlib.io import read_tickets

    if path.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        # One row is enough for the column mapping; the file is not read whole.
        batch = next(pq.ParquetFile(path).iter_batches(batch_size=1), None)
        if batch is not None and batch.num_rows:
            buf = io.BytesIO()
            pq.write_table(pa.Table.from_batches([batch]), buf)
            buf.seek(0)
            return read_tickets(buf, columns=columns, required=required, format="parquet").iloc[:0]
    return read_tickets(path, columns=columns, required=required).iloc[:0]


def _read_part(path: str, *, columns, required, first: str, names: tuple) -> pd.DataFrame:
    """One file through :func:`commlib.read_tickets`, checked against the first file's columns."""
    from commlib.io import read_tickets
    from commlib.io._pieces import _in_order, _same_columns

    df = read_tickets(path, columns=columns, required=required)
    _same_columns(tuple(df.columns), names, path, first, key="dask.columns_differ")
    df = _in_order(df, names)
    df.attrs = {}
    return df


def read_tickets(
    paths_or_glob: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    columns: str | dict[str, str] | None = None,
    required: Sequence | None = None,
):
    """Read an archive of ticket files (Parquet by month or district) into a Dask frame.

    Each file becomes one partition, read by :func:`commlib.read_tickets`, so every
    file gets the same treatment as on one machine: cells as text, headers mapped to
    canonical names (the ``columns`` preset or dict applies to each file). All files
    must end up with the same columns.

    Parameters
    ----------
    paths_or_glob : str, path or sequence of them
        A glob (``"archive/*.parquet"``, ``"archive/**/*.parquet"``), a folder (its
        ``.parquet`` files, recursively) or a list of files. Globs and folders are
        read in sorted path order, which fixes the row order (and so ``source_row``).
    columns, required
        As in :func:`commlib.read_tickets`.

    Returns
    -------
    dask.dataframe.DataFrame
        One partition per file, in file order, with the columns
        :func:`commlib.read_tickets` gives; each partition's index starts at 0. The
        provenance ``attrs`` of a single file are not kept.

    Raises
    ------
    InputFileError
        No file matches; a file is unreadable (as :func:`commlib.read_tickets`); a
        file maps to other columns than the first one (raised when computed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from commlib.datasets import make_tickets
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> raw = make_tickets(60, random_state=0)
    >>> raw.iloc[:30].to_parquet(folder / "2024-01.parquet")
    >>> raw.iloc[30:].to_parquet(folder / "2024-02.parquet")
    >>> ddf = read_tickets(folder / "*.parquet")
    >>> ddf.npartitions, len(ddf)
    (2, 60)
    """
    import dask
    import dask.dataframe as dd

    files = _expand(paths_or_glob)
    meta = _probe(files[0], columns, required)
    meta.attrs = {}
    names = tuple(meta.columns)
    read = functools.partial(
        _read_part, columns=columns, required=required, first=files[0], names=names
    )
    # from_delayed, not from_map: from_map turns every ``str`` column into
    # ``string[pyarrow]`` (missing value pd.NA), and the pandas path's cells are ``str``.
    read = dask.delayed(read, pure=True)
    return dd.from_delayed([read(f) for f in files], meta=meta, verify_meta=False)
