"""Writing files safely: all-or-nothing outputs, cells that cannot run, text that never crashes.

Nothing here is public; the writers that use it (the report's HTML and workbook, the
command line) document the behaviour.

- :func:`staged_outputs` writes every output to a temporary file in its target folder
  and moves them all into place (:func:`os.replace`) only when every one is complete,
  so a run leaves both files or neither.
- :func:`formula_like` / :func:`csv_safe` / :func:`xlsx_safe_cell`: a text cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what a
  spreadsheet runs as a formula (formula or "CSV" injection, OWASP). Workbook cells get
  the string type and Excel's quote prefix; CSV cells get a leading apostrophe.
  Numbers, and texts that are a plain number (``-12``, ``-3.5``), stay as they are.
- :func:`printable`: the control characters XML 1.0 forbids (which openpyxl refuses
  with ``IllegalCharacterError``) removed from a text.
- :func:`same_file`: whether two paths name one file (symlinks and hard links too).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A text that is a plain number: a spreadsheet would read it as that number, not run it.
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$")

#: Characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE), plus the C1 controls.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: Characters a file name should not hold: controls and what Windows forbids.
_BAD_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')


def printable(text: str) -> str:
    """``text`` without the control characters a workbook or an XML file cannot hold.

    Tabs and line breaks stay.

    Examples
    --------
    >>> printable("噪音\\x00扰民\\x1b[31m\\n第二行")
    '噪音扰民[31m\\n第二行'
    """
    return _ILLEGAL.sub("", text)


def safe_file_name(name: str, default: str = "tickets") -> str:
    """A file name without control characters or characters Windows forbids.

    Examples
    --------
    >>> safe_file_name("工单\\x07:2024")
    '工单__2024'
    """
    cleaned = _BAD_IN_NAME.sub("_", name).strip(" .")
    return cleaned or default


def formula_like(text) -> bool:
    """True if a spreadsheet would run ``text`` as a formula when it opens the file.

    Examples
    --------
    >>> formula_like("=HYPERLINK(\\"http://x\\")"), formula_like("@SUM(A1)"), formula_like("-3.5")
    (True, True, False)
    >>> formula_like("噪音"), formula_like(-3)
    (False, False)
    """
    return (
        isinstance(text, str)
        and text.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(text.strip())
    )


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells a spreadsheet cannot run, for writing to CSV.

    A text cell that :func:`formula_like` flags gets a leading apostrophe (OWASP's
    advice for CSV files); numbers and texts that are plain numbers are left alone.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["=cmd|' /C calc'!A0", "-12", "噪音"], "n": [-1, 2, 3]})
    >>> csv_safe(df)["text"].tolist()
    ["'=cmd|' /C calc'!A0", '-12', '噪音']
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        hit = s.map(formula_like, na_action="ignore").fillna(False).astype(bool)
        if hit.any():
            out[col] = s.astype(object).where(~hit, "'" + s[hit].astype(str))
    return out


def write_csv(df: pd.DataFrame, path, **kwargs) -> Path:
    """Write ``df`` to CSV through :func:`csv_safe`, atomically (temporary file, then move).

    ``kwargs`` go to :meth:`pandas.DataFrame.to_csv` (default ``index=False``,
    encoding ``utf-8-sig`` so Excel reads Chinese text).
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("encoding", "utf-8-sig")
    path = Path(path)
    with staged_outputs([path]) as (tmp,):
        csv_safe(df).to_csv(tmp, **kwargs)
    return path


def xlsx_safe_cell(cell) -> None:
    """Make an openpyxl cell holding a formula-like text a plain text cell.

    The cell is typed as a string (never a formula) and gets Excel's quote prefix, so
    editing it in Excel does not turn it into a formula either.
    """
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def same_file(a, b) -> bool:
    """True if paths ``a`` and ``b`` are one file (after symlinks; hard links too).

    Examples
    --------
    >>> same_file("a/../b.csv", "b.csv"), same_file("a.csv", "b.csv")
    (True, False)
    """
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return pa.resolve() == pb.resolve()


def _temp_name(path: Path) -> Path:
    # the suffix stays (openpyxl reads a workbook only under .xlsx); hidden in the folder
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")


@contextlib.contextmanager
def staged_outputs(paths: Sequence[Path]) -> Iterator[tuple[Path, ...]]:
    """Temporary files for ``paths``, moved into place together when the block succeeds.

    Each temporary file sits in its target's folder (so the move is an atomic rename
    on one file system). If the block raises, every temporary file is removed and no
    target is touched. If a move fails half-way, the targets already moved are put
    back as they were, so the outputs are all new or all as before.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_outputs([d / "a.html", d / "a.xlsx"]) as (html_tmp, xlsx_tmp):
    ...     _ = html_tmp.write_text("<p>ok</p>")
    ...     _ = xlsx_tmp.write_bytes(b"PK")
    >>> sorted(p.name for p in d.iterdir())
    ['a.html', 'a.xlsx']
    >>> try:
    ...     with staged_outputs([d / "b.html", d / "b.xlsx"]) as (h, x):
    ...         _ = h.write_text("<p>half</p>")
    ...         raise OSError("disk full")
    ... except OSError:
    ...     pass
    >>> sorted(p.name for p in d.iterdir())
    ['a.html', 'a.xlsx']
    """
    targets = [Path(p) for p in paths]
    temps = tuple(_temp_name(p) for p in targets)
    try:
        yield temps
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    backups: list[tuple[Path, Path | None]] = []  # (target, backup of its old file)
    try:
        for tmp, target in zip(temps, targets, strict=True):
            backup = None
            if target.exists():
                backup = _temp_name(target)
                os.replace(target, backup)
            backups.append((target, backup))
            os.replace(tmp, target)
    except BaseException:
        for target, backup in reversed(backups):  # undo: the old files, or none
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)
