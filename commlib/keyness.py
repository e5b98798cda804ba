"""Keyness: which words a set of texts uses more than a background, and what two sets share.

A problem list (residents' complaints) and a needs list (merchants' requests) can look
opposed and still point at one core problem. :func:`shared_themes` finds the words
that are strong in *both* sets, groups them into themes by how often they occur in the
same texts, and returns evidence texts from each side, so a social worker can read the
common ground instead of guessing it. :func:`keyness` scores one set against a
background.

How "strong" is measured
------------------------
Each text counts a word once (document frequency): short tickets repeat little, and a
word in many texts matters more than one repeated in a single long text. A set is
compared with a background (for example all other tickets of the block) by the
weighted log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi &
Quinn (2008, "Fightin' Words"): the log-odds of the word in the set minus in the
background, each smoothed towards the word's pooled frequency, divided by its standard
error. The result is a z-score: about 2 or more means the set uses the word clearly
more than the background, and rare words are not inflated. A word's shared score is
the *smaller* of its two z-scores, so it is high only when both sets use the word
distinctively. Without a background, the scores fall back to plain document shares
(the share of texts in each set that use the word) and the shared score is the smaller
share: common to both, but not necessarily distinctive.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["keyness", "shared_themes", "SharedThemes"]


def _as_texts(texts, name: str) -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a sequence of texts, got a single string.")
    out = ["" if (t is None or (isinstance(t, float) and np.isnan(t))) else str(t) for t in texts]
    return out


def _doc_matrix(parts: list[list[str]], tokenizer, ngram_range):
    """Binary document-term matrices for each part, on one shared vocabulary."""
    from commlib.text import Tokenizer, count_terms

    tok = tokenizer if tokenizer is not None else Tokenizer()
    allt = [t for p in parts for t in p]
    X, terms = count_terms(allt, tokenizer=tok, ngram_range=ngram_range)
    X = X.tocsr()
    X.data[:] = 1
    out, start = [], 0
    for p in parts:
        out.append(X[start : start + len(p)])
        start += len(p)
    return out, np.asarray(terms, dtype=object)


def _log_odds_z(y_s, n_s, y_r, n_r, alpha0: float, pooled):
    """Monroe et al. (2008) weighted log-odds z-scores of set s against reference r.

    ``pooled`` holds every word's count over all texts, so each word has a prior.
    """
    alpha = alpha0 * pooled / max(pooled.sum(), 1)
    a0 = alpha.sum()
    ys = y_s + alpha
    yr = y_r + alpha
    delta = np.log(ys / (n_s + a0 - ys)) - np.log(yr / (n_r + a0 - yr))
    var = 1 / ys + 1 / yr
    return delta / np.sqrt(var)


def keyness(
    texts,
    *,
    background,
    tokenizer=None,
    min_df: int = 3,
    ngram_range: tuple[int, int] = (1, 1),
    prior: float = 500.0,
) -> pd.DataFrame:
    """Score the words of a set of texts by how much more they occur than in a background.

    Parameters
    ----------
    texts : sequence of str
        The set to describe (e.g. the tickets of one street).
    background : sequence of str
        The reference (e.g. all other tickets). Keep the set's own texts out of it.
    tokenizer : commlib.text.Tokenizer, optional
        Default ``Tokenizer()`` (Chinese words, governance dictionary, stop words).
    min_df : int, default 3
        Keep words used in at least this many texts of the set.
    ngram_range : (int, int), default (1, 1)
        Word n-grams.
    prior : float, default 500
        Total weight of the Dirichlet prior (pseudo-documents spread over the words in
        proportion to their pooled frequency). Larger values shrink rare words more.

    Returns
    -------
    DataFrame
        ``term``, ``df`` (texts using it), ``share`` (of the set's texts),
        ``share_background``, ``z`` (weighted log-odds z-score), sorted by ``z``
        descending.

    Examples
    --------
    >>> a = ["人行道被占用", "人行道上全是桌椅", "晚上很吵", "人行道太窄"]
    >>> bg = ["楼上很吵", "垃圾没人清", "晚上很吵", "停车难"] * 5
    >>> keyness(a, background=bg, min_df=2)["term"].tolist()[:1]
    ['人行道']
    """
    a = _as_texts(texts, "texts")
    r = _as_texts(background, "background")
    (Xa, Xr), terms = _doc_matrix([a, r], tokenizer, ngram_range)
    y_a = np.asarray(Xa.sum(axis=0)).ravel().astype(float)
    y_r = np.asarray(Xr.sum(axis=0)).ravel().astype(float)
    z = _log_odds_z(y_a, y_a.sum(), y_r, y_r.sum(), prior, y_a + y_r)
    keep = y_a >= min_df
    out = pd.DataFrame(
        {
            "term": terms[keep],
            "df": y_a[keep].astype(np.int64),
            "share": y_a[keep] / max(len(a), 1),
            "share_background": y_r[keep] / max(len(r), 1),
            "z": z[keep],
        }
    )
    return out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


@dataclass(frozen=True)
class SharedThemes:
    """Result of :func:`shared_themes`.

    Attributes
    ----------
    terms : DataFrame
        One row per shared word, strongest first: ``term``, ``theme`` (id), ``df_a``,
        ``df_b``, ``share_a``, ``share_b``, ``z_a``, ``z_b`` (NaN without a background)
        and ``score``.
    themes : DataFrame
        One row per theme: ``theme``, ``name`` (its top words joined by "·"),
        ``terms`` (list), ``score`` (of its best word), ``n_a`` and ``n_b`` (texts on
        each side that use any of its words).
    evidence : DataFrame
        Example texts: ``theme``, ``side`` (the side's name), ``index`` (position in
        the input), ``text``, ``terms`` (the theme's words it contains).
    names : tuple of str
        Names of the two sides.
    """

    terms: pd.DataFrame
    themes: pd.DataFrame
    evidence: pd.DataFrame
    names: tuple[str, str]

    def __repr__(self) -> str:
        top = ", ".join(self.themes["name"].head(3)) if len(self.themes) else "none"
        return f"SharedThemes({len(self.terms)} shared terms; top themes: {top})"


def shared_themes(
    a_texts,
    b_texts,
    *,
    background=None,
    tokenizer=None,
    top_n: int = 15,
    min_df: int = 3,
    min_z: float = 1.96,
    ngram_range: tuple[int, int] = (1, 1),
    prior: float = 500.0,
    link: float = 0.15,
    n_evidence: int = 3,
    names: tuple[str, str] = ("a", "b"),
) -> SharedThemes:
    """Find the words and themes that two sets of texts both stress, with evidence texts.

    Use it when two lists seem to pull in different directions (residents: "ban the
    terraces"; merchants: "bring in customers") to see what they have in common.

    Steps: (1) each text's words (document frequency) on one vocabulary; (2) with a
    ``background``, the weighted log-odds z-score of each word in set A and in set B
    against the background, and the shared score ``min(z_a, z_b)``; words must reach
    ``min_z`` on both sides and occur in ``min_df`` texts of each; without a
    background, the score is ``min(share_a, share_b)``; (3) the ``top_n`` words are
    grouped into themes: a word joins the first (stronger) theme whose leading word it
    co-occurs with in at least ``link`` (Jaccard index over the texts of both sets),
    otherwise it starts a theme; (4) for each theme, the texts of each side that
    contain most of its words, shortest first.

    Parameters
    ----------
    a_texts, b_texts : sequence of str
        The two sets (e.g. complaint tickets and merchants' requests).
    background : sequence of str, optional
        Reference texts that are in neither set (e.g. the other tickets of the block).
        Strongly recommended: without it, words common in every text (小区, 希望)
        can look "shared".
    tokenizer : commlib.text.Tokenizer, optional
        Default ``Tokenizer()``. Add place and shop names as ``stop_words`` when they
        dominate.
    top_n : int, default 15
        Number of shared words kept.
    min_df : int, default 3
        Minimum texts using the word, on each side.
    min_z : float, default 1.96
        Minimum z-score on each side (with a background).
    ngram_range : (int, int), default (1, 1)
    prior : float, default 500
        Dirichlet prior weight, as in :func:`keyness`.
    link : float, default 0.15
        Co-occurrence (Jaccard) needed to put a word in an existing theme.
    n_evidence : int, default 3
        Example texts per theme and side.
    names : (str, str), default ("a", "b")
        Names of the two sides, used in ``evidence["side"]``.

    Returns
    -------
    SharedThemes

    Examples
    --------
    >>> problems = ["外摆桌椅占了人行道", "人行道被占，人车混行", "人车混行很危险", "晚上太吵"]
    >>> needs = ["希望引流", "人车混行顾客不敢停留", "人行道太窄顾客走马路", "人车混行，人行道太窄"]
    >>> res = shared_themes(problems, needs, min_df=2)
    >>> res.terms["term"].tolist()  # equal scores: alphabetical order
    ['人行道', '人车混行']
    >>> res.themes["name"].tolist()
    ['人行道·人车混行']
    """
    import scipy.sparse as sp

    a = _as_texts(a_texts, "a_texts")
    b = _as_texts(b_texts, "b_texts")
    if not a or not b:
        raise ValueError("shared_themes needs texts on both sides; one side is empty.")
    parts = [a, b]
    if background is not None:
        r = _as_texts(background, "background")
        parts.append(r)
    mats, terms = _doc_matrix(parts, tokenizer, ngram_range)
    Xa, Xb = mats[0], mats[1]
    y_a = np.asarray(Xa.sum(axis=0)).ravel().astype(float)
    y_b = np.asarray(Xb.sum(axis=0)).ravel().astype(float)
    share_a, share_b = y_a / len(a), y_b / len(b)
    keep = (y_a >= min_df) & (y_b >= min_df)
    if background is not None:
        y_r = np.asarray(mats[2].sum(axis=0)).ravel().astype(float)
        pooled = y_a + y_b + y_r
        z_a = _log_odds_z(y_a, y_a.sum(), y_r, y_r.sum(), prior, pooled)
        z_b = _log_odds_z(y_b, y_b.sum(), y_r, y_r.sum(), prior, pooled)
        score = np.minimum(z_a, z_b)
        keep &= (z_a >= min_z) & (z_b >= min_z)
    else:
        z_a = z_b = np.full(len(terms), np.nan)
        score = np.minimum(share_a, share_b)
    idx = np.flatnonzero(keep)
    order = idx[np.lexsort((terms[idx].astype(str), -score[idx]))][:top_n]

    # group into themes by co-occurrence over both sets
    both = sp.vstack([Xa, Xb]).tocsc()
    cols = [both[:, j].indices for j in order]
    leads: list[int] = []
    theme_of = np.zeros(len(order), dtype=np.int64)
    for i, docs in enumerate(cols):
        joined = False
        for th, lead in enumerate(leads):
            other = cols[lead]
            inter = len(np.intersect1d(docs, other, assume_unique=True))
            union = len(docs) + len(other) - inter
            if union and inter / union >= link:
                theme_of[i] = th
                joined = True
                break
        if not joined:
            theme_of[i] = len(leads)
            leads.append(i)
    term_tab = pd.DataFrame(
        {
            "term": terms[order].astype(str),
            "theme": theme_of,
            "df_a": y_a[order].astype(np.int64),
            "df_b": y_b[order].astype(np.int64),
            "share_a": share_a[order],
            "share_b": share_b[order],
            "z_a": z_a[order],
            "z_b": z_b[order],
            "score": score[order],
        }
    )
    theme_rows, ev_rows = [], []
    Xa_c, Xb_c = Xa.tocsc(), Xb.tocsc()
    for th in range(len(leads)):
        members = np.flatnonzero(theme_of == th)
        words = term_tab["term"].iloc[members].tolist()
        cols_j = order[members]
        row = {
            "theme": th,
            "name": "·".join(words[:3]),
            "terms": words,
            "score": float(term_tab["score"].iloc[members[0]]),
        }
        for side, X, texts, label in (("a", Xa_c, a, names[0]), ("b", Xb_c, b, names[1])):
            hits = np.asarray(X[:, cols_j].sum(axis=1)).ravel()
            row[f"n_{side}"] = int((hits > 0).sum())
            cand = np.flatnonzero(hits > 0)
            lengths = np.array([len(texts[i]) for i in cand])
            ranked = cand[np.lexsort((cand, lengths, -hits[cand]))]
            seen: set[str] = set()
            pick = []
            for i in ranked:  # identical texts (repeat calls) shown once
                if texts[i] not in seen:
                    seen.add(texts[i])
                    pick.append(i)
                if len(pick) == n_evidence:
                    break
            for i in pick:
                ev_rows.append(
                    {
                        "theme": th,
                        "side": label,
                        "index": int(i),
                        "text": texts[i],
                        "terms": [w for w in words if w.replace(" ", "") in texts[i]],
                    }
                )
        theme_rows.append(row)
    themes = pd.DataFrame(theme_rows, columns=["theme", "name", "terms", "score", "n_a", "n_b"])
    evidence = pd.DataFrame(ev_rows, columns=["theme", "side", "index", "text", "terms"])
    return SharedThemes(terms=term_tab, themes=themes, evidence=evidence, names=tuple(names))


class _KeynessModule(types.ModuleType):
    """This module, callable as the function it is named after.

    ``commlib.keyness`` names both this module and its main function. Importing the
    module (``from commlib.keyness import shared_themes``) makes Python bind the module
    to ``commlib.keyness``, hiding the function; calling the module calls the function,
    so ``cl.keyness(df, ...)`` works whichever was loaded first.
    """

    def __call__(self, *args, **kwargs):
        return keyness(*args, **kwargs)

    @property
    def __signature__(self):
        import inspect

        return inspect.signature(keyness)


sys.modules[__name__].__class__ = _KeynessModule
