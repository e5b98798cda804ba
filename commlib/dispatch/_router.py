"""TicketRouter: suggest the department for a ticket, with calibrated probabilities."""

from __future__ import annotations

import logging
import re
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from commlib._textinput import as_strings, check_mode, is_text_sequence, make_tokenizer
from commlib.errors import MissingColumnsError, require_columns

logger = logging.getLogger(__name__)

#: Least total weight of the duty clauses of a department with no past tickets, as a
#: share of one department's tickets under balanced weights. Below about 0.5 such a
#: department is learnt too weakly to be suggested even for tickets that use the words
#: of its duties (checked on the bundled sample with 街道社区服务办).
DUTY_ONLY_WEIGHT = 0.5

#: Values of ``C`` that ``C="auto"`` tries, each scored by the macro-F1 of the
#: out-of-fold first choices of the training tickets (the folds the temperature is
#: fitted on, so no extra split); the SVM's usual range, a factor 2 apart.
C_GRID = (0.25, 0.5, 1.0, 2.0)

# clauses of a duty text: one pseudo-document each
_CLAUSE = re.compile(r"[；;。\n]+")


def _duty_table(duties) -> pd.DataFrame:
    """``duties`` (DataFrame or dict) -> DataFrame with ``department`` and ``duties``."""
    if isinstance(duties, dict):
        return pd.DataFrame({"department": list(duties), "duties": list(duties.values())})
    if isinstance(duties, pd.DataFrame):
        require_columns(
            duties,
            ["department", "duties"],
            where="the duty list (权责清单)",
            hint="Pass load_sample('departments') or read_ledger(path, kind='departments').",
        )
        return duties[["department", "duties"]]
    raise TypeError(
        f"duties must be a DataFrame with 'department' and 'duties' or a dict, "
        f"not {type(duties).__name__}."
    )


# a text that only says "no text" (N/A, none, null, -, 无): no words, so the ticket is
# routed by its category or the prior, not by the letters "n" and "a"
_PLACEHOLDER = re.compile(r"^\s*(?:n/?a|none|null|nan|nil|-+|\.+|/|无|暂无|空)?\s*$", re.IGNORECASE)


class _KeepTextTokenizer:
    """A tokenizer that never empties a ticket: stop-word-only texts keep all their words.

    ``APARTMENT ONLY`` or ``FLOOR`` are made only of English stop words; filtered, they
    become empty and every such ticket looks the same to the SVM. When the filtered
    tokens are empty, the tokens of the same tokenizer without stop words are used.
    Picklable (both tokenizers are).
    """

    def __init__(self, filtered, unfiltered):
        self.filtered = filtered
        self.unfiltered = unfiltered

    def __call__(self, text):
        if _PLACEHOLDER.match(text):
            return []
        tokens = self.filtered(text)
        return tokens if tokens else self.unfiltered(text)


def _keep_text_tokenizer(mode, user_words, stop_words):
    from commlib.text import Tokenizer

    filtered = make_tokenizer(mode, user_words, stop_words)
    unfiltered = Tokenizer(mode, user_words=user_words, bundled=False, keep_single=True)
    return _KeepTextTokenizer(filtered, unfiltered)


def _fit_words_keeping_tickets(vectorizer, texts, min_df):
    """Fit ``vectorizer`` (built with ``min_df=1``) and prune rare n-grams, but never all
    of a ticket's: returns the fitted vectorizer and the training block.

    ``min_df`` drops n-grams seen in fewer than ``min_df`` training tickets. On short
    texts that empties whole tickets (a 311 descriptor such as ``Laundromat`` or
    ``Home Improvement Contractor`` seen once): such a ticket teaches the SVM nothing,
    and the same text at prediction time has no known word. Here the n-grams of a
    ticket that would lose all of them are kept; every other rare n-gram is dropped as
    before. Tickets of long texts almost always keep some n-gram, so for them this is
    plain ``min_df``.
    """
    from sklearn.base import clone
    from sklearn.preprocessing import normalize

    block = vectorizer.fit_transform(texts).tocsr()
    n_docs, n_terms = block.shape
    df = np.bincount(block.indices, minlength=n_terms)
    least = min_df if isinstance(min_df, int | np.integer) else min_df * n_docs
    keep = df >= least
    if keep.all():
        return vectorizer, block
    kept_per_row = np.add.reduceat(
        np.append(keep[block.indices], False).astype(np.int64), block.indptr[:-1]
    )
    has_words = np.diff(block.indptr) > 0
    kept_per_row[~has_words] = 0
    emptied = np.flatnonzero(has_words & (kept_per_row == 0))
    if len(emptied):
        keep[block[emptied].indices] = True
    cols = np.flatnonzero(keep)
    # the fitted idf moved to a vectorizer of the kept vocabulary (scikit-learn's way of
    # transferring ``idf_``); idf depends only on each term's own document frequency
    pruned = clone(vectorizer).set_params(
        vocabulary=vectorizer.get_feature_names_out()[cols].tolist()
    )
    pruned.idf_ = vectorizer.idf_[cols]
    # rows were L2-normalised over all columns; re-normalising the kept columns gives
    # what ``transform`` with the pruned vocabulary gives
    return pruned, normalize(block[:, cols])


