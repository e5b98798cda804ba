"""Synthetic 12345-hotline work orders for one fictional Shanghai block.

The generator is vectorised: every random choice is drawn for all rows at once with
NumPy, and text is assembled by concatenating arrays of fragments, so a million tickets
take seconds, not minutes. Everything is drawn from one ``numpy.random.default_rng``
seeded by the caller; nothing depends on the clock, on ``hash()`` or on set order.

Four stories are planted on top of the background (see ``data/sample/README.md``):
parcels piling up in one compound until a parcel station opens, outdoor café seating on
an internal road until a boardwalk opens, one noodle stall behind tickets of many
categories, and near misses rising in one building before a fire.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._compat import renamed_parameters
from commlib.datasets import _vocab as V
from commlib.datasets._service import SERVICE_COLUMNS, hot_event_rows, service_columns
from commlib.schema import CANONICAL_COLUMNS, EXTRA_SAMPLE_COLUMNS, PRESET_12345

#: Columns of a generated ticket table, in order.
TICKET_COLUMNS: tuple[str, ...] = (*CANONICAL_COLUMNS, *EXTRA_SAMPLE_COLUMNS)

#: Story dates for the default span (2024-01-01 + 18 months). For another span the same
#: dates are placed at the same fraction of it.
_DEFAULT_START = np.datetime64("2024-01-01", "D")
_DEFAULT_END = np.datetime64("2025-07-01", "D")
STORY_DATES: dict[str, str] = {
    "noodle_first": "2024-06-03",
    "noodle_action": "2024-06-19",
    "control_fire": "2024-08-09",
    "parcel_meeting": "2024-09-05",
    "parcel_station": "2024-10-16",
    "cafe_project": "2024-11-20",
    "fire": "2025-01-17",
    "fire_cleanup": "2025-01-20",
    "boardwalk_works": "2025-02-17",
    "boardwalk_open": "2025-03-28",
}

_HOURS = {
    "day": (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9, 7, 7, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5),
    "evening": (2, 1, 0.5, 0.3, 0.2, 0.3, 0.8, 2, 4, 5, 5, 5, 5, 5, 5, 5, 6, 7, 9, 10, 10, 9, 6, 3),
    "night": (5, 3, 1.5, 0.8, 0.4, 0.5, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6, 8, 10, 11, 11, 8),
    "cafe": (1, 0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 1, 2, 3, 4, 5, 6, 6, 6, 6, 7, 8, 10, 11, 11, 9, 5, 2),
}
_PROFILE_NAMES = tuple(_HOURS)

#: Monthly volume multipliers (Jan..Dec) for categories with a season.
_SEASON = {
    "噪音扰民": (0.8, 0.8, 0.9, 1.0, 1.1, 1.35, 1.5, 1.5, 1.2, 1.0, 0.9, 0.8),
    "油烟扰民": (0.8, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.1, 1.0, 0.9, 0.8),
    "绿化养护": (0.6, 0.6, 1.0, 1.3, 1.4, 1.3, 1.3, 1.2, 1.1, 0.9, 0.7, 0.6),
    "水电燃气": (1.5, 1.4, 1.1, 0.9, 0.8, 0.8, 0.9, 0.9, 0.8, 0.9, 1.1, 1.4),
    "施工扰民": (0.7, 0.6, 1.1, 1.2, 1.2, 1.0, 0.9, 0.9, 1.2, 1.2, 1.1, 0.9),
    "占道经营": (0.7, 0.7, 0.9, 1.1, 1.2, 1.3, 1.3, 1.3, 1.1, 1.0, 0.8, 0.7),
    "房屋漏水": (0.8, 0.8, 0.9, 1.0, 1.2, 1.5, 1.4, 1.2, 1.0, 0.8, 0.8, 0.8),
}
_NIGHTLY = ("噪音扰民", "宠物管理", "施工扰民")
_SPRING_FESTIVALS = ("2024-02-10", "2025-01-29", "2026-02-17")

_DATE_FORMATS = ("dash", "slash", "slash_date", "chinese", "iso")
_DATE_FORMAT_P = (0.70, 0.12, 0.04, 0.06, 0.08)
_BAD_DATES = ("2024-13-45", "#VALUE!", "未知", "", "0000-00-00 00:00", "1900-01-00")

_STORY_NONE, _STORY_PARCEL, _STORY_CAFE, _STORY_NOODLE = 0, 1, 2, 3
_STORY_NEARMISS, _STORY_FIRE, _STORY_CONTROL, _STORY_MINOR = 4, 5, 6, 7

_FULLWIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
)
_CN_DIGITS = "〇一二三四五六七八九"


# ------------------------------------------------------------------------ small helpers
def _cn_number(k: int) -> str:
    """Write 1-99 the way people say it (十二), larger numbers digit by digit (一二三)."""
    if k < 10:
        return _CN_DIGITS[k]
    if k < 20:
        return "十" + (_CN_DIGITS[k % 10] if k % 10 else "")
    if k < 100:
        return _CN_DIGITS[k // 10] + "十" + (_CN_DIGITS[k % 10] if k % 10 else "")
    return "".join(_CN_DIGITS[int(c)] for c in str(k))


def _cn_digits(k: int) -> str:
    return "".join(_CN_DIGITS[int(c)] for c in str(k))


def _obj(values) -> np.ndarray:
    """A 1-D object array of Python strings (what the concatenations work on)."""
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _cat(*parts) -> np.ndarray:
    """Row-wise concatenation of string arrays (scalars are repeated), in one pass."""
    n = next(len(p) for p in parts if isinstance(p, np.ndarray))
    cols = [p if isinstance(p, np.ndarray) else itertools.repeat(p, n) for p in parts]
    return _obj(map("".join, zip(*cols, strict=False)))


def _select(kind: np.ndarray, builders) -> np.ndarray:
    """Build each row with ``builders[kind]`` (a function of the row mask), row subsets only."""
    out = np.empty(len(kind), dtype=object)
    for k, build in enumerate(builders):
        m = kind == k
        if m.any():
            out[m] = build(m)
    return out


def _pick(rng: np.random.Generator, pool, n: int, p=None) -> np.ndarray:
    arr = pool if isinstance(pool, np.ndarray) else _obj(pool)
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return arr[rng.choice(len(arr), size=n, p=p)]


def _span(start: str, months: int) -> tuple[np.datetime64, int]:
    start_d = np.datetime64(start, "D")
    month0 = start_d.astype("datetime64[M]")
    end_d = (month0 + int(months)).astype("datetime64[D]") + (
        start_d - month0.astype("datetime64[D]")
    )
    return start_d, int((end_d - start_d).astype(int))


def _story_day(key: str, start_d: np.datetime64, ndays: int) -> int:
    """Day offset (from start) of a story date, at the same fraction of the span."""
    default_span = int((_DEFAULT_END - _DEFAULT_START).astype(int))
    frac = int((np.datetime64(STORY_DATES[key], "D") - _DEFAULT_START).astype(int)) / default_span
    return int(round(frac * ndays))


# ----------------------------------------------------------------------- static tables
@dataclass(frozen=True)
class _Tables:
    addr_kind: np.ndarray  # 0 residential, 1 café, 2 shop, 3 office, 4 metro
    addr_compound: np.ndarray  # compound index or -1
    addr_community: np.ndarray
    addr_variants: np.ndarray  # (n_addr, 10) object
    addr_weight_bg: np.ndarray  # background weight within its kind
    comp_first: np.ndarray  # first address id of each compound
    comp_size: np.ndarray  # buildings per compound
    comp_weight: np.ndarray
    kind_ids: tuple[np.ndarray, ...]  # address ids of each kind
    cafe_weight: np.ndarray  # story weights over café addresses
    noodle_addr: int
    tt_category: np.ndarray  # per text topic
    tt_subcategory: np.ndarray
    tt_cat_idx: np.ndarray
    tt_profile: np.ndarray
    tt_weight: np.ndarray
    tt_start: np.ndarray
    tt_count: np.ndarray
    tt_index: dict  # (kind, category, subcategory) -> text-topic id
    problems: np.ndarray
    details: np.ndarray
    det_start: np.ndarray
    det_count: np.ndarray
    categories: tuple[str, ...]
    cat_weight: np.ndarray
    cat_loc_cum: np.ndarray  # (n_cat, 5) cumulative location weights
    cat_dept: np.ndarray  # (n_cat, 3) department index (-1 pad)
    cat_dept_cum: np.ndarray  # (n_cat, 3)
    synonyms: dict  # category -> tuple of other spellings
    departments: np.ndarray


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    kinds, comps, comms, variants, wbg = [], [], [], [], []
    comp_first, comp_size, comp_weight = [], [], []
    for ci, (name, road, lane, nb, w) in enumerate(V.COMPOUNDS):
        comp_first.append(len(kinds))
        comp_size.append(nb)
        comp_weight.append(w)
        for b in range(1, nb + 1):
            base = f"{road}{lane}弄"
            variants.append(
                (
                    f"{base}{b}号",
                    f"{base}{b}号楼",
                    f"{base}{b}栋",
                    f"{base}{b}幢",
                    f"{name}{b}号楼",
                    f"{road} {lane}弄 {b}号",
                    f"{road}{lane}弄{_cn_number(b)}号",
                    f"{name}{b}号",
                    f"{V.DISTRICT}{base}{b}号",
                    f"{base}{b}号附近",
                )
            )
            kinds.append(0)
            comps.append(ci)
            comms.append(name)
            wbg.append(1.0)
    for num, cafe in zip(V.CAFE_NUMBERS, V.CAFE_NAMES, strict=True):
        a = f"{V.CAFE_ROAD}{num}号"
        variants.append(
            (
                a,
                f"{a}{cafe}",
                f"{a}门口",
                f"{V.CAFE_ROAD} {num}号",
                f"{V.CAFE_ROAD}{_cn_digits(num)}号",
                f"{a}（{cafe}）",
                f"{V.CAFE_ROAD}{cafe}门口",
                f"{V.DISTRICT}{a}",
                f"{a}附近",
                f"{a}外",
            )
        )
        kinds.append(1)
        comps.append(-1)
        comms.append(V.CAFE_COMMUNITY)
        wbg.append(1.0)
    noodle_addr = -1
    for num in V.SHOP_NUMBERS:
        a = f"{V.SHOP_ROAD}{num}号"
        variants.append(
            (
                a,
                f"{a}底商",
                f"{a}门口",
                f"{V.SHOP_ROAD} {num}号",
                f"{V.SHOP_ROAD}{_cn_digits(num)}号",
                f"{a}附近",
                f"{a}商铺",
                f"{V.DISTRICT}{a}",
                f"{a}旁",
                a,
            )
        )
        kinds.append(2)
        comps.append(-1)
        comms.append("云岭花园" if num <= V.SHOP_UNDER_COMPOUND_MAX else V.SHOP_COMMUNITY)
        if num == V.NOODLE_NUMBER:
            noodle_addr = len(kinds) - 1
        wbg.append(0.0 if num == V.NOODLE_NUMBER else 1.0)
    for addr, name in V.OFFICES:
        variants.append(
            (
                f"{addr}{name}",
                name,
                addr,
                f"{name}门口",
                f"{addr}（{name}）",
                f"{V.DISTRICT}{addr}",
                f"{name}地下车库",
                f"{name}附近",
                f"{addr}{name}",
                f"{addr}{name}",
            )
        )
        kinds.append(3)
        comps.append(-1)
        comms.append(V.OFFICE_COMMUNITY)
        wbg.append(1.0)
    for e in V.METRO_EXITS:
        st = V.METRO_STATION
        variants.append(
            (
                f"{st}{e}号口",
                f"地铁{st}{e}号出口",
                f"{V.SHOP_ROAD}地铁站{e}号口",
                f"{st}{e}号口附近",
                f"地铁站{_cn_number(e)}号口",
                f"{st}{e}号口",
                f"{st}{e}号口",
                f"{st}{e}号口",
                f"{st}{e}号口",
                f"{st}{e}号口",
            )
        )
        kinds.append(4)
        comps.append(-1)
        comms.append(V.METRO_COMMUNITY)
        wbg.append(1.0)
    addr_variants = np.empty((len(variants), 10), dtype=object)
    for i, row in enumerate(variants):
        addr_variants[i, :] = row
    addr_kind = np.array(kinds, dtype=np.int8)
    kind_ids = tuple(np.flatnonzero(addr_kind == k) for k in range(5))
    # a few cafés have much bigger terraces than the rest (fixed, not seed-dependent)
    n_cafe = len(V.CAFE_NUMBERS)
    cafe_weight = 1.0 / (1.0 + np.array([(7 * i) % n_cafe for i in range(n_cafe)])) ** 0.7

    categories = tuple(V.CATEGORIES)
    details, det_start, det_count = [], [], []
    for c in categories:
        pool = V.DETAILS + V.CATEGORY_DETAILS.get(c, ())
        det_start.append(len(details))
        det_count.append(len(pool))
        details.extend(pool)
    cat_pos = {c: i for i, c in enumerate(categories)}
    departments = V.DEPARTMENTS
    dept_pos = {d: i for i, d in enumerate(departments)}

    # text topics: background topics, then parcel-story and noodle-story variants
    tts = [(c, s, w, prof, probs) for c, s, w, prof, probs in V.TOPICS]
    tt_index = {("bg", c, s): i for i, (c, s, *_rest) in enumerate(tts)}
    for sub, probs in V.PARCEL_STORY:
        tt_index[("parcel", "快递物流", sub)] = len(tts)
        tts.append(("快递物流", sub, 0.0, "day", probs))
    tt_index[("kitchen", "消防安全", "火灾")] = len(tts)
    tts.append(("消防安全", "火灾", 0.0, "evening", V.KITCHEN_FIRE))
    for cat, sub, patterns in V.NOODLE_STORY:
        tt_index[("noodle", cat, sub)] = len(tts)
        probs = tuple(p.format(s=w) for p in patterns for w in V.NOODLE_WORDS)
        tts.append((cat, sub, 0.0, "evening", probs))
    problems, starts, counts = [], [], []
    for *_head, probs in tts:
        starts.append(len(problems))
        counts.append(len(probs))
        problems.extend(probs)
    tt_category = _obj([t[0] for t in tts])
    tt_cat_idx = np.array([cat_pos[t[0]] for t in tts])
    tt_weight = np.array([t[2] for t in tts], dtype=float)
    cat_weight = np.array([V.CATEGORIES[c][0] for c in categories], dtype=float)
    # topic weight = category volume x share of the topic within its category
    for ci, _c in enumerate(categories):
        m = tt_cat_idx == ci
        tt_weight[m] = tt_weight[m] / tt_weight[m].sum() * cat_weight[ci]

    cat_loc_cum = np.cumsum(np.array([V.CATEGORIES[c][1] for c in categories], dtype=float), axis=1)
    cat_loc_cum /= cat_loc_cum[:, -1:]
    cat_dept = np.full((len(categories), 3), -1)
    cat_dept_w = np.zeros((len(categories), 3))
    for ci, c in enumerate(categories):
        ds = V.CATEGORIES[c][2]
        w = np.array([0.7, 0.2, 0.1][: len(ds)])
        cat_dept[ci, : len(ds)] = [dept_pos[d] for d in ds]
        cat_dept_w[ci, : len(ds)] = w / w.sum()
    syn = pd.read_csv(_resource("category_synonyms.csv"), dtype=str)
    synonyms = {
        c: tuple(syn.loc[(syn["category"] == c) & (syn["synonym"] != c), "synonym"])
        for c in categories
    }
    return _Tables(
        addr_kind=addr_kind,
        addr_compound=np.array(comps),
        addr_community=_obj(comms),
        addr_variants=addr_variants,
        addr_weight_bg=np.array(wbg),
        comp_first=np.array(comp_first),
        comp_size=np.array(comp_size),
        comp_weight=np.array(comp_weight) / sum(comp_weight),
        kind_ids=kind_ids,
        cafe_weight=cafe_weight / cafe_weight.sum(),
        noodle_addr=noodle_addr,
        tt_category=tt_category,
        tt_subcategory=_obj([t[1] for t in tts]),
        tt_cat_idx=tt_cat_idx,
        tt_profile=np.array([_PROFILE_NAMES.index(t[3]) for t in tts]),
        tt_weight=tt_weight,
        tt_start=np.array(starts),
        tt_count=np.array(counts),
        tt_index=tt_index,
        problems=_obj(problems),
        details=_obj(details),
        det_start=np.array(det_start),
        det_count=np.array(det_count),
        categories=categories,
        cat_weight=cat_weight,
        cat_loc_cum=cat_loc_cum,
        cat_dept=cat_dept,
        cat_dept_cum=np.cumsum(cat_dept_w, axis=1),
        synonyms=synonyms,
        departments=_obj(departments),
    )


def _resource(name: str):
    from importlib import resources

    return resources.files("commlib").joinpath("resources", name).open("rb")


def _address_id(tab: _Tables, compound: str, building: int) -> int:
    ci = [c[0] for c in V.COMPOUNDS].index(compound)
    return int(tab.comp_first[ci] + building - 1)


# ------------------------------------------------------------------------- row specs
@dataclass
class _Spec:
    """What each row is before it is written out: when, what, where, which story."""

    minute: np.ndarray  # minutes since start
    tt: np.ndarray  # text topic
    addr: np.ndarray  # address id
    story: np.ndarray  # story code (never written out)
    repeat: np.ndarray  # True for a repeat call about an earlier event

    @staticmethod
    def concat(parts: list[_Spec]) -> _Spec:
        return _Spec(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in _Spec.__dataclass_fields__)
        )

    def take(self, idx) -> _Spec:
        return _Spec(*(getattr(self, f)[idx] for f in _Spec.__dataclass_fields__))

    def __len__(self) -> int:
        return len(self.minute)


def _spec(minute, tt, addr, story, repeat=False) -> _Spec:
    n = len(minute)
    return _Spec(
        np.asarray(minute, dtype=np.int64),
        np.broadcast_to(np.asarray(tt, dtype=np.int64), (n,)).copy(),
        np.broadcast_to(np.asarray(addr, dtype=np.int64), (n,)).copy(),
        np.full(n, story, dtype=np.int8),
        np.full(n, repeat, dtype=bool),
    )


def _day_weights(tab: _Tables, start_d: np.datetime64, ndays: int) -> np.ndarray:
    """(n_cat, ndays) relative volume per category and day: trend, week, season, holidays."""
    days = start_d + np.arange(ndays)
    dow = (days.astype(np.int64) + 3) % 7  # Monday = 0
    moy = days.astype("datetime64[M]").astype(np.int64) % 12
    trend = 1.0 + 0.15 * np.arange(ndays) / max(ndays, 1)
    holiday = np.ones(ndays)
    for d in _SPRING_FESTIVALS:
        off = int((np.datetime64(d, "D") - start_d).astype(int))
        lo, hi = max(off - 2, 0), min(off + 6, ndays)
        if lo < hi:
            holiday[lo:hi] = 0.6
    w = np.empty((len(tab.categories), ndays))
    for ci, c in enumerate(tab.categories):
        week = np.where(dow >= 5, 1.25 if c in _NIGHTLY else 0.8, 1.0)
        season = np.asarray(_SEASON.get(c, (1.0,) * 12))[moy]
        w[ci] = trend * week * season * holiday
    return w


def _minutes_of_day(rng, profile_idx: np.ndarray) -> np.ndarray:
    out = np.empty(len(profile_idx), dtype=np.int64)
    for pi, name in enumerate(_PROFILE_NAMES):
        m = profile_idx == pi
        k = int(m.sum())
        if k:
            p = np.asarray(_HOURS[name], dtype=float)
            out[m] = rng.choice(24, size=k, p=p / p.sum()) * 60 + rng.integers(0, 60, k)
    return out


def _residential_address(rng, tab: _Tables, n: int) -> np.ndarray:
    comp = rng.choice(len(tab.comp_weight), size=n, p=tab.comp_weight)
    return tab.comp_first[comp] + (rng.random(n) * tab.comp_size[comp]).astype(np.int64)


def _background(rng, tab: _Tables, n: int, start_d, ndays: int) -> _Spec:
    tt_bg = np.flatnonzero(tab.tt_weight > 0)
    tt = rng.choice(tt_bg, size=n, p=tab.tt_weight[tt_bg] / tab.tt_weight[tt_bg].sum())
    cat = tab.tt_cat_idx[tt]
    kind = (rng.random(n)[:, None] > tab.cat_loc_cum[cat]).sum(axis=1)
    addr = np.empty(n, dtype=np.int64)
    for k in range(5):
        m = kind == k
        cnt = int(m.sum())
        if not cnt:
            continue
        if k == 0:
            addr[m] = _residential_address(rng, tab, cnt)
        else:
            ids = tab.kind_ids[k]
            w = tab.addr_weight_bg[ids]
            addr[m] = rng.choice(ids, size=cnt, p=w / w.sum())
    day = np.empty(n, dtype=np.int64)
    dw = _day_weights(tab, start_d, ndays)
    for ci in range(len(tab.categories)):
        m = cat == ci
        cnt = int(m.sum())
        if cnt:
            day[m] = rng.choice(ndays, size=cnt, p=dw[ci] / dw[ci].sum())
    minute = day * 1440 + _minutes_of_day(rng, tab.tt_profile[tt])
    return _spec(minute, tt, addr, _STORY_NONE)


# --------------------------------------------------------------------------- stories
def _story_cafe(rng, tab, scale, start_d, ndays) -> _Spec:
    days = start_d + np.arange(ndays)
    dow = (days.astype(np.int64) + 3) % 7
    moy = days.astype("datetime64[M]").astype(np.int64) % 12
    season = np.where((moy >= 3) & (moy <= 9), 1.35, 0.55)
    week = np.select([dow >= 5, dow == 4], [2.2, 1.2], 0.6)
    open_day = _story_day("boardwalk_open", start_d, ndays)
    after = np.arange(ndays) >= open_day
    lam = scale * 1.0 * season * week * np.where(after, 0.12, 1.0)
    per_day = rng.poisson(lam)
    day = np.repeat(np.arange(ndays), per_day)
    n = len(day)
    seating = rng.random(n) < 0.6
    tt = np.where(
        seating,
        tab.tt_index[("bg", "占道经营", "外摆位")],
        tab.tt_index[("bg", "交通安全", "人车混行")],
    )
    cafe_ids = tab.kind_ids[1]
    addr = rng.choice(cafe_ids, size=n, p=tab.cafe_weight)
    prof = np.full(n, _PROFILE_NAMES.index("cafe"))
    minute = day * 1440 + _minutes_of_day(rng, prof)
    return _spec(minute, tt, addr, _STORY_CAFE)


def _story_noodle(rng, tab, scale, start_d, ndays) -> _Spec:
    k = max(7, int(round(7 * scale)))
    first = _story_day("noodle_first", start_d, ndays)
    day = first + np.sort(rng.integers(0, 13, k))
    day[0] = first
    kinds = [(c, s) for c, s, _p in V.NOODLE_STORY]
    order = list(rng.permutation(len(kinds)))
    while len(order) < k:
        order.append(int(rng.integers(0, len(kinds))))
    tt = np.array([tab.tt_index[("noodle", *kinds[i])] for i in order[:k]])
    prof = np.full(k, _PROFILE_NAMES.index("evening"))
    minute = np.minimum(day, ndays - 1) * 1440 + _minutes_of_day(rng, prof)
    return _spec(minute, tt, tab.noodle_addr, _STORY_NOODLE)


def _story_nearmiss(rng, tab, scale, start_d, ndays) -> list[_Spec]:
    fire_day = _story_day("fire", start_d, ndays)
    building = _address_id(tab, V.NEARMISS_COMPOUND, V.NEARMISS_BUILDING)
    topics = [
        tab.tt_index[("bg", "用电安全", "飞线充电")],
        tab.tt_index[("bg", "消防安全", "楼道堆物")],
        tab.tt_index[("bg", "用电安全", "电线老化")],
        tab.tt_index[("bg", "消防安全", "电瓶车进楼道")],
    ]
    # ten weeks before the fire, weekly counts rising from ~0.3 to ~3.3
    weeks = np.arange(1, 11)
    per_week = rng.poisson(scale * 0.33 * weeks)
    week_start = fire_day - 7 * (11 - weeks)
    day = np.repeat(week_start, per_week) + rng.integers(0, 7, int(per_week.sum()))
    day = np.clip(day, 0, max(fire_day - 1, 0))
    tt = np.array(topics)[rng.integers(0, len(topics), len(day))]
    minute = day * 1440 + _minutes_of_day(rng, tab.tt_profile[tt])
    pre = _spec(minute, tt, building, _STORY_NEARMISS)
    # the fire itself: several calls within the hour (21:36 onwards)
    k = max(4, int(round(4 * scale)))
    minute = fire_day * 1440 + 21 * 60 + 36 + np.sort(rng.integers(0, 45, k))
    fire = _spec(minute, tab.tt_index[("bg", "消防安全", "火灾")], building, _STORY_FIRE)
    # a serious event with no precursors: a kitchen gas fire in another compound
    control_day = _story_day("control_fire", start_d, ndays)
    control_addr = _address_id(tab, V.CONTROL_FIRE_COMPOUND, V.CONTROL_FIRE_BUILDING)
    k = max(3, int(round(3 * scale)))
    minute = control_day * 1440 + 18 * 60 + 22 + np.sort(rng.integers(0, 40, k))
    tt = np.full(k, tab.tt_index[("bg", "水电燃气", "燃气事故")])
    tt[-1] = tab.tt_index[("kitchen", "消防安全", "火灾")]
    control = _spec(minute, tt, control_addr, _STORY_CONTROL)
    # a few minor injuries scattered over the block, no pattern
    k = max(7, int(round(7 * scale)))
    minor_tt = np.where(
        rng.random(k) < 0.6,
        tab.tt_index[("bg", "道路设施", "摔伤")],
        tab.tt_index[("bg", "水电燃气", "烫伤")],
    )
    minute = rng.integers(0, ndays, k) * 1440 + _minutes_of_day(rng, tab.tt_profile[minor_tt])
    minor = _spec(minute, minor_tt, _residential_address(rng, tab, k), _STORY_MINOR)
    return [pre, fire, control, minor]


def _story_parcels(rng, tab, bg: _Spec, start_d, ndays) -> tuple[_Spec, np.ndarray]:
    """Extra parcel tickets in the story compound; returns them and rows to re-topic."""
    ci = [c[0] for c in V.COMPOUNDS].index(V.PARCEL_COMPOUND)
    open_day = _story_day("parcel_station", start_d, ndays)
    in_comp = tab.addr_compound[bg.addr] == ci
    parcel_cat = tab.categories.index("快递物流")
    is_parcel = tab.tt_cat_idx[bg.tt] == parcel_cat
    day = bg.minute // 1440
    month_of_day = (start_d + np.arange(ndays)).astype("datetime64[M]").astype(np.int64)
    month_of_day -= month_of_day[0]
    row_month = month_of_day[np.clip(day, 0, ndays - 1)]
    open_month = int(month_of_day[min(open_day, ndays - 1)])
    s0, s1 = 0.04, 0.25
    days_out, tts = [], []
    story_tts = [
        tab.tt_index[("parcel", "快递物流", "快递丢失")],
        tab.tt_index[("parcel", "快递物流", "快递堆放")],
    ]
    for m in range(open_month + 1):
        pre = (row_month == m) & (day < open_day) & in_comp
        b = int((pre & ~is_parcel).sum())
        p = int((pre & is_parcel).sum())
        share = s0 + (s1 - s0) * m / max(open_month, 1)
        extra = int(round(share / (1 - share) * b)) - p
        m_days = np.flatnonzero((month_of_day == m) & (np.arange(ndays) < open_day))
        if extra <= 0 or len(m_days) == 0:
            continue
        days_out.append(rng.choice(m_days, size=extra))
        tts.append(np.array(story_tts)[rng.integers(0, 2, extra)])
    if days_out:
        d = np.concatenate(days_out)
        tt = np.concatenate(tts)
    else:
        d = np.zeros(0, dtype=np.int64)
        tt = np.zeros(0, dtype=np.int64)
    minute = d * 1440 + _minutes_of_day(rng, np.zeros(len(d), dtype=np.int64))
    addr = tab.comp_first[ci] + rng.integers(0, tab.comp_size[ci], len(d))
    # after the station opens, even ordinary parcel trouble in the compound thins out
    retopic = np.flatnonzero(in_comp & is_parcel & (day >= open_day) & (rng.random(len(bg)) < 0.45))
    return _spec(minute, tt, addr, _STORY_PARCEL), retopic


# -------------------------------------------------------------------------- writing
_P2 = _obj(f"{i:02d}" for i in range(100))
_P1 = _obj(str(i) for i in range(100))
_P4 = _obj(f"{i:04d}" for i in range(10000))
_P3 = _obj(f"{i:03d}" for i in range(1000))
_YEARS = _obj(str(v) for v in range(1900, 2200))


def _num(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal strings of non-negative integers, by table look-up."""
    values = np.asarray(values, dtype=np.int64)
    if width <= 2:
        return _P2[values] if width == 2 else _P1[values]
    if width == 3:
        return _P3[values]
    if width == 4:
        return _P4[values]
    out = _P4[values % 10000]
    rest = values // 10000
    w = width - 4
    while w > 0:
        step = min(w, 4)
        table = {1: _P1, 2: _P2, 3: _P3, 4: _P4}[step]
        out = _cat(table[rest % 10**step], out)
        rest //= 10**step
        w -= step
    return out


