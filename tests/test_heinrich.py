"""Tests for commlib.heinrich: tiers with hedges, pyramid, alerts on planted/flat series, backtest."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from commlib.errors import CommlibError
from commlib.heinrich import (
    AlertResult,
    BacktestResult,
    backtest_alerts,
    heinrich_pyramid,
    near_miss_alerts,
    pyramid_chart,
    severity_rules,
    severity_tiers,
)

# ----------------------------------------------------------------- severity_tiers


def _assert_tier(text, tier):
    """The tier severity_tiers gives one text (None for untiered) is ``tier``."""
    got = severity_tiers(pd.DataFrame({"text": [text]}))["tier"].iloc[0]
    assert (pd.isna(got) and tier is None) or got == tier, (text, got)


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("有人飞线充电，插线板放在地上", "near_miss"),
        ("楼道堆物很多，消防通道不畅", "near_miss"),
        ("楼道里电线老化，外皮都破了", "near_miss"),
        ("楼道里闻到燃气味", "near_miss"),
        ("有人把电瓶车推进楼道里停放", "near_miss"),
        ("老人差点被绊倒", "near_miss"),
        ("小区台阶破损，有居民摔伤", "minor"),
        ("热水管爆裂，老人被轻微烫伤", "minor"),
        ("楼道里电瓶车起火烧了起来", "serious"),
        ("楼里发生火灾，受伤的人已送医", "serious"),
        ("一名老人重伤", "serious"),
        ("电瓶车停在楼道里充电，万一着火后果不堪设想", "near_miss"),  # hedge, not a fire
        ("消防通道上停满了车，万一着火进不来", "near_miss"),  # a blocked fire lane
        ("厨房冒烟，未造成人员受伤", None),
        ("安全出口被锁，发生火灾跑不出去", "near_miss"),
        ("家里燃气灶打不着火", None),
        ("楼上装修很吵", None),
        ("", None),
    ],
)
def test_severity_tiers_examples(text, tier):
    out = severity_tiers(pd.DataFrame({"text": [text]}))
    got = out["tier"].iloc[0]
    assert (pd.isna(got) and tier is None) or got == tier


# sentences modelled on real messages (issue 14): what happened, to whom, negated or not
@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # hospital and insurance words alone are not an injury
        ("母亲住院三个月了，医保报销太慢", None),
        ("请问在医院住院的费用能不能报销", None),
        ("老人在楼梯上摔倒，送往医院抢救", "serious"),
        ("骑车掉进坑里摔伤，在医院住院一周", "serious"),
        # 重伤 inside 严重伤害 (of interests) is not an injury
        ("开发商的行为严重伤害了业主的合法权益", None),
        ("邻居被人打成重伤", "serious"),
        # negation in the clause of the event
        ("围墙垮塌，未导致人员死亡", "near_miss"),
        ("事故没有造成人员受伤", None),
        ("楼道电瓶车起火，无人受伤", "serious"),
        ("没有灭火器，昨晚楼道起火了", "serious"),  # the cue is in another clause
        ("未经允许私拉电线导致起火", "serious"),  # 未经 is not a negation of the fire
        # deaths of fish, poultry or crops; deaths from illness; paperwork
        ("工厂排污导致鱼塘的鱼大量死亡", None),
        ("喷了农药后庄稼成片死了，鸡也死了", None),
        ("父亲因病去世，办理死亡证明要跑三个部门", None),
        ("工人摔伤后申请工伤赔偿，单位一直不给", None),
        # figures of speech and rhetorical questions
        ("天天吵死了，热死了", None),
        ("能弥补一起重伤或死亡交通事故吗", None),
        ("难道要等出了人命才来管吗", None),
        # real events to people
        ("小区门口一名行人被货车撞死", "serious"),
        ("孩子在小区里被狗咬伤了", "minor"),
        ("人行道地砖松动，经常有老人摔倒", "minor"),
        # hazards (near misses)
        ("楼道里电线裸露，外皮都破了", "near_miss"),
        ("消防栓没水，消防通道被占", "near_miss"),
        ("房屋墙体开裂，已经成了危房", "near_miss"),
        ("小区电梯突然下坠，有人被困电梯", "near_miss"),
        ("大树倾斜，随时可能倒下", "near_miss"),
        ("有人私自拆除承重墙", "near_miss"),
    ],
)
def test_severity_tiers_say_what_happened_to_whom(text, tier):
    _assert_tier(text, tier)


# session 4 (issue 14): sentences modelled on the errors of the dev and holdout samples
# of real TipDM messages; each one is tiered wrongly by the rules before them, except the
# controls, which keep what must not change
@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # a claim reaches its whole sentence: the injury is the claim's history
        ("小孩被狗咬伤，在防疫站打了狂犬疫苗，请问医保可以报销多少", None),
        ("去年在工地干活时受伤，今年通过了工伤认定，单位一直不给待遇", None),
        ("我右腿粉碎性骨折，神经损伤，请问能评几级残疾证", None),
        ("邻居打伤我的事，派出所至今没有解决我的医药费", None),
        ("楼道电瓶车起火，两人烧伤。费用由谁承担还没说", "serious"),  # control: another sentence
        # casualties without a count are a figure of speech
        ("电梯故障频繁，事故造成人员伤亡重要，还是坐电梯方便重要", None),
        ("昨晚电梯坠落，造成三人伤亡", "serious"),  # control
        ("车祸现场伤亡惨重", "serious"),  # control
        # events elsewhere, cited as news or as a lesson
        ("看到新闻说一栋居民楼发生火灾，我们小区消防通道也被堵了", "near_miss"),
        ("听说其他小区有小孩坠亡，我们的栏杆也松动了", "near_miss"),
        ("三年里路口相继发生多起严重的人员伤亡事故", "serious"),  # control
        ("血的教训：隔壁市场上月起火烧死两人", None),
        ("上个月我们小区发生火灾", "serious"),  # control
        # 甚至 before a realis marker reports what happened
        ("小区住改商多，安全隐患大，甚至发生过火情，幸好及时扑灭", "serious"),
        ("楼道堆放杂物，甚至会引发火灾", "near_miss"),  # control
        # harm as an issue heading
        ("小区里的油烟污染、噪音、火灾问题一直没人管", None),
        # suicide is not a safety event
        ("有人从楼上跳下自杀，导致死亡", None),
        ("小孩从阳台坠楼身亡", "serious"),  # control
        # assault
        ("维权时被人殴打，头破血流", "minor"),
        ("在维权现场被打手打伤，致使怀孕五个月的孕妇张某某流产", "serious"),
        # a social trope, not a fall; 会 inside 社会 or 村委会 is no hypothetical
        ("遇到有人摔倒不敢扶", None),
        ("村委会门口一名老人摔伤了", "minor"),
        # hazards
        ("村里的狗经常追咬路过的小学生", "near_miss"),
        ("消火拴间距不按规定安装", "near_miss"),
        ("居民楼下开饭店，谁能为以后的安全隐患负全责", None),
        ("楼道电线乱拉，存在严重的安全隐患", "near_miss"),  # control
        # pets are not people
        ("小区的狗被车撞死了", None),
        ("邻居家的猫从楼上摔死", None),
        ("老人被狗咬死", "serious"),  # the dog is the agent
    ],
)
def test_severity_tiers_scope_of_claims_news_and_figures(text, tier):
    _assert_tier(text, tier)


#: Session 5 (issue 14): synthetic sentences modelled on the errors of heldout2 (real TipDM
#: messages); each fails with the rules before that round unless marked as a control.
SCOPE_AND_HAZARD_CASES = [
    # events cited from elsewhere with no news word
    ("昨天又一个小区着火了，太可悲了", None),
    ("一栋高层居民楼突发大火，消防车进不去", None),
    ("近日连续发生居民楼火灾而消防车进不去的报道，让人惶恐", None),
    ("群里有人说隔壁楼盘着火了", None),
    ("电表箱漏电起火的案例可不少", "near_miss"),  # the leak is named, the fire cited
    ("我们小区一栋居民楼起火了", "serious"),  # control: the building is here
    # 隐患 about the future or abstract risks
    ("准备在学校旁建停车场，建成后将存在极大的安全隐患", None),
    ("公司资金管理存在严重的安全隐患", None),
    ("门禁系统本身就存在很大安全隐患", None),
    ("咨询危房改造的补偿政策", None),
    ("违规收购医疗废物，存在严重隐患", None),  # an intensifier alone names no hazard
    ("门口车太多，对学生的安全存在隐患", None),  # session 6: traffic names no hazard
    ("村里这些烂砖房有危险隐患", "near_miss"),
    ("楼道电线乱拉，存在严重的安全隐患", "near_miss"),  # control
    # physical hazards on roads, railings and houses
    ("路口没有安全岛，学生在车流中穿行，惊心动魄", "near_miss"),
    ("这条公路急弯多，视线差，事故多发", "near_miss"),
    ("整条路的路灯半年没亮过，晚上行走有一定的危险", "near_miss"),
    ("路灯不亮，晚上走路看不清", None),  # control: no danger named
    ("走廊只靠一个1.1米的护栏，两岁小孩都爬得过去", "near_miss"),
    ("走廊的护栏不扎实", "near_miss"),
    ("村里的土坯房倒了一些，没倒的用木头撑着", "near_miss"),
    ("单元墙面出现脱落，如果砸到人谁负责", "near_miss"),
    ("楼上漏水，墙面起泡脱落", None),  # control: water damage
    ("施工时把阳台的水管弄开裂了", None),  # a pipe is no structure
    ("阳台开裂，随时可能掉下来", "near_miss"),  # control
    ("外墙瓷砖成片脱落，砸伤人会有人身安全问题", "near_miss"),
    # deaths that are no accident, fears
    ("村里得肺病的有十几个，癌症患者有5个，已死亡2个", None),
    ("病痛折磨得她无数次想用死亡来解脱", None),
    ("夏天还得提心吊胆防垃圾爆炸", None),
    ("没有保护接地，发生人身伤亡事故时单位的损失就大了", None),
    ("当发生触电事故后，打起官司来单位损失更大", None),
    # falls and assaults the old rules missed
    ("通道坑坑洼洼，经常有人一不留神就摔跤", "minor"),
    ("小区里新开了一家摔跤馆", None),  # control: the sport
    ("保安不停用头部攻击我面部", "minor"),
]


@pytest.mark.parametrize(("text", "tier"), SCOPE_AND_HAZARD_CASES)
def test_severity_tiers_scope_of_events_and_hazards(text, tier):
    _assert_tier(text, tier)


@pytest.mark.parametrize(
    ("title", "text", "tier"),
    [
        ("Gas smell", "Smell of gas in basement", "near_miss"),
        ("Downed Wire", "Wire down sparking on sidewalk", "near_miss"),
        ("Tree Emergencies", "Fallen tree blocking the road", "near_miss"),
        ("SAFETY", "CARBON MONOXIDE DETECTOR", "near_miss"),
        ("Egress", "Blocked fire escape", "near_miss"),
        ("Street Condition", "Cave-in", "near_miss"),
        ("Unsafe Dangerous Conditions", "Unsafe/Dangerous Conditions", "near_miss"),
        ("Notification", "Fire", "serious"),
        ("Fire", "Small kitchen fire, no one was injured", "serious"),
        ("Building", "Ceiling fell, no one was injured", "near_miss"),
        ("Sidewalk", "Man tripped and fell on broken sidewalk and was injured", "minor"),
        ("Elevator", "Tenant was hospitalized after the ceiling collapse", "serious"),
        ("Fire Hydrant", "Fire hydrant leaking", None),
        ("Illegal Fireworks", "N/A", None),
        ("Dead Animal", "Dead raccoon on sidewalk", None),
        ("HEAT/HOT WATER", "ENTIRE BUILDING", None),
        ("Insurance", "Death certificate and insurance claim", None),
        ("Animal", "Dog hit by car and killed", None),
        ("Street Light", "Dark corner, someone could get hurt", None),
        ("Sidewalk", "Man fell and was hurt", "minor"),  # control
    ],
)
def test_english_311_rules(title, text, tier):
    got = severity_tiers(pd.DataFrame({"title": [title], "text": [text]}))["tier"].iloc[0]
    assert (pd.isna(got) and tier is None) or got == tier, (title, text, got)


def test_a_rule_that_does_not_compile_names_itself():
    with pytest.raises(CommlibError, match="not a valid regular expression"):
        severity_tiers(pd.DataFrame({"text": ["x"]}), rules=[{"tier": "minor", "pattern": "(摔"}])


def test_severity_tiers_uses_title_keeps_input_and_reports_the_match():
    df = pd.DataFrame({"title": ["青枫路350弄7号飞线充电", ""], "text": ["见标题", "楼道起火"]})
    before = df.copy()
    out = severity_tiers(df)
    pd.testing.assert_frame_equal(df, before)
    assert out["tier"].tolist() == ["near_miss", "serious"]
    assert out["tier_match"].tolist() == ["飞线充电", "起火"]
    assert out["tier"].cat.ordered


def test_rules_can_be_replaced_extended_and_are_checked():
    df = pd.DataFrame({"text": ["充电宝鼓包了", "楼道堆物"]})
    assert severity_tiers(df)["tier"].isna().iloc[0]
    extra = pd.DataFrame([{"tier": "near_miss", "hazard": "电气", "pattern": "充电宝(鼓包|发烫)"}])
    extended = severity_tiers(df, rules=pd.concat([severity_rules(), extra]))
    assert extended["tier"].tolist() == ["near_miss", "near_miss"]
    only = severity_tiers(df, rules=extra)
    assert only["tier"].iloc[0] == "near_miss" and pd.isna(only["tier"].iloc[1])
    with pytest.raises(CommlibError):
        severity_tiers(df, rules=[{"tier": "catastrophic", "pattern": "x"}])


# ----------------------------------------------------------------- heinrich_pyramid


def _pyramid_frame() -> pd.DataFrame:
    rows = [("2024-01-05 10:00", "飞线充电", "青枫路350弄7号")] * 1
    rows += [(f"2024-0{m}-10 10:00", "楼道堆物", "青枫路350弄7号") for m in range(2, 8)]
    rows += [("2024-03-01 09:00", "有居民摔伤", "青枫路350弄9号")]
    rows += [
        (f"2025-01-17 21:{m:02d}", "楼道起火，有人受伤送医", "青枫路350弄7号") for m in (36, 45, 50)
    ]
    rows += [("2024-05-01 09:00", "装修很吵", "青枫路350弄9号")]
    return pd.DataFrame(rows, columns=["created_at", "text", "address"]).assign(
        created_at=lambda d: pd.to_datetime(d["created_at"])
    )


def test_pyramid_counts_events_and_observed_ratio():
    table = heinrich_pyramid(_pyramid_frame())
    row = table.iloc[0]
    # three calls about one fire are one serious event
    assert (row["serious"], row["minor"], row["near_miss"], row["untiered"]) == (1, 1, 7, 1)
    assert row["observed_ratio"] == "1 : 1 : 7"
    assert row["textbook_ratio"] == "1 : 29 : 300"
    assert row["near_miss_share"] == pytest.approx(7 / 9)
    by_ticket = heinrich_pyramid(_pyramid_frame(), unit="ticket").iloc[0]
    assert by_ticket["serious"] == 3


def test_pyramid_per_building_without_serious_has_no_ratio_number():
    table = heinrich_pyramid(_pyramid_frame(), by="address_key").set_index("address_key")
    assert table.loc["青枫路350弄7号", "serious"] == 1
    assert table.loc["青枫路350弄9号", "observed_ratio"] == "0 : 1 : 0"
    assert pd.isna(table.loc["青枫路350弄9号", "near_miss_per_serious"])


def test_pyramid_chart_returns_axes_with_tier_labels():
    ax = pyramid_chart(_pyramid_frame())
    assert isinstance(ax, plt.Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["隐患（未遂）", "轻微", "严重"]
    assert "1 : 1 : 7" in ax.get_title()


# ----------------------------------------------------------------- near_miss_alerts


def _flat(seed: int, n_places: int = 80, weeks: int = 78, rate: float = 0.05) -> pd.DataFrame:
    """Near misses at a constant weekly rate at every place, plus untiered tickets."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    rows = []
    for p in range(1, n_places + 1):
        k = rng.poisson(rate * weeks)
        days = rng.uniform(0, weeks * 7, k)
        rows += [(start + pd.Timedelta(days=d), "楼道堆物很多", f"青枫路350弄{p}号") for d in days]
        m = rng.poisson(0.3 * weeks)
        days = rng.uniform(0, weeks * 7, m)
        rows += [(start + pd.Timedelta(days=d), "楼上装修很吵", f"青枫路350弄{p}号") for d in days]
    return pd.DataFrame(rows, columns=["created_at", "text", "address"]).assign(
        community="枫林新村"
    )


