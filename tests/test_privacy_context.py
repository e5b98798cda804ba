"""Round 8 of the name step, on synthetic sentences.

Every sentence is invented, modelled on shapes seen in real complaint text: a full name
right after a title noun with no punctuation after it, a self-introduction whose name
ends in a character that usually ends a place, a name listed next to a masked one, and a
public figure named before 总书记. The names are made up.
"""

from __future__ import annotations

import pandas as pd
import pytest

from commlib.privacy import mask_pii
from commlib.privacy._context import loose_enum_spans, title_before_spans

NAME = "[姓名]"


def masked(text: str) -> str:
    return mask_pii(pd.Series([text])).iloc[0]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("当天副局长郑明运约谈了施工单位负责人。", "郑明运"),  # three, a verb after
        ("他被交警中队长李博几年都没有处理。", "李博"),  # two: 几年 is a word
        ("该案由法官欧兵阳审理。", "欧兵阳"),
        ("现场副总指挥黎明树到场处理。", "黎明树"),  # 黎明 is a word, 黎明树 a name
        ("公司法人代表罗扛和副总经理签了字。", "罗扛"),  # two, then 和
        ("业委会推选代表汪国爱）负责此事。", "汪国爱"),
        ("所长艾杰文同志到现场。", "艾杰文"),  # 文同 is a word, 同志 follows
    ],
)
def test_a_name_right_after_a_title_noun_is_masked(text, name):
    out = masked(text)
    assert name not in out and NAME in out
    # the title stays
    assert out.replace(NAME, "") == text.replace(name, "")


@pytest.mark.parametrize(
    "text",
    [
        "局长高度重视此事。",  # 高度 is a word
        "校长陈述了理由。",  # 陈述 is a word (tagged as a name by jieba)
        "组长盖章后才动工。",
        "城市长江大桥通车了。",  # 长江 is a word
        "开发商程宏地产拖延交房。",  # a company follows 开发商
        "请代表全体业主发言。",
    ],
)
def test_words_after_a_title_noun_stay(text):
    assert title_before_spans(text) == []
    assert NAME not in masked(text)


def test_a_verb_after_a_two_character_name_is_not_taken_as_its_third_character():
    out = masked("办案警官毛均能不能给个说法。")
    assert "能不能" in out
    out = masked("鱼塘被组长胡洁独揽，工程款不明。")
    assert "独揽" in out


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("尊敬的领导：我叫郑秋湖，家住某镇某村。", "郑秋湖"),
        ("我叫孟德本，是1998年调来的。", "孟德本"),
    ],
)
def test_a_self_introduced_name_ending_like_a_place_is_masked(text, name):
    assert name not in masked(text)


def test_a_self_introduction_keeps_places_and_pseudonyms():
    assert "王某村" in masked("我叫王某村，家住河边。")  # 某 is a pseudonym, 村 a place unit
    assert "本人湖南" in masked("本人湖南，在外打工。")


def test_a_name_listed_next_to_a_masked_one_is_masked_without_punctuation_around():
    out = masked("我们郁希汉、冯辉龙俩人的报告交到了县政府。")
    assert "郁希汉" not in out and "冯辉龙" not in out
    out = masked("关于冯辉龙、郁希汉两同志的情况说明。")
    assert "郁希汉" not in out


def test_places_listed_next_to_a_masked_name_stay():
    text = f"湖壹号、梅溪郡、{NAME}、宁家坝、金茂府业主"
    assert loose_enum_spans(text) == []
    assert loose_enum_spans(f"{NAME}、武塘纪念亭等") == []


def test_a_public_figure_before_a_title_is_masked_and_a_unit_is_not():
    assert "习近平" not in masked("学习贯彻习近平总书记重要讲话精神。")
    assert "养老院院长" in masked("工作人员伙同养老院院长欺负老人。")