def _format_dates(minutes: np.ndarray, fmt: np.ndarray, start_d, seconds) -> np.ndarray:
    ts = start_d.astype("datetime64[m]") + minutes
    d = ts.astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    mon = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    mod = (ts - d).astype(np.int64)
    hh, mm = mod // 60, mod % 60
    ys = _YEARS[y - 1900]

    def dash(m):
        return _cat(ys[m], "-", _P2[mon[m]], "-", _P2[day[m]], " ", _P2[hh[m]], ":", _P2[mm[m]])

    def slash(m):
        return _cat(ys[m], "/", _P1[mon[m]], "/", _P1[day[m]], " ", _P2[hh[m]], ":", _P2[mm[m]])

    def slash_date(m):
        return _cat(ys[m], "/", _P1[mon[m]], "/", _P1[day[m]])

    def chinese(m):
        return _cat(
            ys[m], "年", _P1[mon[m]], "月", _P1[day[m]], "日", _P2[hh[m]], "时", _P2[mm[m]], "分"
        )

    def iso(m):
        return _cat(
            ys[m],
            "-",
            _P2[mon[m]],
            "-",
            _P2[day[m]],
            "T",
            _P2[hh[m]],
            ":",
            _P2[mm[m]],
            ":",
            _P2[seconds[m]],
        )

    return _select(fmt, (dash, slash, slash_date, chinese, iso))


