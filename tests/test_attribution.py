"""Tests for commlib.attribution: entities, aliases, planted and null sources, 311, chart."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commlib.attribution import (
    SourceLinks,
    entity_lexicon,
    extract_entities,
    link_sources,
    place_aliases,
    problem_kinds,
    source_timeline,
)
from commlib.errors import CommlibError, MissingColumnsError

DATA = Path(__file__).parent / "data"

CATEGORIES = ["噪音扰民", "环境卫生", "停车管理", "物业服务", "占道经营", "油烟扰民", "用电安全"]
DEPARTMENTS = {
    "噪音扰民": "派出所",
    "环境卫生": "绿化市容所",
    "停车管理": "交警中队",
    "物业服务": "房管办",
    "占道经营": "城管执法中队",
    "油烟扰民": "市场监管所",
    "用电安全": "供电公司",
}
BACKGROUND_TEXT = ["楼上很吵", "垃圾没人清", "车乱停", "物业不管", "路边摆摊", "有油烟", "电线乱拉"]


def _background(seed: int, n: int = 1500, n_places: int = 60) -> pd.DataFrame:
    """Random tickets: uniform times over a year, random places and categories."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    cats = rng.choice(CATEGORIES, size=n)
    return pd.DataFrame(
        {
            "ticket_id": [f"BG{seed}-{i:05d}" for i in range(n)],
            "created_at": start + pd.to_timedelta(rng.uniform(0, 365, n), unit="D"),
            "category": cats,
            "department": [DEPARTMENTS[c] for c in cats],
            "text": rng.choice(BACKGROUND_TEXT, size=n),
            "address_key": [f"云岭西路58弄{k}号" for k in rng.integers(1, n_places + 1, n)],
            "community": "云岭花园",
        }
    )


def _stall(place: str = "云岭西路123号", start: str = "2024-06-03") -> pd.DataFrame:
    """Seven tickets of five categories about one noodle stall within ten days."""
    cats = ["噪音扰民", "环境卫生", "用电安全", "油烟扰民", "占道经营", "环境卫生", "噪音扰民"]
    texts = [
        "面馆半夜吵",
        "面摊污水横流",
        "小面店私拉电线",
        "面馆油烟直排",
        "面摊占道",
        "面馆泔水",
        "面摊吆喝",
    ]
    t0 = pd.Timestamp(start)
    return pd.DataFrame(
        {
            "ticket_id": [f"ST{i}" for i in range(7)],
            "created_at": [t0 + pd.Timedelta(days=d, hours=19) for d in (0, 1, 3, 4, 6, 8, 10)],
            "category": cats,
            "department": [DEPARTMENTS[c] for c in cats],
            "text": texts,
            "address_key": place,
            "community": "云岭花园",
        }
    )


# ----------------------------------------------------------------- entities


def test_extract_entities_longest_word_and_canonical_name():
    df = pd.DataFrame(
        {"text": ["楼下小面摊半夜很吵", "卖面的摊位占道", "工地夜间施工", "楼上漏水"]}
    )
    assert extract_entities(df).tolist()[:3] == ["面馆", "面馆", "工地"]
    assert pd.isna(extract_entities(df).iloc[3])


def test_extract_entities_english_needs_word_boundaries():
    df = pd.DataFrame({"text": ["Loud music from the BAR next door", "Barrier broken on sidewalk"]})
    out = extract_entities(df)
    assert out.iloc[0] == "bar"
    assert pd.isna(out.iloc[1])


def test_extract_entities_user_lexicon_extends_and_generic_pattern():
    df = pd.DataFrame({"text": ["牛肉面馆门口很脏", "那家理发店噪音大"]})
    lex = {**entity_lexicon(), "牛肉面馆": "牛肉面馆"}
    assert extract_entities(df, lexicon=lex).tolist() == ["牛肉面馆", "理发店"]
    assert pd.isna(extract_entities(df, lexicon=lex, patterns=False).iloc[1])


def test_place_aliases_merges_compound_and_road_keys_only_when_unique():
    df = pd.DataFrame(
        {
            "address_key": [
                "枫林新村7号",
                "青枫路350弄7号",
                "兰亭苑3号",
                "锦秀路66弄3号",
                "锦秀路68弄3号",
            ],
            "community": ["枫林新村", "枫林新村", "兰亭苑", "兰亭苑", "兰亭苑"],
        }
    )
    table = place_aliases(df)
    # 兰亭苑3号 has two road-style candidates: left alone
    assert table[["alias", "place"]].to_numpy().tolist() == [["枫林新村7号", "青枫路350弄7号"]]
    assert place_aliases(df.drop(columns="community")).empty


