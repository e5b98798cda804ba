"""Which words may name a theme: junk terms, corpus stop words, names, the catch-all.

Four kinds of words reach theme names on real messages although they say nothing
about the theme, and each has a general rule here:

* **letter-coded places**: publishers anonymise places as ``A市``, ``A3区``, ``K8县``;
  the tokenizer leaves ``a``, ``a3``, ``县星沙``. The text forms are cut out before
  tokenizing (:data:`commlib._textinput.LETTER_PLACE`) and any Latin letter with at
  most three digits (:data:`LETTER_CODE`) is dropped from Chinese features;
* **greeting boilerplate** of letters to officials (您好, 尊敬的领导, 谢谢): the
  bundled ``salutations_zh.txt``;
* **corpus stop words**: terms spread evenly over all themes (normalised entropy of
  their per-theme rate at least :data:`EVEN_ENTROPY`), such as the province name every
  message carries. They are learnt from the fitted themes of each corpus and kept out
  of the names and top terms;
* **the export's own place**: a place name (tagged ``ns``) that at least
  :data:`COMMON_PLACE_SHARE` of the tickets carry, such as the province of a provincial
  board that only some themes' messages spell out (:func:`common_places`);
* **personal names**: a term the jieba tagger reads as a person's name (``nr``) and
  that starts with a common surname (both, because the tagger alone calls 幼儿园 a
  name). Masked placeholders such as ``[姓名]`` never become tokens at all.

A theme whose tickets have little in common (the k-means "catch-all") is recognised by
its cohesion and folded into the misc label, named honestly "其他/未归类".
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from commlib._textinput import _LETTER_PLACE_RE

#: Tokens that are a Latin letter with at most three digits (a, a3, g2) in Chinese text.
LETTER_CODE = re.compile(r"^[a-z][0-9]{0,3}$")
#: A term whose per-theme rate has at least this normalised entropy is spread evenly
#: over the themes and names none of them.
EVEN_ENTROPY = 0.9
#: ... provided it is in at least this share of the tickets (rare terms are noisy).
EVEN_MIN_DF = 0.01
#: A place name in at least this share of all tickets never names a theme (see
#: :func:`common_places`).
COMMON_PLACE_SHARE = 0.05
#: A theme with at least an average share (1 / k) whose cohesion (length of its mean
#: unit vector) is under this fraction of the median theme's is a catch-all.
CATCH_ALL_COHESION = 0.7


@cache
def salutations() -> frozenset:
    """The bundled greeting and courtesy words (``resources/salutations_zh.txt``)."""
    from commlib.text import _bundled

    return frozenset(_bundled("salutations_zh.txt"))


@cache
def _surnames() -> frozenset:
    from commlib.text import _bundled

    return frozenset(w for line in _bundled("chinese_surnames.txt") for w in line.split())


def strip_letter_places(texts: list) -> list:
    """Cut letter-coded places (A市, A3区) out of texts; missing texts stay missing.

    >>> strip_letter_places(["A市A3区联丰路噪音", None])
    ['  联丰路噪音', None]
    """
    # A loop over the list, not ``Series.str.replace``: the texts come and go as a
    # list, and the pattern rarely matches, so ``re.sub`` returns at once; 0.05 CPU-s
    # per 200,000 tickets against 0.9 s for pandas (object dtype) and 0.12 s for Arrow.
    sub = _LETTER_PLACE_RE.sub
    return [
        None if x is None or x is pd.NA or (isinstance(x, float) and x != x) else sub(" ", str(x))
        for x in texts
    ]


def junk_terms(terms, mode: str) -> np.ndarray:
    """Boolean mask of terms (n-grams joined by spaces) that must not be features.

    >>> junk_terms(["a3", "a3 噪音", "噪音", "您好", "pm2"], "word").tolist()
    [True, True, False, True, False]
    """
    sal = salutations()
    out = np.zeros(len(terms), dtype=bool)
    for i, term in enumerate(terms):
        parts = str(term).split(" ")
        out[i] = any(p in sal for p in parts) or (
            mode != "english" and any(LETTER_CODE.match(p) for p in parts)
        )
    return out


def even_terms(tf, sizes, df_share) -> np.ndarray:
    """Mask of terms spread evenly over the themes (corpus-specific stop words).

    Parameters
    ----------
    tf : sparse matrix (n_themes, n_terms)
        Term counts per theme.
    sizes : array of int
        Tickets per theme.
    df_share : array of float
        Share of all tickets containing each term.
    """
    k = tf.shape[0]
    if k < 3:
        return np.zeros(tf.shape[1], dtype=bool)
    rate = np.asarray(tf.todense(), dtype=np.float64) / np.maximum(sizes, 1)[:, None]
    total = rate.sum(axis=0)
    p = rate / np.where(total > 0, total, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=0) / np.log(k)
    return (h >= EVEN_ENTROPY) & (df_share >= EVEN_MIN_DF)


def person_names(terms) -> set:
    """Terms that read as personal names: tagged ``nr`` and starting with a surname.

    The tagger is the one the privacy rules read names with (rjieba's; jieba.posseg
    took 0.8 s to load in each new process before tagging a word).

    >>> sorted(person_names(["王建国", "幼儿园", "噪音", "胡华衡 书记"]))
    ['王建国', '胡华衡 书记']
    """
    from commlib.privacy._names import _tagger

    tag = _tagger()[0]
    surnames = _surnames()
    out = set()
    for term in terms:
        for part in str(term).split(" "):
            if not part or not (part[0] in surnames or part[:2] in surnames):
                continue
            if len(part) > 4:
                continue
            tags = tag(part)
            if len(tags) == 1 and tags[0][1] == "nr":
                out.add(term)
                break
    return out


def common_places(terms, df_share) -> set:
    """Place names that a large share of all tickets carries.

    A place in at least :data:`COMMON_PLACE_SHARE` of the tickets is where they come
    from (the province or city of the whole export, 西地省 in 13% of the real TipDM
    messages), not what a theme is about; it may cluster with the messages that name
    it in full, but it never names the theme, nor does an n-gram holding it. ``terms``
    are the vocabulary (n-grams joined by spaces) and ``df_share`` the share of tickets
    holding each term; a place is a single-word term the tagger reads as ``ns``.

    >>> sorted(common_places(["西地省", "西地省 教育厅", "教育厅", "幼儿园", "芙蓉区"],
    ...                      np.array([0.13, 0.06, 0.02, 0.2, 0.01])))
    ['西地省']
    """
    from commlib.privacy._names import _tagger

    tag = _tagger()[0]
    share = np.asarray(df_share, dtype=np.float64)
    places = set()
    for j in np.flatnonzero(share >= COMMON_PLACE_SHARE).tolist():
        term = str(terms[j])
        if " " not in term:
            tags = tag(term)
            if len(tags) == 1 and tags[0][1] == "ns":
                places.add(term)
    return places


def catch_all(centers, sizes) -> np.ndarray:
    """Mask of the catch-all cluster: the loosest, if it is also big.

    Cohesion is the length of the centre (the mean of unit-length tickets): 1 when
    all tickets are alike, near 0 when they point every way. The least cohesive
    cluster is the catch-all when its share is at least average (1 / k) and its
    cohesion under ``CATCH_ALL_COHESION`` times the median; at most one cluster is
    flagged, so that real themes are never merged together.

    >>> catch_all(np.array([[0.25, 0.0], [0.6, 0.0], [0.0, 0.55], [0.5, 0.1]]),
    ...           np.array([40, 20, 20, 20])).tolist()
    [True, False, False, False]
    """
    k = len(sizes)
    if k < 3:
        return np.zeros(k, dtype=bool)
    cohesion = np.linalg.norm(np.asarray(centers, dtype=np.float64), axis=1)
    share = np.asarray(sizes, dtype=np.float64) / max(np.sum(sizes), 1)
    out = np.zeros(k, dtype=bool)
    loosest = int(np.argmin(cohesion))
    if share[loosest] >= 1 / k and cohesion[loosest] < CATCH_ALL_COHESION * np.median(cohesion):
        out[loosest] = True
    return out
