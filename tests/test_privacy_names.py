"""Person names in running text: rules of the fourth round (issue 12).

Synthetic sentences modelled on the real TipDM messages; each fails without its rule.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

import commlib.privacy as _privacy
from commlib.privacy import find_pii

# These tests pin down commlib's name rules: names="rules". The default names="auto"
# adds the sequence model on top (tests/test_privacy_model*.py, tests/test_privacy.py).
mask_pii = partial(_privacy.mask_pii, names="rules")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relation word before or after a two-character name
        ("在我们老乡杨诚的带领下去外地干活", "在我们老乡[姓名]的带领下去外地干活"),
        ("工地由杨诚弟弟杨李代理", "工地由[姓名]弟弟[姓名]代理"),
        ("我的战友罗勇的车堵了路", "我的战友[姓名]的车堵了路"),
        ("她同事邹凯，也被辞退了", "她同事[姓名]，也被辞退了"),
        # a role, a name, then a two-character adverb
        ("该项目实际控制人郭波剑私自挪用资金", "该项目实际控制人[姓名]私自挪用资金"),
        ("包工头邓永福一直拖欠工资", "包工头[姓名]一直拖欠工资"),
        # handed to a person, punctuation after the name
        ("将办公楼206分配给汤群新。", "将办公楼206分配给[姓名]。"),
        # a two-character name ending in 业 before an official title (guards the 林业 rule)
        ("王建业局长说", "[姓名]局长说"),
    ],
)
def test_names_after_relations_adverbs_and_handing_over(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # courtesy and ordinary words jieba tags as names, after a role and punctuation
        "我们这些守法的小市民，谢谢。",
        "未经全体业主许可，在小区搭建",
        # relation words are no names themselves (guards the relation rule)
        "又怎么能指望老人带孙子孙女。",
        # a sector before an official title is an office, not surname + given name
        "依据A市林业局长签发的决定",
        "麻烦书记、帮我们看看",
        # an estate or a hospital: a word read as a place once is a place everywhere
        "东城名苑、楚天雅郡等小区",
        "到楚雅二医院看病，结果被楚雅二两个科室踢来踢去",
        # materials and negations are no given names
        "自来水管流出的全是黄巴泥，",
        "施工验收单位章未盖齐，",
        # a school by its kind after its place name (完小: a full primary school; heldout24)
        "2018年开学初马石完小部分家长要求孩子饮用桶装矿泉水",
    ],
)
def test_name_like_words_stay(text):
    assert mask_pii(text) == text


def test_found_names_do_not_survive_masking():
    texts = pd.Series(
        [
            "在我们老乡杨诚的带领下，杨诚弟弟杨李代理",
            "实际控制人郭波剑私自挪用资金，分配给汤群新。",
        ]
    )
    masked = mask_pii(texts)
    assert not find_pii(masked)["name"].any()
    for raw, out in zip(texts, masked, strict=True):
        assert "杨诚" not in out and "郭波剑" not in out and "汤群新" not in out, raw


# --- the character model (commlib/privacy/_namemodel.py) -------------------------------
# Names jieba does not tag as one name: a surname alone then pieces (贺|安妮, 聂|欣怡), or
# a head glued to what follows (符东哓由 read as one unknown token). Each fails without
# the model (checked with MODEL_THRESHOLD raised out of reach).
_MODEL_NAMES = [
    ("爱心平台贺安妮到家里看望过我。", "爱心平台[姓名]到家里看望过我。"),
    ("志愿者贺安妮多次来看望老人。", "志愿者[姓名]多次来看望老人。"),
    ("当时哥哥符东哓由父亲抚养。", "当时哥哥[姓名]由父亲抚养。"),
    ("我们找到了聂欣怡，她说不知道。", "我们找到了[姓名]，她说不知道。"),
]
# Name-like non-names: places, estates and ordinary words made of surname characters
_MODEL_NON_NAMES = [
    "高新区的马路上车很多。",
    "金山桥下的石桥需要维修。",
    "王府井白天人很多，方案还没定。",
    "石桥村的道路白天很堵。",
    "请马上处理高新区金山路的问题。",
    "希望方案尽快落实，白天施工。",
    "我们和政府沟通过，于今年完成。",
    "向阳小区的马路边有垃圾。",
    "高血压患者需要关怀。",
    "楚江河里有垃圾。",
    "他把钱输掉了。",
    "金山区石桥镇高新技术园",
]


@pytest.mark.parametrize(("text", "expected"), _MODEL_NAMES)
def test_model_finds_names_jieba_cuts(text, expected):
    assert mask_pii(text) == expected
    assert bool(find_pii(text)["name"])


@pytest.mark.parametrize(("text", "expected"), _MODEL_NAMES)
def test_model_is_what_finds_them(text, expected, monkeypatch):
    from commlib.privacy import _namemodel, _names

    monkeypatch.setattr(_namemodel, "MODEL_THRESHOLD", (99.0, 99.0))
    monkeypatch.setattr(_names, "_CACHE", {})
    assert mask_pii(text) == text


@pytest.mark.parametrize("text", _MODEL_NON_NAMES)
def test_model_keeps_name_like_words(text):
    assert mask_pii(text) == text
    assert not find_pii(text)["name"]


def test_model_tables_built_once_and_ordered():
    from commlib.privacy._namemodel import name_score, tables

    assert tables() is tables()
    assert name_score("贺", "安妮") > 0 > name_score("高", "新区")
    assert name_score("王", "建华") > name_score("和", "政府")
    # a given name that is a frequent word scores lower than the same characters' reading
    assert name_score("李", "自然") < 0


# --- fifth round: rules that read characters, not jieba's tokens (commlib/privacy/_glued.py)
# Modelled on misses in held-out sets 3 and 4 (TipDM messages_with_replies.xlsx). Each
# positive case fails with its rule switched off (the ``off`` fixture argument).
def _off_title(mp):
    from commlib.privacy import _names

    mp.setattr(_names, "title_char_spans", lambda text: [])
    # (a salutation's surname is also found by the salutation rule of round 10)
    mp.setattr(_names, "salutation_title_spans", lambda text: [])


def _off_glued(mp):
    from commlib.privacy import _glued, _names

    mp.setattr(_names, "extend_glued", lambda text, spans, surnames: list(spans))
    mp.setattr(_glued, "glued_spans", lambda *a, **k: [])


def _off_role_after(mp):
    from commlib.privacy import _namemodel, _names

    mp.setattr(_names, "_ROLES_AFTER", ())
    mp.setattr(_namemodel, "_ROLES_AFTER", ())


def _off_self(mp):
    from commlib.privacy import _names

    mp.setattr(_names, "self_named_spans", lambda text: [])


_ROUND5 = [
    # an everyday-word surname before an official title (方 "side", 高 "high")
    (
        "尊敬的方市长：您好，我们小区的路灯坏了",
        "尊敬的[姓名]市长：您好，我们小区的路灯坏了",
        _off_title,
    ),
    ("希望方市长能理解家长的担心。", "希望[姓名]市长能理解家长的担心。", _off_title),
    ("恳请高局长过问此事。", "恳请[姓名]局长过问此事。", _off_title),
    # a name glued to a function character that a second one follows
    ("村民李建在在村口堆放垃圾", "村民[姓名]在村口堆放垃圾", _off_glued),
    ("2009年，王巳和与公司签订了合同", "2009年，[姓名]与公司签订了合同", _off_glued),
    ("在村干部陈林已的带领下", "在村干部[姓名]的带领下", _off_glued),
    # (公司当时负责人刘强小签收 was here: since round 19 the role-and-word rule reads it
    # too, so switching the glued rules off no longer changes it; it is tested in
    # tests/test_privacy_round15.py)
    # a role noun after a name outweighs a place prefix
    ("商铺被A市龚梦龙债权人冻结。", "商铺被A市[姓名]债权人冻结。", _off_role_after),
    ("石塘铺村胡海山党员家照常营业", "石塘铺村[姓名]党员家照常营业", _off_role_after),
    # the writer's own name, jieba reads it as a place
    ("本人奉丹，于2017年6月购买商铺一间", "本人[姓名]，于2017年6月购买商铺一间", _off_self),
]


@pytest.mark.parametrize(("text", "expected", "off"), _ROUND5)
def test_round5_character_rules(text, expected, off, monkeypatch):
    assert mask_pii(text) == expected
    assert bool(find_pii(text)["name"])
    from commlib.privacy import _names

    monkeypatch.setattr(_names, "_CACHE", {})
    off(monkeypatch)
    assert mask_pii(text) != expected


@pytest.mark.parametrize(
    "text",
    [
        # the surname character belongs to a word before it, or the title to one after it
        "地方市长热线一直打不通。",
        "对方经理不接电话。",
        "双方校长已经见过面。",
        "全市长期存在这个问题。",
        "高校长期拖欠工资。",
        "班主任说要补课。",
        "请向局长反映情况。",
        "我们和书记说过了。",
        # a function character after a name, then a word that may follow it
        "张建在家里休息。",
        "王强和我一起去的。",
        "李明已不在公司。",
        # an estate named after its owner: a given name jieba tags as a place
        "问题楼盘邦安华城二期烂尾了。",
        "F6县邦安华城老板跑了。",
        # after 本人 an ordinary word or a frequent place
        "本人湖南，在外打工。",
        "本人同意，请尽快办理。",
        "本人高兴，谢谢。",
    ],
)
def test_round5_name_like_words_stay(text):
    assert mask_pii(text) == text
    assert not find_pii(text)["name"]


def test_round5_found_names_do_not_survive_masking():
    texts = pd.Series([t for t, _, _ in _ROUND5])
    masked = mask_pii(texts)
    assert not find_pii(masked)["name"].any()


def test_round5_estate_rule_is_what_keeps_them(monkeypatch):
    from commlib.privacy import _namemodel, _names

    text = "楼盘邦安华城老板李某因自己赌博"  # 老板 says person: the estate end keeps it
    assert mask_pii(text) == text
    monkeypatch.setattr(_names, "_CACHE", {})
    monkeypatch.setattr(_namemodel, "_ESTATE_END", frozenset())
    assert mask_pii(text) != text


# Round 6 (heldout6): synthetic sentences modelled on what the set showed.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a leader's given name alone before an official title
        ("麻烦淑文书记督促落实此事", "麻烦[姓名]书记督促落实此事"),
        ("请市委、市政府，雅琴书记、振雄市长关注", "请市委、市政府，[姓名]书记、[姓名]市长关注"),
        # a surname + 姓 after a counted person
        ("接待我的是一位柯姓工作人员", "接待我的是一位[姓名]姓工作人员"),
        ("又转给另一位尹姓教练", "又转给另一位[姓名]姓教练"),
        # kinship and coach titles after a surname
        ("每年柯婆婆都来打扫", "每年[姓名]婆婆都来打扫"),
        ("驾校尹教练员要我们补考", "驾校[姓名]教练员要我们补考"),
        # a full name jieba cuts apart before a title (彭|中建|主任)
        ("社区彭中建主任要我运走垃圾", "社区[姓名]主任要我运走垃圾"),
        # a name after a village is a place there, a person elsewhere in the text
        (
            "东湖村谭尊富信访问题的情况说明。户主为谭尊富，男，1981年出生。",
            "东湖村[姓名]信访问题的情况说明。户主为[姓名]，男，1981年出生。",
        ),
    ],
)
def test_round6_rules(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "谢谢书记！",  # a courtesy word before a title
        "您于3月4日在平台书记问政发布的帖文",  # 平台 is a word
        "要加强厨房师傅的技术培训",  # 厨房 is a word
        "党支部书记和村委会主任都到了",
        "我们学校的高中校长很负责",
        "金福超市长期在店外经营",  # 超市 | 长期
        "填写姓名和姓氏",  # 姓名 is no surname + 姓
        "我婆婆拿着报告去签字",  # no surname before 婆婆
    ],
)
def test_round6_non_names_stay(text):
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the title rule reads 云峰总经理 as surname 云: the surname before it is taken too
        ("，游云峰总经理说", "，[姓名]总经理说"),
        # a village cadre role before a name glued to 在
        ("由村委会综治专干严永在12月10日下午召集", "由村委会综治专干[姓名]在12月10日下午召集"),
        # a surname the running rules leave out, standing alone in a numbered list,
        # and found once, everywhere in the text
        ("主要发起人为费志刚。4.费志刚。", "主要发起人为[姓名]。4.[姓名]。"),
        # 和 inside a name in a list of names
        ("本组龚和均，肖利华，陈松明来阻工", "本组[姓名]，[姓名]，[姓名]来阻工"),
        # a name joined by 和 to a person word, or followed by a sex in a record
        ("公司工作人员和柯婷都断了联系", "公司工作人员和[姓名]都断了联系"),
        ("信访人基本情况严俊，男，1981年出生", "信访人基本情况[姓名]，男，1981年出生"),
        # a given name typed in pinyin
        (
            "实际控制人于xiang跑路，于xiang一直在官网发公告。",
            "实际控制人[姓名]跑路，[姓名]一直在官网发公告。",
        ),
    ],
)
def test_round6_more_rules(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "县二中高三班主任要求高三同学，从初七开始补课",  # a school year
        "靖港、乔dun、铜官都是景点",  # pinyin in a list of places
        "前往B市方cun欢乐世界",  # pinyin after a place unit
        "车是楚a绿牌",  # one letter
        "线路经过交汇处）-黎家冲（湖高路",  # a village alone between punctuation
        "运管在路上查教练车，并且罚款",  # 教练车 is a word
        "业主与高峰都同意",  # a dictionary word joined to a person word
    ],
)
def test_round6_more_non_names_stay(text):
    assert mask_pii(text) == text
