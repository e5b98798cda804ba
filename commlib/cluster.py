"""Discover complaint themes in ticket text: TicketClusterer, theme trends and charts.

:class:`TicketClusterer` turns raw ticket texts into themes: sublinear TF-IDF over
commlib's tokenizer (Chinese words that keep 吵/臭/漏 and governance terms whole), LSA
(truncated SVD and row normalisation), then k-means. Each theme gets distinctive words
(class-based TF-IDF, as BERTopic computes them), representative tickets, a size and a
short automatic name. :func:`assign_themes` adds the themes to a ticket table so that
``pareto_table(df, by="theme")`` runs on them; :func:`cluster_trends` counts themes by
month and by community together.
"""

from __future__ import annotations

import logging
import sys
import time
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_function, renamed_parameters
from commlib._textinput import as_list, check_mode, is_text_sequence, make_tokenizer
from commlib._util import missing_label
from commlib.errors import require_columns
from commlib.text import count_terms

logger = logging.getLogger(__name__)

#: Inputs with more tickets than this are clustered with MiniBatchKMeans under
#: ``algorithm="auto"``.
MINIBATCH_MIN_SAMPLES = 50_000
#: The LSA projection is learnt on at most this many tickets (then applied to all).
LSA_FIT_SAMPLES = 50_000
#: ``n_clusters="auto"``: k-means for each candidate k is fitted on at most this many
#: tickets, and the silhouette is computed on at most ``AUTO_K_SILHOUETTE_SAMPLES``.
AUTO_K_FIT_SAMPLES = 20_000
AUTO_K_SILHOUETTE_SAMPLES = 5_000


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


