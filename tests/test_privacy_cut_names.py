"""A three-character name cut after its second character the same way at every place.

Invented sentences modelled on real messages: three brothers whose given names end in
their generation character (谢周|自, 谢平|自), a party to an accident named five times in
a police reply (刘健|三), a thug named twice (肖蔚|中). jieba and the model read the
first two characters as the name and the third as the next word's; the mask then
showed the third character everywhere. ``widen_repeated`` takes it when every
occurrence is cut the same way, or when the three are masked whole elsewhere in the
text or the record.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commlib.privacy import _structure, mask_pii, mask_pii_columns
from commlib.privacy._names import _CACHE
from commlib.privacy._structure import widen_repeated

NAME = "[姓名]"


@pytest.fixture
def switch():
    """Turn the mechanism off and on (clearing the rules' per-text cache each time)."""
    saved = dict(_structure.MECHANISMS)

    def set_(on: bool):
        _structure.MECHANISMS["repeated_third"] = on
        _CACHE.clear()

    yield set_
    _structure.MECHANISMS.clear()
    _structure.MECHANISMS.update(saved)
    _CACHE.clear()


BROTHERS = "户主蒋周自户口早年迁出，蒋周自外出打工多年，蒋周自分得的宅基地被占。"


@pytest.mark.parametrize("names", ["rules", "auto"])
def test_a_name_cut_the_same_way_everywhere_is_masked_whole(switch, names):
    switch(False)
    assert mask_pii(BROTHERS, names=names).startswith("户主[姓名]自户口")
    switch(True)
    assert mask_pii(BROTHERS, names=names) == (
        "户主[姓名]户口早年迁出，[姓名]外出打工多年，[姓名]分得的宅基地被占。"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "三兄弟中，村民罗平自与罗周自分别建了楼房，罗平自外出工作，罗周自留在村里。",
            "三兄弟中，村民[姓名]与[姓名]分别建了楼房，[姓名]外出工作，[姓名]留在村里。",
        ),
        (
            "打手邱蔚党带人砸门，打手邱蔚党（邱军的弟弟）还威胁我们。",
            "打手[姓名]带人砸门，打手[姓名]（[姓名]的弟弟）还威胁我们。",
        ),
        # masked whole twice, cut once: the cut one takes its third character too
        (
            "经查，当事人马健三已向交警报案。认定马健三应承担主要责任，后马健三一方离开现场。",
            "经查，当事人[姓名]已向交警报案。认定[姓名]应承担主要责任，后[姓名]一方离开现场。",
        ),
    ],
)
def test_with_the_model(switch, text, expected):
    switch(False)
    assert mask_pii(text, names="auto") != expected
    switch(True)
    assert mask_pii(text, names="auto") == expected


@pytest.mark.parametrize(
    "raw, masked",
    [
        # the same character, but a word each time: 自己
        ("村民王军自己说要拆，王军自己也签了字。", "村民[姓名]自己说要拆，[姓名]自己也签了字。"),
        # a particle, a verb of speech, a unit, a title
        ("村民王军的房子被拆，王军的车也被砸了。", "村民[姓名]的房子被拆，[姓名]的车也被砸了。"),
        ("王军说不拆，王军说了算。", "[姓名]说不拆，[姓名]说了算。"),
        ("王军组的路坏了，王军组的灯也坏了。", "[姓名]组的路坏了，[姓名]组的灯也坏了。"),
        ("王军书记来了，王军书记走了。", "[姓名]书记来了，[姓名]书记走了。"),
        # a pronoun; a verb before an amount (a shareholder holds 29%)
        ("与夏庭她们打官司，是不是夏庭她假借此事", "与[姓名]她们打官司，是不是[姓名]她假借此事"),
        (
            "唐冬花占71％，龙静占29％。龙静占29％的股份",
            "[姓名]占71％，[姓名]占29％。[姓名]占29％的股份",
        ),
        # different characters after it: a two-character name
        ("王军在村里，王军去镇上。", "[姓名]在村里，[姓名]去镇上。"),
        # once only: no evidence
        ("村民蒋周自外出打工。", "村民[姓名]自外出打工。"),
        # once, before a household word that is a longer word (户口, 家里) or after a
        # word of its own (回家, 外婆家)
        ("村民蒋周自户口迁出。", "村民[姓名]自户口迁出。"),
        ("村民蒋周自家里漏水。", "村民[姓名]自家里漏水。"),
        ("王军回家了。", "[姓名]回家了。"),
        ("王军外婆家漏水。", "[姓名]外婆家漏水。"),
        ("王军老家在湖南。", "[姓名]老家在湖南。"),
        # one occurrence left visible: not every place masked
        ("蒋周自户口迁出，蒋周自外出，蒋周自留。", "[姓名]自户口迁出，[姓名]自外出，蒋周自留。"),
        # the character after it starts the next mask
        ("王军张三说，王军张三来了", "[姓名][姓名]说，[姓名][姓名]来了"),
    ],
)
def test_left_as_it_is(raw, masked):
    assert widen_repeated(raw, masked) == masked


