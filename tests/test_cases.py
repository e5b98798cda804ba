"""Tests for the café-street sample tables (merchant requests, resident survey)."""

from __future__ import annotations

import pytest

from commlib.datasets import _sample, load_sample


@pytest.mark.parametrize("name", ["merchant_requests", "cafe_survey"])
def test_bundled_case_files_match_regeneration(name):
    path = _sample.sample_dir() / _sample.SAMPLE_FILES[name]
    assert path.read_bytes() == _sample._file_bytes(name)


def test_merchant_requests_shape():
    m = load_sample("merchant_requests")
    assert 150 <= len(m) <= 300
    assert m["request_id"].is_unique
    assert m["address"].str.match(r"^桐荫路\d+号$").all()
    assert m["request"].str.contains("人车混行|人行道").mean() > 0.2


def test_cafe_survey_waves():
    s = load_sample("cafe_survey")
    assert set(s["wave"]) == {"before", "after"}
    assert s["satisfaction"].between(1, 5).all()
    assert s["respondent_id"].is_unique
