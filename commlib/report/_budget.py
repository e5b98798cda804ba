"""Memory and time budgets of the report's sections: skip with a reason, never die silently.

On Linux a process that asks for more memory than the machine has is usually killed by
the kernel, with no Python error and no output. So before a heavy section
:func:`build_report` compares the memory it will need (an estimate per ticket, measured on
generated tickets with ``benchmarks/bench_report.py``) with the memory available now,
and skips the section with a sentence saying so when it does not fit. A ``MemoryError``
raised inside a section is caught the same way, and a section given
``options={"themes": {"max_seconds": 60}}`` that runs longer is stopped at its next
checkpoint (:func:`check_time`).
"""

from __future__ import annotations

import time

from commlib._catalogue import t

#: Extra bytes per ticket a section needs at its peak, on top of the tickets themselves
#: (measured with ``benchmarks/bench_report.py`` on generated tickets, rounded up).
#: Hot issues and replies read at most their ``max_tickets`` rows. Sections not listed
#: need little.
BYTES_PER_TICKET: dict[str, int] = {
    "themes": 1_500,
    "sources": 1_500,
    "near_misses": 1_500,
    "hot_issues": 16_000,
    "replies": 10_000,
}

#: Share of the available memory a section may plan to use (the rest is headroom for
#: the estimate's error and for other programs).
USABLE_SHARE = 0.8


class SectionOutOfTime(Exception):
    """A section ran past its ``max_seconds`` (raised at a checkpoint, caught by build_report)."""

    def __init__(self, seconds: float, limit: float):
        super().__init__(f"ran {seconds:.0f} s, past its budget of {limit:g} s")
        self.seconds = seconds
        self.limit = limit


def available_bytes() -> int | None:
    """Memory the system can give now (psutil, else ``/proc/meminfo``); None if unknown."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            return int(psutil.virtual_memory().available)
        except Exception:  # noqa: BLE001 - a sandbox may hide the figures
            return None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def gib(n_bytes: float) -> str:
    """Bytes as GB with one decimal: ``1.5``."""
    return f"{n_bytes / 1024**3:.1f}"


def memory_shortfall(section: str, rows: int, lang: str, *, available=None) -> str | None:
    """The reason to skip ``section`` for want of memory, or None when it fits.

    Examples
    --------
    >>> memory_shortfall("themes", 1_000_000, "en", available=200 * 1024**2)[:32]
    'needs about 1.4 GB for 1,000,000'
    >>> memory_shortfall("themes", 1_000, "en", available=200 * 1024**2) is None
    True
    >>> memory_shortfall("overview", 10**9, "en", available=1) is None
    True
    """
    per = BYTES_PER_TICKET.get(section)
    if not per:
        return None
    if available is None:
        available = available_bytes()
    if available is None:
        return None
    need = per * rows
    if need <= USABLE_SHARE * available:
        return None
    return t(
        "report.memory_short",
        lang,
        need=gib(need),
        rows=f"{rows:,}",
        free=gib(available),
    )


def out_of_memory(section: str, rows: int, lang: str) -> str:
    """The reason shown for a section that raised ``MemoryError``."""
    return t("report.out_of_memory", lang, rows=f"{rows:,}")


def out_of_time(err: SectionOutOfTime, lang: str) -> str:
    """The reason shown for a section stopped at its ``max_seconds``."""
    return t("report.out_of_time", lang, seconds=f"{err.seconds:.0f}", limit=f"{err.limit:g}")


def check_time(ctx, section: str) -> None:
    """Raise :class:`SectionOutOfTime` if ``section`` ran past its ``max_seconds`` option.

    Builders call it between their steps (the budget is checked cooperatively: a step
    that has started runs to its end).
    """
    limit = ctx.opt(section, "max_seconds", None)
    started = ctx.cache.get("_started", {}).get(section)
    if limit is None or started is None:
        return
    took = time.perf_counter() - started
    if took > limit:
        raise SectionOutOfTime(took, limit)