# ----------------------------------------------------------------- planted and null


def test_planted_multi_category_source_is_found_and_strong():
    df = pd.concat([_background(1), _stall()], ignore_index=True)
    links = link_sources(df, n_permutations=19, random_state=0)
    top = links.sources.iloc[0]
    assert top["place"] == "云岭西路123号"
    assert top["entity"] == "面馆"
    assert top["n_categories"] == 5 and top["n_departments"] == 5
    assert bool(top["strong"]) and top["p_value"] <= 0.05
    assert top["score"] > links.null_scores.max()
    stall_ids = links.mapping.loc[df["ticket_id"].str.startswith("ST"), "source_id"]
    assert (stall_ids == top["source_id"]).all()
    assert len(top["examples"]) == 3 and len(set(top["categories"][:3])) == 3


@pytest.mark.parametrize("seed", [2, 3])
def test_random_tickets_produce_no_strong_source(seed):
    links = link_sources(_background(seed), n_permutations=19, random_state=seed)
    assert len(links.sources) > 0  # candidates exist: windows with 3+ tickets, 2+ categories
    assert not links.sources["strong"].any()
    assert links.sources["score"].max() < 2 * np.median(links.null_scores)


def test_single_category_burst_is_not_a_source():
    burst = _stall().assign(category="噪音扰民", department="派出所")
    links = link_sources(pd.concat([_background(4), burst]), n_permutations=0)
    assert "云岭西路123号" not in set(links.sources["place"])


def test_planted_source_outranks_burst_spread_over_a_long_time():
    slow = _stall("云岭西路125号")
    slow["created_at"] = pd.Timestamp("2024-02-01") + pd.to_timedelta(np.arange(7) * 40, unit="D")
    df = pd.concat([_background(5), _stall(), slow], ignore_index=True)
    ranked = link_sources(df, n_permutations=0).sources["place"].tolist()
    assert ranked[0] == "云岭西路123号"
    assert ranked.index("云岭西路125号") > 0 if "云岭西路125号" in ranked else True


def test_entity_names_join_nearby_addresses_but_neighbouring_shops_stay_apart():
    stall = _stall()
    caller = pd.DataFrame(
        {
            "ticket_id": ["NB1"],
            "created_at": [pd.Timestamp("2024-06-05 21:00")],
            "category": ["噪音扰民"],
            "department": ["派出所"],
            "text": ["楼下那个面馆半夜收摊很吵"],
            "address_key": ["云岭西路58弄3号"],  # the caller's home on the same road
            "community": "云岭花园",
        }
    )
    other_shop = _stall("云岭西路127号").assign(
        ticket_id=[f"OS{i}" for i in range(7)], text="面馆门口很乱"
    )
    df = pd.concat([_background(6), stall, caller, other_shop], ignore_index=True)
    links = link_sources(df, n_permutations=0)
    m = links.mapping
    assert m.loc[df["ticket_id"] == "NB1", "place"].item() == "云岭西路123号"
    assert bool(m.loc[df["ticket_id"] == "NB1", "joined"].item())
    assert (m.loc[df["ticket_id"].str.startswith("OS"), "place"] == "云岭西路127号").all()
    off = link_sources(df, n_permutations=0, join_entities=False).mapping
    assert off.loc[df["ticket_id"] == "NB1", "place"].item() == "云岭西路58弄3号"


def test_addresses_written_differently_and_building_aliases_form_one_place():
    stall = _stall().drop(columns="address_key")
    stall["address"] = [
        "云岭西路123号",
        "云岭西路123号底商",
        "云岭西路一二三号",
        "云岭西路１２３号门口",
    ] * 1 + ["云岭西路123号"] * 3
    links = link_sources(stall, n_permutations=0)
    assert links.mapping["place"].nunique() == 1
    assert links.sources.iloc[0]["n_tickets"] == 7


