"""Helpers that more than one module needs, each with one home.

Nothing here is public: the public functions that use these helpers document the
behaviour. Heavy libraries (statsmodels) are imported inside the functions.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re

import numpy as np
import pandas as pd

from commlib._catalogue import t

# ----------------------------------------------------------------------- periods

#: Every ``freq=`` commlib accepts -> the pandas *period* alias it means. pandas offset
#: aliases that label bins by their start or their end ("MS", "ME", "QS-JAN", "W-SUN")
#: and plain period aliases ("M", "Q") all name the same calendar bins here.
PERIOD_ALIASES: dict[str, str] = {
    "D": "D",
    "W": "W",
    "W-MON": "W",
    "W-SUN": "W",
    "M": "M",
    "MS": "M",
    "ME": "M",
    "Q": "Q",
    "QS": "Q",
    "QE": "Q",
    "QS-JAN": "Q",
    "QE-DEC": "Q",
    "Y": "Y",
    "YS": "Y",
    "YE": "Y",
    "YS-JAN": "Y",
    "YE-DEC": "Y",
    "A": "Y",
    "AS": "Y",
}


def period_alias(freq: str) -> str:
    """The pandas period alias (``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``) for ``freq``.

    Examples
    --------
    >>> period_alias("MS"), period_alias("ME"), period_alias("QS-JAN"), period_alias("W")
    ('M', 'M', 'Q', 'W')
    """
    alias = PERIOD_ALIASES.get(str(freq).upper()) if isinstance(freq, str) else None
    if alias is None:
        raise ValueError(
            f"freq must be one of {sorted(PERIOD_ALIASES)} (months 'MS', weeks 'W', "
            f"quarters 'QS', ...), got {freq!r}."
        )
    return alias


def period_unit(freq: str, lang: str = "zh") -> str:
    """The name of one period of ``freq`` in ``lang`` (月 / month)."""
    return t(f"common.unit.{period_alias(freq)}", lang)


def period_starts(dates: pd.Series, freq: str) -> pd.Series:
    """Each date's period start (a timestamp) for the calendar bins of ``freq``."""
    return dates.dt.to_period(period_alias(freq)).dt.start_time


# ------------------------------------------------------------------ missing label


def missing_label(lang: str = "zh") -> str:
    """The label shown for a missing category, community or other group."""
    return t("common.missing", lang)


# ------------------------------------------------------------------ CJK detection

_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


def has_cjk(text) -> bool:
    """True if one string holds any CJK character.

    Examples
    --------
    >>> has_cjk("噪音 noise"), has_cjk("noise")
    (True, False)
    """
    return bool(_CJK_RE.search(str(text)))


def mostly_cjk(texts: pd.Series, *, sample: int = 500, share: float = 0.5) -> bool:
    """True if at least ``share`` of the first ``sample`` non-empty texts hold CJK characters."""
    s = texts.dropna().astype("str").head(sample)
    if s.empty:
        return False
    return bool(s.str.contains(_CJK_RE.pattern, regex=True).mean() >= share)


# ---------------------------------------------------------------- multiple tests


