"""Shared helpers: each has one home, and matches the library that owns the statistic."""

from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commlib._util import PERIOD_ALIASES, has_cjk, holm, mostly_cjk, period_alias


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(0, 1, allow_nan=False), st.just(float("nan"))),
        min_size=1,
        max_size=30,
    )
)
def test_holm_equals_statsmodels(ps):
    from statsmodels.stats import multitest

    p = np.asarray(ps)
    got = holm(p)
    ok = ~np.isnan(p)
    assert np.isnan(got[~ok]).all()
    if ok.any():
        # multipletests' Holm branch ends in a full gc.collect() (0.2 s in a test worker
        # holding the suite's objects: 13 s for this test); it changes no number
        with mock.patch("gc.collect", return_value=0):
            want = multitest.multipletests(p[ok], method="holm")[1]
        np.testing.assert_allclose(got[ok], want, atol=1e-12)


@pytest.mark.parametrize("freq", sorted(PERIOD_ALIASES))
def test_every_period_alias_names_a_pandas_period(freq):
    import pandas as pd

    pd.Period("2024-03-15", freq=period_alias(freq))


def test_unknown_period_alias_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="freq must be one of"):
        period_alias("fortnight")


def test_cjk_detection():
    import pandas as pd

    assert has_cjk("噪音") and not has_cjk("noise")
    assert mostly_cjk(pd.Series(["噪音", "垃圾", "noise"]))
    assert not mostly_cjk(pd.Series(["noise", "litter", "噪音"]))
    assert not mostly_cjk(pd.Series([], dtype="str"))


# ----------------------------------------------------------------------- literal words


@pytest.mark.parametrize(
    "text",
    [
        "Gas LEAK",
        "ınjured",  # dotless i: Python's IGNORECASE matches it with i
        "İnjured",
        "KITCHEN",  # Kelvin sign
        "ſmoke",  # long s
        "a.b(c)",
        "火灾隐患",
        "no match here",
        "",
    ],
)
def test_contains_words_agrees_with_python_ignorecase(text):
    import re

    from commlib._util import contains_words

    words = ["gas leak", "injured", "kitchen", "smoke", "a.b(c)", "火灾"]
    rx = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    got = contains_words(pd.Series([text, None]), words)
    assert got.tolist() == [rx.search(text) is not None, False]


def test_contains_words_falls_back_to_python_re_when_re2_refuses(monkeypatch):
    import pyarrow as pa
    import pyarrow.compute as pc

    from commlib._util import contains_words

    def refuse(*args, **kwargs):
        raise pa.ArrowInvalid("pattern too large")

    monkeypatch.setattr(pc, "match_substring_regex", refuse)
    got = contains_words(pd.Series(["ınjured", None, "ok"], dtype="str"), ["injured"])
    assert got.tolist() == [True, False, False]


def test_contains_words_with_no_words_finds_nothing():
    from commlib._util import contains_words

    assert contains_words(pd.Series(["a", "b"]), ["", None][:1]).tolist() == [False, False]


def test_whitespace_class_matches_what_backslash_s_matches():
    """WHITESPACE spells out Python's \\s (str.isspace) for every code point, so a pattern
    built from it matches as \\s did while pandas runs it in Arrow's RE2."""
    import re
    import sys

    from commlib._util import CJK_RANGE, WHITESPACE

    ours, theirs = re.compile(f"[{WHITESPACE}]"), re.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert bool(ours.fullmatch(ch)) == bool(theirs.fullmatch(ch)), hex(cp)
    assert re.fullmatch(f"[{CJK_RANGE}]+", "\u4e00中文\u9fff") and not re.match(
        f"[{CJK_RANGE}]", "\u3400"
    )


def _hugepage_hint() -> bool:
    from numpy._core import multiarray

    return bool(multiarray._get_madvise_hugepage())


def test_small_pages_turns_numpy_hugepage_hint_off_and_restores_it(monkeypatch):
    from numpy._core import multiarray

    from commlib._util import small_pages

    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    before = multiarray._set_madvise_hugepage(True)
    try:
        with small_pages():
            assert _hugepage_hint() is False
        assert _hugepage_hint() is True
        with pytest.raises(RuntimeError):
            with small_pages():
                raise RuntimeError("boom")
        assert _hugepage_hint() is True  # restored when the block fails too
    finally:
        multiarray._set_madvise_hugepage(before)


def test_small_pages_leaves_a_users_own_setting(monkeypatch):
    from numpy._core import multiarray

    from commlib._util import small_pages

    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    before = multiarray._set_madvise_hugepage(True)
    try:
        with small_pages():
            assert _hugepage_hint() is True
    finally:
        multiarray._set_madvise_hugepage(before)


def test_clusterer_fits_with_the_hint_off_and_restores_it(monkeypatch):
    from numpy._core import multiarray

    from commlib.cluster import TicketClusterer

    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    seen = []
    real = TicketClusterer._fit

    def spy(self, X):
        seen.append(_hugepage_hint())
        return real(self, X)

    monkeypatch.setattr(TicketClusterer, "_fit", spy)
    before = multiarray._set_madvise_hugepage(True)
    try:
        texts = ["楼道噪音扰民", "快递丢失没人管", "楼上噪音太大", "快递又丢了"] * 5
        TicketClusterer(2, random_state=0, progress=False).fit(texts)
        assert seen == [False]
        assert _hugepage_hint() is True
    finally:
        multiarray._set_madvise_hugepage(before)