def test_input_not_mutated_and_mapping_covers_every_row():
    df = pd.concat([_background(7), _stall()], ignore_index=True)
    before = df.copy()
    links = link_sources(df, n_permutations=2)
    pd.testing.assert_frame_equal(df, before)
    assert isinstance(links, SourceLinks)
    assert links.mapping.index.equals(df.index)
    assert {"ticket_id", "place", "entity", "joined", "source_id"} <= set(links.mapping.columns)
    with pytest.raises(AttributeError):
        links.sources = None  # frozen


def test_missing_columns_raise():
    with pytest.raises(MissingColumnsError):
        link_sources(pd.DataFrame({"created_at": [pd.Timestamp("2024-01-01")]}))


def test_without_departments_text_or_community():
    df = pd.concat([_background(8), _stall()], ignore_index=True)
    df = df.drop(columns=["department", "text", "community"])
    links = link_sources(df, n_permutations=0)
    top = links.sources.iloc[0]
    assert top["place"] == "云岭西路123号" and pd.isna(top["entity"])


# ----------------------------------------------------------------- English 311


def _nyc_frame(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    types = {
        "Noise - Residential": "NYPD",
        "Illegal Parking": "NYPD",
        "HEAT/HOT WATER": "HPD",
        "Street Condition": "DOT",
        "Dirty Condition": "DSNY",
        "Rodent": "DOHMH",
    }
    n = 900
    kinds = rng.choice(list(types), size=n)
    streets = ["FLATBUSH AVE", "GRAND CONCOURSE", "BROADWAY"]
    bg = pd.DataFrame(
        {
            "created_at": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.uniform(0, 365, n), unit="D"),
            "category": kinds,
            "department": [types[k] for k in kinds],
            "text": "",
            "address": [
                f"{rng.integers(1, 40) * 10} {streets[rng.integers(0, 3)]}" for _ in range(n)
            ],
        }
    )
    planted = pd.DataFrame(
        {
            "created_at": pd.date_range("2024-05-02 21:00", periods=6, freq="2D"),
            "category": [
                "Noise - Commercial",
                "Food Establishment",
                "Dirty Condition",
                "Rodent",
                "Obstruction",
                "Noise - Commercial",
            ],
            "department": ["NYPD", "DOHMH", "DSNY", "DOHMH", "DOT", "NYPD"],
            "text": ["loud restaurant", "restaurant grease", "", "rats behind restaurant", "", ""],
            "address": ["1234 Main Street", "1234 MAIN ST", "1234 main st.", "1234 MAIN STREET"]
            + ["1234 MAIN ST APT 2"] * 2,
        }
    )
    return pd.concat([bg, planted], ignore_index=True)


def test_english_311_frame_finds_the_restaurant():
    links = link_sources(_nyc_frame(), n_permutations=19)
    top = links.sources.iloc[0]
    assert top["place"] == "1234 MAIN ST"
    assert top["entity"] == "restaurant"
    assert top["n_departments"] == 4 and bool(top["strong"])


def test_nyc_311_file_read_and_cleaned_runs():
    import commlib as cl

    raw = cl.read_tickets(DATA / "nyc_311_sample.csv", columns="311")
    tickets = cl.clean_tickets(raw).tickets
    links = link_sources(tickets, min_tickets=1, min_categories=1, n_permutations=3)
    assert len(links.mapping) == len(tickets)
    assert links.mapping["place"].notna().sum() >= 3


# ----------------------------------------------------------------- sample and chart


def test_sample_noodle_stall_is_the_top_source(sample_tickets):
    tickets = sample_tickets
    links = link_sources(tickets, n_permutations=19)
    top = links.sources.iloc[0]
    assert top["place"] == "云岭西路123号"
    assert top["n_categories"] >= 4 and bool(top["strong"])
    assert top["first"] >= pd.Timestamp("2024-06-01") and top["last"] < pd.Timestamp("2024-06-20")


def test_source_timeline_draws_one_point_per_ticket():
    df = pd.concat([_background(9), _stall()], ignore_index=True)
    links = link_sources(df, n_permutations=0)
    ax = source_timeline(df, links.sources.iloc[0], mapping=links.mapping)
    assert isinstance(ax, plt.Axes)
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert {"噪音扰民", "环境卫生", "用电安全", "油烟扰民", "占道经营"} <= labels
    n_points = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets"))
    assert n_points >= 7