@pytest.mark.parametrize(
    "raw, masked, expected",
    [
        (
            "社区工作人员周力自同志赶到",
            "社区工作人员[姓名]自同志赶到",
            "社区工作人员[姓名]同志赶到",
        ),
        ("去东路村林道树家召开会议", "去东路村[姓名]树家召开会议", "去东路村[姓名]家召开会议"),
        ("对张秋国户两棵桂花树", "对[姓名]国户两棵桂花树", "对[姓名]户两棵桂花树"),
    ],
)
def test_once_before_a_form_of_address_or_a_household(raw, masked, expected):
    assert widen_repeated(raw, masked) == expected


def test_a_name_masked_whole_in_the_message_widens_the_reply():
    frame = pd.DataFrame(
        {
            "text": ["户主谢平自户口迁出，村民谢平自外出打工，谢平自分得宅基地。"],
            "reply": ["镇工作人员上门，与谢平自和您本人进行了核查。"],
        }
    )
    out = mask_pii_columns(frame, columns=["text", "reply"], names="rules")
    assert out.loc[0, "reply"] == "镇工作人员上门，与[姓名]和您本人进行了核查。"
    assert out.loc[0, "text"] == "户主[姓名]户口迁出，村民[姓名]外出打工，[姓名]分得宅基地。"


def test_the_known_names_of_a_record():
    raw, masked = "与谢平自和您本人", "与[姓名]自和您本人"
    assert widen_repeated(raw, masked) == masked
    assert widen_repeated(raw, masked, frozenset({"谢平自"})) == "与[姓名]和您本人"
    assert widen_repeated(raw, masked, frozenset({"谢平安"})) == masked


@pytest.mark.parametrize(
    "text, expected",
    [
        # given names ending in 社 (born in the years of the people's communes)
        ("尊敬的郑局长：我叫黄仔社，K市K1区人。", "尊敬的[姓名]局长：我叫[姓名]，K市K1区人。"),
        (
            "与A市人余新社签订了协议书，致使余新社在协议签订后亏损。",
            "与A市人[姓名]签订了协议书，致使[姓名]在协议签订后亏损。",
        ),
        # organisations ending in 社 stay
        ("我们在江南旅行社报名。", "我们在江南旅行社报名。"),
        ("新华社记者报道。", "新华社记者报道。"),
        ("村里的农民专业合作社。", "村里的农民专业合作社。"),
    ],
)
def test_a_given_name_may_end_in_she(text, expected):
    assert mask_pii(text, names="rules") == expected


@pytest.mark.parametrize(
    "text",
    [
        # 者 ends no given name: 严重者 ("the worst cases") is tagged a name by jieba
        "油烟顺着楼排放上天，严重者居民关上窗后室内依旧充满油烟。",
        # a numeral that numbers the buildings of an estate, not a given name
        "餐饮经营让翡翠林居五、六栋居民苦不堪言。",
        "小区林居三至五栋的居民反映",
    ],
)
def test_words_shaped_like_names_stay(text):
    assert mask_pii(text, names="rules") == text


def test_a_name_ending_in_a_numeral_in_a_list_of_people_is_still_masked():
    assert mask_pii("村民王五、[姓名]来了。", names="rules") == "村民[姓名]、[姓名]来了。"


@pytest.mark.parametrize(
    "text",
    [
        # an office's abbreviation before a document number is no person
        "出院时，说根据楚卫合管发[2015]2号《通知》办理。",
        "根据楚建建[2013]28号文件，加分只能一次。",
        "《违法建筑物限期自拆通知书》（岳学士【2017-563】号）",
    ],
)
def test_document_numbers_stay(text):
    assert mask_pii(text, names="rules") == text
    assert mask_pii(text) == text


def test_a_person_before_a_bracketed_year_is_still_masked():
    # a year that is no document number (not closed by its bracket)
    assert (
        mask_pii("邻居王强（2019年搬走）说过此事。", names="rules")
        == "邻居[姓名]（2019年搬走）说过此事。"
    )


def _groups_by_pattern(raw, masked):
    """placeholder_groups as it was first written: one lazy pattern per text."""
    import re

    from commlib.privacy._structure import _PLACEHOLDER

    parts = _PLACEHOLDER.split(masked)
    kinds = _PLACEHOLDER.findall(masked)
    m = re.fullmatch("(.*?)".join(map(re.escape, parts)), raw, flags=re.S)
    if m is None:
        return None
    return [(m.start(k + 1), m.end(k + 1), kind) for k, kind in enumerate(kinds)]


_PIECES = ["陈", "云", "，", "a", "[", "]", "姓名", "[姓名]", "[电话]", "\n"]


@given(
    st.lists(st.sampled_from(_PIECES), max_size=10).map("".join),
    st.lists(st.sampled_from(_PIECES), max_size=8).map("".join),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4), st.booleans()), max_size=3),
)
@settings(max_examples=400, deadline=None)
def test_placeholder_groups_is_the_lazy_pattern_match(raw, other, cuts):
    """The string search finds what the lazy pattern finds, masks of ``raw`` or not."""
    from commlib.privacy._structure import placeholder_groups

    masked = raw
    for at, length, phone in cuts:  # mask pieces of raw the way the masker does
        at = min(at, len(masked))
        masked = masked[:at] + ("[电话]" if phone else NAME) + masked[at + length :]
    for m in (masked, other):
        assert placeholder_groups(raw, m) == _groups_by_pattern(raw, m)
