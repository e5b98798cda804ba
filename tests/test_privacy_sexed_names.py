"""A name followed by the person's sex, as in a form: 我是何珣，男，现年32岁.

Invented sentences modelled on real messages (TipDM board, 7,142 records): a writer who
introduces himself with 我是 (which the self-introduction rule leaves out: 我是外地人), a
name whose given part is a dictionary word (喻和平: 和平 "peace"), a name at the start of
a clause after a masked ID number. Each case fails with the rule switched off.
"""

from __future__ import annotations

import pytest

from commlib.privacy import _names, find_pii, mask_pii
from commlib.privacy._glued import sexed_name_spans

NAME = "[姓名]"


@pytest.fixture
def off(monkeypatch):
    def switch():
        monkeypatch.setattr(_names, "_CACHE", {})
        monkeypatch.setattr(_names, "sexed_name_spans", lambda text: [])

    return switch


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("尊敬的领导：我是何珣，男，现年32岁，系本县人。", "何珣"),
        ("工人们的遭遇和请求。我叫喻和平，男，现年66岁，身份证号已附。", "喻和平"),
        ("身份证号×××0309.封群雄，男，本省人，务农为生。", "封群雄"),
    ],
)
def test_a_name_before_a_stated_sex_is_masked(text, name, off):
    masked = mask_pii(text)
    assert name not in masked and NAME in masked
    assert find_pii(text)["name"]  # the final check finds what the masker masks
    off()
    assert name in mask_pii(text)
    assert not find_pii(text)["name"]


@pytest.mark.parametrize(
    "text",
    [
        # dictionary words with a surname's first character (jieba tags 师傅 a name)
        "车主，男，45岁，驾驶小型轿车。",
        "师傅，男，约50岁，骑电动车。",
        "申请人，男，1975年出生。",
        "江西人，女，在本地务工。",
        "我是非农户口，女性，今年47周岁。",  # too long for a name
        "原梅花镇西田村五组村民，男，出于1997年。",  # no clause start before the surname
        "王某章（男）学生已转学。",  # a pseudonym the publisher wrote: left as written
        "张三和，男女老少都来了。",  # 男女 is no stated sex
    ],
)
def test_what_only_looks_like_a_name_before_a_sex_stays(text):
    assert sexed_name_spans(text) == []