def test_extract_entities_duplicated_index():
    base = pd.DataFrame({"text": ["那家足浴店太吵", "楼下小面摊半夜很吵", "楼上漏水"]})
    df = pd.concat([base, base])  # two exports glued together: index 0, 1, 2, 0, 1, 2
    out = extract_entities(df)
    assert out.tolist()[:2] == ["足浴店", "面馆"]  # by the determiner pattern, the lexicon
    assert out.isna().tolist() == [False, False, True] * 2
    assert out.index.tolist() == [0, 1, 2, 0, 1, 2]


def test_link_sources_duplicated_index_maps_by_position():
    df = pd.DataFrame(
        {
            "created_at": pd.to_datetime(
                ["2024-06-03", "2024-06-05", "2024-06-08", "2024-06-10", "2024-09-01", "2024-03-01"]
            ),
            "category": ["噪音扰民", "环境卫生", "用电安全", "油烟扰民", "噪音扰民", "停车管理"],
            "text": [
                "面馆半夜吵",
                "面摊污水横流",
                "小面店私拉电线",
                "面馆油烟直排",
                "装修吵",
                "乱停车",
            ],
            "address": ["云岭西路123号"] * 4 + ["兰亭苑3号楼"] * 2,
        },
        index=[0, 1, 2, 3, 0, 1],  # two exports glued together
    )
    links = link_sources(df, n_permutations=0)
    assert links.mapping["source_id"].isna().tolist() == [False] * 4 + [True] * 2


def test_source_timeline_in_english_and_time_alias():
    from commlib._util import has_cjk

    df = _stall().rename(columns={"created_at": "when"})
    ax = source_timeline(df, "云岭西路123号", date="when", lang="en")
    words = [ax.get_xlabel(), ax.get_ylabel(), ax.get_legend().get_title().get_text()]
    assert not any(has_cjk(w) for w in words), words
    assert ax.get_title().endswith("tickets in 5 categories")
    with pytest.warns(FutureWarning, match="date="):
        old = source_timeline(df, "云岭西路123号", time="when")
    assert old.get_xlabel() == "受理时间"
    with pytest.warns(FutureWarning, match="date="):
        link_sources(df, time="when", n_permutations=0)


# ----------------------------------------------------------------- scale: no window pairs


def _pairwise_window_scores(p, place_codes, width, prior_days):
    """The 0.1 way, kept as the reference: list every (window, member) pair."""
    from commlib.attribution import _windows as w

    n = len(place_codes)
    end = w._window_ends(place_codes, p.secs, width)
    counts = end - np.arange(n)
    starts = np.repeat(np.arange(n), counts)
    members = starts + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))

    def distinct(values):
        prev = w._prev_same(place_codes, values)
        new = prev[members] < starts
        return np.bincount(starts[new], minlength=n)

    k = distinct(p.cat)
    d = k if p.dep is None else distinct(p.dep)
    n_ind = np.bincount(starts, weights=p.weight[members], minlength=n)
    k, d = np.minimum(k, n_ind).astype(np.int64), np.minimum(d, n_ind).astype(np.int64)
    total = np.bincount(place_codes, weights=p.weight)[place_codes]
    width_days = width / w._DAY
    t_out = max(p.span_days - width_days, width_days)
    comm_total = np.bincount(p.comm_codes, weights=p.weight)
    first_row = np.r_[True, place_codes[1:] != place_codes[:-1]]
    comm_places = np.bincount(p.comm_codes[first_row], minlength=len(comm_total))
    r0 = comm_total / np.maximum(comm_places, 1) / max(p.span_days, width_days)
    rate = (np.maximum(total - n_ind, 0.0) + prior_days * r0[p.comm_codes]) / (t_out + prior_days)
    lam = rate * width_days
    surprise = w._poisson_surprise(n_ind, lam)
    score = surprise * (k + d) / 2.0
    return {"end": end, "n": counts, "n_ind": n_ind, "k": k, "d": d, "lam": lam,
            "surprise": surprise, "score": score}  # fmt: skip


