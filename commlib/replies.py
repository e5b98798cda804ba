"""Reply quality: how well the government's replies answer the messages.

:func:`reply_quality` scores every reply on the four counts of the 2020 TipDM cup's third
task, with no trained model, so the scores can be explained to the office that wrote it:

- **timeliness**: working days from message to reply on the Chinese holiday calendar
  (:func:`commlib.service.working_days`), scored 1 within ``deadline_days`` and
  ``deadline_days / days`` after it;
- **relevance**: TF-IDF cosine between the message (title and text) and the reply, over
  words and Chinese character bigrams, after the reply's quotation of the message title
  is cut out (a reply that only repeats the title is not relevant for that);
- **completeness**: the share of five parts found by cue words (zh and en): greeting,
  the answer itself (findings), a legal or policy basis, an action with a timeline, a
  contact;
- **interpretability**: the share of three concrete things found: actions taken or
  ordered, named offices, dates;
- **copy-paste**: replies near-identical to the reply of a different message (character
  bigram TF-IDF cosine >= ``copy_similarity`` while the messages' own similarity is below
  ``0.5``).

``quality`` is the mean of timeliness, relevance (scaled by the 90th percentile of all
replies' relevance), completeness and interpretability; copy-paste replies are flagged,
not scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import CJK_RANGE, DIGITS, WHITESPACE, missing_label
from commlib.errors import require_columns

__all__ = ["ReplyQuality", "reply_quality", "CUES"]

# The patterns below run on every reply at once. pandas gives a pattern to Arrow's RE2
# only when RE2 matches as Python's re would; \d, \b, \s and \u escapes send it to
# Python's re one reply at a time (200,000 replies: 6.1 s of 31 s). So they are spelled
# out: digits are ASCII and full-width ones; an English cue word ends (and starts) where
# no ASCII letter, digit, underscore or Chinese character is next to it, as \b reads the
# text; whitespace is one space (the texts are cleaned by _clean first).
_D = f"[{DIGITS}]"
_START = f"(?:^|[^A-Za-z0-9_{CJK_RANGE}])"
_END = f"(?:$|[^A-Za-z0-9_{CJK_RANGE}])"
#: Runs of whitespace, exactly what ``\s+`` matches.
_SPACES = f"[{WHITESPACE}]+"

#: Regex cue lists per completeness / interpretability part, zh and en together (one
#: pattern per part, case-insensitive). Edit a copy and pass ``cues=`` to adapt them.
CUES: dict[str, str] = {
    "greeting": r"您好|你好|尊敬的|感谢您|谢谢您|网友|dear|hello|thank you|thanks for",
    "answer": (
        r"经查|经核实|经调查|经了解|核实|调查|答复如下|回复如下|情况如下|现将|经研究|"
        r"we found|investigat|inspect|our records|has been reviewed|confirmed"
    ),
    "basis": (
        r"根据|依据|按照|依照|《[^》]{2,40}》|规定|条例|办法|政策|法律|法规|"
        f"第[一二三四五六七八九十百{DIGITS}]+条|"
        f"according to|pursuant|under the|regulation|ordinance|policy|law{_END}|code{_END}"
    ),
    "action": (
        r"将于|将在|预计|计划|尽快|近期|日前|月底前|年底前|工作日内|已(?:责令|要求|安排|完成|整改|"
        r"处理|清理|维修|拆除|督促|协调|联系)|责令|限期|督促|整改|"
        f"will be|scheduled|within {_D}+|"
        f"{_START}(?:fixed|repaired|removed|installed|replaced|cleaned|completed|resolved){_END}|"
        f"by (?:the end|[A-Z][a-z]+ {_D})"
    ),
    "contact": (
        r"电话|致电|拨打|联系|咨询|热线|12345|"
        f"{_D}{{3,4}}-{_D}{{7,8}}|{_D}{{7,11}}|邮箱|"
        f"call|contact|phone|e-?mail|\\({_D}{{3}}\\) ?{_D}{{3}}-{_D}{{4}}|{_D}{{3}}-{_D}{{3}}-{_D}{{4}}"
    ),
}
_INTERPRET: dict[str, str] = {
    "actions": (
        r"已(?:责令|要求|安排|完成|整改|处理|清理|维修|拆除|督促|协调|立案|约谈|查处|关停|暂停)|"
        r"责令|约谈|查处|罚款|拆除|清运|维修|更换|安装|"
        r"repaired|removed|installed|replaced|cleaned|fined|cited|issued|towed"
    ),
    "offices": (
        f"[{CJK_RANGE}A-Z0-9]{{2,12}}?"
        r"(?:局|委员会|办公室|办事处|管理处|管理所|中心|街道办|"
        r"人民政府|政府|公司|派出所|分局|大队|中队|服务站|卫生院|医院|法院|检察院|银行|[市区县镇乡]委)|"
        r"Department|Office|Division|Commission|Bureau|Authority|Inspectional|Public Works"
    ),
    "dates": (
        f"{_D}{{4}}年|{_D}{{1,2}}月{_D}{{1,2}}日|{_D}{{4}}[-/.]{_D}{{1,2}}[-/.]{_D}{{1,2}}|"
        r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
        f" +{_D}{{1,2}}"
    ),
}
PARTS = tuple(CUES)
CLEAR = tuple(_INTERPRET)


@dataclass(frozen=True)
class ReplyQuality:
    """Scores from :func:`reply_quality`.

    Attributes
    ----------
    replies : DataFrame
        One row per input row, input order: ``ticket_id``, ``group``, ``working_days``,
        ``timeliness``, ``relevance``, one 0/1 column per completeness part
        (``greeting``, ``answer``, ``basis``, ``action``, ``contact``), ``completeness``,
        ``actions``, ``offices``, ``dates``, ``interpretability``, ``copy_group`` (id of a
        set of near-identical replies to different messages, NA when none),
        ``quality``; rows without a reply have NA scores.
    summary : DataFrame
        One row per group, most replies first: ``group``, ``replies``, ``median_working_days``,
        ``on_time_share``, ``relevance``, ``completeness``, ``interpretability``,
        ``copy_share``, ``quality`` (means, shares of replied rows).
    weakest : DataFrame
        The ``n_weakest`` lowest-quality replies: ``ticket_id``, ``group``, ``quality``,
        the part scores, and ``message`` and ``reply`` (masked, cut to 200 characters).
    copies : DataFrame
        One row per copy-paste set: ``copy_group``, ``replies``, ``example`` (masked).
    """

    replies: pd.DataFrame
    summary: pd.DataFrame
    weakest: pd.DataFrame
    copies: pd.DataFrame

    def summary_table(self, lang: str = "zh") -> pd.DataFrame:
        """``summary`` with headers in ``lang``, for a report or workbook."""
        check_lang(lang)
        return self.summary.rename(
            columns={c: t(f"replies.col.{c}", lang) for c in self.summary.columns}
        )


def _clean(s: pd.Series) -> pd.Series:
    return s.astype("str").where(s.notna(), "").str.replace(_SPACES, " ", regex=True).str.strip()


#: Characters of the CJK block whose bigrams are features.
_CJK_LO, _CJK_HI = 0x4E00, 0x9FFF
#: ASCII words and numbers, the other features (found in the lower-cased text).
_WORD = re.compile(r"[A-Za-z]{2,}|\d{3,}")
_CJK_RUN = re.compile(f"[{chr(_CJK_LO)}-{chr(_CJK_HI)}]+")


def _analyzer(text: str) -> list[str]:
    """Word-ish features for relevance, of one text: ASCII words and CJK character
    bigrams. The definition :func:`_feature_counts` computes for many texts at once
    (and is tested against)."""
    out = _WORD.findall(text.lower())
    for run in _CJK_RUN.findall(text):
        out.extend(run[k : k + 2] for k in range(len(run) - 1))
    return out


#: Texts encoded at a time by :func:`_feature_counts` (bounds its temporaries).
_FEATURE_BLOCK = 50_000


def _feature_counts(texts: list[str]):
    """``CountVectorizer(analyzer=_analyzer).fit_transform(texts)`` without a Python loop
    over the features: the same counts under the same (sorted) columns, each row's
    columns sorted (the counts as int32; TF-IDF makes them floats).

    ASCII words and numbers are found per text as :func:`_analyzer` finds them; the CJK
    bigrams (most features: about 60 a reply) are read from the texts' code points in
    NumPy, each bigram an int32 ``(first - 0x4E00) * 20992 + (second - 0x4E00)``, whose
    order is the strings' order, so the columns come out alphabetical. Memory: the
    bigram codes of all texts (4 bytes each) are kept between the two passes, each
    block's counts are made and its codes freed, and the blocks are copied into the
    result one by one (measured: :func:`reply_quality` on 200,000 generated tickets
    rose 269 MB above the loaded table, 276 MB with scikit-learn's vectoriser).
    """
    import bisect

    import scipy.sparse as sp

    words: dict[str, int] = {}
    span = _CJK_HI - _CJK_LO + 1
    # pass 1, per block: word entries, bigram codes (int32) and bigrams per text
    blocks = []
    for a in range(0, len(texts), _FEATURE_BLOCK):
        block = texts[a : a + _FEATURE_BLOCK]
        w_rows: list[int] = []
        w_ids: list[int] = []
        for r, text in enumerate(block):
            found = _WORD.findall(text.lower())
            if found:
                w_rows.extend([r] * len(found))
                w_ids.extend([words.setdefault(f, len(words)) for f in found])
        # one separator between texts: it is not CJK, so no bigram crosses two texts
        cp = np.frombuffer("\n".join(block).encode("utf-32-le", "surrogatepass"), np.uint32)
        cjk = (cp >= _CJK_LO) & (cp <= _CJK_HI)
        at = np.flatnonzero(cjk[:-1] & cjk[1:])
        del cjk
        starts = np.cumsum([0] + [len(t) + 1 for t in block[:-1]])
        per_text = np.bincount(np.searchsorted(starts, at, side="right") - 1, minlength=len(block))
        first = cp[at].astype(np.int32) - _CJK_LO
        codes = first * np.int32(span) + (cp[at + 1].astype(np.int32) - _CJK_LO)
        del cp, at, first
        blocks.append(
            {
                "n": len(block),
                "w_rows": np.asarray(w_rows, dtype=np.int64),
                "w_ids": np.asarray(w_ids, dtype=np.int64),
                "codes": codes,
                "per_text": per_text,
                "uniques": np.unique(codes),
            }
        )
    vocab = (
        np.unique(np.concatenate([bl.pop("uniques") for bl in blocks]))
        if blocks
        else np.zeros(0, np.int32)
    )
    lo, hi = np.divmod(vocab.astype(np.int64), span)
    bigrams = [
        chr(x + _CJK_LO) + chr(y + _CJK_LO) for x, y in zip(lo.tolist(), hi.tolist(), strict=True)
    ]
    # the words merged into the sorted bigrams (a word is never a CJK bigram; full-width
    # digits sort after CJK)
    terms = sorted(words)
    before = np.array([bisect.bisect_left(bigrams, w) for w in terms], dtype=np.int64)
    word_col = np.empty(len(words), dtype=np.int64)
    word_col[[words[w] for w in terms]] = before + np.arange(len(terms))
    bigram_col = np.arange(len(bigrams)) + np.searchsorted(before, np.arange(len(bigrams)), "right")
    features = [""] * (len(terms) + len(bigrams))
    for w in terms:
        features[word_col[words[w]]] = w
    for j, b in zip(bigram_col.tolist(), bigrams, strict=True):
        features[j] = b
    n_feat = len(features)
    # pass 2, per block: its counts, duplicates summed; its codes go as soon as used
    parts = []
    for bl in blocks:
        b_rows = np.repeat(np.arange(bl["n"], dtype=np.int64), bl.pop("per_text"))
        b_cols = bigram_col[np.searchsorted(vocab, bl.pop("codes"))]
        part = sp.csr_matrix(
            (
                np.ones(len(b_cols) + len(bl["w_ids"]), dtype=np.int32),
                (
                    np.concatenate([bl.pop("w_rows"), b_rows]),
                    np.concatenate([word_col[bl.pop("w_ids")], b_cols]),
                ),
            ),
            shape=(bl["n"], n_feat),
        )
        del b_rows, b_cols
        part.sum_duplicates()
        part.sort_indices()
        parts.append(part)
    # the parts copied into the result one at a time, each freed once copied
    nnz = sum(part.nnz for part in parts)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=np.int32)
    row = at_nz = 0
    for k in range(len(parts)):
        part, parts[k] = parts[k], None
        m = part.nnz
        indptr[row + 1 : row + part.shape[0] + 1] = part.indptr[1:] + at_nz
        indices[at_nz : at_nz + m] = part.indices
        data[at_nz : at_nz + m] = part.data
        row, at_nz = row + part.shape[0], at_nz + m
        del part
    X = sp.csr_matrix((data, indices, indptr), shape=(len(texts), n_feat))
    X.has_sorted_indices = True
    return X, features


def _pairwise_rows(A, B) -> np.ndarray:
    """Cosine of row i of A with row i of B (both L2-normalised)."""
    return np.asarray(A.multiply(B).sum(axis=1)).ravel()


#: Candidate pairs whose cosines are computed at once: the rows of both sides are copied
#: for each chunk, so memory stays bounded whatever the number of pairs (at 200,000
#: generated replies there are 7 million candidates: 18 GB copied in one go; 25,000 pairs
#: copy about 35 MB, where 100,000 raised the peak of reply_quality by about 100 MB).
_PAIR_CHUNK = 25_000


def _pair_cosines(X, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of rows ``i[k]`` and ``j[k]`` of the L2-normalised CSR matrix ``X``, in chunks."""
    out = np.empty(len(i), dtype=np.float64)
    for lo in range(0, len(i), _PAIR_CHUNK):
        hi = lo + _PAIR_CHUNK
        out[lo:hi] = _pairwise_rows(X[i[lo:hi]], X[j[lo:hi]])
    return out


#: MinHash signature of a reply's feature set: _BANDS bands of _ROWS hashes each. Two
#: replies with Jaccard similarity 0.8 share a band with probability 0.985; 0.5, 0.40.
_BANDS, _ROWS = 8, 4
_PRIME = 2_147_483_647
#: A band bucket larger than this links its members to its first member only (a star),
#: so a boilerplate sent 5,000 times costs 5,000 comparisons, not 12.5 million.
_STAR_BUCKET = 64


def _minhash(X, *, seed: int = 0) -> np.ndarray:
    """MinHash signatures (rows x _BANDS*_ROWS) of the feature sets of a CSR matrix.

    The hash of a feature depends on its column only, so it is computed once per column
    and gathered into one buffer reused for every hash (no temporaries of the size of
    the matrix per hash).
    """
    rng = np.random.default_rng(seed)
    k = _BANDS * _ROWS
    a = rng.integers(1, _PRIME, size=k, dtype=np.int64)
    b = rng.integers(0, _PRIME, size=k, dtype=np.int64)
    X = X.tocsr()
    # int32: every hash is below _PRIME = 2^31 - 1 (half the memory; same buckets)
    sig = np.full((X.shape[0], k), _PRIME, dtype=np.int32)
    nonempty = np.flatnonzero(np.diff(X.indptr) > 0)
    if len(nonempty) == 0:
        return sig
    cols = np.arange(X.shape[1], dtype=np.int64)
    starts = X.indptr[nonempty]
    hashed = np.empty(len(X.indices), dtype=np.int64)
    # the column indices as the index type once (np.take copied them on every hash)
    indices = X.indices.astype(np.intp, copy=False)
    for h in range(k):
        np.take((a[h] * cols + b[h]) % _PRIME, indices, out=hashed)
        sig[nonempty, h] = np.minimum.reduceat(hashed, starts)
    return sig


def _candidate_pairs(sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows sharing a MinHash band; big buckets become stars.

    Each pair is one int64 key ``i * rows + j`` (8 bytes a pair, where lists of index
    arrays and a two-column unique held about 100), sorted and made unique by a sort
    (``np.unique`` on int64 is many times slower in NumPy 2.4).
    """
    rows = np.int64(sig.shape[0])
    band_keys = []
    for band in range(_BANDS):
        band_sig = sig[:, band * _ROWS : (band + 1) * _ROWS]
        _, bucket = np.unique(band_sig, axis=0, return_inverse=True)
        order = np.argsort(bucket.ravel(), kind="stable")
        sorted_b = bucket.ravel()[order]
        edges = np.flatnonzero(np.diff(sorted_b)) + 1
        left, right = [], []
        for members in np.split(order, edges):
            if len(members) < 2:
                continue
            if len(members) > _STAR_BUCKET:
                left.append(np.full(len(members) - 1, members[0]))
                right.append(members[1:])
            else:
                i, j = np.triu_indices(len(members), k=1)
                left.append(members[i])
                right.append(members[j])
        if not left:
            continue
        i, j = np.concatenate(left).astype(np.int64), np.concatenate(right).astype(np.int64)
        del left, right
        band_keys.append(np.minimum(i, j) * rows + np.maximum(i, j))
        del i, j
    if not band_keys:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    keys = np.concatenate(band_keys)
    del band_keys
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys // rows, keys % rows


def _copy_groups(R, M, has, *, threshold) -> np.ndarray:
    """Component id per row for near-identical replies to different messages, -1 for none.

    Candidates come from MinHash banding over the replies' features (near-linear in
    the number of replies); each candidate pair is then checked exactly: reply cosine
    >= ``threshold`` and message cosine < 0.5 (different messages).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n = R.shape[0]
    idx = np.flatnonzero(has)
    if len(idx) < 2:
        return np.full(n, -1)
    # rows without a reply are left out; with a reply everywhere, no copy is made
    Rs = R.tocsr() if len(idx) == n else R[idx].tocsr()
    i, j = _candidate_pairs(_minhash(Rs))
    if len(i) == 0:
        return np.full(n, -1)
    keep = _pair_cosines(Rs, i, j) >= threshold
    del Rs
    i, j = idx[i[keep]], idx[j[keep]]
    keep = _pair_cosines(M.tocsr(), i, j) < 0.5
    i, j = i[keep], j[keep]
    if len(i) == 0:
        return np.full(n, -1)
    g = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, comp = connected_components(g, directed=False)
    size = np.bincount(comp)
    return np.where(size[comp] > 1, comp, -1)


def reply_quality(
    df: pd.DataFrame,
    *,
    text: str = "text",
    reply: str = "reply",
    date: str = "created_at",
    reply_at: str = "reply_at",
    by: str | None = "department",
    title: str = "title",
    ticket_id: str = "ticket_id",
    deadline_days: int = 15,
    holidays="CN",
    copy_similarity: float = 0.9,
    cues: dict | None = None,
    n_weakest: int = 10,
    lang: str = "zh",
) -> ReplyQuality:
    """Score each reply's timeliness, relevance, completeness and interpretability; find copies.

    Parameters
    ----------
    df : DataFrame
        One row per message with its reply.
    text, reply : str
        Message and reply columns.
    date, reply_at : str
        Message time and reply time (``reply_at`` optional: timeliness is NA without it).
    by : str or None, default "department"
        Group column for the summary (department, office, district); None gives one
        group for all. A column the table lacks raises an error naming it.
    title : str, default "title"
        Optional message title, added to the message and cut out of the reply.
    ticket_id : str, default "ticket_id"
        Id column; default the row index when absent.
    deadline_days : int, default 15
        Working days within which a reply counts as timely (15 is the common rule for
        online messages; 12345 hotlines often allow 5).
    holidays : "CN", None, list or dict, default "CN"
        Calendar for working days (see :func:`commlib.service.working_days`).
    copy_similarity : float, default 0.9
        Cosine similarity of two replies above which they count as copies (when their
        messages are not alike).
    cues : dict, optional
        Replacement regexes for the completeness parts (keys of :data:`CUES`).
    n_weakest : int, default 10
        Rows in ``weakest``.
    lang : {"zh", "en"}, default "zh"
        Language of the missing-group label.

    Returns
    -------
    ReplyQuality

    Notes
    -----
    ``quality`` is the plain mean of four scores in [0, 1]: timeliness (when reply times
    exist), relevance scaled by the 90th percentile of all replies' relevance (capped
    at 1, so it does not depend on the vocabulary's size), completeness and
    interpretability.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "ticket_id": [1, 2],
    ...     "text": ["小区门口垃圾堆放无人清运", "学校附近道路积水严重"],
    ...     "reply": ["您好，经核实，街道办已安排环卫站于3月5日前清运垃圾，如有疑问请联系电话12345678。",
    ...               "感谢您的留言。"],
    ...     "created_at": pd.to_datetime(["2024-03-01", "2024-03-01"]),
    ...     "reply_at": pd.to_datetime(["2024-03-04", "2024-04-30"]),
    ... })
    >>> res = reply_quality(df, by=None)
    >>> res.replies[["ticket_id", "working_days", "completeness"]]
       ticket_id  working_days  completeness
    0          1           1.0           0.8
    1          2          42.0           0.2
    """
    check_lang(lang)
    require_columns(
        df, [text, reply], where="reply_quality", hint="Name them with text= and reply=."
    )
    if by is not None:
        require_columns(df, [by], where="reply_quality", hint="Pass by=None for one group.")
    from sklearn.feature_extraction.text import TfidfTransformer

    from commlib._calendar import working_days
    from commlib.privacy import mask_as_checked

    n = len(df)
    msg = _clean(df[text])
    head = _clean(df[title]) if title in df.columns else pd.Series("", index=df.index)
    rep = _clean(df[reply])
    has = rep.str.len().gt(0).to_numpy()
    message = (head + " " + msg).str.strip()
    # the reply's quotation of the title says nothing about relevance: cut it out
    rep_cut = pd.Series(
        [r.replace(h, " ") if h else r for r, h in zip(rep.tolist(), head.tolist(), strict=True)],
        index=df.index,
    )

    # one pass over messages and replies together (fitting, then transforming each,
    # read every text twice more); the matrices go as soon as they are used
    # (counts with sorted indices, as TfidfVectorizer.transform has them: same sums)
    X, _ = _feature_counts(message.tolist() + rep_cut.tolist())
    del rep_cut
    if X.shape[1] == 0:
        # no word or CJK bigram in any text (punctuation, placeholders): relevance and
        # copies cannot be measured (scikit-learn's vectoriser raised here)
        relevance, M = np.full(n, np.nan), None
    else:
        X = TfidfTransformer(sublinear_tf=True).fit(X).transform(X, copy=False)
        cos = np.empty(n, dtype=np.float64)
        for lo in range(0, n, _PAIR_CHUNK):  # row blocks: the slices are copies
            hi = min(lo + _PAIR_CHUNK, n)
            cos[lo:hi] = _pairwise_rows(X[lo:hi], X[n + lo : n + hi])
        relevance = np.where(has, cos, np.nan)
        M = X[:n]
        del cos
    del X

    copy = np.full(n, -1)
    if has.any() and M is not None:
        counts_r = _feature_counts(rep.tolist())[0]
        if counts_r.shape[1]:
            R_full = TfidfTransformer().fit_transform(counts_r)
            del counts_r
            copy = _copy_groups(R_full, M, has, threshold=copy_similarity)
            del R_full
    del M
    copy_id = pd.Series(pd.factorize(pd.Series(np.where(copy >= 0, copy, np.nan)))[0] + 1).where(
        copy >= 0
    )

    cue = {**CUES, **(cues or {})}
    parts = pd.DataFrame(
        {k: rep.str.contains(v, case=False, regex=True).astype("float") for k, v in cue.items()}
    )
    # a date that only signs the reply off says nothing concrete: cut it before looking
    body = rep.str.replace(
        f"{_D}{{4}} *[年-] *{_D}{{1,2}} *[月-] *{_D}{{1,2}} *日? *[。.]? *$", "", regex=True
    )
    clear = pd.DataFrame(
        {k: body.str.contains(v, regex=True).astype("float") for k, v in _INTERPRET.items()}
    )
    parts.index = clear.index = df.index

    if date in df.columns and reply_at in df.columns:
        wd = working_days(df[date], df[reply_at], holidays=holidays)
    else:
        wd = np.full(n, np.nan)
    timely = np.where(np.isnan(wd), np.nan, np.minimum(1.0, deadline_days / np.maximum(wd, 1e-9)))
    ref = np.nanquantile(relevance, 0.9) if np.isfinite(relevance).any() else np.nan
    rel_scaled = np.minimum(1.0, relevance / ref) if ref and ref > 0 else relevance
    scores = pd.DataFrame(
        {
            "t": timely,
            "r": rel_scaled,
            "c": parts.mean(axis=1).to_numpy(),
            "i": clear.mean(axis=1).to_numpy(),
        }
    )
    quality = scores.mean(axis=1, skipna=True).where(has)

    group = (
        df[by].astype("object").where(df[by].notna(), missing_label(lang))
        if by is not None
        else pd.Series(t("replies.all", lang), index=df.index)
    )
    ids = df[ticket_id].to_numpy() if ticket_id in df.columns else df.index.to_numpy()
    replies = pd.DataFrame(
        {
            "ticket_id": ids,
            "group": group.to_numpy(),
            "working_days": wd,
            "timeliness": timely,
            "relevance": relevance,
        }
    )
    for k in parts:
        replies[k] = parts[k].where(has).to_numpy()
    replies["completeness"] = parts.mean(axis=1).where(has).to_numpy()
    for k in clear:
        replies[k] = clear[k].where(has).to_numpy()
    replies["interpretability"] = clear.mean(axis=1).where(has).to_numpy()
    replies["copy_group"] = pd.array(copy_id.to_numpy(), dtype="Int64")
    replies["quality"] = quality.to_numpy()

    rr = replies[has].assign(
        on_time=lambda d: (
            (d["working_days"] <= deadline_days).where(d["working_days"].notna()).astype("float")
        )
    )
    g = rr.groupby("group", sort=False)
    summary = (
        pd.DataFrame(
            {
                "replies": g.size(),
                "median_working_days": g["working_days"].median(),
                "on_time_share": g["on_time"].mean(),
                "relevance": g["relevance"].mean(),
                "completeness": g["completeness"].mean(),
                "interpretability": g["interpretability"].mean(),
                "copy_share": g["copy_group"].count() / g.size(),
                "quality": g["quality"].mean(),
            }
        )
        .rename_axis("group")
        .reset_index()
    )
    summary = summary.sort_values("replies", ascending=False, kind="stable").reset_index(drop=True)

    low = replies[has].nsmallest(n_weakest, "quality", keep="first")
    rows = replies.index.get_indexer(low.index)
    weakest = low[
        [
            "ticket_id",
            "group",
            "quality",
            "timeliness",
            "relevance",
            "completeness",
            "interpretability",
        ]
    ].copy()
    weakest["message"] = mask_as_checked(
        message.iloc[rows].str.slice(0, 200).reset_index(drop=True)
    ).to_numpy()
    weakest["reply"] = mask_as_checked(
        rep.iloc[rows].str.slice(0, 200).reset_index(drop=True)
    ).to_numpy()
    weakest = weakest.reset_index(drop=True)

    cg = replies.dropna(subset=["copy_group"])
    if len(cg):
        first = cg.drop_duplicates("copy_group")
        copies = (
            pd.DataFrame(
                {
                    "copy_group": first["copy_group"].to_numpy(),
                    "replies": cg.groupby("copy_group")
                    .size()
                    .reindex(first["copy_group"])
                    .to_numpy(),
                    "example": mask_as_checked(
                        rep.iloc[replies.index.get_indexer(first.index)]
                        .str.slice(0, 200)
                        .reset_index(drop=True)
                    ).to_numpy(),
                }
            )
            .sort_values("replies", ascending=False, kind="stable")
            .reset_index(drop=True)
        )
    else:
        copies = pd.DataFrame(
            {"copy_group": pd.array([], dtype="Int64"), "replies": [], "example": []}
        )
    return ReplyQuality(replies=replies, summary=summary, weakest=weakest, copies=copies)
