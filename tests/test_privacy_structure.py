"""Structural mechanisms of the name step (round 7), on synthetic sentences.

Each sentence is invented, modelled on the shapes seen in real complaint text: a person
noun before a name, a name cut after its second character, a name the dictionary lists
at a clause end after a role, and a name found in a message masked in its reply.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

import commlib.privacy as _privacy
from commlib.errors import MissingColumnsError
from commlib.privacy import _structure
from commlib.privacy._names import _CACHE
from commlib.privacy._structure import person_noun
from commlib.privacy._together import replaced_names

# These tests pin down commlib's name rules: names="rules". The default names="auto"
# adds the sequence model on top (tests/test_privacy_model*.py, tests/test_privacy.py).
mask_pii = partial(_privacy.mask_pii, names="rules")
mask_pii_columns = partial(_privacy.mask_pii_columns, names="rules")

NAME = "[姓名]"


@pytest.fixture
def mechanisms():
    """Restore the switches (and the per-text cache) after a test changes them."""
    saved = dict(_structure.MECHANISMS)
    yield _structure.MECHANISMS
    _structure.MECHANISMS.clear()
    _structure.MECHANISMS.update(saved)
    _CACHE.clear()


def test_person_noun_reads_the_last_character():
    assert person_noun("操盘手", "n")
    assert person_noun("老伴", "n")
    assert not person_noun("手续", "n")  # listed: no person
    assert not person_noun("动手", "v")  # a verb
    assert not person_noun("聚利人", "n")  # no dictionary word: a company's name


def test_a_person_noun_before_a_name_is_context(mechanisms):
    text = "据群众反映，操盘手黄韬，常年在外地。"
    assert mask_pii(text) == "据群众反映，操盘手[姓名]，常年在外地。"
    mechanisms["person_noun"] = False
    _CACHE.clear()
    assert NAME not in mask_pii(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我奶奶李秋顺于2009年过世。", "我奶奶[姓名]于2009年过世。"),
        ("我与老伴黄孚新夫妇二人年近七旬。", "我与老伴[姓名]夫妇二人年近七旬。"),
        ("我名李明占，居住在新桥村。", "我名[姓名]，居住在新桥村。"),
    ],
)
def test_a_name_cut_after_its_second_character_keeps_its_third(text, expected):
    assert mask_pii(text) == expected


def test_a_dictionary_word_is_not_lengthened():
    # 白兰|玉 and 田螺|种 are words plus a character, not names cut short
    for text in ("原石材为白兰玉，现为黄色。", "去外地购买田螺种，被填掉了。"):
        assert NAME not in mask_pii(text)


def test_a_listed_person_after_a_role_at_a_clause_end(mechanisms):
    assert mask_pii("新屋组村民周波，要求补助。") == "新屋组村民[姓名]，要求补助。"
    # an everyday word the dictionary tags as a name stays
    assert mask_pii("业主许可，才能动工。") == "业主许可，才能动工。"
    assert mask_pii("市民文明，城市整洁。") == "市民文明，城市整洁。"
    mechanisms["known_alone"] = False
    _CACHE.clear()
    assert NAME not in mask_pii("新屋组村民周波，要求补助。")


def test_replaced_names_aligns_placeholders():
    assert replaced_names("村民周波，电话0000-00000000", "村民[姓名]，电话[电话]") == {"周波"}
    assert replaced_names("没有名字", "没有名字") == set()
    # a text changed otherwise gives nothing rather than a wrong string
    assert replaced_names("甲乙丙", "丁[姓名]") == set()


def test_mask_pii_columns_spreads_a_name_from_message_to_reply():
    df = pd.DataFrame(
        {
            "text": ["新屋组村民周波，要求危房补助。", "路灯坏了。", None],
            "reply": ["经电话联系周波所获得的信息，不符合政策。", "已修复。", "已回复周波。"],
        },
        index=[10, 11, 12],
    )
    out = mask_pii_columns(df, columns=["text", "reply"])
    assert out.loc[10, "reply"] == "经电话联系[姓名]所获得的信息，不符合政策。"
    assert out.loc[11, "reply"] == "已修复。"
    assert pd.isna(out.loc[12, "text"])
    assert list(out.index) == [10, 11, 12]
    assert df.loc[10, "reply"].startswith("经电话联系周波")  # input unchanged
    # each column alone: the reply gives no context for the name
    assert NAME not in mask_pii(df.loc[10, "reply"])


def test_mask_pii_columns_does_not_spread_everyday_words():
    df = pd.DataFrame({"text": ["市民文明，城市整洁。"], "reply": ["感谢您对文明城市的关注。"]})
    out = mask_pii_columns(df)
    assert out.loc[0, "reply"] == "感谢您对文明城市的关注。"


def test_mask_pii_columns_is_idempotent_and_checks_its_input():
    df = pd.DataFrame({"text": ["村民周波，要求补助。"], "reply": ["联系周波核实。"]})
    once = mask_pii_columns(df)
    assert mask_pii_columns(once).equals(once)
    with pytest.raises(MissingColumnsError, match="missing column"):
        mask_pii_columns(df, columns=["body"])
    with pytest.raises(TypeError, match="DataFrame"):
        mask_pii_columns(df["text"])


def test_spreading_masks_again_what_a_spread_name_gives_away():
    # the reply lists the spread name next to another (陈云、何华孝): once 陈云 is masked,
    # the masker reads 何华孝 as a listed name, so the reply is masked again; nothing
    # find_pii sees survives (real TipDM replies showed it)
    from commlib.privacy import find_pii

    df = pd.DataFrame(
        {
            "text": ["新胜组村民陈云，要求危房补助。"],
            "reply": ["经核实，陈云、何华孝二人未提供材料。"],
        }
    )
    out = mask_pii_columns(df)
    assert "何华孝" not in out.loc[0, "reply"]
    assert int(find_pii(out["reply"]).to_numpy().sum()) == 0