def _rise(place: str = "青枫路350弄7号", start: str = "2024-11-08", n: int = 15) -> pd.DataFrame:
    """A rise: near misses at one building growing week by week over ten weeks."""
    t0 = pd.Timestamp(start)
    days = np.sort(70 * np.sqrt(np.linspace(0.05, 1, n)))  # denser towards the end
    texts = ["有人飞线充电", "楼道堆物很多", "楼道里电线老化", "电瓶车推进楼道"]
    return pd.DataFrame(
        {
            "created_at": [t0 + pd.Timedelta(days=float(d), hours=20) for d in days],
            "text": [texts[i % 4] for i in range(n)],
            "address": place,
            "community": "枫林新村",
        }
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_flat_series_does_not_fire(seed):
    res = near_miss_alerts(_flat(seed))
    assert isinstance(res, AlertResult)
    assert res.alerts.empty
    assert (res.weekly["p_value"] >= 0).all() and (res.weekly["p_value"] <= 1).all()


def test_flag_rate_on_flat_series_stays_below_alpha():
    # with a loose alpha flags do happen; their share of place-weeks must not exceed it
    df = _flat(5, n_places=60, rate=0.3)
    res = near_miss_alerts(df, alpha=0.01, min_count=1)
    n_place_weeks = 60 * 78
    assert 0 < res.weekly["fired"].sum() <= 0.01 * n_place_weeks


def test_planted_rise_fires_before_it_ends():
    df = pd.concat([_flat(0), _rise()], ignore_index=True)
    res = near_miss_alerts(df)
    assert list(res.alerts["place"]) == ["青枫路350弄7号"]
    first = res.alerts.iloc[0]
    assert pd.Timestamp("2024-11-08") < first["first_fired"] < pd.Timestamp("2025-01-10")
    assert first["count"] >= 3 and first["expected"] < 1
    assert first["first_fired"].day_of_week == 6  # weeks end on Sunday


def test_a_place_that_always_reports_many_needs_a_real_rise():
    busy = _rise("青枫路350弄3号", "2024-01-03", n=150)
    busy["created_at"] = pd.Timestamp("2024-01-03 20:00") + pd.to_timedelta(
        np.linspace(0, 540, 150), unit="D"
    )  # about two a week, all along
    df = pd.concat([_flat(2), busy], ignore_index=True)
    assert near_miss_alerts(df).alerts.empty
    # the same level arriving suddenly at a quiet place fires
    sudden = busy[busy["created_at"] > pd.Timestamp("2025-03-01")].assign(address="青枫路350弄5号")
    fired = near_miss_alerts(pd.concat([_flat(2), sudden], ignore_index=True)).alerts
    assert list(fired["place"]) == ["青枫路350弄5号"]


def test_alerts_use_building_aliases():
    rise = _rise()
    rise.loc[rise.index[::2], "address"] = "枫林新村7号楼"
    df = pd.concat([_flat(0), rise], ignore_index=True)
    assert list(near_miss_alerts(df).alerts["place"]) == ["青枫路350弄7号"]


# ----------------------------------------------------------------- backtest_alerts


def test_backtest_hit_lead_time_false_alarms_and_pending():
    fire = pd.DataFrame(
        {
            "created_at": [pd.Timestamp("2025-01-17 21:36")],
            "text": ["楼道电瓶车起火，有人受伤送医"],
            "address": ["枫林新村7号楼"],
            "community": "枫林新村",
        }
    )
    df = pd.concat([_flat(0), _rise(), fire], ignore_index=True)
    alerts = near_miss_alerts(df)
    # a false alarm early on, and one too late to judge
    extra = pd.DataFrame(
        {
            "place": ["青枫路350弄20号", "青枫路350弄21号"],
            "first_fired": pd.to_datetime(["2024-03-03", "2025-06-15"]),
        }
    )
    table = pd.concat([alerts.alerts[["place", "first_fired"]], extra], ignore_index=True)
    bt = backtest_alerts(df, table)
    assert isinstance(bt, BacktestResult)
    ev = bt.events.iloc[0]
    assert ev["place"] == "青枫路350弄7号" and bool(ev["flagged_before"])
    assert 1 <= ev["lead_weeks"] <= 10
    assert bt.hit_rate == 1.0
    assert bt.alerts["outcome"].tolist() == ["hit", "false alarm", "pending"]
    assert bt.false_alarm_rate == 0.5
    # an events table (as events.csv) gives the same answer
    events = pd.DataFrame(
        {"date": ["2025-01-17"], "address": ["青枫路350弄7号"], "event_type": ["serious_incident"]}
    )
    assert backtest_alerts(df, table, events).events["flagged_before"].tolist() == [True]


def test_backtest_event_with_no_precursors_is_not_flagged():
    fire = pd.DataFrame(
        {
            "created_at": [pd.Timestamp("2024-08-09 18:43")],
            "text": ["厨房燃气起火，有人受伤送医"],
            "address": ["青枫路350弄33号"],
            "community": "枫林新村",
        }
    )
    df = pd.concat([_flat(1), fire], ignore_index=True)
    bt = backtest_alerts(df, near_miss_alerts(df))
    assert bt.events["flagged_before"].tolist() == [False]
    assert bt.hit_rate == 0.0


# ----------------------------------------------------------------- sample and 311


def test_sample_fire_is_flagged_weeks_ahead_and_control_fire_is_not(sample_tickets):
    import commlib as cl

    tickets = severity_tiers(sample_tickets)
    events = cl.load_sample("events")
    bt = backtest_alerts(tickets, near_miss_alerts(tickets), events)
    by_place = bt.events.set_index("place")
    assert bool(by_place.loc["青枫路350弄7号", "flagged_before"])
    assert by_place.loc["青枫路350弄7号", "lead_weeks"] >= 2
    assert not bool(by_place.loc["锦秀路66弄3号", "flagged_before"])
    pyr = heinrich_pyramid(tickets).iloc[0]
    assert pyr["serious"] == 2 and pyr["near_miss_per_serious"] != 300


def test_english_frame_with_own_rules():
    rules = pd.DataFrame(
        [
            {"tier": "near_miss", "hazard": "gas", "pattern": "gas smell|smell of gas"},
            {"tier": "near_miss", "hazard": "electric", "pattern": "Sparking|exposed wires"},
            {"tier": "serious", "hazard": "fire", "pattern": "\\bfire\\b"},
        ]
    )
    t0 = pd.Timestamp("2024-01-01")
    bg = _flat(3).assign(
        text="noise upstairs", address=lambda d: d["address"].str[-3:] + " MAIN ST"
    )
    rise = pd.DataFrame(
        {
            "created_at": [t0 + pd.Timedelta(days=300 + 3 * i) for i in range(8)],
            "text": ["gas smell in hallway", "sparking outlet", "exposed wires"] * 2
            + ["gas smell", "sparking"],
            "address": "1234 MAIN STREET",
            "community": "枫林新村",
        }
    )
    df = severity_tiers(pd.concat([bg, rise], ignore_index=True), rules=rules)
    res = near_miss_alerts(df)
    assert list(res.alerts["place"]) == ["1234 MAIN ST"]


def test_severity_tiers_duplicated_index():
    # tickets concatenated from two exports share index labels
    df = pd.DataFrame(
        {"text": ["楼下有人飞线充电", "楼上装修很吵", "楼道电瓶车起火，有人送医"]},
        index=[0, 0, 1],
    )
    out = severity_tiers(df)
    assert out["tier"].tolist() == ["near_miss", np.nan, "serious"]
    assert out.index.tolist() == [0, 0, 1]
    assert out["tier_match"].tolist()[0] == "飞线充电"


# ----------------------------------------------------------------- language and names


def test_pyramid_chart_prints_textbook_counts_without_exponents():
    table = heinrich_pyramid(_pyramid_frame()).assign(near_miss=2217, minor=7, serious=2)
    ax = pyramid_chart(table)
    notes = [t.get_text() for t in ax.texts if "1:29:300" in t.get_text()]
    assert notes == ["按 1:29:300 应为 2,217", "按 1:29:300 应为 214", "按 1:29:300 应为 7.39"]
    plt.close(ax.figure)
    from commlib.heinrich._pyramid import _ratio_text

    assert _ratio_text(2, 7, 2217) == "1 : 3.5 : 1,108"  # was 1 : 3.5 : 1.11e+03


def test_pyramid_chart_in_english_has_no_chinese():
    from commlib._util import has_cjk

    table = heinrich_pyramid(_pyramid_frame(), by="address_key")
    ax = pyramid_chart(table.drop(columns="address_key"), lang="en")
    words = [t.get_text() for t in ax.get_yticklabels()] + [ax.get_title()]
    words += [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["near miss", "minor", "serious"]
    assert not any(has_cjk(w) for w in words), words
    with pytest.raises(ValueError, match="lang"):
        pyramid_chart(table, lang="fr")


def test_time_is_a_deprecated_alias_of_date():
    df = _pyramid_frame().rename(columns={"created_at": "when"})
    new = heinrich_pyramid(df, date="when")
    with pytest.warns(FutureWarning, match="date="):
        old = heinrich_pyramid(df, time="when")
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(TypeError, match="both"):
        heinrich_pyramid(df, time="when", date="when")


# ----------------------------------------------------------------- speed without change


def _mixed_texts(n: int, random_state: int = 0) -> pd.DataFrame:
    """Texts built from rule words, cues, hedges, English and case oddities, with repeats."""
    rng = np.random.default_rng(random_state)
    bits = [
        "楼道堆物",
        "飞线充电",
        "电瓶车进楼",
        "燃气味",
        "存在安全隐患",
        "建成后将存在安全隐患",
        "老人摔伤",
        "烫伤",
        "受伤",
        "骨折",
        "起火",
        "火灾",
        "送医",
        "住院",
        "死亡",
        "三人伤亡",
        "未",
        "没有",
        "无人",
        "并未",
        "万一",
        "如果",
        "担心",
        "看到新闻说",
        "工伤赔偿",
        "报销",
        "鱼大量死亡",
        "严重伤害",
        "社会",
        "村委会",
        "甚至发生过",
        "，",
        "。",
        "！",
        "？",
        "\n",
        "Downed wire",
        "GAS LEAK",
        "no one was injured",
        "not",
        "fire",
        "Fell",
        "insurance",
        "ſmoke",
        "\u212aitchen fire",
        "İnjured",
        "ınjured",
        "12人",
        "两死三伤",
        "  ",
        "A市",
    ]
    texts = ["".join(rng.choice(bits, size=rng.integers(0, 9))) for _ in range(n)]
    titles = [rng.choice(["", "投诉", "Unsafe building", "火灾隐患", None]) for _ in range(n)]
    df = pd.DataFrame({"title": titles, "text": texts})
    df.loc[rng.random(n) < 0.05, "text"] = None
    return pd.concat([df, df.sample(n // 4, random_state=1)])  # repeats, duplicated index


def test_prefilters_and_distinct_texts_change_no_tier():
    from commlib.heinrich._tiers import _severity_tiers

    df = _mixed_texts(1500)
    fast = _severity_tiers(df, rules=None, columns=("title", "text"), fast=True)
    plain = _severity_tiers(df, rules=None, columns=("title", "text"), fast=False)
    pd.testing.assert_frame_equal(fast, plain)
    assert set(fast["tier"].dropna()) == {"near_miss", "minor", "serious"}


def test_prefilters_on_rules_without_words():
    from commlib.heinrich._tiers import _required_words, _severity_tiers

    rules = pd.DataFrame(
        [
            {"tier": "near_miss", "hazard": "a", "pattern": r"\d+人"},  # no word: no prefilter
            {"tier": "near_miss", "hazard": "b", "pattern": r"(?<!未)隐患|(?:ki){2}tchen"},
            {"tier": "minor", "hazard": "c", "pattern": r"[伤痛](?=了)|injur(?:ed|y)|smoke"},
            {"tier": "serious", "hazard": "d", "pattern": r"(起火|)死|fire"},  # empty branch
            {"tier": "hedge", "hazard": "", "pattern": r"[^，。]*(?:新闻|报销)[^。]*"},
            {"tier": "negation", "hazard": "", "pattern": r"未|\bno\b"},
        ]
    )
    needs = _required_words(r"(?:发生|有)[^，]{0,8}(?:火灾|受伤)")
    assert [set(w) for w in needs] == [{"有", "发生"}, {"火灾", "受伤"}]
    assert _required_words(r"\d+人") == (("人",),)
    assert _required_words(r"(起火|)死|\w") == ()
    df = _mixed_texts(800, random_state=3)
    fast = _severity_tiers(df, rules=rules, columns=("title", "text"), fast=True)
    plain = _severity_tiers(df, rules=rules, columns=("title", "text"), fast=False)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["tier"].notna().sum() > 50
    empty = df.iloc[:0]
    pd.testing.assert_frame_equal(
        _severity_tiers(empty, rules=None, columns=("title", "text"), fast=True),
        _severity_tiers(empty, rules=None, columns=("title", "text"), fast=False),
    )


#: Session 6 (issue 14): synthetic sentences modelled on the errors of heldout3 and
#: heldout4 (real TipDM messages); each fails with the rules before that round unless
#: marked as a control.
SESSION6_CASES = [
    # figures of speech: a simile is no explosion
    ("车流的噪音就像一个巨大的爆炸现场", None),
    ("半夜的动静好似着火一般吵", None),
    ("楼下燃气管道爆炸，玻璃全碎了", "serious"),  # control
    # a risk talked about: 可能性, 发生时/发生前, 别让, 无处逃生, 也有可能
    ("车库住人，冬季失火可能性加大", None),
    ("疏散通道是火灾或其他险情发生时住户唯一的逃生通道", None),
    ("有关部门应赶在大火事故发生前关停", None),
    ("别让老百姓因为外墙脱落而受伤丧命", "near_miss"),  # the falling wall stays a hazard
    ("电表箱装在入户门口，发生火灾无处逃生", None),
    ("医生说这项检查也有可能导致流产", None),
    ("被打伤后送医院，后来流产了", "serious"),  # control
    # harms listed as the kinds of a risk, right after the risk word
    ("开放式走廊存在极大安全隐患，坠楼，高空抛物，雨水倒灌", "near_miss"),
    ("存在安全隐患，去年就有人从这里坠楼", "serious"),  # control: an event that happened
    # fear of death is no death; almost beaten is no beating
    ("得了这个病，每天面临死亡的恐惧", None),
    ("讨价还价时我几乎被他们围殴", None),
    # a hazard under a condition is no present hazard
    ("幼儿园如果没有了围栏，孩子们也存在安全隐患", None),
    ("围栏被拆了，孩子们存在安全隐患", "near_miss"),  # control
    # an assault on a child the old rules missed
    ("班上经常打架，我孩子也被其他孩子打过头", "minor"),
    # claims, court cases, accusations, pretexts and security worries
    ("他于去年被车撞身亡，肇事司机无力赔偿。", None),
    ("被告的两位朋友当场死亡！", None),
    ("该机构多年前就被人投诉殴打学员", None),
    ("保安殴打学员，学员被打伤送医院", "serious"),  # control
    ("开发商以去年山体滑坡为由拒绝赔偿", None),
    ("后山山体滑坡，冲到了房子后墙", "near_miss"),  # control
    ("进出的人员复杂，破坏了封闭式管理，带来安全隐患", None),
    ("说法各异，导致家属不敢冒着流产风险去做检查", None),
    # traffic and commuting called a 隐患 (heldout3, heldout4)
    ("路口车流量大，孩子们上下学存在很大的安全隐患", None),
    ("周边幼儿园招满了，入学路途远，安全隐患大", None),
    ("车辆乱停，堵塞消防通道，存在消防安全隐患", "near_miss"),  # control
    ("行人只能在车道上走，汽车擦身而过，十分危险", "near_miss"),  # control: danger named
]


@pytest.mark.parametrize(("text", "tier"), SESSION6_CASES)
def test_severity_tiers_similes_risks_and_conditions(text, tier):
    _assert_tier(text, tier)


#: Session 7 (issue 14): a generic safety word (安全隐患, 非常危险, 万一着火, 担心出事故)
#: is a near miss only with a concrete hazard in its sentence (wiring, an escape route,
#: a failing structure, a railing, a failing lift ...); synthetic sentences modelled on
#: heldout3-6 (real TipDM messages). Each fails with the rules of 400f0d3 unless marked
#: as a control.
GENERIC_AND_CONCRETE_CASES = [
    # a safety word with no concrete hazard in its sentence tiers nothing
    ("屋顶堆了很多垃圾，有碍市容，成为安全隐患", None),
    ("这座桥现在仍可安全使用，退一万步讲，即使有安全隐患也应该加固", None),
    ("楼盘离学校两公里多，步行要半小时，存在极大的安全隐患", None),
    ("工地半夜施工，又有工人安全隐患的工作方式真的合理么", None),
    ("村口的路只有一条，如果村里着火，谁来负责", None),
    ("商场卫生太差，存在重大安全隐患", None),
    # the same words next to a concrete hazard stay a near miss (controls: the restriction
    # must keep them)
    ("楼梯口电线乱象丛生，真担心引起什么事故", "near_miss"),
    ("楼道里堆满杂物，存在严重的安全隐患", "near_miss"),  # control
    ("河堤垮塌后一直没修，没有护栏，安全隐患大", "near_miss"),  # control
    ("小区消防车道停满了车，万一着火进不来", "near_miss"),  # control
    ("电梯经常故障，非常危险", "near_miss"),
    ("夜宵摊的油污会导致电路短路，存在严重的安全隐患", "near_miss"),  # control
    # traffic alone is no hazard; a signal that is out is a defect on the road
    ("人车混行，老人小孩走路很危险，存在安全隐患", None),
    ("路口红绿灯坏了，存在安全隐患", "near_miss"),  # control
    # the concrete word must be in the same sentence
    ("楼道里有电线。另外小区门口存在安全隐患", None),
    # a lift named alone is no hazard; a lift that fails is
    ("不敢让小孩单独乘电梯回家，安全隐患很大", None),
    ("电梯安全隐患多，经常停运", "near_miss"),  # control
    # a fire, electric or gas 隐患 names its kind
    ("快递站囤积了大量包裹，存在消防隐患", "near_miss"),  # control
    ("以后的消防隐患谁负责", None),  # control: the future
    ("楼道电线乱拉，存在严重的安全隐患", "near_miss"),  # control
    # a route (公交线路) is no wiring: 线路 is electrical only with a power word or a
    # failing state (heldout7, a real TipDM message about a bus line)
    ("这条公交线路的站台设置存在安全隐患", None),
    ("旅游线路上的景点存在安全隐患", None),
    ("楼内供电线路存在安全隐患", "near_miss"),  # control
    ("线路老化，存在严重的安全隐患", "near_miss"),  # control
]


@pytest.mark.parametrize(("text", "tier"), GENERIC_AND_CONCRETE_CASES)
def test_severity_tiers_generic_words_need_a_concrete_hazard(text, tier):
    _assert_tier(text, tier)


#: Session 7: serious needs harm to people here (heldout4, heldout5 real TipDM messages).
SERIOUS_SCOPE_CASES = [
    ("恶势力放火烧山，方圆几公里的山林被大火吞噬", None),
    ("采石场每天的炸药爆炸震得人心慌", None),
    ("孩子手受伤骨折了，申请了体育免考", None),
    ("昨晚楼下饭店起火了", "serious"),  # control
]


@pytest.mark.parametrize(("text", "tier"), SERIOUS_SCOPE_CASES)
def test_severity_tiers_serious_needs_harm_here(text, tier):
    _assert_tier(text, tier)


def test_generic_rule_alone_tiers_nothing_without_concrete_rules():
    rules = severity_rules()
    generic = rules[rules["tier"] == "generic"]
    text = pd.DataFrame({"text": ["楼道里堆满杂物，存在严重的安全隐患"]})
    assert pd.isna(severity_tiers(text, rules=generic)["tier"].iloc[0])
    both = rules[rules["tier"].isin(["generic", "concrete"])]
    out = severity_tiers(text, rules=both)
    assert out["tier"].iloc[0] == "near_miss" and out["hazard"].iloc[0] == "消防"


#: Session 8 (heldout8 real TipDM messages; synthetic sentences, each fails on the rules
#: of 5322bf1 unless marked as a control).
SESSION8_CASES = [
    # structural damage a work may cause is feared, not reported
    ("开发商要在楼下挖停车场，这样做很容易引起住宅开裂、倒塌。", None),
    ("新楼打桩离得太近，肯定会影响我们老楼的结构，导致地基下沉、墙体开裂。", None),
    ("隔壁工地施工导致我家房屋开裂，墙体裂缝有两米长。", "near_miss"),  # control
    # a figure of speech and a lift failure under a condition
    ("这个镇上的违建已经成了塌方式蔓延，没人管。", None),
    ("车库和电梯里都没有手机信号，安全隐患也大，假设电梯出现故障，无法呼救。", None),
    ("电梯经常出现故障，上周有人被困在电梯里半小时。", "near_miss"),  # control
    # the traffic hedge reads its sentence: a street light out before it keeps the 隐患
    ("小区门前路灯半年没亮过，夜间行人车辆安全隐患很大。", "near_miss"),
    ("学校门口车多，上下学高峰拥堵，存在安全隐患。", None),  # control
    # a street light is no spot, congestion no spot danger; accidents that happened are
    ("早上六点路灯就关了，外面一片漆黑，非常不安全，希望晚点关灯。", None),
    ("这段路只有一条车道，桥洞下经常堵车，而且十分不安全。", None),
    ("学校门口这条马路车速很快，去年路段上出了好几起车祸事故。", "near_miss"),
    # a storage room is no clutter; a deep pit, a fire lane sold as parking, gas bottles
    # in a shop and a railing knocked down are hazards
    ("储物杂物间里有一根横梁，停车的安全隐患很大，要求降价。", None),
    ("楼道里堆满杂物，存在安全隐患。", "near_miss"),  # control
    ("工地挖了很深的水坑一直没填，存在安全隐患。", "near_miss"),
    ("地下室的消防通道门口全部画了车位卖掉了。", "near_miss"),
    ("楼下饭店店内放着好几个煤气罐。", "near_miss"),
    ("河堤上的栏杆被撞烂、撞断，一直没人修。", "near_miss"),
    # owning a fierce breed is a civility complaint (heldout3, heldout5); an act is not
    ("楼上邻居养了两条烈性犬，也没有办证。", None),
    ("一条恶犬在小区里追咬路过的小孩。", "near_miss"),  # control
]


@pytest.mark.parametrize(("text", "tier"), SESSION8_CASES)
def test_severity_tiers_feared_damage_scope_of_traffic_and_lights(text, tier):
    _assert_tier(text, tier)


def test_tiers_in_blocks_of_distinct_texts_equal_the_plain_way(monkeypatch):
    # rows are tiered a block at a time (memory at millions of tickets); a
    # text's tier must not depend on which block it falls in
    from commlib.heinrich import _tiers

    df = pd.DataFrame(
        {
            "title": ["用电", None, "安全", "", "消防", "噪音", "用电"],
            "text": [
                "楼下有人飞线充电",
                "老人在台阶上摔伤了",
                "楼道电瓶车起火，有人送医",
                "消防通道堵了，万一着火进不来",
                "厨房冒烟，未造成人员受伤",
                "楼上装修很吵",
                "楼下有人飞线充电",
            ],
        }
    )
    plain = _tiers._severity_tiers(df, rules=None, columns=("title", "text"), fast=False)
    monkeypatch.setattr(_tiers, "TIER_BLOCK", 2)
    blocks = _tiers._severity_tiers(df, rules=None, columns=("title", "text"), fast=True)
    for col in ("tier", "tier_match", "hazard"):
        assert blocks[col].equals(plain[col]), col
    assert blocks["tier"].notna().sum() >= 3


#: Session 13 (heldout9 and heldout10 real TipDM messages; synthetic sentences, each
#: fails on the rules of 5c79f1a unless marked as a control).
SESSION13_CASES = [
    # a danger met in everyday passing names a hazard on the spot; only harm to a body
    ("路口左转车辆太多，过马路一不小心就会被车撞。", "near_miss"),
    ("巷子里的路面坑坑洼洼，老人走路稍不留神就会摔倒。", "near_miss"),
    ("窨井盖没盖好，一个不留神就会有小孩掉进去。", "near_miss"),
    ("这里停车规定很复杂，一不小心就会被罚款。", None),  # control
    # an accident said to come easily, next to a concrete hazard; a definition is no report
    ("工地边上的基坑一直敞着，很容易发生意外。", "near_miss"),
    ("村口一个陡坡上去就是主路，很容易发生危险。", "near_miss"),
    ("条例规定，在陡坡、隧道或者容易发生危险的路段不得掉头。", None),  # control
    ("小区停车收费太高，很容易发生矛盾。", None),  # control
    # accidents that happened at the spot, counted in times, keep the traffic 隐患
    ("这个路口已经发生过几次比较严重的交通事故了，如果不整改会有重大隐患。", "near_miss"),
    ("学校门口车多，上下学高峰拥堵，存在安全隐患。", None),  # control
    # people killed, counted; a death by accident in the plain words of a death
    ("这段路事故频发，已经死了几个人了，还是没装红绿灯。", "serious"),
    ("前年他因意外车祸身故，孩子一直由我抚养。", "serious"),
    ("村里去年有三位老人身故，殡葬车收费太高。", None),  # control: any death
    # harm that reached a person; a near one is a near miss
    ("小区里曾发生瓷砖空鼓脱落伤及小孩的事件。", "minor"),
    ("瓷砖掉落，差点伤及家中小孩。", "near_miss"),  # control
    ("楼上装修，担心伤及家人。", None),  # control: feared
    # a near overturn; a structure cut through
    ("一辆罐车为了抢道蛇形前进，险些翻覆。", "near_miss"),
    ("楼下商铺施工，楼板、楼板横梁被打穿。", "near_miss"),
    # a harm averted by luck; an accident feared next to a concrete hazard
    ("大狗直接冲到了小朋友面前，要不是及时制止就被咬了。", "near_miss"),
    ("幸亏我躲得快，不然就被广告牌砸到了。", "near_miss"),
    ("车库里的僵尸车漏油很严重，万一哪天引发事故就是大事故。", "near_miss"),
    ("要不是物业及时通知，我就错过缴费了。", None),  # control
    # a tapped water pipe is no electric hazard; the renovation programme's papers are paperwork
    ("水果店私接水管洗车，浪费水资源。", None),
    ("楼道里私接电线给电动车充电。", "near_miss"),  # control
    ("老屋有危房鉴定书，申请原址重建。", None),
    ("请问危房改建的补助政策是什么？", None),
    ("我家房子墙体开裂，已经是危房了。", "near_miss"),  # control
    # 短路 is no short circuit inside 缩短路灯 (shorten the street lights' hours)
    ("冬天早上天还黑，骑车的行人真的很危险，夏天可以缩短路灯开放时间。", None),
    ("配电箱经常短路，非常危险。", "near_miss"),  # control
    # a paragraph break (an ideographic space, two spaces) ends a sentence
    ("楼下新装了一排充电桩　　晚上骑车的行人真的很危险", None),
    ("楼下新装了一排充电桩  晚上骑车的行人真的很危险", None),
    ("楼下新装了一排充电桩，晚上骑车的行人真的很危险", "near_miss"),  # control
]


@pytest.mark.parametrize(("text", "tier"), SESSION13_CASES)
def test_severity_tiers_everyday_dangers_counted_deaths_and_paragraphs(text, tier):
    _assert_tier(text, tier)


#: Session 13, second round (heldout11 and heldout12 real TipDM messages; synthetic sentences, each
#: fails on the rules of 37c881d unless marked as a control).
SESSION13B_CASES = [
    # fuel and gas stores a few metres from homes; a safety distance not kept
    ("小区里有一个液化气站，距离居民楼不到五米。", "near_miss"),
    ("加油站的油罐没有达到国家标准的安全距离。", "near_miss"),
    ("加油站离我家有两公里远，加油不方便。", None),  # control
    # stairs broken at a handover
    ("交房时楼梯残缺，设施不完善。", "near_miss"),
    # a high-voltage line at a distance named is a hazard only when the distance is short
    ("树根距离高压线至少有五到八米的距离，砍树没有道理。", None),
    ("人行天桥距离高压电缆还不到10米。", "near_miss"),
    # a surface layer cracks cosmetically; the wall body is structure
    ("外墙渗水导致阳台的墙面开裂，发霉。", None),
    ("阳台的墙体开裂，裂缝有一指宽。", "near_miss"),  # control
    # a street light out with a bare 不安全 is a worry; a danger named is a hazard
    ("路灯长期不亮，晚上散步、上学都不安全。", None),
    ("路灯长期不亮，晚上看不见行人，非常不安全。", "near_miss"),  # control
    # the renovation of a crumbling house is a programme; one left standing is a hazard
    ("工厂对三栋危房进行拆除改造，分房不公。", None),
    ("这栋危房一直没有拆除，随时可能倒塌。", "near_miss"),  # control
    # heldout12: a plague of dogs is a nuisance; a structure about to fall now is a hazard
    ("小区狗患成灾，到处是狗屎。", None),
    ("人行道上的围栏锈迹斑斑，随时可能倒塌。", "near_miss"),
    ("隔壁工地开挖，可能导致我们的房屋倒塌。", None),  # control: feared damage
    # a rhetorical safety question next to a failing lift
    ("电梯三天两头坏，物业用透明胶修电梯，有安全可言吗？", "near_miss"),
    ("物业费年年涨，有安全可言吗？", None),  # control: no concrete hazard
    # an assault that happened; a habitual or threatened one is not
    ("门口那伙人十分嚣张，轻者敲车窗，重者动手打人。", "minor"),
    ("村民给他提意见，他就会动手打人。", None),  # control
]


@pytest.mark.parametrize(("text", "tier"), SESSION13B_CASES)
def test_severity_tiers_distances_stairs_surfaces_and_lights(text, tier):
    _assert_tier(text, tier)