def test_window_counts_equal_the_pairwise_way_links_scores_and_p_values(monkeypatch):
    from commlib.attribution import _link, _windows

    df = pd.concat([_background(5, n=900, n_places=25), _stall()], ignore_index=True)
    # ties in time, repeat calls and a second community exercise the edge cases
    df.loc[::7, "created_at"] = df.loc[::7, "created_at"].dt.floor("D")
    df["repeat_of"] = np.where(np.arange(len(df)) % 11 == 0, "X", None)
    df.loc[df.index % 3 == 0, "community"] = "兰亭苑"
    new = link_sources(df, n_permutations=9, random_state=3)
    monkeypatch.setattr(_link, "_window_scores", _pairwise_window_scores)
    monkeypatch.setattr(_windows, "_window_scores", _pairwise_window_scores)
    ref = link_sources(df, n_permutations=9, random_state=3)
    pd.testing.assert_frame_equal(new.sources, ref.sources)
    pd.testing.assert_frame_equal(new.mapping, ref.mapping)
    np.testing.assert_array_equal(new.null_scores, ref.null_scores)


def test_null_uses_one_stream_per_community_so_partitions_agree():
    a = _background(1, n=600, n_places=20)
    b = _background(2, n=600, n_places=20).assign(
        community="兰亭苑", address_key=lambda d: d["address_key"].str.replace("58", "77")
    )
    both = pd.concat([a, b], ignore_index=True)
    periods = ("2024-01-01", "2024-12-31")
    kw = {"n_permutations": 7, "random_state": 11, "periods": periods, "min_tickets": 3}
    null_a = link_sources(a, **kw).null_scores
    null_b = link_sources(b, **kw).null_scores
    null_both = link_sources(both, **kw).null_scores
    np.testing.assert_allclose(null_both, np.maximum(null_a, null_b))
    # the row order of the input does not matter either
    shuffled = both.sample(frac=1, random_state=0)
    np.testing.assert_allclose(link_sources(shuffled, **kw).null_scores, null_both)


def test_periods_fix_the_rate_range_and_bad_periods_raise():
    df = pd.concat([_background(3, n=400), _stall()], ignore_index=True)
    short = link_sources(df, n_permutations=0)
    long = link_sources(
        df, n_permutations=0, periods=pd.period_range("2023-01", "2024-12", freq="M")
    )
    assert long.sources.iloc[0]["expected"] < short.sources.iloc[0]["expected"]
    with pytest.raises(CommlibError, match="periods"):
        link_sources(df, n_permutations=0, periods=3)


# ----------------------------------------------------------------- real 311: kinds and places


def _boston_like(place: str, types: list[str], deps: list[str]) -> pd.DataFrame:
    """A quiet background of single tickets plus a burst of ``types`` at ``place``."""
    rng = np.random.default_rng(0)
    n = 400
    bg_types = ["Pothole Repair", "Graffiti Removal", "Rodent Activity", "Tree Emergencies"]
    bg = pd.DataFrame(
        {
            "created_at": pd.Timestamp("2015-01-01")
            + pd.to_timedelta(rng.uniform(0, 365, n), unit="D"),
            "category": rng.choice(bg_types, n),
            "department": "PWD",
            "address_key": [f"{k} ELM ST BOSTON MA" for k in rng.integers(1, 200, n)],
        }
    )
    t0 = pd.Timestamp("2015-06-01")
    burst = pd.DataFrame(
        {
            "created_at": [t0 + pd.Timedelta(days=i) for i in range(len(types))],
            "category": types,
            "department": deps,
            "address_key": place,
        }
    )
    return pd.concat([bg, burst], ignore_index=True)


def test_near_synonym_types_count_as_one_kind():
    types = ["Sidewalk Repair", "Sidewalk Repair (Make Safe)", "Sidewalk Repair (Internal)"] * 2
    df = _boston_like("12 OAK ST BOSTON MA", types, ["PWD"] * 6)
    as_labels = link_sources(df, n_permutations=0, text=None)
    assert as_labels.sources.iloc[0]["place"] == "12 OAK ST BOSTON MA"
    assert as_labels.sources.iloc[0]["n_categories"] == 3
    as_kinds = link_sources(df, n_permutations=0, text=None, kinds="auto")
    assert "12 OAK ST BOSTON MA" not in set(as_kinds.sources["place"])
    assert as_kinds.mapping["kind"].iloc[-1] == "Sidewalk Repair"
    table = problem_kinds(df).set_index("category")
    assert table.loc["Sidewalk Repair (Internal)", "kind"] == "Sidewalk Repair"
    assert table.loc["Pothole Repair", "kind"] == "Pothole Repair"  # no shared word
    # a mapping works the same way
    mine = {t: "Sidewalk" for t in set(types)}
    assert "12 OAK ST BOSTON MA" not in set(
        link_sources(df, n_permutations=0, kinds=mine).sources["place"]
    )


