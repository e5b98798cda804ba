"""Tokenizers, dictionaries and stop words for complaint text.

Chinese hotline tickets are segmented into words with a jieba-compatible segmenter:
the Rust port ``rjieba`` when it is installed (about 15-20 times faster), otherwise
``jieba``. Both are given the same bundled dictionary of community-governance terms
(外摆位, 飞线充电, 群租, 居委, ...), so those terms stay whole and both backends give the
same tokens for them. Bundled stop words remove general function words, hotline
boilerplate (市民, 来电, 反映, 希望, 相关部门, ...), masking placeholders ([电话], [姓名])
and bare place tokens (上海市, 普陀区, 小区, 号, 弄, ...). One-character words that
carry meaning in complaints (吵, 臭, 漏, 堵, 脏, 乱, 黑, 堆) are kept: scikit-learn's
default ``token_pattern`` silently drops them.

Three modes:

- ``"word"``: Chinese words (the default);
- ``"char"``: Chinese characters, for n-gram features that need no segmenter;
- ``"english"``: lower-cased English words for 311-style request text.

The per-text work is independent from ticket to ticket, so :func:`tokenize_many` and
:func:`count_terms` split big inputs over several processes.
"""

from __future__ import annotations

import logging
import os
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from commlib._textinput import as_list as _as_list

logger = logging.getLogger(__name__)

MODES = ("word", "char", "english")

#: Inputs at least this long are split over several processes by
#: :func:`tokenize_many` and :func:`count_terms` (below it, starting processes costs
#: more than it saves).
PARALLEL_MIN_TEXTS = 50_000

# A token is kept only if it has at least one letter (CJK characters count as letters).
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Numbers, optionally with one unit character: 3号, 12楼, 502室, 2024年, 10点.
_NUMERIC = re.compile(r"^[\d０-９.,:/#%\-]+[号弄楼室栋幢层期米元块个次天年月日点分号楼]?$")
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Placeholders left by masking, e.g. [电话] [姓名] ［手机］.
_PLACEHOLDER = re.compile(r"[\[［【]\s*[^\]］】\s]{1,8}\s*[\]］】]")


