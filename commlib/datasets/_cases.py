"""Synthetic sample tables for the cases notebooks (every record invented).

``SAMPLES`` maps a sample name to (file name in ``data/sample/``, builder). A builder
takes no arguments and returns a DataFrame, deterministically; ``write_sample`` writes
it as UTF-8 CSV and ``load_sample(name)`` reads it back (or rebuilds it in memory).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

SAMPLES: dict[str, tuple[str, Callable[[], pd.DataFrame]]] = {}

# ------------------------------------------------------------------ the café street
#: Seeds of the café-street tables (fixed: the files are rebuilt byte for byte).
_MERCHANT_SEED = 20241120
_SURVEY_SEED = 20250328

_OPENERS = ("", "", "店主表示：", "商户反映：", "店长说：", "老板提出：", "负责人建议：")

#: Merchants' needs, by theme (weights: how often a request touches the theme).
_NEEDS: dict[str, tuple[float, tuple[str, ...]]] = {
    "customers": (
        0.36,
        (
            "希望街道帮忙引流，平时工作日客流太少",
            "周末客流还行，工作日下午基本没有顾客",
            "希望搞周末市集活动，吸引更多顾客过来",
            "希望在地铁口设置咖啡街导视牌，把人流引过来",
            "希望统一做咖啡街的宣传，提升知名度",
            "新开的店没人知道，希望帮忙推广引流",
            "希望和写字楼合作，把白领客流引到街上",
        ),
    ),
    "terrace": (
        0.24,
        (
            "外摆是咖啡街的特色，希望规范管理而不是一刀切取消",
            "室内座位太少，希望保留门口的外摆位",
            "愿意按划线范围摆放桌椅，希望给一个明确的外摆标准",
            "顾客都喜欢坐在外面，取消外摆生意会受很大影响",
        ),
    ),
    "walking": (
        0.46,
        (
            "路太窄，人车混行，顾客不敢在门口停留",
            "门口没有人行道，顾客只能走在马路上，很不安全",
            "车开得太快，带小孩的顾客觉得不安全，来过一次就不来了",
            "希望改善步行环境，做到人车分流，顾客才愿意慢慢逛",
            "人车混行太危险，上周有顾客差点被车撞",
            "希望拓宽人行道，让顾客走路安全一些",
            "晚上路面太暗，人行道高低不平，顾客走路怕摔跤",
            "希望限制机动车车速，让行人走得安心",
            "人行道被占以后行人走马路，顾客都说这条路不安全",
        ),
    ),
    "parking": (
        0.18,
        (
            "停车难，开车来的顾客找不到车位",
            "希望设置非机动车停放点，外卖电瓶车停得乱七八糟",
            "希望在路口设几个临时停车位，方便顾客取咖啡",
        ),
    ),
    "other": (
        0.2,
        (
            "希望把垃圾清运时间调整到早上开门之前",
            "希望统一设计店招，街区更有整体感",
            "希望协调好和楼上居民的关系，营业时间可以商量",
            "希望增加公共座椅和绿化，提升街区氛围",
            "希望简化临时活动的审批手续",
            "租金压力大，希望有扶持政策",
        ),
    ),
}
_CHANNELS = ("上门走访", "上门走访", "商户座谈会", "线上问卷", "电话回访")


def _merchant_requests() -> pd.DataFrame:
    """Merchants' requests on the café street (the 需求清单): synthetic, dated, 240 rows."""
    import numpy as np

    from commlib.datasets._vocab import CAFE_NAMES, CAFE_NUMBERS, CAFE_ROAD

    rng = np.random.default_rng(_MERCHANT_SEED)
    n = 240
    days = pd.date_range("2024-04-01", "2024-11-15", freq="D")
    # more visits in the summer, when the terraces are out
    weight = 1 + 0.6 * np.sin(np.pi * (days.day_of_year.to_numpy() - 91) / 230)
    chosen = np.sort(rng.choice(len(days), size=n, p=weight / weight.sum()))
    themes = list(_NEEDS)
    rows = []
    for i, d in enumerate(chosen):
        shop = int(rng.integers(len(CAFE_NAMES)))
        picked = [t for t in themes if rng.random() < _NEEDS[t][0]]
        if not picked:
            picked = [themes[int(rng.integers(len(themes)))]]
        picked = picked[:2]
        parts = []
        for t in picked:
            phrases = _NEEDS[t][1]
            parts.append(phrases[int(rng.integers(len(phrases)))])
        opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
        text = opener + "；".join(parts) + "。"
        rows.append(
            {
                "request_id": f"XQ{i + 1:04d}",
                "date": days[d].strftime("%Y-%m-%d"),
                "merchant": CAFE_NAMES[shop],
                "address": f"{CAFE_ROAD}{CAFE_NUMBERS[shop]}号",
                "channel": _CHANNELS[int(rng.integers(len(_CHANNELS)))],
                "request": text,
            }
        )
    return pd.DataFrame(rows)


def _cafe_survey() -> pd.DataFrame:
    """Residents' survey on the café street before and after the boardwalk (synthetic)."""
    import numpy as np

    rng = np.random.default_rng(_SURVEY_SEED)
    waves = (
        ("before", 180, "2024-12-02", "2024-12-20", 2.6, 0.30, 0.40, 0.38),
        ("after", 200, "2025-05-12", "2025-05-30", 3.8, 0.78, 0.62, 0.66),
    )
    ages = ("18-34", "35-59", "60+")
    homes = ("桐荫路沿线", "锦岚国际街区其他")
    rows = []
    for wave, n, first, last, sat_mean, safe, walk, terrace in waves:
        days = pd.date_range(first, last, freq="D")
        for i in range(n):
            age = ages[int(rng.choice(3, p=[0.35, 0.4, 0.25]))]
            home = homes[int(rng.random() < 0.45)]
            older = age == "60+"
            sat = np.clip(np.rint(rng.normal(sat_mean - 0.3 * older, 0.9)), 1, 5)
            p_safe = np.clip(safe - 0.12 * older - 0.05 * (home == homes[0]), 0.02, 0.98)
            blank = rng.random() < 0.03  # a few skipped the safety question
            rows.append(
                {
                    "respondent_id": f"{'Q1' if wave == 'before' else 'Q2'}-{i + 1:04d}",
                    "wave": wave,
                    "date": days[int(rng.integers(len(days)))].strftime("%Y-%m-%d"),
                    "age_group": age,
                    "home": home,
                    "satisfaction": int(sat),
                    "feels_safe": "" if blank else ("是" if rng.random() < p_safe else "否"),
                    "walks_weekly": "是" if rng.random() < walk else "否",
                    "supports_terrace": "是" if rng.random() < terrace else "否",
                }
            )
    return pd.DataFrame(rows)


SAMPLES["merchant_requests"] = ("merchant_requests.csv", _merchant_requests)
SAMPLES["cafe_survey"] = ("cafe_survey.csv", _cafe_survey)