def test_workflow_types_are_set_aside_and_counted():
    types = ["Unsafe Dangerous Conditions", "Building Inspection Request", "Call Log"]
    df = _boston_like("12 OAK ST BOSTON MA", types, ["ISD", "ISD", "DISB"])
    links = link_sources(df, n_permutations=0, text=None, kinds="auto")
    assert links.set_aside["workflow"] == 2
    assert set(links.mapping.loc[links.mapping["set_aside"] == "workflow", "kind"].isna()) == {True}
    assert "12 OAK ST BOSTON MA" not in set(links.sources["place"])


def test_an_intersection_is_a_place_and_a_bare_street_is_not():
    types = ["Pothole Repair", "Street Light Outages", "Graffiti Removal", "Sign Repair"]
    deps = ["PWD", "PWD", "PROP", "BTDT"]
    cross = "INTERSECTION OF BOYLSTON ST & DARTMOUTH ST BOSTON MA"
    links = link_sources(_boston_like(cross, types, deps), n_permutations=0)
    top = links.sources.iloc[0]
    assert top["place"] == cross and top["n_kinds"] == 4
    assert links.mapping["place_kind"].iloc[-1] == "intersection"
    street = link_sources(_boston_like("WASHINGTON ST BOSTON MA", types, deps), n_permutations=0)
    assert "WASHINGTON ST BOSTON MA" not in set(street.sources["place"])
    assert street.set_aside["street"] == 4
    assert (street.mapping["set_aside"] == "street").sum() == 4
    zh = link_sources(
        _boston_like("云岭西路", types, deps).assign(category=lambda d: d["category"]),
        n_permutations=0,
    )
    assert zh.set_aside["street"] == 4


# ----------------------------------------------------------------- joint visits (notebook 04)


def test_joint_visits_reproduces_the_notebook_headline(sample_tickets):
    tickets = sample_tickets
    links = link_sources(tickets, n_permutations=0)
    top = links.sources.iloc[0]
    jv = links.joint_visits(tickets)
    assert list(jv.index[:3]) == list(links.sources["source_id"][:3])
    row = jv.loc[top["source_id"]]
    # the notebook's 27 lines of pandas, as the reference
    members = tickets[links.mapping["source_id"] == top["source_id"]]
    order = members.sort_values("created_at")
    n_so_far = pd.Series(range(1, len(order) + 1), index=order.index)
    k_so_far = (~order["category"].duplicated()).cumsum()
    visible = order.loc[(n_so_far >= 3) & (k_so_far >= 2), "created_at"].iloc[0]
    after = order[order["created_at"] > visible]
    paths = after["transfer_path"].fillna("")
    misroutes = int((paths.str.count(r"\|") + (paths != "")).sum())
    assert row["visible"] == visible
    assert row["n_after"] == len(after) and row["transfers"] == misroutes
    assert row["saved"] == len(after) + misroutes - 1 >= 4
    assert row["n_departments"] == after["department"].nunique() >= 3
    assert set(row["departments"]) == set(after["department"])


def test_every_set_aside_reason_has_words_in_both_languages():
    from commlib._catalogue import t
    from commlib.attribution._link import SET_ASIDE

    for code in SET_ASIDE:
        assert t(f"attribution.set_aside.{code}", "zh") != t(f"attribution.set_aside.{code}", "en")


# ----------------------------------------------------------------- visits and the FDR


def _sweep(place: str = "云岭西路200号", start: str = "2024-05-10 09:00") -> pd.DataFrame:
    """One caller reporting four types within twenty minutes, and once more a week on."""
    t0 = pd.Timestamp(start)
    cats = ["噪音扰民", "环境卫生", "停车管理", "占道经营", "物业服务"]
    return pd.DataFrame(
        {
            "ticket_id": [f"SW{i}" for i in range(5)],
            "created_at": [t0 + pd.Timedelta(minutes=m) for m in (0, 5, 12, 20, 60 * 24 * 7)],
            "category": cats,
            "department": [DEPARTMENTS[c] for c in cats],
            "text": "",
            "address_key": place,
            "community": "云岭花园",
            "channel": ["app"] * 4 + ["phone"],
        }
    )


