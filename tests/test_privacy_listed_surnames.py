"""Surnames listed before one shared title (issue 12, heldout24 of benchmarks/eval_privacy.py).

A real message read 债委会再次向李、肖两警官提供了线索: two police officers, each named by
surname, sharing 警官 after a count. The rules took 肖两 for a full name and left 李.
Synthetic sentences modelled on it; each fails without the rule unless marked.
"""

from __future__ import annotations

from functools import partial

import pytest

import commlib.privacy as _privacy

mask_pii = partial(_privacy.mask_pii, names="rules")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("债委会再次向李、肖两警官提供了线索。", "债委会再次向[姓名]、[姓名]两警官提供了线索。"),
        ("他找到王、张两位书记反映情况。", "他找到[姓名]、[姓名]两位书记反映情况。"),
        ("王和张两位老师都来了。", "[姓名]和[姓名]两位老师都来了。"),
        ("请李、肖警官尽快处理。", "请[姓名]、[姓名]警官尽快处理。"),
        # a count is no given name: 两 and 几 name no one
        ("维护和平两位书记都说要解决。", "维护和平两位书记都说要解决。"),
        # controls: a single surname title and a full name before a title stay as they were
        ("肖警官来了。", "[姓名]警官来了。"),
        ("王建国书记来了。", "[姓名]书记来了。"),
    ],
)
def test_listed_surnames_share_a_title(text, expected):
    assert mask_pii(text) == expected