class TicketClusterer(ClusterMixin, TransformerMixin, BaseEstimator):
    """Group complaint tickets into themes from their free text.

    The pipeline is the one scikit-learn's text-clustering example recommends, with
    Chinese tokenisation done right and the outputs an analyst needs:

    1. tokens from :class:`commlib.text.Tokenizer` (Chinese words with the bundled
       governance dictionary and stop words; one-character words such as 吵 kept),
       counted as unigrams and bigrams, over all cores for big inputs;
    2. sublinear TF-IDF (``1 + log(tf)``, smoothed idf, L2 rows);
    3. LSA: truncated SVD to ``n_components`` dimensions, rows re-normalised, so that
       k-means on Euclidean distance works like cosine similarity on topics;
    4. k-means (``KMeans`` up to 50,000 tickets, ``MiniBatchKMeans`` above);
    5. clusters renumbered by size (0 = largest), clusters smaller than
       ``min_cluster_size`` folded into the misc bucket -1 ("其他", or "misc" with
       ``lang="en"``);
    6. each theme described by class-based TF-IDF terms (BERTopic's c-TF-IDF: term
       frequency within all the theme's tickets, times ``log(1 + A / f_t)`` with ``A``
       the average number of terms per theme and ``f_t`` the term's total frequency),
       the tickets nearest its centre, and a name from its top terms.

    It also accepts a numeric feature matrix (your own TF-IDF or sentence embeddings)
    instead of texts; then steps 1-2 are skipped and themes have no terms.

    Parameters
    ----------
    n_clusters : int or "auto", default 20
        Number of k-means clusters. ``"auto"`` chooses k in ``k_range`` by the mean
        silhouette (cosine, in the LSA space): for each k, k-means is fitted on a
        sample of at most 20,000 tickets and scored on at most 5,000 of them; the k with
        the highest silhouette wins. The silhouette rewards themes that are tight and
        apart, needs no "elbow" judgement, and is cheap on a sample. The scores are kept
        in ``k_scores_``.
    mode : {"word", "char", "english"}, default "word"
        Tokenizer mode (see :class:`commlib.text.Tokenizer`). ``"english"`` for 311 text.
    user_words, stop_words : list of str or path, optional
        Extra dictionary words and stop words (lists or UTF-8 files, one per line),
        added to the bundled ones. Community or street names that dominate the text are
        good stop words.
    min_df : int or float, default 2
        Ignore terms in fewer tickets than this (a float is a share of tickets).
        2 drops one-off typos and names, the value of scikit-learn's example.
    max_df : float or int, default 0.5
        Ignore terms in more than this share of tickets: boilerplate that every ticket
        repeats carries no theme. 0.5 is scikit-learn's example value.
    ngram_range : (int, int), optional
        Token n-grams. Default ``(1, 2)`` for ``"word"`` and ``"english"`` (bigrams such
        as 快递 丢失 separate "parcel lost" from "parcel station"), ``(1, 3)`` for
        ``"char"``.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)``: a word repeated in one long ticket does not dominate.
    n_components : int or None, default 100
        LSA dimensions; None clusters the sparse TF-IDF directly. 100 is the value of
        scikit-learn's example and of most LSA work on short texts; the evaluation in
        ``benchmarks/eval_cluster.py`` found no gain from 200.
    algorithm : {"auto", "kmeans", "minibatch"}, default "auto"
        ``"auto"``: KMeans (3 initialisations) up to 50,000 tickets, MiniBatchKMeans
        (batches of 4,096, 3 initialisations) above.
    k_range : (int, int), default (5, 40)
        Candidate k (inclusive) for ``n_clusters="auto"``.
    min_cluster_size : int or float, default 0.005
        Clusters with fewer tickets (a float is a share of all tickets) are folded into
        the misc label -1, named "其他" ("misc" with ``lang="en"``). 0 keeps all.
    n_terms : int, default 10
        Distinctive terms kept per theme in ``top_terms_``.
    n_representatives : int, default 3
        Representative tickets kept per theme.
    random_state : int, RandomState or None, default 0
        Seed of the SVD, the k-means and the auto-k samples: with an int, two fits on the
        same texts give identical labels and terms.
    n_jobs : int, optional
        Processes for tokenizing. None: all cores for 50,000 tickets or more.
    progress : bool, optional
        Show a tqdm progress bar over the fit's stages (on stderr). None: only when
        stderr is a terminal. (Renamed from ``verbose``, which still works with a
        FutureWarning.)
    lang : {"zh", "en"}, optional
        Language of the words the clusterer writes: the misc bucket's name ("其他" /
        "misc"), the fallback name of a theme without terms ("主题3" / "theme 3") and
        the separator of ``summary()["top_terms"]``. None: "en" with
        ``mode="english"``, else "zh" (the mode is the caller's explicit choice; the
        texts themselves are never inspected for it).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Theme of each ticket (0 = largest theme), -1 for misc.
    n_clusters_ : int
        Number of k-means clusters fitted (after "auto").
    cluster_centers_ : ndarray of shape (n_clusters_, n_dims)
        Centres in the LSA (or TF-IDF) space, in theme order.
    center_labels_ : ndarray of shape (n_clusters_,)
        Label each centre maps to (its theme id, or -1 if folded).
    sizes_ : pandas.Series
        Tickets per label, largest first, misc last.
    names_ : dict of int to str
        Short name of each label, e.g. ``"快递·丢失·门口"``.
    top_terms_ : dict of int to list of str
        Distinctive terms of each label by c-TF-IDF, best first.
    top_term_scores_ : dict of int to list of float
        Their c-TF-IDF weights.
    representatives_ : pandas.DataFrame
        Columns ``cluster``, ``rank``, ``index`` (position in the fitted input),
        ``text`` and ``similarity`` (cosine to the centre): the tickets nearest each
        centre, identical texts skipped.
    k_scores_ : pandas.DataFrame or None
        With ``n_clusters="auto"``: ``k``, ``silhouette``, ``inertia`` (on the sample)
        and ``chosen``.
    vocabulary_ : dict of str to int
        Term -> column of the TF-IDF matrix (text input only).
    tokenizer_ : commlib.text.Tokenizer
    timings_ : dict of str to float
        Seconds spent in each stage of the last fit.

    Notes
    -----
    Evidence for the defaults, from ``benchmarks/eval_cluster.py`` (19,620 generated and
    cleaned tickets, k = 22 = number of official categories, mean of seeds 0 and 1;
    scores against the official category):

    ===========================================  =====  =====  =====
    pipeline                                      NMI    ARI    V
    ===========================================  =====  =====  =====
    plain ``TfidfVectorizer(jieba.lcut)+KMeans``  0.248  0.075  0.248
    TicketClusterer defaults                      0.545  0.244  0.545
    unigrams only                                 0.570  0.249  0.570
    min_df=1 / min_df=5                           0.577  0.241  0.577
                                                  0.519  0.231  0.519
    max_df=1.0                                    0.545  0.244  0.545
    no LSA                                        0.439  0.071  0.439
    LSA 50 / LSA 200                              0.554  0.281  0.554
                                                  0.554  0.225  0.554
    no sublinear tf                               0.558  0.230  0.558
    char mode (1-3-grams)                         0.550  0.259  0.550
    ===========================================  =====  =====  =====

    The seed-to-seed spread of NMI is about 0.02-0.03, so only two changes are clearly
    outside it: LSA (without it NMI falls to 0.44) and the tokenizer with its stop
    words (the plain pipeline's 0.25). min_df, max_df, n-grams and the LSA width move
    NMI by less than the noise; the defaults therefore stay at the standard values of
    scikit-learn's example (min_df=2, max_df=0.5, 100 LSA dimensions), and bigrams are
    kept because on real text they separate themes that share words (快递 丢失 vs
    快递 驿站) while costing nothing measurable here. Synthetic text is easier than
    real text; these figures show the defaults do no harm, not that they are optimal.
    Examples
    --------
    >>> texts = ["楼上装修噪音很吵", "夜里装修噪音吵得睡不着", "装修电钻噪音太吵",
    ...          "快递丢了没人管", "快递丢了三次", "快递放门口丢了"]
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> labels = tc.fit_predict(texts)
    >>> labels.tolist()
    [0, 0, 0, 1, 1, 1]
    >>> tc.names_[0], tc.names_[1]
    ('装修噪音·吵·吵得', '丢·快递·三次')
    >>> tc.predict(["快递又丢失了"]).tolist()
    [1]
    """

    @renamed_parameters(verbose="progress")
    def __init__(
        self,
        n_clusters=20,
        *,
        mode="word",
        user_words=None,
        stop_words=None,
        min_df=2,
        max_df=0.5,
        ngram_range=None,
        sublinear_tf=True,
        n_components=100,
        algorithm="auto",
        k_range=(5, 40),
        min_cluster_size=0.005,
        n_terms=10,
        n_representatives=3,
        random_state=0,
        n_jobs=None,
        progress=None,
        lang=None,
    ):
        self.n_clusters = n_clusters
        self.mode = mode
        self.user_words = user_words
        self.stop_words = stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf
        self.n_components = n_components
        self.algorithm = algorithm
        self.k_range = k_range
        self.min_cluster_size = min_cluster_size
        self.n_terms = n_terms
        self.n_representatives = n_representatives
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress
        self.lang = lang

    # ------------------------------------------------------------------ helpers
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True
        return tags

    def _lang(self) -> str:
        if self.lang is not None:
            return check_lang(self.lang)
        return "en" if self.mode == "english" else "zh"

    def _ngrams(self) -> tuple[int, int]:
        if self.ngram_range is not None:
            return tuple(self.ngram_range)
        return (1, 3) if self.mode == "char" else (1, 2)

    def _validate_params(self):
        check_mode(self.mode)
        if self.lang is not None:
            check_lang(self.lang)
        if self.algorithm not in ("auto", "kmeans", "minibatch"):
            raise ValueError(
                f"algorithm must be 'auto', 'kmeans' or 'minibatch', got {self.algorithm!r}."
            )
        if not (
            self.n_clusters == "auto"
            or (isinstance(self.n_clusters, Integral) and self.n_clusters >= 1)
        ):
            raise ValueError(
                f"n_clusters must be a positive int or 'auto', got {self.n_clusters!r}."
            )
        if self.n_components is not None and not (
            isinstance(self.n_components, Integral) and self.n_components >= 1
        ):
            raise ValueError(
                f"n_components must be a positive int or None, got {self.n_components!r}."
            )

    def _rng(self):
        from sklearn.utils import check_random_state

        return check_random_state(self.random_state)

    # ------------------------------------------------------------------ features
    def _vectorize_fit(self, texts, prog):
        from sklearn.feature_extraction.text import TfidfTransformer

        t0 = time.perf_counter()
        self.tokenizer_ = make_tokenizer(self.mode, self.user_words, self.stop_words)
        counts, terms = count_terms(
            texts, tokenizer=self.tokenizer_, ngram_range=self._ngrams(), n_jobs=self.n_jobs
        )
        self.timings_["tokenize"] = time.perf_counter() - t0
        prog.step("tokenized")

        t0 = time.perf_counter()
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        lo = _resolve_count(self.min_df, n, "min_df")
        hi = _resolve_count(self.max_df, n, "max_df")
        keep = np.flatnonzero((df >= lo) & (df <= hi))
        if keep.size == 0:
            raise ValueError(
                f"No term is left after min_df={self.min_df!r} and max_df={self.max_df!r} "
                f"on {n} tickets: lower min_df or raise max_df."
            )
        # columns in alphabetical order: the vocabulary does not depend on chunking
        terms_arr = np.asarray(terms, dtype=object)[keep]
        order = np.argsort(terms_arr.astype(str), kind="stable")
        keep, terms_arr = keep[order], terms_arr[order]
        counts = counts[:, keep]
        self.vocabulary_ = {t: j for j, t in enumerate(terms_arr.tolist())}
        self.terms_ = terms_arr
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        X = self.tfidf_.fit_transform(counts.astype(np.float32))
        self.timings_["tfidf"] = time.perf_counter() - t0
        prog.step("tf-idf")
        return counts, X

    def _fit_lsa(self, X, prog):
        t0 = time.perf_counter()
        self.svd_ = None
        n, d = X.shape
        if self.n_components is not None and self.n_components < d and n > 1:
            from sklearn.decomposition import TruncatedSVD

            k = min(self.n_components, n - 1)
            svd = TruncatedSVD(k, random_state=self.random_state)
            if n > LSA_FIT_SAMPLES:
                rows = np.sort(self._rng().choice(n, LSA_FIT_SAMPLES, replace=False))
                svd.fit(X[rows])
            else:
                svd.fit(X)
            self.svd_ = svd
        Z = self._project(X)
        self.timings_["lsa"] = time.perf_counter() - t0
        prog.step("lsa")
        return Z

    def _project(self, X):
        if self.svd_ is None:
            return X
        from sklearn.preprocessing import normalize

        Z = self.svd_.transform(X)
        return normalize(Z.astype(np.float32, copy=False))

    def _embed(self, X):
        """Texts or a feature matrix -> the space the centres live in."""
        check_is_fitted(self, "cluster_centers_")
        if self._text_input_:
            counts, _ = count_terms(
                X,
                tokenizer=self.tokenizer_,
                ngram_range=self._ngrams(),
                vocabulary=self.vocabulary_,
                n_jobs=self.n_jobs,
            )
            return self._project(self.tfidf_.transform(counts.astype(np.float32)))
        X = validate_data(self, X, accept_sparse="csr", reset=False, dtype=[np.float64, np.float32])
        return self._project(X)

    # ------------------------------------------------------------------ k
    def _choose_k(self, Z, prog):
        from sklearn.cluster import KMeans, MiniBatchKMeans
        from sklearn.metrics import silhouette_score

        n = Z.shape[0]
        lo, hi = int(self.k_range[0]), int(self.k_range[1])
        lo, hi = max(2, lo), min(hi, n - 1)
        if lo > hi:
            raise ValueError(
                f"k_range={tuple(self.k_range)} leaves no k to try on {n} tickets "
                f"(k must be between 2 and n - 1)."
            )
        rng = self._rng()
        rows = (
            np.sort(rng.choice(n, AUTO_K_FIT_SAMPLES, replace=False))
            if n > AUTO_K_FIT_SAMPLES
            else np.arange(n)
        )
        S = Z[rows]
        m = S.shape[0]
        sil_rows = (
            np.sort(rng.choice(m, AUTO_K_SILHOUETTE_SAMPLES, replace=False))
            if m > AUTO_K_SILHOUETTE_SAMPLES
            else np.arange(m)
        )
        seed = rng.randint(np.iinfo(np.int32).max)
        records = []
        for k in range(lo, hi + 1):
            if m > 5_000:
                km = MiniBatchKMeans(k, batch_size=2048, n_init=3, random_state=seed)
            else:
                km = KMeans(k, n_init=2, random_state=seed)
            lab = km.fit_predict(S)
            sub = lab[sil_rows]
            if len(np.unique(sub)) < 2:
                sil = np.nan
            else:
                sil = silhouette_score(S[sil_rows], sub, metric="cosine")
            records.append({"k": k, "silhouette": float(sil), "inertia": float(km.inertia_)})
            prog.step(f"k={k}")
        scores = pd.DataFrame(records)
        best = int(scores.loc[scores["silhouette"].fillna(-np.inf).idxmax(), "k"])
        scores["chosen"] = scores["k"] == best
        self.k_scores_ = scores
        return best

    # ------------------------------------------------------------------ fit
    def fit(self, X, y=None):
        """Find themes in ``X``.

        Parameters
        ----------
        X : sequence of str, or array-like / sparse matrix of shape (n_samples, n_features)
            Ticket texts (list, array or pandas Series; missing texts count as empty),
            or a numeric feature matrix used as it is.
        y : None
            Ignored.

        Returns
        -------
        self : TicketClusterer
        """
        from sklearn.cluster import KMeans, MiniBatchKMeans

        self._validate_params()
        self.timings_ = {}
        text = is_text_sequence(X)
        auto = self.n_clusters == "auto"
        if text:
            texts = as_list(X)
            n = len(texts)
            if n == 0:
                raise ValueError("Found 0 tickets: TicketClusterer needs at least 2.")
        else:
            X = validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32])
            n = X.shape[0]
            texts = None
        n_auto = (min(self.k_range[1], n - 1) - max(2, self.k_range[0]) + 1) if auto else 0
        prog = _Progress(_show_progress(self.progress), total=6 + max(n_auto, 0))
        try:
            if text:
                if hasattr(self, "n_features_in_"):
                    del self.n_features_in_
                counts, X = self._vectorize_fit(texts, prog)
            else:
                counts = None
                self.tokenizer_ = None
                self.vocabulary_ = None
                self.terms_ = None
                self.tfidf_ = None
                prog.step("features", 2)
            self._text_input_ = text
            Z = self._fit_lsa(X, prog)

            t0 = time.perf_counter()
            self.k_scores_ = None
            k = self._choose_k(Z, prog) if auto else int(self.n_clusters)
            if n < k:
                raise ValueError(f"n_samples={n} should be >= n_clusters={k}.")
            algo = self.algorithm
            if algo == "auto":
                algo = "minibatch" if n > MINIBATCH_MIN_SAMPLES else "kmeans"
            if algo == "minibatch":
                km = MiniBatchKMeans(k, batch_size=4096, n_init=3, random_state=self.random_state)
            else:
                km = KMeans(k, n_init=3, random_state=self.random_state)
            km.fit(Z)
            raw = km.predict(Z)
            self.timings_["kmeans"] = time.perf_counter() - t0
            prog.step("k-means")

            t0 = time.perf_counter()
            raw_sizes = np.bincount(raw, minlength=k)
            # new id -> old id: largest first, ties by the first ticket of the cluster
            first = np.full(k, n, dtype=np.int64)
            np.minimum.at(first, raw, np.arange(n))
            order = np.lexsort((first, -raw_sizes))
            new_of_old = np.empty(k, dtype=np.intp)
            new_of_old[order] = np.arange(k)
            centers = km.cluster_centers_[order]
            sizes = raw_sizes[order]
            min_size = _resolve_count(self.min_cluster_size, n, "min_cluster_size")
            center_labels = np.where(sizes >= min_size, np.arange(k), -1)
            self.n_clusters_ = k
            self.cluster_centers_ = centers
            self.center_labels_ = center_labels
            self._center_ids_ = new_of_old[raw]
            self.labels_ = center_labels[self._center_ids_]
            self.inertia_ = float(km.inertia_)
            self._describe(texts, counts, Z)
            self.timings_["describe"] = time.perf_counter() - t0
            prog.step("described")
        finally:
            prog.close()
        del self._center_ids_
        return self

    # ------------------------------------------------------------------ description
    def _describe(self, texts, counts, Z):
        lang = self._lang()
        labels = self.labels_
        ids = sorted(set(labels.tolist()), key=lambda c: (c < 0, c))
        sizes = pd.Series(
            np.bincount(labels + 1, minlength=self.n_clusters_ + 1)[[i + 1 for i in ids]],
            index=pd.Index(ids, name="cluster"),
            name="size",
        )
        self.sizes_ = sizes

        self.top_terms_, self.top_term_scores_ = {}, {}
        if counts is not None:
            self._c_tf_idf(counts, labels, ids)
        else:
            self.top_terms_ = {c: [] for c in ids}
            self.top_term_scores_ = {c: [] for c in ids}

        names = {}
        for c in ids:
            if c == -1:
                names[c] = t("cluster.misc", lang)
                continue
            picked, seen = [], set()
            for term in self.top_terms_.get(c, []):
                parts = set(term.split(" "))
                if parts & seen:
                    continue
                picked.append(_display_term(term))
                seen |= parts
                if len(picked) == 3:
                    break
            names[c] = (
                t("cluster.name_sep", lang).join(picked)
                if picked
                else t("cluster.theme_n", lang, id=c)
            )
        self.names_ = names
        self.representatives_ = self._representatives(texts, Z)

    def _c_tf_idf(self, counts, labels, ids):
        """Class-based TF-IDF (BERTopic): tf within each theme x log(1 + A / f_t)."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        cls = pd.Index(ids).get_indexer(labels)
        n = len(labels)
        member = sp.csr_matrix(
            (np.ones(n, dtype=np.float64), (cls, np.arange(n))), shape=(len(ids), n)
        )
        tf = (member @ counts.astype(np.float64)).tocsr()
        f_t = np.asarray(tf.sum(axis=0)).ravel()
        avg = tf.sum() / len(ids)
        idf = np.log1p(avg / np.maximum(f_t, 1))
        w = normalize(tf, norm="l1").multiply(idf).tocsr()
        terms = self.terms_
        for i, c in enumerate(ids):
            row = w.getrow(i)
            if row.nnz == 0:
                self.top_terms_[c], self.top_term_scores_[c] = [], []
                continue
            top = np.lexsort((terms[row.indices].astype(str), -row.data))[: self.n_terms]
            self.top_terms_[c] = [str(terms[row.indices[j]]) for j in top]
            self.top_term_scores_[c] = [float(row.data[j]) for j in top]

    def _representatives(self, texts, Z):
        """Tickets nearest each centre (cosine in the clustering space)."""
        center_ids = self._center_ids_
        centers = self.cluster_centers_
        if hasattr(Z, "multiply"):  # sparse
            sim = np.asarray(Z.multiply(centers[center_ids]).sum(axis=1)).ravel()
        else:
            sim = np.einsum("ij,ij->i", Z, centers[center_ids])
        norms = np.linalg.norm(centers, axis=1)[center_ids]
        row_norm = (
            np.sqrt(np.asarray(Z.multiply(Z).sum(axis=1)).ravel())
            if hasattr(Z, "multiply")
            else np.linalg.norm(Z, axis=1)
        )
        sim = sim / np.maximum(norms * row_norm, 1e-12)
        order = np.lexsort((np.arange(len(sim)), -sim, self.labels_))
        rows = []
        labels_sorted = self.labels_[order]
        starts = np.searchsorted(labels_sorted, self.sizes_.index.to_numpy(), side="left")
        for c, start in zip(self.sizes_.index.tolist(), starts.tolist(), strict=True):
            seen, rank = set(), 0
            for idx in order[start:]:
                if self.labels_[idx] != c or rank >= self.n_representatives:
                    break
                txt = None if texts is None else texts[idx]
                key = txt if txt is not None else idx
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    {
                        "cluster": c,
                        "rank": rank,
                        "index": int(idx),
                        "text": txt,
                        "similarity": float(sim[idx]),
                    }
                )
                rank += 1
        return pd.DataFrame(rows, columns=["cluster", "rank", "index", "text", "similarity"])

    # ------------------------------------------------------------------ use
    def predict(self, X):
        """Give new tickets the theme of their nearest centre (-1 if that theme is misc).

        Parameters
        ----------
        X : sequence of str, or array-like of shape (n_samples, n_features)
            Same kind of input as in :meth:`fit`.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        from sklearn.metrics import pairwise_distances_argmin

        Z = self._embed(X)
        return self.center_labels_[pairwise_distances_argmin(Z, self.cluster_centers_)]

    def transform(self, X):
        """Distances of tickets to each k-means centre (columns in theme order).

        Parameters
        ----------
        X : sequence of str, or array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_clusters_)
        """
        from sklearn.metrics import euclidean_distances

        return euclidean_distances(self._embed(X), self.cluster_centers_)

    def summary(self) -> pd.DataFrame:
        """One row per theme: name, size, share, top terms and representative tickets.

        Returns
        -------
        pandas.DataFrame
            Columns ``cluster``, ``name``, ``size``, ``share``, ``top_terms`` (the
            c-TF-IDF terms joined with "、", ", " with ``lang="en"``), ``examples`` (list of representative
            texts, nearest the centre first). Largest theme first, misc last.

        Examples
        --------
        >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
        >>> _ = tc.fit(["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"])
        >>> tc.summary()[["cluster", "size", "share"]]
           cluster  size  share
        0        0     2    0.5
        1        1     2    0.5
        """
        check_is_fitted(self, "labels_")
        total = len(self.labels_)
        reps = self.representatives_
        rows = []
        sep = t("cluster.terms_sep", self._lang())
        for c, size in self.sizes_.items():
            ex = reps.loc[reps["cluster"] == c, "text"].tolist() if len(reps) else []
            rows.append(
                {
                    "cluster": int(c),
                    "name": self.names_[c],
                    "size": int(size),
                    "share": size / total,
                    "top_terms": sep.join(_display_term(w) for w in self.top_terms_.get(c, [])),
                    "examples": ex,
                }
            )
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------- table helpers
def assign_themes(
    df: pd.DataFrame,
    clusterer: TicketClusterer,
    *,
    text: str = "text",
    theme: str = "theme",
    theme_id: str = "theme_id",
) -> pd.DataFrame:
    """Add each ticket's theme (name and id) to a ticket table, ready for Pareto charts.

    Neither ``df`` nor ``clusterer`` is modified. An unfitted clusterer is cloned and
    the clone fitted on ``df[text]``; a fitted one places the tickets with
    :meth:`TicketClusterer.predict`, which gives the training tickets exactly their
    ``labels_``. To keep the fitted clusterer, fit it first and pass it in.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with a text column.
    clusterer : TicketClusterer
        Fitted or not. If not fitted, a clone of it is fitted here; the object passed
        in stays unfitted.
    text, theme, theme_id : str
        Column names: the text to read, and the two columns to add.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``theme`` (the theme name, "其他" / "misc" for misc) and
        ``theme_id`` (int, -1 for misc). Then ``pareto_table(out, by="theme")``.

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"]})
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> assign_themes(df, tc)["theme_id"].tolist()
    [0, 0, 1, 1]
    >>> hasattr(tc, "labels_")  # the clusterer passed in is left as it was
    False
    """
    from sklearn.base import clone

    require_columns(df, [text], where="assign_themes: the ticket table")
    if hasattr(clusterer, "labels_"):
        ids = clusterer.predict(df[text])
    else:
        clusterer = clone(clusterer).fit(df[text])
        ids = clusterer.labels_
    names = pd.Series(ids, index=df.index).map(clusterer.names_)
    return df.assign(**{theme_id: ids, theme: names.astype("str")})