def test_one_callers_sweep_counts_as_one_visit():
    df = pd.concat([_background(6).assign(channel="phone"), _sweep()], ignore_index=True)
    links = link_sources(df, n_permutations=0)
    assert "云岭西路200号" not in set(links.sources["place"])  # two visits only
    # without visits (each ticket its own visit) the sweep is the top source
    old = link_sources(df, n_permutations=0, visit_gap=None)
    assert old.sources.iloc[0]["place"] == "云岭西路200号"


def _stalls(n: int) -> pd.DataFrame:
    """n smaller planted sources: four tickets of four kinds on separate days."""
    parts = []
    for i in range(n):
        s = _stall(f"云岭西路{300 + i}号", start=f"2024-{2 + i:02d}-05").iloc[[0, 1, 2, 3]]
        parts.append(s.assign(ticket_id=[f"P{i}-{j}" for j in range(4)]))
    return pd.concat(parts, ignore_index=True)


def test_several_planted_sources_are_all_strong_under_the_fdr():
    df = pd.concat([_background(7, n=3000, n_places=300), _stalls(6)], ignore_index=True)
    links = link_sources(df, n_permutations=19, random_state=0)
    planted = {f"云岭西路{300 + i}号" for i in range(6)}
    strong = set(links.strong["place"])
    assert planted <= strong and len(strong - planted) <= 1
    assert (links.strong["q_value"] <= 0.05).all()


@pytest.mark.parametrize("seed", [8, 9, 10])
def test_fdr_null_of_random_tickets_gives_no_strong_source(seed):
    links = link_sources(_background(seed, n=3000, n_places=300), random_state=seed)
    assert len(links.sources) > 0 and not links.sources["strong"].any()
    assert (links.sources["q_value"] > 0.05).all()


def test_generic_entities_found_in_blocks_equal_all_at_once(monkeypatch):
    # the generic pattern runs a block of texts at a time (memory at millions of
    # tickets); a text's entity must not depend on its block
    from commlib.attribution import _entities

    df = pd.DataFrame(
        {
            "text": [
                "老王面馆门口污水",
                "小区门口的烧烤摊太吵",
                None,
                "楼下便利店油烟",
                "",
                "路灯坏了",
            ],
        },
        index=[5, 3, 3, 9, 1, 0],
    )
    whole = _entities.extract_entities(df)
    monkeypatch.setattr(_entities, "_EXTRACT_BLOCK", 2)
    blocks = _entities.extract_entities(df)
    assert blocks.equals(whole)
    assert whole.notna().sum() >= 2


def test_best_per_place_matches_a_sort_of_every_window():
    """The linear per-place maximum gives what sorting by (place, score desc, row) gives,
    with ties, missing scores and rows not grouped by place."""
    from commlib.attribution._windows import _best_per_place

    def by_sorting(place_codes, w, min_tickets, min_categories):
        rows = np.flatnonzero((w["n_ind"] >= min_tickets) & (w["k"] >= min_categories))
        frame = pd.DataFrame({"place": place_codes[rows], "score": w["score"][rows], "row": rows})
        frame = frame.sort_values(["place", "score", "row"], ascending=[True, False, True])
        return frame.drop_duplicates("place")["row"].to_numpy()

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(0, 60))
        w = {
            "n_ind": rng.integers(0, 4, n).astype(float),
            "k": rng.integers(0, 4, n),
            "score": rng.choice([0.0, 1.0, 2.5, np.nan], n),
        }
        for codes in (np.sort(rng.integers(0, 6, n)), rng.integers(0, 6, n)):
            expected = by_sorting(codes, w, 2, 2)
            assert _best_per_place(codes, w, 2, 2).tolist() == expected.tolist()


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 40)), max_size=60),
    st.sampled_from([1.0, 0.5, 3600.0]),
)
@settings(max_examples=200, deadline=None)
def test_place_time_order_is_lexsort(rows, scale):
    """The float-key sort of the permutation null orders rows as ``np.lexsort`` does,
    ties in row order; fractional seconds (scale 0.5) take lexsort itself."""
    from commlib.attribution._windows import _place_time_order

    codes = np.array([c for c, _ in rows], dtype=np.int64)
    secs = np.array([t for _, t in rows], dtype=np.float64) * scale + 1.7e9
    if scale == 0.5:
        secs += 0.25
    assert np.array_equal(_place_time_order(codes, secs), np.lexsort((secs, codes)))
