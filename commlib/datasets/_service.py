"""Service columns of the synthetic tickets: due dates, replies, reply times, likes.

They are drawn after the ticket table is complete, from a random stream of their own
(spawned from the caller's seed), so adding them leaves every other column of
:func:`commlib.datasets.make_tickets` byte for byte as it was. Also here: the planted
hot events (one event reported fifteen times in different words, two smaller ones),
added as extra rows after the generated ones, and the copy-paste replies (one boilerplate
answer pasted under unrelated tickets).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: New columns, in order, after the ticket columns.
SERVICE_COLUMNS: tuple[str, ...] = ("reply", "reply_at", "due_at", "likes", "dislikes")

#: Working days allowed to close, per category (Shanghai streets: 1, 3, 5 or 15 days).
DEADLINE_DAYS: dict[str, int] = {
    "消防安全": 1,
    "用电安全": 1,
    "水电燃气": 1,
    "电梯故障": 1,
    "噪音扰民": 3,
    "施工扰民": 3,
    "油烟扰民": 3,
    "占道经营": 3,
    "停车管理": 3,
    "交通安全": 3,
    "违章搭建": 15,
    "群租整治": 15,
    "绿化养护": 15,
}
#: Working days for a category not listed.
DEFAULT_DEADLINE = 5

#: The boilerplate replies pasted under unrelated tickets (the copy-paste replies).
COPY_PASTE_REPLIES: tuple[str, ...] = (
    "您好！您的来电已收悉，我单位高度重视，已转交相关责任部门研究办理，感谢您对我们工作的理解与支持。",
    "来电人您好，经研究，该诉求不属于本单位职责范围，建议通过其他途径反映，谢谢。",
)
#: How many tickets each boilerplate reply is pasted under.
COPY_PASTE_COUNTS: tuple[int, ...] = (9, 6)

#: Planted hot events: (key, compound address, community, category, subcategory,
#: department, first day, span in days, likes per message (low, high), wordings).
#: ``first day`` is a day offset from the end of the period (negative).
HOT_EVENTS: tuple[dict, ...] = (
    {
        "key": "water_outage",
        "address": "青枫路100弄",
        "community": "桂香小区",
        "category": "水电燃气",
        "subcategory": "停水",
        "department": "供水公司",
        "first": -13,
        "span": 11,
        "likes": (20, 150),
        "titles": (
            "桂香小区停水三天了",
            "青枫路100弄长时间停水",
            "桂香小区自来水什么时候恢复",
            "桂香小区没有自来水",
            "桂香小区断水无人解释",
            "桂香小区停水问题",
            "青枫路100弄自来水停供",
            "桂香小区连续停水",
            "桂香小区供水中断",
            "桂香小区停水影响生活",
            "桂香小区又停水了",
            "桂香小区停水没有通知",
            "桂香小区自来水停了好几天",
            "桂香小区供水何时恢复",
            "桂香小区停水老人无法做饭",
        ),
        "texts": (
            "桂香小区从周一开始停水，到现在已经三天了，一直没有恢复供水，也没有任何通知。",
            "青枫路100弄桂香小区整个小区停水，家里老人小孩没法洗漱，请尽快恢复供水。",
            "我们桂香小区自来水停了好几天，物业说是管道坏了，到底什么时候能修好恢复供水？",
            "桂香小区家里水龙头一滴水都没有，已经停水两天，只能去超市买桶装水。",
            "桂香小区突然断水，没有提前通知，物业和供水公司互相推诿，请相关部门管一管。",
            "反映桂香小区停水问题，全小区居民生活受到严重影响，希望供水公司尽快抢修。",
            "青枫路100弄的自来水停供好几天了，桂香小区居民做饭洗澡都成问题。",
            "桂香小区连续多日停水，楼上楼下都没有水，请问抢修进展如何？",
            "桂香小区供水中断已经第四天，没有临时送水，老人提水上楼很困难。",
            "桂香小区停水严重影响生活，马桶都冲不了，请尽快恢复供水。",
            "桂香小区昨天来了一会儿水今天又停水了，供水一直不稳定，请彻底修好管道。",
            "桂香小区停水事先没有任何通知，居民毫无准备，要求说明停水原因和恢复时间。",
            "桂香小区的自来水已经停了好几天，小区群里大家都在问什么时候恢复供水。",
            "请问桂香小区的供水什么时候能恢复？停水太久了，小孩上学前都没法洗漱。",
            "桂香小区停水多日，家里老人无法做饭，只能到亲戚家吃饭，请尽快恢复供水。",
        ),
    },
    {
        "key": "night_works",
        "address": "锦秀路66弄",
        "community": "兰亭苑",
        "category": "施工扰民",
        "subcategory": "夜间施工",
        "department": "区建管委",
        "first": -75,
        "span": 6,
        "likes": (3, 15),
        "titles": (
            "兰亭苑旁工地夜间施工",
            "锦秀路66弄半夜打桩",
            "兰亭苑夜里施工太吵",
            "兰亭苑工地凌晨施工",
            "兰亭苑夜间施工扰民",
            "兰亭苑旁工地深夜作业",
        ),
        "texts": (
            "兰亭苑旁边的工地每天夜里施工到凌晨两点，打桩声音很大，居民无法入睡。",
            "锦秀路66弄兰亭苑附近工地半夜打桩，噪音太大，请查处夜间违规施工。",
            "兰亭苑旁工地夜间施工噪声扰民，连续好几个晚上了，孩子睡不着觉。",
            "兰亭苑隔壁工地凌晨还在施工，渣土车进进出出，请管一管夜间作业。",
            "反映兰亭苑边上工地夜间施工扰民，有没有办理夜间施工许可？",
            "兰亭苑旁的工地深夜作业，机器轰鸣，严重影响居民休息。",
        ),
    },
)


def _parse(values: np.ndarray) -> pd.Series:
    """Read the generator's date strings (five formats; the rest become NaT)."""
    s = pd.Series(values, dtype="str").str.normalize("NFKC").str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for fmt in (
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d",
        "%Y年%m月%d日%H时%M分",
        "%Y-%m-%dT%H:%M:%S",
    ):
        out = out.fillna(pd.to_datetime(s, format=fmt, errors="coerce"))
    return out


