"""Small helpers of the theme clusterer: progress bar, term display, counts."""

from __future__ import annotations

import sys
from numbers import Integral, Real

import numpy as np


def _show_progress(progress) -> bool:
    """``progress`` as given, or None: show the bar only when stderr is a terminal."""
    if progress is not None:
        return bool(progress)
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class _Progress:
    """A tqdm bar over the fit's stages, or a no-op."""

    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="TicketClusterer", unit="step")

    def step(self, desc: str, n: int = 1):
        if self.bar is not None:
            self.bar.set_postfix_str(desc)
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _display_term(term: str) -> str:
    """``"快递 丢失"`` -> ``"快递丢失"``; English n-grams keep their spaces."""
    if " " in term and not term.isascii():
        return term.replace(" ", "")
    return term


def _resolve_count(value, n: int, name: str) -> int:
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, Real) and 0 <= value <= 1:
        return int(np.ceil(value * n))
    raise ValueError(f"{name} must be an int or a float in [0, 1], got {value!r}.")
