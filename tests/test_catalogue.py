"""The one catalogue of user-visible words: both languages, same keys, same placeholders."""

import re

import pytest

from commlib._catalogue import LANGS, MESSAGES, check_lang, placeholders, t

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_both_languages_with_the_same_placeholders(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    assert placeholders(entry["zh"]) == placeholders(entry["en"]), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_english_entries_hold_no_chinese(key):
    assert not CJK.search(MESSAGES[key]["en"]), f"{key}: {MESSAGES[key]['en']!r}"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        check_lang("fr")
    with pytest.raises(ValueError):
        t("common.missing", "de")


def test_placeholders_are_filled():
    assert t(
        "error.missing_columns_hint", "en", where="x", missing="'a'", available="'b'", hint=""
    ).startswith("x is missing column(s) 'a'")