def _stamp(values: pd.Series) -> np.ndarray:
    return values.dt.strftime("%Y-%m-%d %H:%M").fillna("").to_numpy(dtype=object)


def _holidays(years) -> tuple[np.ndarray, np.ndarray]:
    from commlib._calendar import CN_HOLIDAYS

    off, work = [], []
    for y in years:
        for d in CN_HOLIDAYS.get(int(y), {}).get("off", ()):
            off.append(f"{y}-{d}")
        for d in CN_HOLIDAYS.get(int(y), {}).get("work", ()):
            work.append(f"{y}-{d}")
    return np.array(off, dtype="datetime64[D]"), np.array(work, dtype="datetime64[D]")


def due_dates(created: pd.Series, category: pd.Series) -> pd.Series:
    """Created time plus the category's working days, on the Chinese holiday calendar."""
    days = category.astype("str").str.strip().map(DEADLINE_DAYS).fillna(DEFAULT_DEADLINE)
    ok = created.notna()
    out = pd.Series(pd.NaT, index=created.index, dtype="datetime64[ns]")
    if not ok.any():
        return out
    day = created[ok].dt.floor("D").to_numpy().astype("datetime64[D]")
    years = range(int(day.min().astype("datetime64[Y]").astype(int)) + 1970, 2032)
    off, work = _holidays(years)
    # step one working day at a time (k is at most 15): a make-up Saturday counts
    cur = day.copy()
    left = days[ok].to_numpy().astype(np.int64)
    while (left > 0).any():
        cur = np.where(left > 0, cur + 1, cur)
        wd = np.is_busday(cur, holidays=off) | np.isin(cur, work)
        left = left - ((left > 0) & wd)
    tod = created[ok] - created[ok].dt.floor("D")
    out[ok] = pd.to_datetime(cur) + tod.to_numpy()
    return out


