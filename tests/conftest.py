"""Shared fixtures: small ticket frames with fixed seeds, language checks (figures are
closed by the root conftest.py, for the doctests too)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def sync():
    """Dask's synchronous scheduler for one test (the tests of commlib.dask)."""
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="session")
def _sample_cleaned() -> pd.DataFrame:
    import commlib as cl

    return cl.clean_tickets(cl.load_sample("tickets")).tickets


@pytest.fixture
def sample_tickets(_sample_cleaned) -> pd.DataFrame:
    """The bundled sample, cleaned with the defaults: once per test process (13 s), a
    copy per test."""
    return _sample_cleaned.copy()


@pytest.fixture
def tickets() -> pd.DataFrame:
    """A tiny clean ticket frame with canonical columns."""
    return pd.DataFrame(
        {
            "ticket_id": [f"GD{i:04d}" for i in range(10)],
            "created_at": pd.to_datetime(
                [
                    "2024-01-03 09:00",
                    "2024-01-05 10:30",
                    "2024-01-09 20:15",
                    "2024-02-01 08:00",
                    "2024-02-11 22:40",
                    "2024-02-14 13:05",
                    "2024-03-02 07:55",
                    "2024-03-08 18:20",
                    "2024-03-18 21:00",
                    "2024-03-30 12:00",
                ]
            ),
            "category": ["快递物流"] * 4 + ["噪音扰民"] * 3 + ["环境卫生"] * 2 + ["绿化养护"],
            "text": [
                "快递丢失，门口堆放无人管",
                "快递放在大门口被拿走",
                "快递小哥把包裹堆在小区门口",
                "快递丢了三次",
                "楼上装修噪音很吵",
                "夜间广场舞噪音扰民",
                "酒吧噪音到凌晨",
                "垃圾桶满了没人清",
                "楼道里有人乱扔垃圾",
                "树枝挡住窗户需要修剪",
            ],
            "address": [
                "云岭西路123号",
                "云岭西路１２３号",
                "兰亭苑3号楼",
                "兰亭苑5号楼",
                "桂香小区7号",
                "桂香小区广场",
                "桐荫路88号",
                "兰亭苑2号楼",
                "桂香小区9号",
                "兰亭苑绿地",
            ],
            "community": ["兰亭苑"] * 4 + ["桂香小区"] * 3 + ["兰亭苑"] * 2 + ["兰亭苑"],
        }
    )


# ------------------------------------------------------------------ language checks
#: Chinese characters and full-width punctuation: none may appear in English output.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
#: Latin words a Chinese text may keep: notation and proper names, not sentences.
ZH_ALLOWED = re.compile(r"\b(CI|Holm|p|Newey-West)\b")


def _assert_language(texts, lang):
    for text in texts:
        if lang == "en":
            assert not CJK.search(text), f"Chinese in English output: {text!r}"
        else:
            assert not re.search(r"[A-Za-z]", ZH_ALLOWED.sub("", text)), (
                f"English in Chinese output: {text!r}"
            )


def _figure_words(fig) -> list[str]:
    """Every text a figure shows: titles, axis labels, tick labels, legends, notes."""
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [t.get_text() for t in ax.texts]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
            out.append(ax.get_legend().get_title().get_text())
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    return [w for w in out if w]


@pytest.fixture
def assert_language():
    """``assert_language(texts, lang)``: no Chinese in en output, no English words in zh."""
    return _assert_language


@pytest.fixture
def figure_words():
    """``figure_words(fig)``: every text a matplotlib figure shows."""
    return _figure_words
