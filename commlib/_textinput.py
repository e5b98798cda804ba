"""How the text estimators read their input: one home for the plumbing they share.

:class:`commlib.cluster.TicketClusterer` and :class:`commlib.dispatch.TicketRouter`
both accept either ticket texts (a list, a 1-d array or a pandas Series) or a numeric
feature matrix, and both build a :class:`commlib.text.Tokenizer` from the same three
parameters. The checks and conversions live here, once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Letter-coded places in the text: A市, A3区, K8县, B镇, C12街道 (half- or full-width).
LETTER_PLACE = r"[A-Za-zＡ-Ｚａ-ｚ][0-9０-９]{0,3}(?:市|区|县|镇|乡|村|街道|省|州)"
_LETTER_PLACE_RE = re.compile(LETTER_PLACE)


def is_text_sequence(X) -> bool:
    """Whether ``X`` is a collection of texts (rather than a numeric feature matrix).

    A single string is refused (a common slip: ``fit("one ticket")``); a DataFrame or
    a sparse matrix is not a text sequence.

    Examples
    --------
    >>> is_text_sequence(["噪音", None]), is_text_sequence(np.zeros((2, 2)))
    (True, False)
    """
    import scipy.sparse as sp

    if isinstance(X, str):
        raise TypeError("Expected a sequence of texts, got a single string. Wrap it in a list.")
    if sp.issparse(X) or isinstance(X, pd.DataFrame):
        return False
    if isinstance(X, pd.Series):
        return True
    if isinstance(X, np.ndarray):
        return X.ndim == 1 and X.dtype.kind in "OUS"
    if isinstance(X, list | tuple):
        return len(X) > 0 and all(isinstance(x, str) or x is None for x in X[:100])
    return False


def as_list(texts) -> list:
    """Texts as a plain list, missing values kept as they are (None, NaN, NA).

    Examples
    --------
    >>> as_list(("a", None))
    ['a', None]
    """
    if isinstance(texts, str):
        raise TypeError("Expected a sequence of texts, got a single string. Wrap it in a list.")
    if hasattr(texts, "to_numpy"):  # pandas Series (Arrow-backed strings in pandas 3)
        return texts.to_numpy(dtype=object).tolist()
    if hasattr(texts, "tolist"):
        return texts.tolist()
    return list(texts)


def as_strings(texts) -> list[str]:
    """Texts as a list of str, a missing text (None, NaN, NA) as the empty string.

    Examples
    --------
    >>> as_strings(["a", None, float("nan")])
    ['a', '', '']
    """
    return ["" if x is None or x is pd.NA or x != x else str(x) for x in as_list(texts)]


def check_mode(mode, *, allowed=None) -> str:
    """Return ``mode`` if it is one of ``allowed`` tokenizer modes, else raise ValueError."""
    from commlib.text import MODES

    allowed = MODES if allowed is None else allowed
    if mode not in allowed:
        raise ValueError(f"mode must be one of {tuple(allowed)}, got {mode!r}.")
    return mode


def make_tokenizer(mode: str, user_words=None, stop_words=None):
    """The :class:`commlib.text.Tokenizer` of an estimator's three text parameters."""
    from commlib.text import Tokenizer

    return Tokenizer(mode, user_words=user_words, stop_words=stop_words)


class PlacesCut:
    """A tokenizer that first cuts letter-coded places out of the text.

    Handed to :func:`commlib.text.count_terms` in place of the tokenizer, so that the
    cut runs in the tokenizing worker processes, per text, rather than over the whole
    list in the main process first (same tokens as
    ``commlib.cluster._terms.strip_letter_places`` then the tokenizer). It lives here,
    with the light input plumbing, because the workers unpickle it: from
    ``commlib.cluster`` each worker first imported scikit-learn and matplotlib (about
    1 CPU-s a worker).

    >>> from commlib.text import Tokenizer
    >>> PlacesCut(Tokenizer())("A市A3区联丰路噪音")
    ['联丰路', '噪音']
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.mode = tokenizer.mode

    def __call__(self, text) -> list:
        return self.tokenizer(_cut_places(text))

    def _segments(self, text) -> list:
        """Word mode: the tokenizer's segments of ``text`` after the cut (see
        ``commlib.text._ids_chunk``)."""
        return self.tokenizer._segments(_cut_places(text))

    def _token_of(self, segment: str) -> str:
        return self.tokenizer._token_of(segment)


def _cut_places(text):
    """``text`` without its letter-coded places (anything else as it is)."""
    return _LETTER_PLACE_RE.sub(" ", text) if isinstance(text, str) else text
