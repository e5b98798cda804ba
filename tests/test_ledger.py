"""Tests for commlib.ledger and commlib.matching: the three lists, validation, matching."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from commlib.datasets import load_sample
from commlib.datasets._vocab import DEPARTMENTS
from commlib.errors import MissingColumnsError
from commlib.ledger import (
    SCHEMAS,
    LedgerError,
    problems_from_tickets,
    read_ledger,
    validate_ledger,
)
from commlib.matching import GAP_THRESHOLD, match_needs


@pytest.fixture(scope="module")
def ledgers():
    return {k: load_sample(k) for k in ("problems", "needs", "services", "departments")}


# ------------------------------------------------------------------------ the sample
def test_sample_ledgers_are_valid_and_linked(ledgers):
    problems = validate_ledger(ledgers["problems"], kind="problems")
    needs = validate_ledger(ledgers["needs"], kind="needs", problems=problems)
    services = validate_ledger(ledgers["services"], kind="services")
    validate_ledger(ledgers["departments"], kind="departments")
    assert needs["problem_id"].notna().sum() >= 10  # many needs point at a problem
    assert needs["problem_id"].isna().any()  # and some stand alone
    assert str(services["capacity"].dtype) == "Int64"
    assert (services["capacity"] >= 0).all()
    assert not services["contact_role"].str.contains(r"\d{7,}").any()  # roles, not phones
    assert needs["reported_on"].dtype.kind == "M"


def test_duty_list_covers_every_ticket_department_plus_one_without_tickets(ledgers):
    deps = ledgers["departments"]
    assert set(DEPARTMENTS) <= set(deps["department"])
    extra = set(deps["department"]) - set(DEPARTMENTS)
    assert extra == {"街道社区服务办"}
    assert deps["duties"].str.len().min() > 20


# ------------------------------------------------------------------------ validation
def test_duplicate_ids_are_named_with_rows():
    df = pd.DataFrame(
        {"service_id": ["S1", "S2", "S1"], "name": list("abc"), "description": list("xyz")}
    )
    with pytest.raises(LedgerError, match=r"duplicate service_id: 'S1' \(rows 0, 2\)") as err:
        validate_ledger(df, kind="services")
    assert err.value.ids == ["S1"] and err.value.rows == [0, 2]


def test_unknown_problem_reference_is_an_error(ledgers):
    needs = ledgers["needs"].copy()
    needs.loc[3, "problem_id"] = "P999"
    with pytest.raises(LedgerError, match="P999") as err:
        validate_ledger(needs, kind="needs", problems=ledgers["problems"])
    assert err.value.ids == [needs.loc[3, "need_id"]]
    # without a problem list the reference cannot be checked, and is kept
    assert validate_ledger(needs, kind="needs").loc[3, "problem_id"] == "P999"


def test_missing_column_names_the_closest():
    df = pd.DataFrame({"need_id": ["N1"], "descripton": ["x"]})
    with pytest.raises(MissingColumnsError, match="descripton") as err:
        validate_ledger(df, kind="needs")
    assert err.value.missing == ["description"]


def test_all_problems_reported_at_once():
    df = pd.DataFrame(
        {
            "service_id": ["S1", None, "S3"],
            "name": list("abc"),
            "description": list("xyz"),
            "capacity": ["3", "-1", "两个"],
        }
    )
    with pytest.raises(LedgerError) as err:
        validate_ledger(df, kind="services")
    text = str(err.value)
    assert "2 problem(s)" in text and "empty service_id" in text and "两个" in text


def test_bad_kind_and_input_not_mutated(ledgers):
    with pytest.raises(ValueError, match="kind must be"):
        validate_ledger(ledgers["needs"], kind="need")
    before = ledgers["needs"].copy()
    validate_ledger(ledgers["needs"], kind="needs")
    pd.testing.assert_frame_equal(ledgers["needs"], before)


def test_read_ledger_chinese_headers_gb18030_and_file_rows():
    csv = "资源编号,名称,服务内容,容量\nS1,助餐点,老年助餐,80\nS2,志愿队,上门探访,40\nS1,驿站,快递,9\n"
    with pytest.raises(LedgerError) as err:
        read_ledger(io.BytesIO(csv.encode("gb18030")), kind="services")
    assert err.value.rows == [2, 4]  # as the user sees them in Excel
    ok = read_ledger(
        io.BytesIO(csv.replace("S1,驿站", "S3,驿站").encode("gb18030")), kind="services"
    )
    assert ok.columns[:3].tolist() == list(SCHEMAS["services"].required)
    assert ok["capacity"].tolist() == [80, 40, 9]


def test_read_ledger_xlsx(tmp_path, ledgers):
    path = tmp_path / "需求清单.xlsx"
    zh = {
        v: k
        for k, v in SCHEMAS["needs"].headers.items()
        if k
        in (
            "需求编号",
            "需求描述",
            "所属小区",
            "人群",
            "关联问题",
            "征询方式",
            "登记日期",
            "紧迫程度",
        )
    }
    ledgers["needs"].rename(columns=zh).to_excel(path, index=False)
    needs = read_ledger(path, kind="needs", problems=ledgers["problems"])
    assert len(needs) == len(ledgers["needs"])
    assert needs["need_id"].tolist() == ledgers["needs"]["need_id"].tolist()


def test_problems_from_tickets_drafts_vital_few(tickets):
    draft = problems_from_tickets(tickets, min_count=2, threshold=0.5)
    assert set(draft.columns) >= set(SCHEMAS["problems"].required)
    assert draft["problem_id"].is_unique
    validate_ledger(draft, kind="problems")
    top = draft[draft["community"] == "兰亭苑"].iloc[0]
    assert top["category"] == "快递物流" and top["tickets"] == 4


# ------------------------------------------------------------------------ matching
def test_match_needs_on_sample(ledgers):
    res = match_needs(ledgers["needs"], ledgers["services"], top_k=3)
    assert res.threshold == GAP_THRESHOLD
    best = res.matches[res.matches["rank"] == 1].set_index("need_id")
    services = ledgers["services"].set_index("service_id")["name"]
    assert services[best.loc["N005", "service_id"]] == "“老伙伴”探访志愿队"
    assert services[best.loc["N007", "service_id"]] == "电动自行车集中充电棚项目"
    assert "充电" in best.loc["N007", "shared_terms"]
    # the planted unmet needs (legal advice, translation, playground) are the gaps
    assert set(res.gaps["need_id"]) == {"N025", "N026", "N027"}
    assert (res.matches.groupby("need_id")["rank"].max() <= 3).all()
    assert res.matches.groupby("need_id")["score"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_match_needs_capacity_and_reason():
    needs = pd.DataFrame(
        {
            "need_id": ["N1", "N2", "N3"],
            "description": ["老年人助餐送餐", "送餐上门助餐", "老年人午餐助餐"],
        }
    )
    services = pd.DataFrame(
        {
            "service_id": ["S1", "S2"],
            "name": ["助餐点", "托管班"],
            "description": ["老年人午餐助餐，送餐上门", "暑期托管"],
            "capacity": [2, 10],
        }
    )
    res = match_needs(needs, services, top_k=2)
    load = res.load.set_index("service_id")
    assert load.loc["S1", "demand"] == 3 and bool(load.loc["S1", "over_capacity"])
    assert not load.loc["S2", "over_capacity"]
    assert res.matches["reason"].str.startswith("共同词").all()


def test_match_needs_rejects_bad_input(ledgers):
    with pytest.raises(ValueError, match="top_k"):
        match_needs(ledgers["needs"], ledgers["services"], top_k=0)
    with pytest.raises(MissingColumnsError):
        match_needs(ledgers["needs"].drop(columns="description"), ledgers["services"])


# ------------------------------------------------------------------------ languages
def test_ledger_errors_render_in_both_languages():
    from commlib._util import has_cjk

    df = pd.DataFrame(
        {
            "service_id": ["S1", "S1", None],
            "name": list("abc"),
            "description": list("xyz"),
            "capacity": ["2", "-1", "3"],
        }
    )
    with pytest.raises(LedgerError) as err:
        validate_ledger(df, kind="services")
    en, zh = str(err.value), err.value.render("zh")
    assert en == err.value.render("en") and not has_cjk(en)
    assert en.splitlines()[0] == "services list has 3 problem(s):"
    assert zh.splitlines()[0] == "服务清单有 3 个问题："
    assert "capacity 应为非负整数" in zh and "（第 1 行）" in zh
    assert [key for key, _ in err.value.issues] == [
        "ledger.issue.empty_id",
        "ledger.issue.duplicate_id",
        "ledger.issue.not_whole",
    ]


def test_long_lists_are_cut_in_the_message():
    df = pd.DataFrame({"service_id": [None] * 12, "name": list("abcdefghijkl")})
    df["description"] = "x"
    with pytest.raises(LedgerError) as err:
        validate_ledger(df, kind="services")
    assert str(err.value).endswith(" and 2 more")
    assert err.value.render("zh").endswith("等（另有 2 个） 行")
    assert len(err.value.rows) == 12


def test_problems_from_tickets_and_match_needs_in_english(tickets, ledgers):
    from commlib._util import has_cjk

    zh = problems_from_tickets(tickets, min_count=2, threshold=0.5)
    en = problems_from_tickets(tickets, min_count=2, threshold=0.5, lang="en")
    assert (en["status"] == "to check").all() and set(en["priority"]) <= {"high", "medium"}
    assert en["description"].str.contains("12345 tickets, common words: ").all()
    cols = ["problem_id", "community", "category", "tickets", "reported_on"]
    pd.testing.assert_frame_equal(zh[cols], en[cols])
    res = match_needs(ledgers["needs"], ledgers["services"], lang="en")
    reasons = res.matches["reason"]
    assert reasons.str.startswith(("shared words: ", "similar wording")).all()
    assert not reasons[reasons.str.startswith("similar")].map(has_cjk).any()