def holm(p) -> np.ndarray:
    """Holm step-down adjusted p-values; NaN stays NaN and does not count in m.

    The same numbers as ``statsmodels.stats.multitest.multipletests(method="holm")``
    (a test holds them equal), computed in numpy: multipletests runs a full garbage
    collection on every call (about 66 ms), which made simulation studies 15x slower.

    Examples
    --------
    >>> holm([0.01, 0.04, np.nan, 0.03]).round(3).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out[order] = np.minimum(adj, 1.0)
    return out


def release_memory(*, collect: bool = True) -> None:
    """Hand freed memory back to the system: garbage, the C heap (glibc), Arrow's pool.

    Without it a process keeps the peak of every step it ran: Python's, glibc's and
    Arrow's allocators hold freed blocks for reuse. Tables that come back pickled from
    worker processes live on the C heap, not in Arrow's pool, so letting them go only
    lowers the resident memory once the heap is trimmed. ``collect=False`` skips the
    garbage collection (for loops over many pieces).
    """
    if collect:
        import gc

        gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass


def use_system_allocator() -> None:
    """Let Arrow allocate from the C library's heap, and big blocks be pages of their own.

    For a long run that holds one big table (``commlib report``), not for a library
    call: Arrow's own pool (mimalloc) keeps freed pages that :func:`release_memory`
    cannot hand back, while glibc's heap is trimmed. Measured on 1,000,000 generated
    tickets: 1,074 -> 838 MiB held after cleaning; at 2,000,000 the sources section's
    rise 1.64 -> 1.33 GB. With glibc, blocks of :data:`MMAP_THRESHOLD` bytes and more
    are mapped pages of their own (``MALLOC_MMAP_THRESHOLD_`` for the worker
    processes). A user's own ``ARROW_DEFAULT_MEMORY_POOL`` or
    ``MALLOC_MMAP_THRESHOLD_`` is left alone.
    """
    import os

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"  # the worker processes started later
    try:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    except (ImportError, AttributeError):  # pragma: no cover - no pyarrow
        pass
    # Blocks of 1 MiB and more get pages of their own, handed back when freed: glibc
    # otherwise raises this threshold as big blocks are freed (up to 32 MiB) and keeps
    # them on a heap that fragments. 2M tickets: whole report 3,328 -> 2,903 MiB peak.
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        os.environ["MALLOC_MMAP_THRESHOLD_"] = str(MMAP_THRESHOLD)  # worker processes
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
        except (OSError, AttributeError):  # not glibc
            pass


#: Allocations from this size on are mapped pages of their own (see use_system_allocator).
MMAP_THRESHOLD = 1 << 20


@contextlib.contextmanager
def small_pages():
    """Inside the block NumPy does not ask the kernel for huge pages for big arrays.

    On Linux NumPy marks every array of 4 MiB and more ``MADV_HUGEPAGE``. Where memory
    is backed lazily by a virtual machine's host, or the kernel compacts memory to find a
    free huge page (``transparent_hugepage/defrag`` set to ``madvise``, the usual
    default; numpy/numpy#31590), touching such an array the first time can stall: 400 MB
    of ``np.ones`` took 4.0 s of system time once on the 2-core test machine, and 0.16 s
    on ordinary pages. ``TicketClusterer`` allocates a few GB of short-lived arrays at a
    million tickets: the stages after tokenizing took 12.6-12.9 s with the hint and
    6.2 s without it (same labels, three runs each). On a machine where huge pages come
    cheap the hint saves about 0.09 s per 400 MB, so the worst case costs far more than
    the best case gains. A user's own ``NUMPY_MADVISE_HUGEPAGE`` is left alone, and the
    previous setting is restored on leaving the block.
    """
    setter = _hugepage_setter()
    if setter is None or os.environ.get("NUMPY_MADVISE_HUGEPAGE"):
        yield
        return
    before = setter(False)
    try:
        yield
    finally:
        setter(before)


def _hugepage_setter():
    """NumPy's switch for its huge-page hint (a private function), or None."""
    from numpy._core import multiarray

    return getattr(multiarray, "_set_madvise_hugepage", None)


# ----------------------------------------------------------------------- literal words

#: The body of a character class matching exactly what Python's ``\s`` matches in a
#: str pattern (``str.isspace``). pandas hands a pattern holding ``\s`` to Python's
#: ``re`` row by row (RE2's ``\s`` is ASCII only); spelled out as a class, Arrow's RE2
#: runs it on the whole column at once (``\s+`` over 200,000 replies: 0.57 -> 0.20 s).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: The CJK Unified Ideographs block as a class range of the characters themselves: a
#: pattern spelling it with ``\u`` escapes is read by Python's ``re`` row by row in
#: pandas (RE2 does not take them); the characters run in Arrow's RE2.
CJK_RANGE = "\u4e00-\u9fff"
#: ASCII and full-width digits as a class body: what ``\d`` finds in Chinese and English
#: text, spelled out so that pandas runs the pattern in Arrow's RE2 (``\d`` also takes
#: other scripts' digits, and sends a pattern to Python's ``re`` row by row).
DIGITS = "0-9\uff10-\uff19"


#: Characters that mean something in a regular expression (escaped in literal words).
_RE_META = frozenset("\\.^$|?*+()[]{}-/")


@functools.lru_cache(maxsize=1)
def _cased_chars() -> str:
    """Every character that has another case (the only ones IGNORECASE can widen)."""
    import sys

    return "".join(
        ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.lower() != ch or ch.upper() != ch
    )


@functools.lru_cache(maxsize=4096)
def _re2_char(ch: str) -> str:
    """``ch`` in an RE2 pattern, matching exactly the characters Python's ``re`` matches
    with ``re.IGNORECASE`` (a class of them for a letter: ``i`` also matches ``İ`` and
    ``ı``, ``k`` the Kelvin sign; RE2's own case folding differs there)."""
    if ch.lower() == ch.upper():
        return "\\" + ch if ch in _RE_META else ch
    rx = re.compile(re.escape(ch), re.IGNORECASE)
    same = sorted({ch, *(x for x in _cased_chars() if rx.fullmatch(x))})
    return "[" + "".join("\\" + x if x in _RE_META else x for x in same) + "]"


def texts_as_arrow(text: pd.Series):
    """Texts (strings or missing) as an Arrow array, for :func:`contains_words`."""
    import pyarrow as pa

    if isinstance(text.dtype, pd.StringDtype | pd.ArrowDtype):
        return pa.array(text.array)
    return pa.array(text.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)


def contains_words(text: pd.Series, words, *, arrow=None) -> np.ndarray:
    """Which texts hold one of the literal ``words``, case-insensitively exactly as
    Python's ``re.IGNORECASE`` matches them (missing texts: False).

    A regular expression that needs a literal word can only match the texts this lets
    through, so slow rules (look-behinds, ``\\b``) run on those only. One pass of Arrow's
    RE2 over all texts; Python's ``re`` took about 1.2 microseconds a text for the same
    search. ``arrow``: ``text`` already made by :func:`texts_as_arrow`, when several
    word lists search the same texts. Falls back to Python's ``re`` when RE2 refuses
    the alternation.

    >>> contains_words(pd.Series(["Gas LEAK", "ınjured", None, "火灾"]), ["gas leak", "injured"])
    array([ True,  True, False, False])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not words:
        return np.zeros(len(text), dtype=bool)
    alt = "|".join("".join(_re2_char(ch) for ch in w) for w in words)
    try:
        arr = texts_as_arrow(text) if arrow is None else arrow
        hit = pc.match_substring_regex(arr, pattern=alt)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        rx = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        return np.array([isinstance(v, str) and rx.search(v) is not None for v in text], bool)
    return np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