def _as_2d_scores(scores):
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:  # two classes: one signed score
        return np.column_stack([-scores / 2, scores / 2])
    return scores


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(scores, target) -> float:
    """The temperature T minimising the log loss of softmax(scores / T)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(target))

    def loss(log_t):
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[rows, target]))

    res = minimize_scalar(loss, bounds=(np.log(1e-3), np.log(1e3)), method="bounded")
    return float(np.exp(res.x))


class TicketRouter(ClassifierMixin, BaseEstimator):
    """Suggest the department that should handle a ticket, from its text and category.

    A linear text classifier built for short Chinese complaints:

    1. features: sublinear TF-IDF of words from :class:`commlib.text.Tokenizer`
       (governance terms such as 飞线充电 kept whole, one-character words such as 漏
       and 吵 kept), unigrams and bigrams; joined with sublinear TF-IDF of character
       1-3-grams (which survive typos and segmentation errors); joined with a one-hot
       code of the ticket's category when the input has a ``category`` column;
    2. a linear SVM (``LinearSVC``) with balanced class weights, so that departments
       with few tickets count as much in training as the big ones (this is what
       macro-F1 rewards);
    3. probabilities by temperature scaling (Guo et al., 2017): ``softmax(scores / T)``
       with the one temperature ``T`` that minimises the log loss of out-of-fold SVM
       scores (``cv`` folds). One parameter for all departments keeps the SVM's
       ranking (``predict`` is the SVM's choice) and stays stable for departments with
       a handful of tickets, where a per-class sigmoid (``CalibratedClassifierCV``)
       squashes them to near zero.
       The temperature is fitted on the out-of-fold scores of the real tickets only,
       unweighted, so the probabilities are calibrated for the tickets the router will
       see. scikit-learn 1.8's ``CalibratedClassifierCV(method="temperature")`` fits
       the same one-parameter model, but on every calibration row with the training
       weights, i.e. on the duty-list pseudo-tickets and the rows repeated for small
       departments too, under balanced class weights; on 8,000 sample tickets (70/30
       split) it calibrated no better (log-loss 1.0149 vs 1.0155, ECE 0.077 vs
       0.081, within noise), it would change every probability the notebooks show,
       and it needs scikit-learn >= 1.8. The router keeps its own ten lines, tested
       against scikit-learn's temperature on unweighted scores.

    **Duty-list prior.** With ``duties`` (the 权责清单), each clause of each
    department's duty text becomes a pseudo-ticket for that department, weighted by
    ``duty_weight``. A department with no past tickets at all becomes a class of its
    own and is suggested for tickets that use the words of its duties; departments
    with few tickets gain the duty words as evidence. Departments only known from the
    duty list are in ``duty_only_``.

    **Short and empty texts.** Stop words never empty a ticket: a text made only of stop
    words (311 descriptors such as ``APARTMENT ONLY``, ``FLOOR``) keeps all its words.
    A text with no word the router knows (empty, or a placeholder such as ``N/A``,
    ``none``, ``-``, ``无``) is not left to the SVM's intercepts, which under balanced
    class weights favour a small department: it goes by the departments that handled
    its category in training (``category_prior_``), or else by the share of each
    department among the training tickets (``prior_``).

    It also accepts a numeric feature matrix (your own embeddings) instead of texts;
    then step 1 is skipped.

    Parameters
    ----------
    duties : DataFrame or dict, optional
        The duty list: a frame with ``department`` and ``duties`` columns
        (``load_sample("departments")``, ``read_ledger(path, kind="departments")``) or a
        dict ``{department: duty text}``.
    duty_weight : float, default 0.2
        Weight of all of one department's duty clauses together, as a share of the
        weight of one department's tickets under balanced weights (a department's
        tickets together weigh n_tickets / n_departments). 0 ignores the duty texts
        in fitting but keeps duty-only departments out.
    use_category : bool, default True
        Use the ``category`` column when the input is a DataFrame that has it.
    category_weight : float, default 1.0
        Scale of the category one-hot block against the L2-normalised text blocks.
    word_ngram_range : (int, int), default (1, 2)
        Word n-grams.
    char_ngram_range : (int, int) or None, default (1, 3)
        Character n-grams; None leaves the character view out (always left out in
        ``"english"`` mode).
    min_df : int or float, default 2
        Ignore word n-grams in fewer tickets (a float is a share), except that a
        training ticket never loses all its words to it: the n-grams of a ticket that
        would be left with none are kept (short 311 descriptors seen once, such as
        ``Laundromat``). Applied as is to the character n-grams.
    max_df : float or int, default 0.9
        Ignore n-grams in more than this share of tickets.
    C : float or "auto", default 0.5
        Inverse regularisation strength of the linear SVM. ``"auto"`` tries each of
        ``C_GRID`` (0.25, 0.5, 1, 2) on the ``cv`` calibration folds of the training
        tickets and keeps the one with the best out-of-fold macro-F1 (ties to the
        smaller C); fitting takes about four times as long.
    class_weight : "balanced", dict or None, default "balanced"
        ``"balanced"``: each department's tickets together weigh the same; a dict
        gives a weight per department; None weighs every ticket 1.
    cv : int, default 3
        Folds of the out-of-fold scores the temperature is fitted on. Departments with fewer tickets than ``cv`` have
        their tickets repeated up to ``cv`` for the calibration folds.
    mode : {"word", "english"}, default "word"
        Tokenizer mode; ``"english"`` for 311-style text.
    user_words, stop_words : list of str or path, optional
        Extra dictionary words and stop words for the tokenizer.
    text, category : str, default "text", "category"
        Column names when ``X`` is a DataFrame.
    random_state : int or None, default 0
        Seed of the SVM's coordinate descent and of the calibration folds.

    Attributes
    ----------
    classes_ : ndarray of str
        Departments the router can suggest (sorted).
    class_counts_ : pandas.Series
        Past tickets per department in the training data (0 for duty-only ones).
    duty_only_ : list of str
        Departments with no training ticket, known only from the duty list.
    word_vectorizer_, char_vectorizer_ : TfidfVectorizer or None
    category_encoder_ : OneHotEncoder or None
        None when the training input had no category.
    svm_ : LinearSVC
        The linear SVM fitted on all tickets (and duty clauses).
    C_ : float
        The C the SVM was fitted with (``C`` itself unless ``C="auto"``).
    C_scores_ : pandas.Series or None
        With ``C="auto"``: out-of-fold macro-F1 of each C tried, indexed by C.
    temperature_ : float
        The calibration temperature (scores are divided by it before the softmax).
    prior_ : ndarray
        Share of training tickets per department (``classes_`` order): the answer for
        a ticket whose text has no known word and whose category is unknown.
    category_prior_ : pandas.DataFrame or None
        Share of each category's training tickets per department: the answer for a
        ticket whose text has no known word but whose category was seen in training.
    n_features_in_ : int
        Only for numeric input.

    Notes
    -----
    ``benchmarks/eval_router.py`` compares the router with a plain
    ``TfidfVectorizer() + LinearSVC()`` (whose default ``token_pattern`` drops
    one-character Chinese words) and with the same using ``jieba.lcut``, under one
    stratified 5-fold cross-validation of the 19,622 cleaned sample tickets
    (18 departments; mean over folds, fold-to-fold sd of macro-F1 about 0.01):

    ==================================  ========  =====  =====
    pipeline                            macro-F1  top-1  top-3
    ==================================  ========  =====  =====
    plain TfidfVectorizer + LinearSVC   0.506     0.667  0.898
    jieba TfidfVectorizer + LinearSVC   0.564     0.768  0.993
    TicketRouter, text only             0.588     0.706  0.982
    TicketRouter, text + category       0.590     0.708  0.987
    TicketRouter, + duty list           0.591     0.708  0.986
    ==================================  ========  =====  =====

    In the sample the department is drawn at random among the departments of the
    ticket's category (70/20/10), so always naming the commonest department of the
    category gives the best possible top-1 accuracy, about 0.76; the unweighted jieba
    pipeline does just that. The router's balanced class weights give up some top-1
    accuracy to serve the small departments, which is what macro-F1 measures. A fit
    on 16,000 tickets takes about 20 s on one busy core (two vectorizers and four
    SVMs), against about 4 s for the jieba pipeline.

    On real English 311 text (NYC 311, 9,997 requests, ``descriptor`` -> ``agency``,
    12 agencies, same 5-fold split; ``python benchmarks/eval_router.py --data nyc``):

    ==========================================  ==============  ======  ======
    pipeline                                    macro-F1 (sd)   top-1   top-3
    ==========================================  ==============  ======  ======
    plain TfidfVectorizer + LinearSVC           0.9452 (0.013)  0.9869  0.9939
    TicketRouter(mode="english"), text only     0.9450 (0.010)  0.9881  0.9911
    the same with ``min_df=1``                  0.9425 (0.008)  0.9884  0.9912
    the same with ``C="auto"``                  0.9458 (0.011)  0.9881  0.9911
    TicketRouter(mode="english"), + category    0.9885 (0.003)  0.9962  0.9990
    ==========================================  ==============  ======  ======

    Before short texts were kept and empty ones routed by the prior, the text-only
    router scored 0.865: 51 of 108 errors in one split were ``N/A`` descriptors sent
    to the smallest agency and 21 were ``APARTMENT ONLY`` / ``FLOOR`` emptied by the
    stop list. With plain ``min_df=2`` it scored 0.934: descriptors seen once in a
    training fold (``Laundromat``, ``Rooster``, ``Home Improvement Contractor``) lost
    every word, taught nothing, and went to the commonest agency when they came
    again; now ``min_df`` never empties a ticket (better than ``min_df=1``, which
    also keeps the rare words of tickets that have others). Router and plain SVM are
    level (fold sd about 0.01): the router gets more of the disagreements right (27
    against 15 of 62 over the five folds) but gives a few partly known descriptors
    to a small agency under balanced class weights. ``C="auto"`` is not the default:
    on the Chinese sample (two folds) it scored 0.588 against 0.592 with ``C=0.5``,
    for four times the fitting time. On Boston 311 2015 (``CASE_TITLE`` ->
    ``SUBJECT``, 10,000 requests, ``--data boston``) every pipeline is at the ceiling:
    plain 0.9979, router 0.9974 (0.9973 before). On Chinese messages the change is
    void: on the 7,142 TipDM messages (subject and detail) no ticket loses all its
    words to ``min_df=2``, so the vocabulary, and the model, are the same as before.

    Examples
    --------
    >>> texts = ["楼上装修噪音很吵", "半夜装修电钻吵", "隔壁装修噪音", "快递丢了没人管",
    ...          "快递放门口丢了", "快递又丢了", "路灯不亮", "路灯坏了一周", "路灯晚上不亮"]
    >>> depts = ["城管执法中队"] * 3 + ["区邮政管理局"] * 3 + ["路灯管理所"] * 3
    >>> duties = {"街道社区服务办": "独居老人的关爱探访和紧急援助；养老服务补贴"}
    >>> router = TicketRouter(duties=duties, min_df=1).fit(texts, depts)
    >>> router.duty_only_
    ['街道社区服务办']
    >>> router.predict(["快递丢失", "装修太吵"]).tolist()
    ['区邮政管理局', '城管执法中队']
    >>> router.predict_top_k(["独居老人家里没人应答，请上门探访"], k=1).tolist()
    [['街道社区服务办']]
    """

    def __init__(
        self,
        *,
        duties=None,
        duty_weight=0.2,
        use_category=True,
        category_weight=1.0,
        word_ngram_range=(1, 2),
        char_ngram_range=(1, 3),
        min_df=2,
        max_df=0.9,
        C=0.5,
        class_weight="balanced",
        cv=3,
        mode="word",
        user_words=None,
        stop_words=None,
        text="text",
        category="category",
        random_state=0,
    ):
        self.duties = duties
        self.duty_weight = duty_weight
        self.use_category = use_category
        self.category_weight = category_weight
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.mode = mode
        self.user_words = user_words
        self.stop_words = stop_words
        self.text = text
        self.category = category
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ inputs
    def _validate_params(self):
        check_mode(self.mode, allowed=("word", "english"))
        if not (self.class_weight in ("balanced", None) or isinstance(self.class_weight, dict)):
            raise ValueError(
                f"class_weight must be 'balanced', None or a dict, got {self.class_weight!r}."
            )
        if not (isinstance(self.cv, int) and self.cv >= 2):
            raise ValueError(f"cv must be an integer >= 2, got {self.cv!r}.")
        if not (
            self.C == "auto"
            or (isinstance(self.C, int | float) and not isinstance(self.C, bool) and self.C > 0)
        ):
            raise ValueError(f"C must be a positive number or 'auto', got {self.C!r}.")
        if self.duty_weight < 0:
            raise ValueError(f"duty_weight must be >= 0, got {self.duty_weight!r}.")

    def _split_input(self, X):
        """-> (texts, categories or None) for text input, or (None, None) for numeric."""
        if isinstance(X, pd.DataFrame):
            if self.text in X.columns:
                texts = X[self.text].fillna("").astype(str).to_numpy(dtype=object).tolist()
                cats = None
                if self.use_category and self.category in X.columns:
                    cats = X[self.category].fillna("").astype(str).to_numpy(dtype=object)
                return texts, cats
            if all(pd.api.types.is_numeric_dtype(t) for t in X.dtypes):
                return None, None
            raise MissingColumnsError(
                f"the tickets have no {self.text!r} column. They have: "
                f"{', '.join(repr(str(c)) for c in X.columns)}. Pass text=... to name it.",
                missing=[self.text],
                available=[str(c) for c in X.columns],
            )
        if is_text_sequence(X):
            return as_strings(X), None
        return None, None

    def _features(self, texts, cats, *, fit: bool):
        import scipy.sparse as sp

        blocks = []
        if fit:
            self.word_vectorizer_, words = _fit_words_keeping_tickets(
                self.word_vectorizer_, texts, self.min_df
            )
            blocks.append(words)
            if self.char_vectorizer_ is not None:
                self.char_vectorizer_.fit(texts)
        else:
            blocks.append(self.word_vectorizer_.transform(texts))
        if self.char_vectorizer_ is not None:
            blocks.append(self.char_vectorizer_.transform(texts))
        if self.category_encoder_ is not None:
            if cats is None:
                cats = np.full(len(texts), "", dtype=object)
            onehot = self.category_encoder_.transform(np.asarray(cats, dtype=object)[:, None])
            blocks.append(onehot * float(self.category_weight))
        return sp.hstack(blocks, format="csr", dtype=np.float64)

    def _transform(self, X):
        check_is_fitted(self, "svm_")
        texts, cats = self._split_input(X)
        if self._text_input_:
            if texts is None:
                raise TypeError(
                    "This TicketRouter was fitted on texts; pass texts or a DataFrame "
                    f"with a {self.text!r} column."
                )
            return self._features(texts, cats, fit=False)
        if texts is not None:
            raise TypeError("This TicketRouter was fitted on a numeric matrix; pass one.")
        return validate_data(self, X, accept_sparse="csr", reset=False)

    # ------------------------------------------------------------------ fit
    def fit(self, X, y):
        """Learn departments from past tickets (and the duty list).

        Parameters
        ----------
        X : DataFrame, sequence of str, or array-like / sparse matrix
            A ticket frame with a ``text`` column (and optionally ``category``), a
            list / array / Series of texts, or a numeric feature matrix.
        y : array-like of str
            The department that handled each ticket.

        Returns
        -------
        self : TicketRouter
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.svm import LinearSVC
        from sklearn.utils.multiclass import check_classification_targets
        from sklearn.utils.validation import column_or_1d

        self._validate_params()
        texts, cats = self._split_input(X)
        self._text_input_ = texts is not None
        if self._text_input_:
            y = column_or_1d(np.asarray(y), warn=True)
            if len(y) != len(texts):
                raise ValueError(f"X has {len(texts)} tickets but y has {len(y)} labels.")
            if hasattr(self, "n_features_in_"):
                del self.n_features_in_
        else:
            X, y = validate_data(self, X, y, accept_sparse="csr")
        check_classification_targets(y)
        y = np.asarray(y)
        if y.dtype.kind in "OUS":
            y = y.astype(str).astype(object)

        labels, counts = np.unique(y, return_counts=True)
        n = len(y)
        if self.class_weight == "balanced":
            w_of = {c: n / (len(labels) * k) for c, k in zip(labels, counts, strict=True)}
            weights = np.array([w_of[v] for v in y], dtype=np.float64)
        elif isinstance(self.class_weight, dict):
            weights = np.array([self.class_weight.get(v, 1.0) for v in y], dtype=np.float64)
        else:
            weights = np.ones(n, dtype=np.float64)

        duty_only: list[str] = []
        if self._text_input_:
            tok = _keep_text_tokenizer(self.mode, self.user_words, self.stop_words)
            self.word_vectorizer_ = TfidfVectorizer(
                tokenizer=tok,
                token_pattern=None,
                lowercase=False,
                ngram_range=tuple(self.word_ngram_range),
                min_df=1,  # min_df is applied after, never emptying a ticket
                max_df=self.max_df,
                sublinear_tf=True,
            )
            self.char_vectorizer_ = None
            if self.char_ngram_range is not None and self.mode != "english":
                self.char_vectorizer_ = TfidfVectorizer(
                    tokenizer=make_tokenizer("char", stop_words=self.stop_words),
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=tuple(self.char_ngram_range),
                    min_df=self.min_df,
                    max_df=self.max_df,
                    sublinear_tf=True,
                )
            self.category_encoder_ = None
            if cats is not None:
                self.category_encoder_ = OneHotEncoder(handle_unknown="ignore").fit(
                    np.asarray(cats, dtype=object)[:, None]
                )
            # duty-list pseudo-tickets, repeated cv times so they survive min_df and can
            # be split over the calibration folds
            if self.duties is not None:
                table = _duty_table(self.duties)
                p_text, p_label = [], []
                for dept, duty in zip(
                    table["department"].astype(str),
                    table["duties"].fillna("").astype(str),
                    strict=True,
                ):
                    clauses = [c.strip() for c in _CLAUSE.split(duty) if c.strip()]
                    p_text.extend(clauses)
                    p_label.extend([dept] * len(clauses))
                if p_text:
                    reps = self.cv
                    p_text = p_text * reps
                    p_label = np.array(p_label * reps, dtype=object)
                    per_dept = pd.Series(p_label).value_counts()
                    unit = n / len(labels) * self.duty_weight
                    p_weight = np.array([unit / per_dept[d] for d in p_label])
                    duty_only = sorted(set(per_dept.index) - set(labels.tolist()))
                    if duty_only:
                        # a department known only from its duties still needs weight to
                        # be suggested at all: at least DUTY_ONLY_WEIGHT of a department
                        floor = n / len(labels) * DUTY_ONLY_WEIGHT
                        only = np.isin(p_label, duty_only)
                        p_weight[only] = np.maximum(
                            p_weight[only], floor / per_dept[p_label[only]].to_numpy()
                        )
                    texts = list(texts) + p_text
                    y = np.concatenate([y.astype(object), p_label])
                    weights = np.concatenate([weights, p_weight])
                    if cats is not None:
                        cats = np.concatenate([cats, np.full(len(p_text), "", dtype=object)])
            F = self._features(texts, cats, fit=True)
        else:
            F = X
            self.word_vectorizer_ = self.char_vectorizer_ = self.category_encoder_ = None

        # every class needs at least cv rows for the stratified calibration folds
        classes, inv, counts_all = np.unique(y, return_inverse=True, return_counts=True)
        if len(classes) < 2:
            raise ValueError(
                f"TicketRouter needs at least 2 departments (classes) to learn from; "
                f"got 1 class: {classes[0]!r}."
            )
        short = np.flatnonzero(counts_all < self.cv)
        if len(short):
            extra = []
            for c in short:
                rows = np.flatnonzero(inv == c)
                extra.append(np.resize(rows, self.cv - len(rows)))
            idx = np.concatenate([np.arange(len(y)), *extra])
            F, y, weights = F[idx], y[idx], weights[idx]

        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        is_ticket = np.zeros(len(y), dtype=bool)
        is_ticket[:n] = True
        grid = C_GRID if self.C == "auto" else (float(self.C),)
        oofs = []
        for C in grid:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*least populated class.*")
                oof = cross_val_predict(
                    LinearSVC(C=C, random_state=self.random_state),
                    F,
                    y,
                    cv=folds,
                    method="decision_function",
                    params={"sample_weight": weights},
                )
            oofs.append(_as_2d_scores(oof))
        self.C_scores_ = None
        pick = 0
        if len(grid) > 1:
            from sklearn.metrics import f1_score

            # macro-F1 of the out-of-fold first choices of the real tickets; ties go
            # to the smaller C (the stronger regularisation)
            classes_sorted = np.unique(y)
            f1 = [
                f1_score(
                    y[is_ticket],
                    classes_sorted[np.argmax(oof[is_ticket], axis=1)],
                    average="macro",
                    zero_division=0,
                )
                for oof in oofs
            ]
            self.C_scores_ = pd.Series(f1, index=pd.Index(grid, name="C"), name="macro_f1")
            pick = int(np.argmax(f1))
        best, scores = grid[pick], oofs[pick]
        self.C_ = best
        svm = LinearSVC(C=best, random_state=self.random_state)
        svm.fit(F, y, sample_weight=weights)
        # temperature scaling on the out-of-fold scores of the real tickets
        self.temperature_ = _fit_temperature(
            scores[is_ticket], np.searchsorted(svm.classes_, y[is_ticket])
        )
        self.svm_ = svm
        self.classes_ = svm.classes_
        self.class_counts_ = (
            pd.Series(dict(zip(labels.tolist(), counts.tolist(), strict=True)), name="tickets")
            .reindex(self.classes_.tolist(), fill_value=0)
            .rename_axis("department")
        )
        self.duty_only_ = duty_only
        # where a ticket with no known word goes: its category's departments, or all
        counts_real = self.class_counts_.to_numpy(dtype=np.float64)
        self.prior_ = counts_real / counts_real.sum()
        self.category_prior_ = None
        if self._text_input_ and cats is not None:
            real = pd.DataFrame({"c": np.asarray(cats, dtype=object)[:n], "d": y[:n]})
            table = pd.crosstab(real["c"], real["d"]).reindex(
                columns=self.classes_.tolist(), fill_value=0
            )
            self.category_prior_ = table.div(table.sum(axis=1), axis=0)
        return self

    # ------------------------------------------------------------------ predict
    def predict_proba(self, X):
        """Calibrated probability of each department, columns in ``classes_`` order.

        Parameters
        ----------
        X : DataFrame, sequence of str, or array-like
            Same kind of input as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        F = self._transform(X)
        scores = _as_2d_scores(self.svm_.decision_function(F))
        proba = _softmax(scores / self.temperature_)
        if getattr(self, "_text_input_", False):
            proba = self._empty_text_fallback(X, F, proba)
        return proba

    def _empty_text_fallback(self, X, F, proba):
        """Tickets whose text gives no known word: the category's departments, or the prior.

        With no word the SVM's answer is its intercepts alone, which under balanced
        class weights favour a small department; the departments that handled the
        ticket's category in training (or, without a known category, all tickets) are
        a better guess.
        """
        n_text = len(self.word_vectorizer_.vocabulary_)
        if self.char_vectorizer_ is not None:
            n_text += len(self.char_vectorizer_.vocabulary_)
        empty = np.diff(F[:, :n_text].tocsr().indptr) == 0
        if not empty.any():
            return proba
        proba = proba.copy()
        fallback = np.tile(self.prior_, (int(empty.sum()), 1))
        _, cats = self._split_input(X)
        if cats is not None and self.category_prior_ is not None:
            known = self.category_prior_.reindex(np.asarray(cats, dtype=object)[empty])
            has = known.notna().all(axis=1).to_numpy()
            fallback[has] = known.to_numpy(dtype=np.float64)[has]
        proba[empty] = fallback
        return proba

    def predict(self, X):
        """The most probable department for each ticket.

        Parameters
        ----------
        X : DataFrame, sequence of str, or array-like

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_top_k(self, X, k=3, *, return_proba=False):
        """The ``k`` most probable departments for each ticket, best first.

        Parameters
        ----------
        X : DataFrame, sequence of str, or array-like
        k : int, default 3
            Suggestions per ticket (at most the number of departments).
        return_proba : bool, default False
            Also return their probabilities.

        Returns
        -------
        labels : ndarray of shape (n_samples, k)
        proba : ndarray of shape (n_samples, k)
            Only with ``return_proba=True``.
        """
        if not (isinstance(k, int | np.integer) and k >= 1):
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        proba = self.predict_proba(X)
        k = min(int(k), proba.shape[1])
        order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        labels = self.classes_[order]
        if return_proba:
            return labels, np.take_along_axis(proba, order, axis=1)
        return labels
