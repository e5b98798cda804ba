"""Tests for commlib.keyness: keyness against a background and shared themes."""

from __future__ import annotations

import numpy as np
import pytest

from commlib.keyness import SharedThemes, keyness, shared_themes


def _corpus(seed: int, core: list[str], own: list[str], n: int = 120) -> list[str]:
    """Texts mixing filler words, the set's own words and (in a third) the core words."""
    rng = np.random.default_rng(seed)
    filler = ["居民", "反映", "最近", "情况", "处理", "希望", "小区"]
    texts = []
    for i in range(n):
        words = list(rng.choice(filler, 3)) + list(rng.choice(own, 2))
        if i % 3 == 0:
            words += list(rng.choice(core, min(2, len(core)), replace=False))
        rng.shuffle(words)
        texts.append("，".join(words))
    return texts


BACKGROUND = _corpus(9, ["垃圾"], ["噪音", "漏水", "垃圾", "停车", "装修", "绿化"], n=400)


def test_planted_shared_core_is_found_and_one_sided_words_are_not():
    core = ["人车混行", "人行道", "被车撞"]
    a = _corpus(1, core, ["外摆", "桌椅", "吵闹"])
    b = _corpus(2, core, ["引流", "客流", "顾客"])
    res = shared_themes(a, b, background=BACKGROUND, names=("问题", "需求"))
    assert isinstance(res, SharedThemes)
    assert set(res.terms["term"]) == set(core)
    assert {"外摆", "引流", "居民"}.isdisjoint(res.terms["term"])
    # the three core words co-occur: one theme, with evidence from both sides
    assert len(res.themes) == 1
    assert set(res.evidence["side"]) == {"问题", "需求"}
    assert (res.evidence.groupby("side").size() == 3).all()


def test_nothing_shared_gives_empty_result():
    a = _corpus(3, ["外摆"], ["外摆", "桌椅"])
    b = _corpus(4, ["引流"], ["引流", "客流"])
    res = shared_themes(a, b, background=BACKGROUND)
    assert res.terms.empty and res.themes.empty and res.evidence.empty


def test_without_background_scores_are_shares():
    res = shared_themes(["人行道 窄", "人行道 堵"], ["人行道 危险", "人行道 顾客"], min_df=2)
    assert res.terms["term"].tolist() == ["人行道"]
    assert res.terms["score"].iloc[0] == 1.0
    assert np.isnan(res.terms["z_a"].iloc[0])


def test_keyness_ranks_the_distinctive_word_first():
    a = _corpus(5, ["人行道"], ["外摆", "桌椅"])
    out = keyness(a, background=BACKGROUND)
    assert set(out["term"].iloc[:2]) == {"外摆", "桌椅"}
    assert (out.loc[out["z"] > 2, "term"].isin(["外摆", "桌椅", "人行道"])).all()


def test_input_checks():
    with pytest.raises(TypeError):
        shared_themes("一段文字", ["x"])
    with pytest.raises(ValueError, match="empty"):
        shared_themes([], ["人行道"])


def test_repr_has_no_chinese_words_of_its_own():
    res = shared_themes(["x y", "x z"], ["x w", "x v"], min_df=2)
    assert repr(res) == "SharedThemes(1 shared terms; top themes: x)"
    empty = shared_themes(["a"], ["b"], min_df=2)
    assert repr(empty).endswith("top themes: none)")