def _replies(rng, cols: dict, created: pd.Series, closed: pd.Series) -> tuple[np.ndarray, ...]:
    from commlib.datasets._generator import _cat, _pick

    n = len(cols["ticket_id"])
    status = cols["status"]
    addr = np.array([a.strip() for a in cols["address"]], dtype=object)
    sub = np.array([s.strip() for s in cols["subcategory"]], dtype=object)
    dept = np.array([d.strip() for d in cols["department"]], dtype=object)
    asked = created.dt.strftime("%-m月%-d日").fillna("近日").to_numpy(dtype=object)
    visit = (created + pd.to_timedelta(rng.integers(0, 3, n), unit="D")).dt.strftime("%-m月%-d日")
    visit = visit.fillna("近日").to_numpy(dtype=object)
    greeting = _pick(
        rng,
        ("您好！", "尊敬的市民：您好！", "感谢您对社区工作的关心。", "市民朋友您好，", ""),
        n,
    )
    quote = _cat("您于", asked, "反映的", addr, sub, "问题收悉。")
    quote = np.where(rng.random(n) < 0.5, quote, "")
    kind = rng.integers(0, 5, n)
    finding = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [
            _cat("经核实，", addr, sub, "情况属实。"),
            _cat(dept, "工作人员于", visit, "到", addr, "现场查看，", sub, "问题确实存在。"),
            _cat("经现场调查，", addr, "存在", sub, "现象，", _pick(rng, V_CAUSES, n), "。"),
            _cat(
                visit,
                "上午，",
                dept,
                "会同居委会到",
                addr,
                "走访，",
                sub,
                "问题",
                _pick(rng, V_CAUSES, n),
                "。",
            ),
        ],
        _cat(
            "我们第一时间联系了相关责任方，", addr, "的", sub, "问题", _pick(rng, V_CAUSES, n), "。"
        ),
    )
    basis = _pick(
        rng,
        (
            "根据《上海市市容环境卫生管理条例》，",
            "依据《上海市住宅物业管理规定》，",
            "按照《上海市社会生活噪声污染防治办法》，",
            "按照相关规定，",
            "",
            "",
        ),
        n,
    )
    action = _pick(rng, V_ACTIONS, n)
    timeline = _pick(
        rng,
        (
            "，预计3个工作日内完成",
            "，目前问题已解决",
            "，后续将持续跟进",
            "，将于本月底前完成整改",
            "，已于当日处理完毕",
            "",
        ),
        n,
    )
    contact = _pick(
        rng,
        (
            "。如有疑问，请拨打12345热线。",
            "。如仍有问题，可再次联系我们。",
            "，感谢您的监督。",
            "。",
        ),
        n,
    )
    # some offices write little: a finding and an action, nothing else
    terse = np.isin(dept, ["物业公司", "居委会"]) & (rng.random(n) < 0.5)
    greeting[terse] = ""
    quote[terse] = ""
    basis[terse] = ""
    reply = _cat(greeting, quote, finding, basis, action, timeline, contact)
    # a returned ticket (已退单) is answered by the office it goes to next: no reply here
    reply = np.where(status == "已办结", reply, "")
    # the copy-paste replies: one boilerplate under unrelated closed tickets of the
    # period's last quarter (a quarter's replies are what an office reviews)
    readable = _parse(cols["created_at"])  # not a garbled date the cleaning rejects
    recent = (readable >= created.max() - pd.Timedelta(days=90)).to_numpy()
    done = np.flatnonzero((status == "已办结") & recent)
    k_all = sum(COPY_PASTE_COUNTS)
    picks = rng.choice(done, size=k_all, replace=False) if len(done) > 20 * k_all else done[:0]
    start = 0
    for text, k in zip(COPY_PASTE_REPLIES, COPY_PASTE_COUNTS, strict=True):
        reply[picks[start : start + k]] = text
        start += k
    # replied when closed
    when = closed.where(pd.Series(reply != "", index=created.index))
    return reply.astype(object), _stamp(when)


V_CAUSES: tuple[str, ...] = (
    "主要原因是相关设施年久失修",
    "系个别商户管理不到位所致",
    "与近期周边施工有关",
    "物业公司此前未及时处置",
    "当事人已承认并表示配合",
    "现场情况与反映基本一致",
    "部分居民对此意见较大",
    "夜间时段问题较为突出",
)
V_ACTIONS: tuple[str, ...] = (
    "已责令责任方限期整改",
    "已安排维修人员上门处理",
    "已督促物业公司加强日常管理",
    "已协调相关部门联合处置",
    "已约谈当事人并现场教育",
    "已对现场进行清理并设置提示牌",
    "已将该点位纳入网格员日常巡查",
    "已开具整改通知书",
    "已联系产权单位制定维修方案",
)


