"""One catalogue of every word a user can see, zh and en side by side.

Each area of the library keeps its entries in a private module of this package
(``_common.py``, ``_clean.py``, ``_report.py``, ...), as a dict named ``MESSAGES`` that
maps a dotted key to ``{"zh": ..., "en": ...}``. Placeholders are named
(``"{rows} 行"``); both languages of an entry use the same placeholders, which a test
checks. Library functions hand back facts (codes, columns, values); the words are chosen
here, where they are shown, in the ``lang`` the caller asked for.

Examples
--------
>>> from commlib._catalogue import t
>>> t("common.missing", "zh")
'(缺失)'
>>> t("common.missing", "en")
'(missing)'
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping

#: The languages every entry is written in; ``"zh"`` is the default everywhere.
LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, entry in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"catalogue key {key!r} defined twice ({info.name})")
            merged[key] = entry
    return merged


MESSAGES: Mapping[str, Mapping[str, str]] = _load()


def check_lang(lang: str) -> str:
    """Return ``lang`` if commlib speaks it, else raise a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}.")
    return lang


def t(key: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    """The words for ``key`` in ``lang``, with ``params`` filled into the placeholders.

    Parameters
    ----------
    key : str
        A catalogue key such as ``"common.missing"``.
    lang : {"zh", "en"}
        The language to write in.
    **params
        Values for the entry's named placeholders.

    Raises
    ------
    KeyError
        If ``key`` is not in the catalogue (a programming error, never a user's).
    """
    entry = MESSAGES[key]
    text = entry[check_lang(lang)]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    """True if ``key`` is in the catalogue."""
    return key in MESSAGES


def placeholders(text: str) -> set[str]:
    """The named placeholders of one catalogue text (used by the catalogue's tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def table(prefix: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Every entry under ``prefix.`` as ``{suffix: words}``, for label look-up tables."""
    check_lang(lang)
    cut = len(prefix) + 1
    return {k[cut:]: v[lang] for k, v in MESSAGES.items() if k.startswith(prefix + ".")}
