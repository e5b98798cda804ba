"""Round 9 of the name step, on synthetic sentences.

Every sentence is invented, modelled on shapes seen in real complaint text and replies
(TipDM ``messages_with_replies.xlsx``, set heldout10): a full name right after a party
secretary, a committee member, a police officer or staff with no punctuation after it.
The names are made up.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

import commlib.privacy as _privacy
from commlib.privacy._context import title_before_spans

# These tests pin down commlib's name rules: names="rules". The default names="auto"
# adds the sequence model on top (tests/test_privacy_model*.py, tests/test_privacy.py).
mask_pii = partial(_privacy.mask_pii, names="rules")

NAME = "[姓名]"


def masked(text: str) -> str:
    return mask_pii(pd.Series([text])).iloc[0]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("开会时乡书记覃斌茂是这样承诺的。", "覃斌茂"),
        ("由党委委员邹龙颖同志负责此事。", "邹龙颖"),
        ("当时交警柯凯0170627说要扣分。", "柯凯"),
        ("派出所干警伍易山在所里做了笔录。", "伍易山"),
        ("我方维护人员蒲文静随后打了电话。", "蒲文静"),
        ("现在只有市委书记阎炼红您亲自来处理了。", "阎炼红"),
    ],
)
def test_a_name_right_after_a_secretary_an_officer_or_staff_is_masked(text, name):
    out = masked(text)
    assert name not in out and NAME in out
    assert out.replace(NAME, "") == text.replace(name, "")


@pytest.mark.parametrize(
    "text",
    [
        "工作人员高度重视此事。",
        "工作人员严格按照规定办理。",
        "该书记张贴了通知。",  # 张贴 is a word
        "委员会已经受理。",
        "民警向群众解释。",  # 向 is a preposition here
        "交警大队已经处理。",
    ],
)
def test_words_after_a_secretary_an_officer_or_staff_stay(text):
    assert title_before_spans(text) == []
    assert NAME not in masked(text)


def test_a_name_before_comrade_is_masked_and_spread():
    text = (
        "接到反馈后，局党组立即找到庞一同志谈话，并向庞一同志的同事了解情况。"
        "庞一2015年任所长，对于庞一同志处理的投诉，未发现问题。"
    )
    out = masked(text)
    assert "庞一" not in out
    assert out.count(NAME) == 4 and out.count("同志") == 3
    assert "对于" + NAME in out and "并向" + NAME in out  # 于, 向 are no surnames here
    three = masked("由党委委员邹龙颖同志包案负责。")
    assert "邹龙颖" not in three and "委员" + NAME + "同志" in three


@pytest.mark.parametrize(
    "text",
    [
        "全体同志请注意。",
        "广大同志们辛苦了。",
        "老同志和女同志都来了。",
        "各位同志，该同志表现好。",
    ],
)
def test_comrade_after_ordinary_words_stays(text):
    assert NAME not in masked(text)


def test_a_listed_name_ending_in_zhong_is_masked_and_spread():
    text = "我和大股东魏方中（外号南霸天）闹了分歧。举报施工总包詹兵运、魏方中。"
    out = masked(text)
    assert "魏方中" not in out and "詹兵运" not in out


@pytest.mark.parametrize(
    "text", ["在工作中，我们发现问题。", "张家中午来人了。", "施工过程中，李家中断了供水。"]
)
def test_zhong_meaning_in_stays(text):
    assert NAME not in masked(text)


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        ("当时对接的闫姓的销售员说是实心的。", "闫"),
        ("购买当日闫姓销售员说可以退。", "闫"),
        ("一名郝姓男子在门口闹事。", "郝"),
    ],
)
def test_a_surname_xing_before_a_person_noun_is_masked(text, surname):
    out = masked(text)
    assert surname + "姓" not in out and NAME + "姓" in out


@pytest.mark.parametrize("text", ["同姓的人很多。", "请问您贵姓？", "百家姓的书。", "改姓的孩子。"])
def test_xing_in_words_stays(text):
    assert NAME not in masked(text)