def _votes(rng, cols: dict) -> tuple[np.ndarray, np.ndarray]:
    """Likes and dislikes: online channels only (a board shows them), mostly zero."""
    n = len(cols["ticket_id"])
    online = np.isin(cols["channel"], ["12345网站", "随申办", "微信公众号"])
    likes = np.where(online, rng.poisson(0.03, n).astype(str), "")
    dislikes = np.where(online, rng.poisson(0.03, n).astype(str), "")
    return likes.astype(object), dislikes.astype(object)


def service_columns(cols: dict, random_state) -> dict:
    """The service columns of a finished ticket table (dict of column arrays)."""
    rng = np.random.default_rng(np.random.SeedSequence(random_state).spawn(1)[0])
    created = _parse(cols["created_at"])
    # an unusable created date: the ticket number still carries the day
    from_id = pd.to_datetime(
        pd.Series(cols["ticket_id"], dtype="str").str.slice(2, 10), format="%Y%m%d", errors="coerce"
    ) + pd.Timedelta(hours=9)
    created = created.fillna(from_id)
    closed = _parse(cols["closed_at"])
    reply, reply_at = _replies(rng, cols, created, closed)
    due = _stamp(due_dates(created, pd.Series(cols["category"], dtype="str")))
    likes, dislikes = _votes(rng, cols)
    return {
        "reply": reply,
        "reply_at": reply_at,
        "due_at": due,
        "likes": likes,
        "dislikes": dislikes,
    }


def hot_event_rows(random_state, *, end: pd.Timestamp, columns) -> pd.DataFrame:
    """The planted hot-event tickets (all columns, as strings), in time order."""
    from commlib.datasets._generator import _mobiles

    rng = np.random.default_rng(np.random.SeedSequence(random_state).spawn(2)[1])
    frames = []
    for k, ev in enumerate(HOT_EVENTS):
        m = len(ev["texts"])
        first = end.normalize() + pd.Timedelta(days=ev["first"])
        offset = np.sort(rng.integers(0, ev["span"] * 1440, m))
        offset[0] = 8 * 60 + int(rng.integers(0, 120))
        created = first + pd.to_timedelta(offset, unit="min")
        took = pd.to_timedelta(rng.integers(12 * 60, 6 * 1440, m), unit="min")
        closed = (created + took).where(created + took < end)
        status = np.where(closed.notna(), "已办结", "办理中")
        lo, hi = ev["likes"]
        likes = rng.integers(lo, hi, m)
        likes[0] = hi * 13  # the first message is the one people pile onto
        said = pd.Series(created).dt.strftime("%-m月%-d日").to_numpy(dtype=object)
        reply = np.where(
            status == "已办结",
            [
                f"您好！您于{d}反映的“{t}”收悉。经核实，{ev['address']}{ev['community']}"
                f"{ev['subcategory']}情况属实，{ev['department']}已安排人员处置。"
                for d, t in zip(said, ev["titles"], strict=True)
            ],
            "",
        )
        frames.append(
            pd.DataFrame(
                {
                    "ticket_id": [
                        f"GD{d:%Y%m%d}{98000 + 100 * k + i:05d}" for i, d in enumerate(created)
                    ],
                    "created_at": created.strftime("%Y-%m-%d %H:%M"),
                    "closed_at": pd.Series(closed).dt.strftime("%Y-%m-%d %H:%M").fillna(""),
                    "channel": "12345网站",
                    "category": ev["category"],
                    "subcategory": ev["subcategory"],
                    "title": ev["titles"],
                    "text": ev["texts"],
                    "address": ev["address"],
                    "community": ev["community"],
                    "department": ev["department"],
                    "status": status,
                    "satisfaction": np.where(status == "已办结", "基本满意", ""),
                    "caller_id": _mobiles(rng, m),
                    "transfer_path": "",
                    "reply": reply,
                    "reply_at": pd.Series(closed).dt.strftime("%Y-%m-%d %H:%M").fillna(""),
                    "due_at": _stamp(
                        due_dates(pd.Series(created), pd.Series([ev["category"]] * m))
                    ),
                    "likes": likes.astype(str),
                    "dislikes": rng.integers(0, 4, m).astype(str),
                    "hot_event": ev["key"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values("created_at", kind="stable").reset_index(drop=True)
    return out[[*columns, "hot_event"]].astype("str")
