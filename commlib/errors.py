"""Exceptions commlib raises for bad input.

Every message is written for the person holding the file: it names the file, the row
and the column where it can, says what was found and what to do about it.
"""

from __future__ import annotations


class CommlibError(Exception):
    """Base class of every error commlib raises on purpose.

    An error raised with a catalogue ``key`` (and its ``params``) can be shown in either
    language with :meth:`render`; ``str(err)`` is the English text, so Python users and
    logs read one language. Errors raised with a plain message render it as it is.

    Examples
    --------
    >>> err = CommlibError(key="error.no_columns")
    >>> str(err), err.render("zh")
    ('no columns', '无列')
    """

    def __init__(self, message: str | None = None, *, key: str | None = None, params=None):
        self.key = key
        self.params = dict(params or {})
        if message is None:
            message = self.render("en") if key else ""
        super().__init__(message)

    def render(self, lang: str = "zh") -> str:
        """The error's message in ``lang`` (the English text when it has no catalogue key)."""
        if self.key is None:
            return str(self)
        from commlib._catalogue import t

        return t(self.key, lang, **self.params)


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

    def __init__(self, message=None, *, missing=(), available=(), key=None, params=None):
        super().__init__(message, key=key, params=params)
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
    raise MissingColumnsError(
        msg,
        missing=missing,
        available=have,
        key="error.missing_columns_hint",
        params={
            "where": where,
            "missing": ", ".join(parts),
            "available": ", ".join(repr(c) for c in have) or "-",
            "hint": hint,
        },
    )
