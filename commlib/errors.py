"""Exceptions commlib raises for bad input.

Every message is written for the person holding the file: it names the file, the row
and the column where it can, says what was found and what to do about it.
"""

from __future__ import annotations


class CommlibError(Exception):
    """Base class of every error commlib raises on purpose."""


class InputFileError(CommlibError, ValueError):
    """A file cannot be read: missing, empty, undecodable or of an unknown format."""


class MissingColumnsError(CommlibError, ValueError):
    """A table lacks columns a function needs.

    Attributes
    ----------
    missing : list of str
        Canonical names that were needed and not found.
    available : list of str
        The columns the table (or file) actually has.
    """

    def __init__(self, message: str, *, missing=(), available=()):
        super().__init__(message)
        self.missing = list(missing)
        self.available = list(available)


def require_columns(df, columns, *, where: str = "the table", hint: str = "") -> None:
    """Raise :class:`MissingColumnsError` if any of ``columns`` is not in ``df``.

    The message lists what is missing, what the table has and, for each missing
    name, the closest existing column names.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"category": ["噪音"]}), ["category"])
    >>> try:
    ...     require_columns(pd.DataFrame({"categry": ["噪音"]}), ["category"])
    ... except MissingColumnsError as err:
    ...     print(err.missing)
    ['category']
    """
    import difflib

    have = [str(c) for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if not missing:
        return
    parts = []
    for col in missing:
        close = difflib.get_close_matches(col, have, n=3, cutoff=0.5)
        parts.append(
            f"'{col}'" + (f" (closest: {', '.join(repr(c) for c in close)})" if close else "")
        )
    msg = (
        f"{where} is missing column(s) {', '.join(parts)}. "
        f"It has: {', '.join(repr(c) for c in have) or 'no columns'}."
    )
    if hint:
        msg += " " + hint
    raise MissingColumnsError(msg, missing=missing, available=have)
