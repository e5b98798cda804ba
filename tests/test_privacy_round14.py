"""Names left by the rules on fresh real messages (issue 12, heldout25-27 of
benchmarks/eval_privacy.py, session 14).

Real messages read 现投诉大庆坪中信加油站唐方中，非法用一级粮田 and 本人秦中秋，曾连续几年:
中 was on the list of characters that end places and never a given name, so the rules
left every name holding it (唐方中, 秦中秋, 谢喜中 cut to 谢喜). And 尊敬的超群书记，: a
leader addressed by a given name that is also an everyday word (超群, "outstanding").
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
        # controls: units, words that name no one, and no salutation
        ("尊敬的市委书记，您好。", "尊敬的市委书记，您好。"),
        ("尊敬的领导书记，您好。", "尊敬的领导书记，您好。"),
        ("尊敬的公安局长，您好。", "尊敬的公安局长，您好。"),
        ("尊敬的交警队长：", "尊敬的交警队长："),
        ("尊敬的新任书记，您好。", "尊敬的新任书记，您好。"),
        ("这位书记超群书记都说了。", "这位书记超群书记都说了。"),
    ],
)
def test_round14_names(text, expected):
    assert mask_pii(text) == expected