def _mobile_parts(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    prefix = _pick(rng, [str(p) for p in V.MOBILE_PREFIXES], n)
    return prefix, _P4[rng.integers(0, 10000, n)], _P4[rng.integers(0, 10000, n)]


def _mobiles(rng, n: int) -> np.ndarray:
    return _cat(*_mobile_parts(rng, n))


def _pii(rng, vehicle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Personal data as a caller would dictate it: (prefix to the text, insert before demand).

    Plate numbers are only written where a vehicle is involved (``vehicle`` True).
    """
    n = len(vehicle)
    prefix = np.full(n, "", dtype=object)
    insert = np.full(n, "", dtype=object)
    kind = rng.choice(6, size=n, p=[0.34, 0.14, 0.24, 0.08, 0.12, 0.08])
    kind[(kind == 4) & ~vehicle] = 0
    a, b, c = _mobile_parts(rng, n)
    fmt = rng.integers(0, 4, n)
    mob_txt = _select(
        fmt,
        (
            lambda m: _cat(a[m], b[m], c[m]),
            lambda m: _cat(a[m], "-", b[m], "-", c[m]),
            lambda m: _cat(a[m], " ", b[m], " ", c[m]),
            lambda m: _cat("+86 ", a[m], b[m], c[m]),
        ),
    )
    sur = _pick(rng, V.SURNAMES, n)
    given = _pick(rng, V.GIVEN_NAMES, n)
    polite = _pick(rng, ("先生", "女士", "阿姨", "老师"), n)
    lead = _pick(rng, ("联系电话：", "联系方式", "电话", "回电号码："), n)
    m = kind == 0
    insert[m] = _cat(lead[m], mob_txt[m], "。")
    m = kind == 1  # landline
    l1, l2 = _P4[rng.integers(5000, 7000, n)], _P4[rng.integers(0, 10000, n)]
    lfmt = rng.integers(0, 4, n)
    land_txt = _select(
        lfmt,
        (
            lambda m: _cat("021-", l1[m], l2[m]),
            lambda m: _cat("(021)", l1[m], l2[m]),
            lambda m: _cat(l1[m], "-", l2[m]),
            lambda m: _cat(l1[m], l2[m]),
        ),
    )
    insert[m] = _cat("家里座机", land_txt[m], "。")
    m = kind == 2  # a name
    name_fmt = rng.integers(0, 3, n)
    named = _select(
        name_fmt,
        (
            lambda m: _cat("来电人", sur[m], polite[m], "称，"),
            lambda m: _cat("联系人：", sur[m], given[m], "，"),
            lambda m: _cat(sur[m], polite[m], "反映，"),
        ),
    )
    prefix[m] = named[m]
    m = kind == 3  # an ID-card number, with a valid check character
    area = np.asarray(V.ID_AREAS)[rng.integers(0, len(V.ID_AREAS), n)]
    born = np.datetime64("1945-01-01") + rng.integers(0, 21000, n)
    by = born.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
    bd = (born - born.astype("datetime64[M]")).astype(np.int64) + 1
    seq = rng.integers(0, 1000, n)
    number = ((area * 10000 + by) * 100 + bm) * 100 + bd  # 14 digits
    number = number * 1000 + seq  # 17 digits
    digits = (number[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = _obj("10X98765432")[(digits @ weights) % 11]
    insert[m] = _cat(
        "来电人身份证号",
        _num(area[m], 6),
        _num(by[m], 4),
        _P2[bm[m]],
        _P2[bd[m]],
        _P3[seq[m]],
        check[m],
        "。",
    )
    m = kind == 4  # plate numbers
    letter = _pick(rng, V.PLATE_LETTERS, n)
    digits5 = _num(rng.integers(0, 100000, n), 5)
    energy = np.where(rng.random(n) < 0.3, _pick(rng, ("·D", "·F"), n), "")
    insert[m] = _cat("涉事车辆车牌沪", letter[m], energy[m], digits5[m], "。")
    m = kind == 5  # name and phone
    insert[m] = _cat("联系人", sur[m], polite[m], "，电话", mob_txt[m], "。")
    return prefix, insert


def _apply(values: np.ndarray, idx: np.ndarray, func) -> None:
    values[idx] = _obj(func(v) for v in values[idx])


def _render(
    rng, tab: _Tables, spec: _Spec, start_d, ndays: int, dirty: bool
) -> dict[str, np.ndarray]:
    n = len(spec)
    cat = tab.tt_cat_idx[spec.tt]
    category = tab.tt_category[spec.tt]
    subcategory = tab.tt_subcategory[spec.tt]

    # --- where
    if dirty:
        vp = np.array([0.55, 0.08, 0.05, 0.03, 0.07, 0.04, 0.04, 0.05, 0.04, 0.05])
        var = rng.choice(10, size=n, p=vp)
        var_text = rng.choice(10, size=n, p=vp)
    else:
        var = np.zeros(n, dtype=np.int64)
        var_text = np.zeros(n, dtype=np.int64)
    address = tab.addr_variants[spec.addr, var]
    addr_in_text = tab.addr_variants[spec.addr, var_text]
    noodle = np.flatnonzero(spec.story == _STORY_NOODLE)
    if dirty and len(noodle):
        spellings = _obj(
            [
                f"{V.NOODLE_ROAD}{V.NOODLE_NUMBER}号",
                f"{V.NOODLE_ROAD}{V.NOODLE_NUMBER}号底商",
                f"{V.NOODLE_ROAD}{_cn_digits(V.NOODLE_NUMBER)}号",
                f"{V.NOODLE_ROAD}{str(V.NOODLE_NUMBER).translate(_FULLWIDTH)}号门口",
            ]
        )
        order = np.concatenate([rng.permutation(4), rng.integers(0, 4, max(len(noodle) - 4, 0))])
        address[noodle] = spellings[order[: len(noodle)]]
    community = tab.addr_community[spec.addr].copy()

    # --- what
    prob_i = (rng.random(n) * tab.tt_count[spec.tt]).astype(np.int64)
    prob = tab.problems[tab.tt_start[spec.tt] + prob_i]
    # a second, different phrasing of the same problem for long texts
    cnt = tab.tt_count[spec.tt]
    shift = 1 + (rng.random(n) * np.maximum(cnt - 1, 1)).astype(np.int64)
    prob2 = tab.problems[tab.tt_start[spec.tt] + (prob_i + shift) % cnt]
    opener = _pick(rng, V.OPENERS, n)
    times = _pick(rng, V.TIMES, n)
    lead = _pick(rng, V.LOC_LEADS, n)
    # only residents "live at" an address; shops, offices and the metro are "at" one
    lead[(tab.addr_kind[spec.addr] != 0) & np.isin(lead, ("家住", "其居住的"))] = "在"
    loc = np.full(n, "", dtype=object)
    m = rng.random(n) < 0.55
    loc[m] = _cat(lead[m], addr_in_text[m], "，")
    detail = tab.details[tab.det_start[cat] + (rng.random(n) * tab.det_count[cat]).astype(np.int64)]
    detail = _cat(np.where(detail == "", "", "，"), detail)
    rep = _pick(rng, V.REPEATS, n)
    rep = np.where(rng.random(n) < np.where(spec.repeat, 0.6, 0.05), rep, "")
    demand = _pick(rng, V.DEMANDS, n)
    pre = np.full(n, "", dtype=object)
    ins = np.full(n, "", dtype=object)
    if dirty:
        has_pii = np.flatnonzero(rng.random(n) < 0.15)
        vehicle = np.isin(category[has_pii], ("停车管理", "交通安全", "非机动车管理", "占道经营"))
        pre[has_pii], ins[has_pii] = _pii(rng, vehicle)
        opener = np.where(pre != "", "", opener)
    incident = np.isin(subcategory, V.INCIDENT_SUBCATEGORIES)
    times[incident] = _pick(rng, V.INCIDENT_TIMES, int(incident.sum()))
    rep[incident] = ""
    length = rng.random(n)
    with_demand = rng.random(n) < 0.5
    ending = _pick(rng, ("，情况一直没有改善。", "，反复出现。", "。", "，而且越来越严重。"), n)
    size = np.where(length < 0.12, 0, np.where((length > 0.85) & ~incident, 2, 1))
    text = _select(
        size,
        (
            lambda m: _cat(
                prob[m], np.where(with_demand[m], "，", ""), np.where(with_demand[m], demand[m], "")
            ),
            lambda m: _cat(
                pre[m],
                opener[m],
                loc[m],
                times[m],
                prob[m],
                detail[m],
                "。",
                rep[m],
                ins[m],
                demand[m],
            ),
            lambda m: _cat(
                pre[m],
                opener[m],
                loc[m],
                times[m],
                prob[m],
                detail[m],
                "。",
                "据来电人介绍，",
                prob2[m],
                ending[m],
                rep[m],
                ins[m],
                demand[m],
            ),
        ),
    )

    title_kind = rng.choice(6, size=n, p=[0.25, 0.2, 0.15, 0.1, 0.15, 0.15])
    main_addr = tab.addr_variants[spec.addr, 0]
    title = _select(
        title_kind,
        (
            lambda m: subcategory[m],
            lambda m: _cat(main_addr[m], subcategory[m]),
            lambda m: _cat("反映", subcategory[m], "问题"),
            lambda m: _cat("关于", main_addr[m], category[m], "的诉求"),
            lambda m: _cat(community[m], subcategory[m]),
            lambda m: _cat(category[m], "-", subcategory[m]),
        ),
    )

    # --- who handled it
    dept_slot = (rng.random(n)[:, None] > tab.cat_dept_cum[cat]).sum(axis=1)
    dept_slot = np.minimum(dept_slot, (tab.cat_dept[cat] >= 0).sum(axis=1) - 1)
    dept_idx = tab.cat_dept[cat, dept_slot]
    nd = len(tab.departments)
    bounced = rng.random(n) < 0.10
    hop1 = (dept_idx + 1 + rng.integers(0, nd - 1, n)) % nd
    hop2 = (dept_idx + 1 + rng.integers(0, nd - 1, n)) % nd
    two = bounced & (rng.random(n) < 0.3) & (hop2 != hop1)
    transfer = np.where(bounced, tab.departments[hop1], "")
    transfer[two] = _cat(transfer[two], "|", tab.departments[hop2[two]])
    department = tab.departments[dept_idx]

    channel = _pick(rng, [c for c, _ in V.CHANNELS], n, p=[p for _, p in V.CHANNELS])

    # callers: each address has its own few residents, a handful of whom call a lot
    pool = max(64, n // 3)
    per_addr = max(1, pool // len(tab.addr_kind))
    offset = np.minimum(rng.geometric(0.35, n) - 1, per_addr - 1)
    caller_idx = (spec.addr * per_addr + offset) % pool
    # the pool of numbers depends only on the seed's stream, drawn once
    caller_pool = _mobiles(rng, pool)
    caller = caller_pool[caller_idx]
    caller[channel == "网格巡查"] = ""

    # --- how it ended
    end_minute = ndays * 1440
    duration = np.maximum(30, rng.lognormal(np.log(2 * 1440), 1.0, n)).astype(np.int64)
    duration = np.where(bounced, duration * 2, duration)
    closed_min = spec.minute + duration
    u = rng.random(n)
    status = np.where(u < 0.03, "已退单", np.where(u < 0.09, "办理中", "已办结"))
    status = np.where((status == "已办结") & (closed_min >= end_minute), "办理中", status)
    sat = _pick(rng, ("满意", "基本满意", "不满意", ""), n, p=[0.6, 0.2, 0.1, 0.1])
    sat = np.where(bounced & (rng.random(n) < 0.35), "不满意", sat)
    satisfaction = np.where(status == "已办结", sat, "")

    fmt = rng.choice(5, size=n, p=_DATE_FORMAT_P) if dirty else np.zeros(n, dtype=np.int64)
    created = _format_dates(spec.minute, fmt, start_d, rng.integers(0, 60, n))
    closed = _format_dates(
        np.minimum(closed_min, end_minute - 1), fmt, start_d, rng.integers(0, 60, n)
    )
    closed = np.where(status == "办理中", "", closed)

    if dirty:
        _dirty_text(rng, text, address, category, community, department, created, tab)
    return {
        "created_at": created,
        "closed_at": closed,
        "channel": channel,
        "category": category,
        "subcategory": subcategory,
        "title": title,
        "text": text,
        "address": address,
        "community": community,
        "department": department,
        "status": status,
        "satisfaction": satisfaction,
        "caller_id": caller,
        "transfer_path": transfer,
    }


def _dirty_text(rng, text, address, category, community, department, created, tab) -> None:
    """Add the dirt of real exports, in place, each to a random few percent of rows."""
    n = len(text)

    def rows(share: float) -> np.ndarray:
        return np.flatnonzero(rng.random(n) < share)

    for right, wrong in V.TYPOS:
        _apply(text, rows(0.02), lambda s, r=right, w=wrong: s.replace(r, w, 1))
    _apply(text, rows(0.08), lambda s: s.replace("，", "").replace("。", " ").replace("：", ""))
    _apply(text, rows(0.05), lambda s: s.translate(_FULLWIDTH))
    _apply(address, rows(0.05), lambda s: s.translate(_FULLWIDTH))
    _apply(text, rows(0.02), lambda s: s.replace("。", "。_x000D_\n", 1))
    _apply(text, rows(0.015), lambda s: s.replace("，", "，\n\t\t", 1))
    _apply(text, rows(0.004), lambda s: s.replace("。", "。\r\n", 1))
    _apply(text, rows(0.006), lambda s: s.replace("，", "&nbsp;", 1))
    _apply(text, rows(0.004), lambda s: s.replace("和", "&amp;", 1) if "和" in s else s + "&amp;")
    _apply(text, rows(0.03), lambda s: "  " + s + " ")
    _apply(text, rows(0.01), lambda s: s + "\n")
    _apply(address, rows(0.03), lambda s: " " + s + "  ")
    _apply(department, rows(0.01), lambda s: s + " ")
    _apply(category, rows(0.01), lambda s: " " + s)
    # synonym spellings of the category in ~8% of rows
    idx = rows(0.08)
    if len(idx):
        pick = rng.random(len(idx))
        category[idx] = _obj(
            (
                tab.synonyms[c.strip()][int(u * len(tab.synonyms[c.strip()]))]
                if tab.synonyms[c.strip()]
                else c
            )
            for c, u in zip(category[idx], pick, strict=True)
        )
    empty_comm = rows(0.02)
    community[empty_comm] = ""
    suffix = rows(0.03)
    suffix = suffix[np.isin(community[suffix], [c[0] for c in V.COMPOUNDS])]
    community[suffix] = _cat(community[suffix], "居委")
    text[rows(0.005)] = ""
    bad = rows(0.003)
    created[bad] = _pick(rng, _BAD_DATES, len(bad))


def _ticket_ids(rng, minute: np.ndarray, start_d, ndays: int) -> np.ndarray:
    """``GD`` + yyyymmdd + a 5-digit number rising through the day (a city-wide counter)."""
    day = minute // 1440
    order = np.argsort(minute, kind="stable")
    sday = day[order]
    first = np.searchsorted(sday, sday, side="left")
    rank = np.arange(len(sday)) - first
    max_per_day = int(np.bincount(sday, minlength=ndays).max()) if len(sday) else 1
    step = max(1, min(40, 80000 // max(max_per_day, 1)))
    offset = rng.integers(100, 15000, ndays)
    jitter = rng.integers(0, step, len(sday))
    seq = np.empty(len(sday), dtype=np.int64)
    seq[order] = offset[sday] + rank * step + jitter
    dd = (start_d + day).astype("datetime64[D]")
    yy = dd.astype("datetime64[Y]").astype(np.int64) + 1970
    mm = dd.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dy = (dd - dd.astype("datetime64[M]")).astype(np.int64) + 1
    return _cat("GD", _num(yy, 4), _P2[mm], _P2[dy], _num(np.minimum(seq, 99999), 5))


# ---------------------------------------------------------------------------- public
@renamed_parameters(seed="random_state")
def make_tickets(
    n: int,
    *,
    random_state: int = 0,
    start: str = "2024-01-01",
    months: int = 18,
    dirty: bool = True,
    stories: bool = True,
    headers: str = "canonical",
    hot_events: bool = False,
) -> pd.DataFrame:
    """Generate synthetic 12345-hotline work orders for one fictional Shanghai block.

    The table looks like a raw export from the city's hotline system: every value is a
    string, dates come in several formats, texts carry typos, stray markup and the
    caller's personal data, and some tickets are duplicates or repeat calls. Every
    record is invented; no real resident is described.

    Parameters
    ----------
    n : int
        Number of rows to return (duplicates and repeat calls included).
    random_state : int, default 0
        Seed of the ``numpy.random.default_rng`` every draw comes from. The same seed
        gives the same table, row for row. (Called ``seed`` before 0.2; ``seed=`` still
        works with a FutureWarning.)
    start : str, default "2024-01-01"
        First day of the period covered.
    months : int, default 18
        Length of the period in months.
    dirty : bool, default True
        Add the dirt of real exports: mixed date formats, full-width characters, stray
        whitespace, ``_x000D_`` and HTML entities, synonym category spellings, address
        spellings, personal data in the text, empty texts, unusable dates, ~1% exact
        duplicates and repeat calls about the same event. With ``False`` every value
        is in one clean format (typos in the wording remain).
    stories : bool, default True
        Plant the four stories (parcels, café street, noodle stall, near misses before
        a fire); see :func:`make_events` for their dates. They reach their designed
        strength from a few thousand rows up; below 1,000 rows they are left out.
    headers : {"canonical", "12345"}, default "canonical"
        Column names: commlib's canonical names, or the Chinese headers of a 12345
        export (``工单编号``, ``受理时间``, ...).
    hot_events : bool, default False
        Add the planted hot events after the ``n`` rows: one water outage reported
        fifteen times in different words with many likes, one night-works complaint
        reported six times (their dates are near the end of the period; see
        ``data/sample/README.md``). The bundled sample has them.

    Returns
    -------
    pandas.DataFrame
        One row per ticket, string columns ``ticket_id, created_at, closed_at,
        channel, category, subcategory, title, text, address, community, department,
        status, satisfaction, caller_id, transfer_path`` and the service columns
        ``reply, reply_at, due_at, likes, dislikes`` (empty string for no value),
        sorted by ticket number (the hot events, when asked for, come last). The
        service columns are drawn from a random stream of their own, so the first
        fifteen columns are the same as before they existed. ``due_at`` is the
        creation time plus the category's working days (1, 3, 5 or 15) on the Chinese
        holiday calendar; ``reply`` is the office's answer to closed and returned
        tickets, a few of them one boilerplate pasted under unrelated tickets;
        ``likes``/``dislikes`` are filled for online channels only.

    Raises
    ------
    ValueError
        If ``n`` is negative, ``months`` is not positive or ``headers`` is unknown.

    See Also
    --------
    make_events : the dated interventions and incidents behind the stories.
    load_sample : the bundled 20,000-ticket sample made with this function.

    Examples
    --------
    >>> from commlib.datasets import make_tickets
    >>> df = make_tickets(200, random_state=1)
    >>> df.shape
    (200, 20)
    >>> df["ticket_id"].str.match(r"GD\\d{13}$").all()
    np.True_
    >>> make_tickets(200, random_state=1).equals(df)
    True
    >>> list(make_tickets(5, headers="12345").columns[:3])
    ['工单编号', '受理时间', '办结时间']
    """
    if n < 0:
        raise ValueError(f"n must be zero or more, got {n}.")
    if months <= 0:
        raise ValueError(f"months must be positive, got {months}.")
    if headers not in ("canonical", "12345"):
        raise ValueError(f"headers must be 'canonical' or '12345', got {headers!r}.")
    n = int(n)
    rng = np.random.default_rng(random_state)
    tab = _tables()
    start_d, ndays = _span(start, months)
    scale = n / 20000

    n_dup = int(round(0.01 * n)) if dirty else 0
    n_rep = int(round(0.05 * n)) if dirty else 0
    parts: list[_Spec] = []
    if stories and n >= 1000:
        parts.append(_story_cafe(rng, tab, scale, start_d, ndays))
        parts.append(_story_noodle(rng, tab, scale, start_d, ndays))
        parts.extend(_story_nearmiss(rng, tab, scale, start_d, ndays))
    n_story = sum(len(p) for p in parts)
    n_bg = max(n - n_dup - n_rep - n_story, 0)
    bg = _background(rng, tab, n_bg, start_d, ndays)
    if stories and n >= 1000:
        parcels, retopic = _story_parcels(rng, tab, bg, start_d, ndays)
        if len(retopic):
            others = np.flatnonzero(
                (tab.tt_weight > 0)
                & (tab.tt_category != "快递物流")
                & (tab.cat_loc_cum[tab.tt_cat_idx, 0] > 0.5)
            )
            bg.tt[retopic] = others[rng.integers(0, len(others), len(retopic))]
        # the extra parcel tickets replace background tickets outside the compound
        ci = [c[0] for c in V.COMPOUNDS].index(V.PARCEL_COMPOUND)
        outside = np.flatnonzero(tab.addr_compound[bg.addr] != ci)
        drop = rng.choice(outside, size=min(len(parcels), len(outside)), replace=False)
        keep = np.ones(len(bg), dtype=bool)
        keep[drop] = False
        bg = bg.take(keep)
        parts.append(parcels.take(np.arange(len(drop))))
    spec = _Spec.concat([bg, *parts]) if parts else bg
    spec.minute = np.clip(spec.minute, 0, ndays * 1440 - 1)

    if n_rep and len(spec):
        parent = rng.choice(len(spec), size=n_rep)
        rep = spec.take(parent)
        rep.minute = np.minimum(rep.minute + rng.integers(20, 3 * 1440, n_rep), ndays * 1440 - 1)
        rep.repeat[:] = True
        spec = _Spec.concat([spec, rep])

    order = np.argsort(spec.minute, kind="stable")
    spec = spec.take(order)
    cols = _render(rng, tab, spec, start_d, ndays, dirty)
    cols = {"ticket_id": _ticket_ids(rng, spec.minute, start_d, ndays), **cols}
    # own stream, drawn before the duplicates so a duplicate row repeats its reply too
    cols.update(service_columns(cols, random_state))

    if n_dup and len(spec):
        src = np.sort(rng.choice(len(spec), size=min(n_dup, len(spec)), replace=False))
        pos = np.concatenate([np.arange(len(spec)), rng.integers(0, len(spec), len(src)) + 0.5])
        final = np.argsort(pos, kind="stable")
        rows = np.concatenate([np.arange(len(spec)), src])[final]
        cols = {k: v[rows] for k, v in cols.items()}

    df = pd.DataFrame({c: cols[c] for c in (*TICKET_COLUMNS, *SERVICE_COLUMNS)}, dtype="str")
    if hot_events:
        end = pd.Timestamp(str(start_d + ndays))
        extra = hot_event_rows(random_state, end=end, columns=df.columns)
        df = pd.concat([df, extra.drop(columns="hot_event")], ignore_index=True).astype("str")
    if headers == "12345":
        df = df.rename(columns=_chinese_headers())
    return df


def _chinese_headers() -> dict[str, str]:
    """Canonical name -> the first Chinese header listed for it in ``PRESET_12345``."""
    out: dict[str, str] = {}
    for zh, canon in PRESET_12345.items():
        out.setdefault(canon, zh)
    return out


def make_events(*, start: str = "2024-01-01", months: int = 18) -> pd.DataFrame:
    """List the dated interventions and incidents behind the planted stories.

    The dates do not depend on the seed: every ``make_tickets(..., start, months)``
    table, whatever its seed, has its stories at these dates. For a period other than
    the default 18 months from 2024-01-01 the dates keep their place as a fraction of
    the period.

    Parameters
    ----------
    start : str, default "2024-01-01"
        First day of the period, as given to :func:`make_tickets`.
    months : int, default 18
        Length of the period in months, as given to :func:`make_tickets`.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id, date, event_type, community, address, description,
        story``; ``date`` is an ISO ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> from commlib.datasets import make_events
    >>> ev = make_events()
    >>> ev.loc[ev["event_type"] == "intervention", ["date", "story"]].values.tolist()[:2]
    [['2024-06-19', 'noodle_stall'], ['2024-10-16', 'parcels']]
    """
    start_d, ndays = _span(start, months)

    def day(key: str) -> str:
        return str(start_d + _story_day(key, start_d, ndays))

    b = V.NEARMISS_BUILDING
    rows = [
        (
            "noodle_first",
            "first_complaint",
            "云岭花园",
            "云岭西路123号",
            "云岭西路123号底商的小面摊开始引来投诉：噪音、污水、私拉电线、油烟、占道，两周内分别流转到不同部门。"
            " | First of a burst of tickets of many categories, all caused by one noodle stall.",
            "noodle_stall",
        ),
        (
            "noodle_action",
            "intervention",
            "云岭花园",
            "云岭西路123号",
            "社工把多张看似无关的工单归因到同一小面摊，街道联合城管、市场监管上门，摊主入室经营、规范用电、加装油烟净化。"
            " | Joint visit after the tickets were traced to the stall; the stall complies.",
            "noodle_stall",
        ),
        (
            "control_fire",
            "serious_incident",
            V.CONTROL_FIRE_COMPOUND,
            "锦秀路66弄3号",
            "兰亭苑3号楼一户厨房燃气起火，一人受伤送医；此前该楼没有隐患类工单增加。"
            " | A serious kitchen fire with one injury and no rise of near misses before it.",
            "near_miss",
        ),
        (
            "parcel_meeting",
            "decision",
            V.PARCEL_COMPOUND,
            "岚山路288弄",
            "居民区党总支召开协商议事会，决定利用废弃车库出入口空地建快递服务驿站。"
            " | Residents' council agrees to build a parcel station in a disused garage entrance.",
            "parcels",
        ),
        (
            "parcel_station",
            "intervention",
            V.PARCEL_COMPOUND,
            "岚山路288弄地库出入口",
            "锦岚苑快递服务驿站投运，包裹集中存放中转，快递小哥有了歇脚处。"
            " | The parcel station opens; parcel complaints in the compound fall back.",
            "parcels",
        ),
        (
            "cafe_project",
            "decision",
            V.CAFE_COMMUNITY,
            "桐荫路60-220号",
            "桐荫路小马路改造纳入美好社区提升项目，开发商同意出资建人行木栈道。"
            " | The café-street works enter the community improvement programme.",
            "cafe_street",
        ),
        (
            "fire",
            "serious_incident",
            V.NEARMISS_COMPOUND,
            f"青枫路350弄{b}号",
            f"枫林新村{b}号楼楼道电瓶车起火，浓烟上窜，多名居民受伤；此前约十周该楼飞线充电、楼道堆物等隐患工单持续增加。"
            " | A fire with injuries, preceded by ten weeks of rising near-miss tickets in the building.",
            "near_miss",
        ),
        (
            "fire_cleanup",
            "intervention",
            V.NEARMISS_COMPOUND,
            "青枫路350弄",
            "火灾后全小区开展楼道堆物清理和飞线充电专项整治，增设充电桩。"
            " | Clean-up of stairwells and flying charging cables across the compound.",
            "near_miss",
        ),
        (
            "boardwalk_works",
            "construction",
            V.CAFE_COMMUNITY,
            "桐荫路60-220号",
            "人行木栈道开工。 | Boardwalk construction starts.",
            "cafe_street",
        ),
        (
            "boardwalk_open",
            "intervention",
            V.CAFE_COMMUNITY,
            "桐荫路60-220号",
            "店铺一侧约1.5米宽的人行木栈道建成开放，栈道下嵌背景灯，人车分流；外摆位与人车混行投诉大幅下降。"
            " | A 1.5 m lit boardwalk separates people from cars; complaints fall sharply.",
            "cafe_street",
        ),
    ]
    df = pd.DataFrame(
        [(day(k), *rest) for k, *rest in rows],
        columns=["date", "event_type", "community", "address", "description", "story"],
    )
    df = df.sort_values("date", kind="stable").reset_index(drop=True)
    df.insert(0, "event_id", [f"EV{i + 1:02d}" for i in range(len(df))])
    return df.astype("str")
