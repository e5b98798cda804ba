"""Tests for commlib.plotting: Chinese renders from the bundled font, with no glyph warnings."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from commlib import plotting


def test_chinese_text_renders_with_bundled_font_and_no_glyph_warning(tmp_path):
    assert plotting.use_chinese_font() is True
    fig, ax = plt.subplots()
    ax.bar(["快递丢失", "噪音扰民"], [3, 2])
    ax.set_xlabel("诉求分类")
    title = ax.set_title("诉求分类：快递丢失、噪音扰民")
    out = tmp_path / "zh.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph ... missing" UserWarning would raise
        fig.savefig(out, dpi=60)
    assert out.stat().st_size > 1000
    resolved = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
    assert font_manager.get_font(resolved).family_name == plotting.CJK_FONT_NAME


def test_use_chinese_font_is_idempotent_and_survives_seaborn_reset():
    import seaborn as sns

    plotting.use_chinese_font()
    first = list(mpl.rcParams["font.sans-serif"])
    plotting.use_chinese_font()
    assert list(mpl.rcParams["font.sans-serif"]) == first
    assert first[:2] == [plotting.CJK_FONT_NAME, "DejaVu Sans"]
    assert first.count(plotting.CJK_FONT_NAME) == 1
    sns.set_theme()  # resets the font list
    plotting.use_chinese_font()
    assert mpl.rcParams["font.sans-serif"][0] == plotting.CJK_FONT_NAME
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_set_theme_applies_font_and_rejects_unknown_language():
    plotting.set_theme("en")
    assert mpl.rcParams["font.sans-serif"][0] == plotting.CJK_FONT_NAME
    with pytest.raises(ValueError, match="lang"):
        plotting.set_theme("fr")


def test_missing_font_logs_which_package_to_install(monkeypatch, caplog):
    monkeypatch.setattr(plotting, "_registered", None)
    monkeypatch.setattr(plotting, "_font_path", lambda: None)
    with caplog.at_level(logging.WARNING, logger="commlib.plotting"):
        assert plotting.use_chinese_font() is False
    assert "mplfonts" in caplog.text


def test_import_has_no_side_effects():
    code = (
        "import matplotlib as mpl; before = list(mpl.rcParams['font.sans-serif']); "
        "import commlib.plotting; "
        "assert list(mpl.rcParams['font.sans-serif']) == before; "
        "from matplotlib import font_manager as fm; "
        "assert not any(f.fname.endswith('NotoSansCJKsc-Regular.otf') "
        "for f in fm.fontManager.ttflist if 'mplfonts' in f.fname)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_vital_palette_marks_vital_rest_and_other():
    colors = plotting.vital_palette([True, False, False], is_other=[False, False, True])
    assert colors == [plotting.VITAL_COLOR, plotting.REST_COLOR, plotting.OTHER_COLOR]


def test_same_data_gives_the_same_chart_bytes(tickets):
    # Determinism: the same data draws the same PNG, byte for byte.
    import io

    import matplotlib.pyplot as plt

    import commlib as cl

    pngs = []
    for _ in range(2):
        ax = cl.pareto_chart(tickets, by="category")
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png", dpi=80)
        plt.close(ax.figure)
        pngs.append(buf.getvalue())
    assert pngs[0] == pngs[1]


def test_cjk_font_face_is_a_subset_of_the_given_characters_and_reproducible():
    import base64
    import io

    from fontTools.ttLib import TTFont

    from commlib.plotting import _font_subset, cjk_font_face

    rule = cjk_font_face("快递丢失，café 3 次")
    data = base64.b64decode(rule.split("base64,")[1].split(")")[0])
    assert data[:4] == b"wOFF"
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {chr(u) for u in cmap} == set("快递丢失，é次")  # non-ASCII only, all of it
    _font_subset.cache_clear()
    assert cjk_font_face("快递丢失，café 3 次") == rule
    assert cjk_font_face("no Chinese here: café") == ""