# --------------------------------------------------------------------------- resources
def _read_word_file(path) -> list[str]:
    """Read one word per line; blank lines and ``#`` comments are skipped."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [w for w in (line.split("#", 1)[0].strip() for line in text.splitlines()) if w]


@cache
def _bundled(name: str) -> tuple[str, ...]:
    ref = resources.files("commlib") / "resources" / name
    with resources.as_file(ref) as path:
        return tuple(_read_word_file(path))


def governance_words() -> list[str]:
    """Return the bundled community-governance terms that the word tokenizer keeps whole.

    Returns
    -------
    list of str
        About 150 terms such as 外摆位, 飞线充电, 群租 and 快递驿站.

    Examples
    --------
    >>> words = governance_words()
    >>> "飞线充电" in words and "外摆位" in words
    True
    """
    return list(_bundled("governance_words.txt"))


def stop_words(mode: str = "word") -> list[str]:
    """Return the bundled stop words of a tokenizer mode.

    Parameters
    ----------
    mode : {"word", "char", "english"}, default "word"
        ``"word"`` and ``"char"`` share the Chinese list; ``"english"`` has its own.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "反映" in stop_words() and "吵" not in stop_words()
    True
    >>> "the" in stop_words("english")
    True
    """
    _check_mode(mode)
    return list(_bundled("stop_words_en.txt" if mode == "english" else "stop_words_zh.txt"))


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}.")


def _word_list(words, what: str) -> list[str]:
    """Words from an iterable of strings, or from a file when given a path."""
    if words is None:
        return []
    if isinstance(words, str | os.PathLike):
        path = Path(words)
        if not path.is_file():
            raise FileNotFoundError(
                f"{what} file {str(path)!r} does not exist. Pass a path to a UTF-8 text "
                f"file with one word per line, or a list of words."
            )
        return _read_word_file(path)
    out = [str(w).strip() for w in words]
    return [w for w in out if w]


# --------------------------------------------------------------------------- backends
def available_backends() -> list[str]:
    """Return the installed word-segmentation backends, fastest first.

    Examples
    --------
    >>> set(available_backends()) <= {"rjieba", "jieba"}
    True
    """
    import importlib.util

    return [name for name in ("rjieba", "jieba") if importlib.util.find_spec(name) is not None]


@lru_cache(maxsize=8)
def _make_segmenter(backend: str, words: tuple[str, ...]):
    """Build a segmenter (a callable text -> list of str) with ``words`` added.

    Cached per process: a tokenizing worker unpickles the tokenizer once per chunk, and
    building rjieba's dictionary costs 0.07 CPU-s each time (10 chunks per million
    tickets).
    """
    if backend == "auto":
        found = available_backends()
        if not found:
            raise ImportError(
                "Word mode needs a Chinese segmenter: pip install rjieba (fast) or jieba."
            )
        backend = found[0]
        logger.info("commlib.text: segmenting Chinese with %s", backend)
    if backend == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for w in words:
            seg.add_word(w, None, None)
        return backend, seg.cut
    if backend == "jieba":
        import jieba

        seg = jieba.Tokenizer()
        for w in words:
            seg.add_word(w)
        return backend, seg.lcut
    raise ValueError(f"backend must be 'auto', 'rjieba' or 'jieba', got {backend!r}.")


# --------------------------------------------------------------------------- tokenizer
class Tokenizer:
    """Split complaint text into tokens; a picklable callable for scikit-learn vectorizers.

    Use it as ``TfidfVectorizer(tokenizer=Tokenizer(), token_pattern=None,
    lowercase=False)``. It can be pickled (for ``clone``, joblib and worker processes):
    the segmenter is rebuilt on first use after unpickling.

    Parameters
    ----------
    mode : {"word", "char", "english"}, default "word"
        ``"word"``: Chinese words from a jieba-compatible segmenter; ``"char"``: Chinese
        characters (and ASCII words), for character n-grams (stop words of several
        characters are cut out of the text first; single characters are all kept, the
        vectorizer's ``max_df`` removes the commonest); ``"english"``: lower-cased
        English words.
    user_words : list of str or path, optional
        Extra dictionary words kept whole in word mode, or a UTF-8 file with one word per
        line. Added to the bundled governance terms.
    stop_words : list of str or path, optional
        Extra stop words, or a file of them. Added to the bundled list.
    bundled : bool, default True
        Use the bundled dictionary and stop words. ``False`` keeps only the user's.
    keep_single : bool, optional
        Keep one-character tokens that are not stop words. Default: True for ``"word"``
        and ``"char"`` (吵, 臭, 漏 matter), False for ``"english"``.
    fold_plurals : bool, default False
        English mode only: fold simple plurals (``complaints`` -> ``complaint``,
        ``bodies`` -> ``body``).
    backend : {"auto", "rjieba", "jieba"}, default "auto"
        Word-mode segmenter. ``"auto"`` uses rjieba when installed, else jieba.

    Attributes
    ----------
    backend_ : str
        The backend actually used (set on first call in word mode).

    Examples
    --------
    >>> tok = Tokenizer()
    >>> tok("市民来电反映楼道里有人飞线充电，晚上很吵")
    ['楼道', '飞线充电', '吵']
    >>> Tokenizer(mode="english")("Loud music from the apartment upstairs, every night!")
    ['loud', 'music', 'upstairs', 'every', 'night']
    """

    def __init__(
        self,
        mode: str = "word",
        *,
        user_words=None,
        stop_words=None,
        bundled: bool = True,
        keep_single: bool | None = None,
        fold_plurals: bool = False,
        backend: str = "auto",
    ):
        _check_mode(mode)
        self.mode = mode
        self.user_words = user_words
        self.stop_words = stop_words
        self.bundled = bundled
        self.keep_single = keep_single
        self.fold_plurals = fold_plurals
        self.backend = backend
        self._setup()

    # state ----------------------------------------------------------------------------
    def _setup(self) -> None:
        mode = self.mode
        words = _word_list(self.user_words, "user_words")
        stops = _word_list(self.stop_words, "stop_words")
        if self.bundled:
            if mode != "english":
                words = [*_bundled("governance_words.txt"), *words]
            stops = [
                *_bundled("stop_words_en.txt" if mode == "english" else "stop_words_zh.txt"),
                *stops,
            ]
        # a user's dictionary word is never a stop word; a user's stop word of several
        # characters joins the dictionary, so that it is segmented whole, then dropped
        user_stops = [s for s in _word_list(self.stop_words, "stop_words") if len(s) > 1]
        self._words = tuple(dict.fromkeys([*words, *user_stops]))
        words = [w for w in words if w not in set(user_stops)]
        self._stops = frozenset(stops) - set(words)
        self._keep_single = (
            (mode != "english") if self.keep_single is None else bool(self.keep_single)
        )
        self._seg = None
        self._memo: dict[str, bool] = {}
        # word mode: segment -> the token it becomes ("" when dropped), filled as tokens
        # are first seen; one C-level map over a text's segments then does the filtering
        self._word_out: dict[str, str] = {}
        self.backend_ = None
        if mode == "char":
            phrases = sorted((s for s in self._stops if len(s) > 1), key=len, reverse=True)
            self._char_stop_re = (
                re.compile("|".join(re.escape(p) for p in phrases)) if phrases else None
            )

    def __getstate__(self):
        return {
            k: getattr(self, k)
            for k in (
                "mode",
                "user_words",
                "stop_words",
                "bundled",
                "keep_single",
                "fold_plurals",
                "backend",
            )
        }

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._setup()

    def __repr__(self) -> str:
        args = [repr(self.mode)]
        for name, default in (
            ("user_words", None),
            ("stop_words", None),
            ("bundled", True),
            ("keep_single", None),
            ("fold_plurals", False),
            ("backend", "auto"),
        ):
            value = getattr(self, name)
            if value is not default and value != default:
                args.append(f"{name}={value!r}")
        return f"Tokenizer({', '.join(args)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Tokenizer) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(repr(self))

    # work -----------------------------------------------------------------------------
    def _kept(self, token: str) -> bool:
        """Whether a token is kept (not memoised: see :meth:`_keep`)."""
        return (
            (token not in self._stops or (self.mode == "char" and len(token) == 1))
            and _HAS_LETTER.search(token) is not None
            and _NUMERIC.match(token) is None
            and (self._keep_single or len(token) > 1)
        )

    def _keep(self, token: str) -> bool:
        """Whether a token is kept (memoised: the vocabulary is much smaller than the text)."""
        ok = self._memo.get(token)
        if ok is None:
            ok = self._kept(token)
            if len(self._memo) < 2_000_000:
                self._memo[token] = ok
        return ok

    def _word_token(self, segment: str) -> str:
        """The token a segment becomes in word mode ("" when dropped), memoised like
        :meth:`_keep` (tokenizing 100,000 texts looks segments up 2.8 million times)."""
        out = (segment.lower() if segment.isascii() else segment) if self._kept(segment) else ""
        if len(self._word_out) < 2_000_000:
            self._word_out[segment] = out
        return out

    def _segments(self, text) -> list[str]:
        """Word mode: the segmenter's pieces of ``text`` (placeholders cut out), before
        :meth:`_token_of` keeps, lower-cases or drops each."""
        if not isinstance(text, str):
            if text is None or text != text:  # None or NaN
                return []
            text = str(text)
        if self._seg is None:
            self.backend_, self._seg = _make_segmenter(self.backend, self._words)
        return self._seg(_PLACEHOLDER.sub(" ", text))

    def _token_of(self, segment: str) -> str:
        """Word mode: the token a segment becomes ("" when dropped)."""
        out = self._word_out.get(segment)
        return self._word_token(segment) if out is None else out

    def __call__(self, text) -> list[str]:
        """Tokenize one text; missing values (None, NaN) give an empty list."""
        mode = self.mode
        if mode == "word":
            segments = self._segments(text)  # missing values checked there
            outs = list(map(self._word_out.get, segments))
            if None in outs:
                outs = [
                    self._word_token(t) if o is None else o
                    for t, o in zip(segments, outs, strict=True)
                ]
            return [o for o in outs if o]
        if not isinstance(text, str):
            if text is None or text != text:  # None or NaN
                return []
            text = str(text)
        text = _PLACEHOLDER.sub(" ", text)
        keep = self._keep
        if mode == "char":
            if self._char_stop_re is not None:
                text = self._char_stop_re.sub(" ", text)
            out = []
            for part in text.lower().split():
                if part.isascii():
                    out.extend(w for w in _ASCII_WORD.findall(part) if keep(w))
                else:
                    for w in re.findall(r"[a-z0-9]+|[^\sa-z0-9]", part):
                        if keep(w):
                            out.append(w)
            return out
        # english
        tokens = [t for t in _ASCII_WORD.findall(text.lower()) if keep(t)]
        if self.fold_plurals:
            tokens = [_fold_plural(t) for t in tokens]
            tokens = [t for t in tokens if t not in self._stops]
        return tokens


def _fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


@lru_cache(maxsize=16)
def _cached_tokenizer(mode, user_words, stop_words, bundled, keep_single, fold_plurals, backend):
    return Tokenizer(
        mode,
        user_words=user_words,
        stop_words=stop_words,
        bundled=bundled,
        keep_single=keep_single,
        fold_plurals=fold_plurals,
        backend=backend,
    )


def _freeze(words):
    if words is None or isinstance(words, str | os.PathLike):
        return words
    return tuple(words)


def tokenize(
    text,
    *,
    mode: str = "word",
    user_words=None,
    stop_words=None,
    bundled: bool = True,
    keep_single: bool | None = None,
    fold_plurals: bool = False,
    backend: str = "auto",
) -> list[str]:
    """Split one complaint text into meaningful tokens.

    A convenience wrapper around :class:`Tokenizer` (tokenizers are cached, so calling
    it in a loop does not rebuild the dictionary). See :class:`Tokenizer` for the
    parameters.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("小区门口外摆位占道经营，油烟很臭")
    ['门口', '外摆位', '占道经营', '油烟', '臭']
    >>> tokenize("水管漏了", user_words=["水管漏"])
    ['水管漏']
    >>> tokenize("噪音", mode="char")
    ['噪', '音']
    >>> tokenize("Street lights are out on both blocks", mode="english", fold_plurals=True)
    ['light', 'block']
    """
    tok = _cached_tokenizer(
        mode,
        _freeze(user_words),
        _freeze(stop_words),
        bundled,
        keep_single,
        fold_plurals,
        backend,
    )
    return tok(text)


# --------------------------------------------------------------------------- batches
def _n_workers(n_jobs, n_texts: int) -> int:
    """Processes to use: None = all cores for big inputs, 1 for small ones."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    if n_jobs is None:
        n = cores if n_texts >= PARALLEL_MIN_TEXTS else 1
    elif n_jobs < 0:
        n = max(1, cores + 1 + n_jobs)
    else:
        n = int(n_jobs)
    return max(1, min(n, max(1, n_texts)))


def _chunks(n: int, n_workers: int, max_size: int = 100_000) -> list[tuple[int, int]]:
    n_chunks = max(n_workers * 2, -(-n // max_size))
    size = -(-n // n_chunks)
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def _run_parallel(func, tokenizer, texts: list, n_workers: int, *args) -> list:
    """Apply ``func(tokenizer, chunk, *args)`` over chunks of ``texts`` in processes."""
    if n_workers == 1:
        return [func(tokenizer, texts, *args)]
    # joblib's loky workers start without re-running the user's script (no
    # ``if __name__ == "__main__"`` guard needed) and are reused between calls
    from joblib import Parallel, delayed

    bounds = _chunks(len(texts), n_workers)
    return Parallel(n_jobs=n_workers, backend="loky")(
        delayed(func)(tokenizer, texts[a:b], *args) for a, b in bounds
    )


def _tokenize_chunk(tokenizer, texts):
    return [tokenizer(t) for t in texts]


def tokenize_many(texts, *, tokenizer: Tokenizer | None = None, n_jobs=None, **kwargs):
    """Tokenize many texts, over several processes when there are many.

    Parameters
    ----------
    texts : sequence of str
        A list, array or pandas Series of texts. Missing values give empty lists.
    tokenizer : Tokenizer, optional
        The tokenizer to use. Default: ``Tokenizer(**kwargs)``.
    n_jobs : int, optional
        Processes to use. None: all cores when there are at least
        :data:`PARALLEL_MIN_TEXTS` texts, else 1. -1: all cores.
    **kwargs
        Passed to :class:`Tokenizer` when ``tokenizer`` is not given.

    Returns
    -------
    list of list of str
        One token list per text, in input order.

    Examples
    --------
    >>> tokenize_many(["楼上装修很吵", "垃圾桶满了，很臭"])
    [['楼上', '装修', '吵'], ['垃圾桶', '满', '臭']]
    """
    tokenizer = tokenizer if tokenizer is not None else Tokenizer(**kwargs)
    texts = _as_list(texts)
    n = _n_workers(n_jobs, len(texts))
    parts = _run_parallel(_tokenize_chunk, tokenizer, texts, n)
    return [toks for part in parts for toks in part]


def _ngrams(tokens: list[str], lo: int, hi: int, sep: str) -> list[str]:
    if lo == 1 and hi == 1:
        return tokens
    out = list(tokens) if lo == 1 else []
    n_tok = len(tokens)
    for n in range(max(lo, 2), hi + 1):
        out.extend(sep.join(tokens[i : i + n]) for i in range(n_tok - n + 1))
    return out


def _count_chunk(tokenizer, texts, ngram_range, vocabulary):
    """Count terms of a fixed vocabulary in a chunk: CSR ``indptr`` and ``indices``."""
    import numpy as np

    lo, hi = ngram_range
    sep = "" if tokenizer.mode == "char" else " "
    get = vocabulary.get
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        terms = _ngrams(tokenizer(text), lo, hi, sep)
        indices.extend(j for j in map(get, terms) if j is not None)
        indptr.append(len(indices))
    return np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int32)


def _ids_chunk(tokenizer, texts):
    """Tokenize a chunk into token ids: (ids, tokens per text, the chunk's vocabulary)."""
    import numpy as np

    vocab: dict[str, int] = {}
    setdefault = vocab.setdefault
    ids: list[int] = []
    lengths: list[int] = []
    if getattr(tokenizer, "mode", None) == "word" and hasattr(tokenizer, "_segments"):
        # Word mode: each distinct segment is turned into a token id (or -1, dropped)
        # once; the same ids in the same order as tokenizing each text and numbering
        # its tokens, with one lookup a segment instead of three (100,000 generated
        # tickets in one process: 1.21 -> 1.08 s)
        seg_ids: dict[str, int] = {}
        get = seg_ids.get
        segments_of, token_of = tokenizer._segments, tokenizer._token_of
        for text in texts:
            segs = segments_of(text)
            row = list(map(get, segs))
            if None in row:
                for k, v in enumerate(row):
                    if v is None:
                        tok = token_of(segs[k])
                        v = seg_ids[segs[k]] = setdefault(tok, len(vocab)) if tok else -1
                        row[k] = v
            kept = [v for v in row if v >= 0]
            ids.extend(kept)
            lengths.append(len(kept))
    else:
        for text in texts:
            toks = tokenizer(text)
            ids.extend([setdefault(t, len(vocab)) for t in toks])
            lengths.append(len(toks))
    return np.asarray(ids, dtype=np.int32), np.asarray(lengths, dtype=np.int64), list(vocab)


def _csr_from_counts(per_row, cols, n_cols):
    """CSR whose row ``i`` holds the next ``per_row[i]`` entries of ``cols`` (each 1;
    duplicates kept)."""
    import numpy as np
    import scipy.sparse as sp

    indptr = np.zeros(len(per_row) + 1, dtype=np.int64)
    np.cumsum(per_row, out=indptr[1:])
    data = np.ones(len(cols), dtype=np.int32)
    return sp.csr_matrix(
        (data, np.asarray(cols).astype(np.int32, copy=False), indptr),
        shape=(len(per_row), n_cols),
    )


def count_terms(
    texts,
    *,
    tokenizer: Tokenizer | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    vocabulary: dict[str, int] | None = None,
    n_jobs=None,
):
    """Count term occurrences per text: a parallel, pre-tokenised ``CountVectorizer``.

    Tokenizing is the slow part of vectorising Chinese text, and it is independent from
    text to text, so big inputs are split over processes; each worker returns its counts
    and its own vocabulary, and the vocabularies are merged here.

    Parameters
    ----------
    texts : sequence of str
    tokenizer : Tokenizer, optional
        Default ``Tokenizer()`` (Chinese words).
    ngram_range : (int, int), default (1, 1)
        Smallest and largest n of the token n-grams. Word n-grams are joined with a
        space (``"快递 丢失"``), character n-grams with nothing (``"噪音"``).
    vocabulary : dict of str to int, optional
        Fixed term -> column map (for new texts); terms not in it are ignored. Default:
        learn the vocabulary, columns in order of first appearance.
    n_jobs : int, optional
        As in :func:`tokenize_many`.

    Returns
    -------
    counts : scipy.sparse.csr_matrix of shape (n_texts, n_terms), int32
    terms : list of str
        Column names.

    Examples
    --------
    >>> X, terms = count_terms(["快递丢失", "快递丢失 快递"], ngram_range=(1, 2))
    >>> terms
    ['快递丢失', '快递', '快递丢失 快递']
    >>> X.toarray().tolist()
    [[1, 0, 0], [1, 1, 1]]
    """
    import numpy as np
    import scipy.sparse as sp

    tokenizer = tokenizer if tokenizer is not None else Tokenizer()
    lo, hi = int(ngram_range[0]), int(ngram_range[1])
    if not 1 <= lo <= hi:
        raise ValueError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, got {ngram_range}.")
    texts = _as_list(texts)
    n_texts = len(texts)
    n = _n_workers(n_jobs, n_texts)

    if vocabulary is not None:
        parts = _run_parallel(_count_chunk, tokenizer, texts, n, (lo, hi), vocabulary)
        terms = [None] * len(vocabulary)
        for term, j in vocabulary.items():
            terms[j] = term
        offsets = np.cumsum([0] + [p[0][-1] for p in parts])
        indptr = np.concatenate(
            [parts[0][0]]
            + [p[0][1:] + off for p, off in zip(parts[1:], offsets[1:-1], strict=True)]
        )
        indices = np.concatenate([p[1] for p in parts])
        data = np.ones(len(indices), dtype=np.int32)
        counts = sp.csr_matrix((data, indices, indptr), shape=(n_texts, len(terms)))
        counts.sum_duplicates()
        return counts, terms

    # Learn the vocabulary. Each worker counts its chunk against its own vocabulary
    # (n-grams, duplicate terms summed, in parallel); here the chunks' vocabularies are
    # merged in chunk order (a term's column is its first appearance in the input, as
    # in one pass), each chunk's columns are renumbered and the rows stacked.
    import pandas as pd

    parts = _run_parallel(_terms_chunk, tokenizer, texts, n, (lo, hi))
    merged: dict[str, int] = {}
    uni_luts = []
    for part in parts:
        setdefault = merged.setdefault
        local = part["unigrams"]
        uni_luts.append(
            np.fromiter(
                (setdefault(t, len(merged)) for t in local), dtype=np.int64, count=len(local)
            )
        )
    unigrams = list(merged)
    n_uni = len(unigrams)
    sep = "" if tokenizer.mode == "char" else " "
    # global column of every local term, size by size: an n-gram's code factorises the
    # pair (code of its (n-1)-gram, id of its last token), as the workers do locally
    col_luts: list[list[np.ndarray]] = [[] for _ in parts]
    terms: list[str] = []
    if lo == 1:
        for c, lut in enumerate(uni_luts):
            col_luts[c].append(lut)
        terms.extend(unigrams)
    prev_luts, names = uni_luts, unigrams
    for size in range(2, hi + 1):
        keys = [
            prev_lut[p["prev"][size]] * n_uni + uni_lut[p["last"][size]]
            for p, prev_lut, uni_lut in zip(parts, prev_luts, uni_luts, strict=True)
        ]
        codes, uniques = pd.factorize(
            np.concatenate(keys) if keys else np.zeros(0, np.int64), sort=False
        )
        prev, last = np.divmod(np.asarray(uniques, dtype=np.int64), n_uni)
        new_names = [
            names[a] + sep + unigrams[b] for a, b in zip(prev.tolist(), last.tolist(), strict=True)
        ]
        bounds = np.cumsum([0] + [len(k) for k in keys])
        luts = [
            codes[a:b].astype(np.int64, copy=False)
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        if size >= lo:
            for c, lut in enumerate(luts):
                col_luts[c].append(lut + len(terms))
            terms.extend(new_names)
        prev_luts, names = luts, new_names
    if not terms:
        return sp.csr_matrix((n_texts, 0), dtype=np.int32), []
    indices = np.concatenate(
        [
            (np.concatenate(luts) if luts else np.zeros(0, np.int64))[p["indices"]].astype(np.int32)
            for p, luts in zip(parts, col_luts, strict=True)
        ]
    )
    offsets = np.cumsum([0] + [p["indptr"][-1] for p in parts])
    indptr = np.concatenate(
        [np.zeros(1, np.int64)]
        + [p["indptr"][1:] + off for p, off in zip(parts, offsets[:-1], strict=True)]
    )
    data = np.concatenate([p["data"] for p in parts])
    del parts
    counts = sp.csr_matrix((data, indices, indptr), shape=(n_texts, len(terms)))
    # each chunk's rows hold each term once; renumbering only changed their order
    counts.sort_indices()
    return counts, terms


def _terms_chunk(tokenizer, texts, ngram_range):
    """Count the terms of a chunk against the chunk's own vocabulary (a worker's part of
    :func:`count_terms`): the chunk's unigrams in order of first appearance, for each
    n >= 2 the (n-1)-gram code and last token id of each new n-gram in order of first
    appearance, and the chunk's counts as CSR arrays (columns: the n-grams of each size
    in ``ngram_range``, size after size; each row's terms once, sorted)."""
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    lo, hi = ngram_range
    ids, lengths, vocab = _ids_chunk(tokenizer, texts)
    n_texts, n_uni, n_tok = len(lengths), len(vocab), len(ids)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    out = {"unigrams": vocab, "prev": {}, "last": {}}
    blocks = []
    if lo == 1:
        blocks.append(_csr_from_counts(lengths, ids, n_uni))
    codes = ids.astype(np.int64)
    for size in range(2, hi + 1):
        m = max(n_tok - size + 1, 0)
        # an n-gram starts anywhere but in the last n - 1 tokens of its text
        starts_ok = np.ones(m, dtype=bool)
        for back in range(1, size):
            pos = ends - back
            starts_ok[pos[(pos >= starts) & (pos < m)]] = False
        valid = np.flatnonzero(starts_ok)
        keys = codes[valid] * n_uni + ids[valid + size - 1]
        new_codes, uniques = pd.factorize(keys, sort=False)
        prev, last = np.divmod(np.asarray(uniques, dtype=np.int64), n_uni)
        out["prev"][size], out["last"][size] = prev, last
        if size >= lo:
            per_text = np.maximum(lengths - (size - 1), 0)
            blocks.append(_csr_from_counts(per_text, new_codes, len(uniques)))
        codes = np.zeros(m, dtype=np.int64)
        codes[valid] = new_codes
    if not blocks:
        blocks.append(sp.csr_matrix((n_texts, 0), dtype=np.int32))
    counts = blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")
    counts.sum_duplicates()
    out["indptr"] = counts.indptr.astype(np.int64)
    out["indices"] = counts.indices
    out["data"] = counts.data.astype(np.int32, copy=False)
    return out
