"""Names left by the rules on fresh real messages (issue 12, heldout25-27 of
benchmarks/eval_privacy.py, session 14).

Real messages read 现投诉大庆坪中信加油站唐方中，非法用一级粮田 and 本人秦中秋，曾连续几年:
中 was on the list of characters that end places and never a given name, so the rules
left every name holding it (唐方中, 秦中秋, 谢喜中 cut to 谢喜). And 尊敬的超群书记，: a
leader addressed by a given name that is also an everyday word (超群, "outstanding").
Then (heldout30-31) 尊敬的炼红书记：, a given name that is no word whose characters lean
only a little to given names. And (heldout28-29): 社区的张姓、宋姓领导 (surnames + 姓 listed before one role, and 领导
as a role), and 女儿出生时起名解雅蕾，后来...填上了解雅蕾 (a name given, after 起名/取名/
改名为, with a surname the running rules leave out because it is also a word: 解).
Synthetic sentences modelled on them; each fails on the rules before this round unless
marked as a control.
"""

from __future__ import annotations

from functools import partial

import pytest

import commlib.privacy as _privacy

mask_pii = partial(_privacy.mask_pii, names="rules")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 中 in a given name
        (
            "现投诉城东加油站唐方中，非法占用农田建站。",
            "现投诉城东加油站[姓名]，非法占用农田建站。",
        ),
        ("本人秦中秋，曾在镇上种植油菜。", "本人[姓名]，曾在镇上种植油菜。"),
        ("镇文化站站长谢喜中等相关人员到场。", "镇文化站站长[姓名]等相关人员到场。"),
        # controls: schools and 中 as "in" stay
        ("长郡中学的学生放学后在门口聚集。", "长郡中学的学生放学后在门口聚集。"),
        ("在这次事件中，王某说他不知情。", "在这次事件中，王某说他不知情。"),
        # a school level before a title is no given name (初高中老师)
        ("后面住户大多是初高中老师和家属。", "后面住户大多是初高中老师和家属。"),
        ("我的高中同学都搬走了。", "我的高中同学都搬走了。"),
        # a given name that is an everyday word, right after a salutation
        ("尊敬的超群书记，我要投诉门面通宵噪音。", "尊敬的[姓名]书记，我要投诉门面通宵噪音。"),
        # ... and a given name that is no word, whose characters lean less to names
        ("尊敬的炼红书记：我是一名市民。", "尊敬的[姓名]书记：我是一名市民。"),
        # controls: units, words that name no one, and no salutation
        ("尊敬的市委书记，您好。", "尊敬的市委书记，您好。"),
        ("尊敬的领导书记，您好。", "尊敬的领导书记，您好。"),
        ("尊敬的公安局长，您好。", "尊敬的公安局长，您好。"),
        ("尊敬的交警队长：", "尊敬的交警队长："),
        ("尊敬的新任书记，您好。", "尊敬的新任书记，您好。"),
        ("这位书记超群书记都说了。", "这位书记超群书记都说了。"),
        # surname + 姓 before a role, listed
        ("社区的宋姓领导作为第三方在场。", "社区的[姓名]姓领导作为第三方在场。"),
        ("街道的张姓、宋姓领导在场见证。", "街道的[姓名]、[姓名]姓领导在场见证。"),
        # controls: 姓 in words
        ("百家姓里没有这个字。", "百家姓里没有这个字。"),
        ("老百姓领导不了这件事。", "老百姓领导不了这件事。"),
        # a name given, and the same name later in the text
        (
            "女儿出生时起名解雅蕾，后来学校说填上解雅蕾也行。",
            "女儿出生时起名[姓名]，后来学校说填上[姓名]也行。",
        ),
        ("他去年改名为邓雨桐。", "他去年改名为[姓名]。"),
        # controls: companies, estates, pets and words renamed
        ("公司更名为长房集团。", "公司更名为长房集团。"),
        ("小区改名为金色家园。", "小区改名为金色家园。"),
        ("给狗起名旺财，", "给狗起名旺财，"),
        ("取名为和平。", "取名为和平。"),
    ],
)
def test_round14_names(text, expected):
    assert mask_pii(text) == expected