#: Group label of tickets whose group column (e.g. community) is empty, in Chinese;
#: :func:`cluster_trends` writes ``missing_label(lang)``. Kept for 0.1.0 code.
MISSING_GROUP = missing_label("zh")


def cluster_trends(
    df: pd.DataFrame,
    labels,
    *,
    date: str = "created_at",
    freq: str = "MS",
    group: str | None = None,
    min_count: int = 5,
    names=None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Count themes by period, and by a group such as the community, in one tidy table.

    Every (period, group) cell lists every theme, zeros included, so shares within a
    cell sum to 1 and trend lines drop to zero instead of vanishing. Cells with fewer
    than ``min_count`` tickets get share NaN and ``small_cell`` True instead of a noisy
    100 %.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with a date column (datetimes or strings; unparseable dates are dropped
        and logged).
    labels : array-like, str or TicketClusterer
        Theme of each row of ``df``: an array of the same length, the name of a column
        of ``df``, or a fitted clusterer whose ``labels_`` belong to ``df``'s rows.
    date : str, default "created_at"
        Date column.
    freq : str, default "MS"
        pandas frequency of the periods ("MS" month starts, "W-MON" weeks, "QS" quarters).
    group : str, optional
        A column to split by as well, e.g. ``"community"``. Tickets with no value there
        are counted in a group named "(缺失)" ("(missing)" with ``lang="en"``), not
        dropped.
    min_count : int, default 5
        Cells with fewer tickets than this get share NaN and ``small_cell`` True.
    names : dict, optional
        Label -> theme name. Default: the clusterer's ``names_`` if one is given.
    lang : {"zh", "en"}, default "zh"
        Language of the missing-group label.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, [``group``], ``theme``, ``count``, ``total`` (tickets in the
        cell), ``share`` and ``small_cell``.

    Examples
    --------
    >>> df = pd.DataFrame({"created_at": ["2024-01-05", "2024-01-20", "2024-02-02"],
    ...                    "theme": ["噪音", "快递", "噪音"]})
    >>> cluster_trends(df, "theme", min_count=2)
          period theme  count  total  share  small_cell
    0 2024-01-01    噪音      1      2    0.5       False
    1 2024-01-01    快递      1      2    0.5       False
    2 2024-02-01    噪音      1      1    NaN        True
    3 2024-02-01    快递      0      1    NaN        True
    """
    missing = missing_label(check_lang(lang))
    require_columns(
        df, [date] + ([group] if group else []), where="cluster_trends: the ticket table"
    )
    if isinstance(labels, TicketClusterer):
        check_is_fitted(labels, "labels_")
        names = labels.names_ if names is None else names
        labels = labels.labels_
    if isinstance(labels, str):
        require_columns(df, [labels], where="cluster_trends: the ticket table")
        themes = df[labels].to_numpy(dtype=object)
    else:
        themes = np.asarray(labels, dtype=object)
    if len(themes) != len(df):
        raise ValueError(
            f"labels has {len(themes)} values but the table has {len(df)} rows: pass the "
            f"labels of these very tickets."
        )
    if names is not None:
        themes = pd.Series(themes).map(lambda v: names.get(v, v)).to_numpy(dtype=object)

    when = df[date]
    if not pd.api.types.is_datetime64_any_dtype(when):
        when = pd.to_datetime(when, errors="coerce", format="mixed")
    work = pd.DataFrame({"_date": when.to_numpy(), "theme": themes})
    keys = ["period"]
    if group:
        # tickets without a group value stay in the counts, in a group of their own
        values = df[group].to_numpy(dtype=object)
        work[group] = np.where(pd.isna(values), missing, values)
        keys.append(group)
    bad = work["_date"].isna()
    if bad.any():
        logger.warning(
            "cluster_trends: %d rows without a usable %r date were left out.", int(bad.sum()), date
        )
        work = work.loc[~bad]
    work["theme"] = work["theme"].astype(str)
    grouper = [pd.Grouper(key="_date", freq=freq)] + ([group] if group else [])
    counts = work.groupby([*grouper, "theme"], observed=True).size()
    table = counts.unstack("theme", fill_value=0)
    if group:
        # every (period, group) cell, empty months included
        periods = table.index.get_level_values(0).unique().sort_values()
        full = pd.date_range(periods.min(), periods.max(), freq=freq) if len(periods) else periods
        groups = sorted(work[group].dropna().astype(str).unique())
        table.index = table.index.set_levels(table.index.levels[1].astype(str), level=1)
        table = table.reindex(pd.MultiIndex.from_product([full, groups]), fill_value=0)
    tidy = table.stack().rename("count").reset_index()
    tidy.columns = keys + ["theme", "count"]
    tidy["count"] = tidy["count"].astype("int64")
    tidy["total"] = tidy.groupby(keys)["count"].transform("sum").astype("int64")
    tidy["small_cell"] = tidy["total"] < min_count
    tidy["share"] = (tidy["count"] / tidy["total"]).where(~tidy["small_cell"])
    return tidy[[*keys, "theme", "count", "total", "share", "small_cell"]]


# ---------------------------------------------------------------------- charts
def top_terms_chart(
    clusterer: TicketClusterer,
    n_terms: int = 8,
    clusters=None,
    *,
    ncols: int = 4,
    fig=None,
    lang: str | None = None,
):
    """Draw a grid of bar charts: the distinctive terms of each theme.

    (Called ``plot_top_terms`` before 0.2; that name still works with a warning.)

    Parameters
    ----------
    clusterer : TicketClusterer
        A fitted clusterer (text input).
    n_terms : int, default 8
        Terms per theme.
    clusters : list of int, optional
        Themes to draw. Default: all but misc, largest first, at most 12.
    ncols : int, default 4
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw on; a new one by default.
    lang : {"zh", "en"}, optional
        Language of the misc bucket's name in the panel titles. None: the
        clusterer's language (see :class:`TicketClusterer`). The other theme names are
        the themes' own words.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> fig = top_terms_chart(tc.fit(["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"]))
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_is_fitted(clusterer, "labels_")
    lang = clusterer._lang() if lang is None else check_lang(lang)
    use_chinese_font()
    if clusters is None:
        clusters = [c for c in clusterer.sizes_.index if c != -1][:12]
    clusters = list(clusters)
    ncols = max(1, min(ncols, len(clusters)))
    nrows = max(1, -(-len(clusters) // ncols))
    if fig is None:
        fig = plt.figure(figsize=(3.2 * ncols, 2.6 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    total = len(clusterer.labels_)
    for ax, c in zip(axes, clusters, strict=False):
        terms = [_display_term(w) for w in clusterer.top_terms_.get(c, [])[:n_terms]]
        scores = clusterer.top_term_scores_.get(c, [])[:n_terms]
        ax.barh(range(len(terms))[::-1], scores, color="#4C72B0")
        ax.set_yticks(range(len(terms))[::-1], terms)
        share = clusterer.sizes_.get(c, 0) / total
        name = t("cluster.misc", lang) if c == -1 else clusterer.names_[c]
        ax.set_title(
            t("cluster.panel_title", lang, id=c, name=name, share=f"{share:.0%}"), fontsize=9
        )
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes[len(clusters) :]:
        fig.delaxes(ax)
    return fig


def cluster_trends_chart(
    trends: pd.DataFrame,
    *,
    value: str = "share",
    themes=None,
    group_value=None,
    top: int = 6,
    ax=None,
    lang: str = "zh",
):
    """Draw theme trend lines from a :func:`cluster_trends` table.

    (Called ``plot_cluster_trends`` before 0.2; that name still works with a warning.)

    Parameters
    ----------
    trends : pandas.DataFrame
        Output of :func:`cluster_trends`.
    value : {"share", "count"}, default "share"
        What the y axis shows. Shares of small cells are NaN, so their points are gaps.
    themes : list, optional
        Themes to draw. Default: the ``top`` themes by total count.
    group_value : optional
        With a by-group table, the group to draw (e.g. one community). Default: all
        groups added together (shares recomputed).
    top : int, default 6
        Number of themes drawn when ``themes`` is not given.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones by default.
    lang : {"zh", "en"}, default "zh"
        Language of the axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> df = pd.DataFrame({"created_at": ["2024-01-05", "2024-02-20", "2024-02-21"],
    ...                    "theme": ["噪音", "快递", "噪音"]})
    >>> ax = cluster_trends_chart(cluster_trends(df, "theme", min_count=1))
    >>> len(ax.lines), ax.get_ylabel()
    (2, '占比')
    >>> cluster_trends_chart(cluster_trends(df, "theme", min_count=1), lang="en").get_ylabel()
    'share'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    if value not in ("share", "count"):
        raise ValueError(f"value must be 'share' or 'count', got {value!r}.")
    extra = [
        c
        for c in trends.columns
        if c not in ("period", "theme", "count", "total", "share", "small_cell")
    ]
    data = trends
    title = None
    if extra:
        gcol = extra[0]
        if group_value is not None:
            data = data[data[gcol] == group_value]
            title = str(group_value)
        else:
            data = data.groupby(["period", "theme"], as_index=False)["count"].sum()
            data["total"] = data.groupby("period")["count"].transform("sum")
            data["share"] = (data["count"] / data["total"]).where(data["total"] > 0)
    if themes is None:
        themes = (
            data.groupby("theme")["count"].sum().sort_values(ascending=False).index[:top].tolist()
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    for theme in themes:
        part = data[data["theme"] == theme].sort_values("period")
        ax.plot(part["period"], part[value], marker="o", markersize=3, label=str(theme))
    ax.set_xlabel(t("cluster.axis.period", lang))
    ax.set_ylabel(t(f"cluster.axis.{value}", lang))
    if value == "share":
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best")
    return ax


plot_top_terms = renamed_function(top_terms_chart, "plot_top_terms")
plot_cluster_trends = renamed_function(cluster_trends_chart, "plot_cluster_trends")
