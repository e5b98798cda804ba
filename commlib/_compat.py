"""Deprecated names that keep working, with a warning, for one release.

``renamed_parameters`` maps an old keyword to its new name; ``renamed_function`` keeps
an old function name as an alias. Both warn with ``FutureWarning`` (shown to users by
default) and name the replacement; the CHANGELOG lists every rename.
"""

from __future__ import annotations

import functools
import warnings

REMOVED_IN = "0.3.0"


def renamed_parameters(**old_to_new: str):
    """Decorator: accept each old keyword, warn, and pass it on under its new name.

    Examples
    --------
    >>> @renamed_parameters(time="date")
    ... def f(*, date="created_at"):
    ...     return date
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(time="t"), w[0].category.__name__
    ('t', 'FutureWarning')
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{func.__name__}() got both {old}= (deprecated) and {new}=; "
                            f"pass only {new}=."
                        )
                    warnings.warn(
                        f"{func.__name__}({old}=...) is deprecated and will be removed in "
                        f"commlib {REMOVED_IN}; use {new}=... instead.",
                        FutureWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__deprecated_parameters__ = dict(
            getattr(func, "__deprecated_parameters__", {}), **old_to_new
        )
        return wrapper

    return decorate


def renamed_function(new, old_name: str):
    """An alias of ``new`` under its old name that warns on every call."""

    @functools.wraps(new)
    def alias(*args, **kwargs):
        warnings.warn(
            f"{old_name}() is deprecated and will be removed in commlib {REMOVED_IN}; "
            f"use {new.__name__}() instead.",
            FutureWarning,
            stacklevel=2,
        )
        return new(*args, **kwargs)

    alias.__name__ = old_name
    alias.__qualname__ = old_name
    alias.__deprecated_alias_of__ = new.__name__
    alias.__doc__ = (
        f"Deprecated alias of :func:`{new.__name__}`; removed in commlib {REMOVED_IN}.\n"
    )
    return alias
