"""TicketClusterer: the estimator (features, LSA, k-means, description)."""

from __future__ import annotations

import logging
import time
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib._textinput import PlacesCut, as_list, check_mode, is_text_sequence, make_tokenizer
from commlib._util import small_pages
from commlib.cluster import _helpers
from commlib.cluster._autok import AUTO_K_SAMPLE, candidate_ks, pick_k, stability_scores
from commlib.cluster._helpers import (
    _cosine_assign,
    _display_term,
    _inertia,
    _Progress,
    _resolve_count,
    _row_dots_and_sq_norms,
    _show_progress,
    _spherical_refine,
)
from commlib.cluster._terms import (
    catch_all,
    common_places,
    even_terms,
    junk_terms,
    person_names,
)
from commlib.text import count_terms

logger = logging.getLogger(__name__)

#: Inputs with more tickets than this are clustered with MiniBatchKMeans under
#: ``algorithm="auto"``.
MINIBATCH_MIN_SAMPLES = 50_000
#: The LSA projection is learnt on at most this many tickets (then applied to all).
LSA_FIT_SAMPLES = 50_000
#: ``n_clusters="auto"``: the stability runs look at most this many tickets.
AUTO_K_FIT_SAMPLES = AUTO_K_SAMPLE


class TicketClusterer(ClusterMixin, TransformerMixin, BaseEstimator):
    """Group complaint tickets into themes from their free text.

    The pipeline is the one scikit-learn's text-clustering example recommends, with
    Chinese tokenisation done right and the outputs an analyst needs:

    1. tokens from :class:`commlib.text.Tokenizer` (Chinese words with the bundled
       governance dictionary and stop words; one-character words such as 吵 kept),
       counted as unigrams and bigrams, over all cores for big inputs; letter-coded
       places (A市, A3区), letter codes (a3, g2) and greetings (您好, 尊敬的领导) are
       never features;
    2. sublinear TF-IDF (``1 + log(tf)``, smoothed idf, L2 rows);
    3. LSA: truncated SVD to ``n_components`` dimensions, rows re-normalised, so that
       k-means on Euclidean distance works like cosine similarity on topics;
    4. k-means (``KMeans`` up to 50,000 tickets, ``MiniBatchKMeans`` above), then
       refined by cosine (spherical k-means: tickets go to the centre they point at
       most, whatever its length). Euclidean k-means on unit rows grows a centre near
       the origin that collects every loosely related ticket (55 % of the sample at
       k = 22); the refinement raises the sample's NMI at k = 20/22/25/30 from
       0.507/0.445/0.506/0.495 to 0.519/0.557/0.526/0.581 and shrinks that cluster to
       13/30/13/18 %. Above 100,000 tickets the refinement's rounds run on a seeded
       sample of 100,000 and every ticket is then assigned once. ``predict`` assigns
       by the same cosine rule. This stage runs on one BLAS/OpenMP thread (results do
       not depend on the thread count; a second thread only made it slower);
    5. clusters renumbered by size (0 = largest), clusters smaller than
       ``min_cluster_size`` folded into the misc bucket -1 ("其他/未归类", or
       "Other / unassigned" with ``lang="en"``), and so is the catch-all: the least
       cohesive cluster, when it holds at least an average share of the tickets and
       its cohesion (length of its centre) is under 0.7 times the median;
    6. each theme described by class-based TF-IDF terms (BERTopic's c-TF-IDF: term
       frequency within all the theme's tickets, times ``log(1 + A / f_t)`` with ``A``
       the average number of terms per theme and ``f_t`` the term's total frequency),
       the tickets nearest its centre, and a name from its top terms. Terms spread
       evenly over the themes (normalised entropy of their per-theme rate >= 0.9, in
       at least 1 % of tickets: this corpus's own stop words, such as the province
       every message names) and personal names never name a theme.

    It also accepts a numeric feature matrix (your own TF-IDF or sentence embeddings)
    instead of texts; then steps 1-2 are skipped and themes have no terms.

    Parameters
    ----------
    n_clusters : int or "auto", default 20
        Number of k-means clusters. ``"auto"`` chooses k in ``k_range`` by stability:
        for each candidate k (every k, or 16 spread on a log scale over a wide range),
        k-means is fitted on 5 subsamples of 80 % of a sample of at most 3,000 tickets
        and the runs' labelings are compared pairwise by adjusted Rand index; the
        fewest themes whose mean agreement is within one standard error of the best
        win. (The silhouette, used before 0.2, rises with k on sparse text and picked
        the top of every range on real messages.) The evidence is kept in
        ``k_scores_`` and drawn by :func:`k_scores_chart`. See Notes for figures.
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
        the misc label -1, named "其他/未归类" ("Other / unassigned" with
        ``lang="en"``). 0 keeps all (the catch-all cluster is still folded).
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
        Language of the words the clusterer writes: the misc bucket's name
        ("其他/未归类" / "Other / unassigned"), the fallback name of a theme without terms ("主题3" / "theme 3") and
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
        With ``n_clusters="auto"``, one row per candidate k: ``k``, ``stability`` (mean
        pairwise ARI of the subsample runs), ``stability_se``, ``stability_min``,
        ``inertia`` (mean squared distance to the nearest centre), ``smallest_share``
        and ``chosen``.
    catch_all_ : ndarray of bool, shape (n_clusters_,)
        Which k-means cluster (in centre order) was folded into misc as the catch-all.
    corpus_stop_words_ : list of str
        Terms spread evenly over the themes of this corpus, kept out of the names.
    vocabulary_ : dict of str to int
        Term -> column of the TF-IDF matrix (text input only).
    tokenizer_ : commlib.text.Tokenizer
    timings_ : dict of str to float
        Seconds spent in each stage of the last fit.

    Notes
    -----
    Automatic k, measured with ``benchmarks/eval_cluster.py --auto --real`` (title +
    text of the TipDM 2020 问政 messages, no topic labels; random_state 0):

    ===========================  =====  ==========  ========================================
    corpus                        n      chosen k    theme sizes
    ===========================  =====  ==========  ========================================
    messages_hot_issues.xlsx      4326   8           693 635 455 388 365 364 297, catch-all
                                                     1129 (26 %) named 其他/未归类
    messages_with_replies.xlsx    2816   5           807 780 604 329 296
    7 synthetic overlapping       380    5-7         (tests: 5 <= k <= 14 on 3 seeds)
    topics, uneven sizes
    generated sample, 22          19622  40          stability rises up to k = 100: the
    categories / 83 subcategories                    generator writes each subcategory
                                                     from its own templates
    ===========================  =====  ==========  ========================================

    The silhouette chose 40 (the top of the range) on both real files. On real text
    the stability curve is highest at a few themes and then flat (0.45-0.55 from k = 9
    to 40): the data cannot tell those k apart, so the fewest win. On the generated
    sample near-duplicate templates make fine partitions stable; pass an int there.
    The runs cost a fixed ~16 k x 5 small k-means on 3,000 tickets whatever n: on
    19,622 tickets the fit took 83 s with ``"auto"`` against 49 s at k = 22 (1.7x), and
    less relative to the fit as n grows.

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

    def _feature_tokenizer(self):
        """Chinese texts lose their letter-coded places (A市, A3区) before tokenizing
        (in the tokenizing workers)."""
        return self.tokenizer_ if self.mode == "english" else PlacesCut(self.tokenizer_)

    def _rng(self):
        from sklearn.utils import check_random_state

        return check_random_state(self.random_state)

    # ------------------------------------------------------------------ features
    def _vectorize_fit(self, texts, prog):
        from sklearn.feature_extraction.text import TfidfTransformer

        t0 = time.perf_counter()
        self.tokenizer_ = make_tokenizer(self.mode, self.user_words, self.stop_words)
        counts, terms = count_terms(
            texts,
            tokenizer=self._feature_tokenizer(),
            ngram_range=self._ngrams(),
            n_jobs=self.n_jobs,
        )
        self.timings_["tokenize"] = time.perf_counter() - t0
        prog.step("tokenized")

        t0 = time.perf_counter()
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        lo = _resolve_count(self.min_df, n, "min_df")
        hi = _resolve_count(self.max_df, n, "max_df")
        # letter codes (a3) and greetings (您好) are never features
        keep = np.flatnonzero((df >= lo) & (df <= hi) & ~junk_terms(terms, self.mode))
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
            from threadpoolctl import threadpool_limits

            k = min(self.n_components, n - 1)
            svd = TruncatedSVD(k, random_state=self.random_state)
            fit_rows = X
            if n > LSA_FIT_SAMPLES:
                rows = np.sort(self._rng().choice(n, LSA_FIT_SAMPLES, replace=False))
                fit_rows = X[rows]
            # One BLAS thread: the randomized SVD's QR steps round differently with
            # another thread count, and k-means then draws other themes (16% of labels
            # agreed between 1 and 2 threads on 10,000 generated tickets). Same data
            # and random_state give the same themes on any machine's core count.
            with threadpool_limits(1, user_api="blas"):
                svd.fit(fit_rows)
            self.svd_ = svd
        Z = self._project(X)
        self.timings_["lsa"] = time.perf_counter() - t0
        prog.step("lsa")
        return Z

    def _project(self, X):
        if self.svd_ is None:
            return X
        Z = self.svd_.transform(X).astype(np.float32, copy=False)
        # unit rows, in place: sklearn's normalize copies the matrix first (1.6 of the
        # 3.6 s of the LSA stage at 1,000,000 tickets); same arithmetic as its l2 norm
        norms = np.sqrt(np.einsum("ij,ij->i", Z, Z))
        norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
        Z /= norms[:, None]
        return Z

    def _embed(self, X):
        """Texts or a feature matrix -> the space the centres live in."""
        check_is_fitted(self, "cluster_centers_")
        with small_pages():
            return self._embed_fitted(X)

    def _embed_fitted(self, X):
        if self._text_input_:
            counts, _ = count_terms(
                as_list(X),
                tokenizer=self._feature_tokenizer(),
                ngram_range=self._ngrams(),
                vocabulary=self.vocabulary_,
                n_jobs=self.n_jobs,
            )
            return self._project(self.tfidf_.transform(counts.astype(np.float32)))
        X = validate_data(self, X, accept_sparse="csr", reset=False, dtype=[np.float64, np.float32])
        return self._project(X)

    # ------------------------------------------------------------------ k
    def _choose_k(self, Z, prog):
        n = Z.shape[0]
        lo, hi = int(self.k_range[0]), int(self.k_range[1])
        lo, hi = max(2, lo), min(hi, n - 1)
        if lo > hi:
            raise ValueError(
                f"k_range={tuple(self.k_range)} leaves no k to try on {n} tickets "
                f"(k must be between 2 and n - 1)."
            )
        ks = candidate_ks(lo, hi)
        scores = stability_scores(Z, ks, random_state=self._rng())
        best = pick_k(scores)
        scores["chosen"] = scores["k"] == best
        self.k_scores_ = scores
        prog.step("k", len(ks))
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
        with small_pages():  # a few GB of short-lived arrays at a million tickets
            return self._fit(X)

    def _fit(self, X):
        from sklearn.cluster import KMeans, MiniBatchKMeans
        from threadpoolctl import threadpool_limits

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
        n_auto = (
            len(candidate_ks(max(2, self.k_range[0]), min(self.k_range[1], n - 1))) if auto else 0
        )
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
            # One BLAS and one OpenMP thread: k-means++ and the refinement multiply
            # small matrices many times, and a second thread only waits for the first
            # (MiniBatchKMeans on 200,000 tickets: 0.4 CPU-s against 3.3-8.5 with two
            # threads on the busy 2-core machine; the same centres either way).
            with threadpool_limits(1):
                cap = _helpers.SPHERICAL_FIT_SAMPLES
                if text and n > cap:
                    # k-means learns on the rows the refinement below learns on (the
                    # same draw); MiniBatchKMeans draws each batch of 4,096 with an O(n)
                    # weighted choice, so fitting on all of 1,000,000 rows cost 25 s
                    rows = np.sort(self._rng().choice(n, cap, replace=False))
                    km.fit(Z[rows])
                    del rows
                else:
                    km.fit(Z)
                if text:
                    # unit-length rows: refine by cosine, or a centre near the origin
                    # collects every loosely related ticket (see _spherical_refine)
                    raw, km_centers = _spherical_refine(
                        Z, km.cluster_centers_, random_state=self._rng(), max_samples=cap
                    )
                else:
                    raw, km_centers = km.predict(Z), km.cluster_centers_
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
            centers = np.asarray(km_centers)[order]
            sizes = raw_sizes[order]
            min_size = _resolve_count(self.min_cluster_size, n, "min_cluster_size")
            kept = sizes >= min_size
            # the catch-all (many tickets with little in common) is named honestly
            self.catch_all_ = np.zeros(k, dtype=bool)
            if text:
                self.catch_all_ = catch_all(centers, sizes)
                kept &= ~self.catch_all_
            center_labels = np.full(k, -1, dtype=np.intp)
            center_labels[kept] = np.arange(int(kept.sum()))
            self.n_clusters_ = k
            self.cluster_centers_ = centers
            self.center_labels_ = center_labels
            self._center_ids_ = new_of_old[raw]
            self.labels_ = center_labels[self._center_ids_]
            # each ticket's dot product with its own centre and squared length, computed
            # once for the inertia and the representatives (0.5 CPU-s per 200,000)
            self._own_dots_, self._sq_norms_ = _row_dots_and_sq_norms(Z, centers, self._center_ids_)
            self.inertia_ = (
                float(km.inertia_)
                if not text
                else _inertia(self._sq_norms_, self._own_dots_, centers, self._center_ids_)
            )
            self._describe(texts, counts, Z)
            self.timings_["describe"] = time.perf_counter() - t0
            prog.step("described")
        finally:
            prog.close()
        del self._center_ids_, self._own_dots_, self._sq_norms_
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
            self.corpus_stop_words_ = []

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
        # corpus stop words: spread evenly over the themes (named ones only: misc mixes)
        named = [i for i, c in enumerate(ids) if c != -1]
        df_share = np.bincount(counts.indices, minlength=counts.shape[1]) / max(n, 1)
        sizes = np.bincount(cls, minlength=len(ids))[named]
        even = even_terms(tf[named], sizes, df_share)
        self.corpus_stop_words_ = sorted(str(x) for x in terms[even])
        banned = even.copy()
        if self.mode != "english":
            # the tagger is slow on a whole vocabulary: check only the terms that
            # could reach a theme's top terms
            cand = set()
            for i in range(len(ids)):
                row = w.getrow(i)
                ok = ~banned[row.indices]
                idx, val = row.indices[ok], row.data[ok]
                cand.update(idx[np.argsort(-val, kind="stable")[: 3 * self.n_terms]].tolist())
            cand = sorted(cand)
            names = person_names(terms[cand].tolist())
            places = common_places(terms, df_share)
            banned[
                [
                    j
                    for j in cand
                    if terms[j] in names or any(p in places for p in str(terms[j]).split(" "))
                ]
            ] = True
        w = w.multiply((~banned).astype(np.float64)[None, :]).tocsr()
        w.eliminate_zeros()
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
        sim = self._own_dots_
        norms = np.linalg.norm(centers, axis=1)[center_ids]
        row_norm = np.sqrt(self._sq_norms_)
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
        if self._text_input_:
            return self.center_labels_[_cosine_assign(Z, self.cluster_centers_)]
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
