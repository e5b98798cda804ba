"""Section builders of the service analyses: hot issues, service levels and repeat
callers, reply quality. Each is built only when its columns exist, skipped with a one-line
reason otherwise; every word comes from the catalogue (``report.hot.*``, ``report.svc.*``,
``report.rq.*``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from commlib._catalogue import t
from commlib.report import _format
from commlib.report._format import (
    by_label,
    fmt_date,
    fmt_duration,
    fmt_int,
    fmt_pct,
    join_names,
    label,
    missing,
    usable,
)
from commlib.report._model import ReportSection
from commlib.report._sections_time import skip

if TYPE_CHECKING:
    from commlib.report._model import _Context

#: Rows of the hot-issue table (TipDM's format; the cup asked for 5, offices read 10).
HOT_TOP = 10
#: Groups shown in the service-level chart.
SERVICE_CHART_TOP = 12


def _num(x, digits: int = 1) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):.{digits}f}"


def _pct_col(name: str, lang: str) -> str:
    return t("report.svc.pct", lang, name=name)


# ------------------------------------------------------------------------- hot issues
#: Tickets the hot-issues section reads at most: the latest ones (a random sample would
#: cut every event's count); beyond it the section says from which day it counts.
HOT_MAX_TICKETS = 250_000
#: Without an address column, the share of tickets whose text must name a place (or a
#: district) for hot issues to be searched (real board messages: 97-98%; NYC 311
#: descriptors: 0%).
HOT_MIN_LOCATED = 0.2


def section_hot_issues(ctx: _Context) -> ReportSection:
    """Events many tickets report, ranked by heat, in the TipDM cup's output format."""
    df, lang = ctx.tickets, ctx.lang
    if not (usable(df, "text") or usable(df, "title")):
        return skip("hot_issues", lang, missing(lang, ["text"]))
    from commlib.hotissues import hot_issues

    # a cleaned address names the place better than a pattern reading the text
    place = next((c for c in ("address_key", "address") if usable(df, c)), None)
    text = "text" if "text" in df.columns else "title"
    min_tickets = ctx.opt("hot_issues", "min_tickets", 3)
    # the latest max_tickets tickets: heat is about what is recent, and the search costs
    # about 3 KB per ticket (200,000 tickets: 575 MB over the table; was 15 KB before the
    # lean TF-IDF and sparse issue terms)
    cap = ctx.opt("hot_issues", "max_tickets", HOT_MAX_TICKETS)
    latest = cap is not None and len(df) > cap
    if latest:
        # only the columns hot_issues reads: the rows taken are copied
        cols = ["created_at", text, "title", place, "likes", "dislikes", "caller_id", "ticket_id"]
        cols = list(dict.fromkeys(c for c in cols if c is not None and c in df.columns))
        newest = df["created_at"].sort_values(kind="stable").index[-int(cap) :]
        df = df.loc[newest, cols].sort_index()
    res = hot_issues(
        df,
        text=text,
        place=place,
        window=ctx.opt("hot_issues", "window", "30D"),
        min_tickets=min_tickets,
        random_state=ctx.random_state,
        lang=lang,
    )
    # a hot issue is an event at a place: without places (a 311 export with no address
    # and texts that name none, such as NYC descriptors) text similarity alone would join
    # every "Loud Music/Party" of a city into one "issue"
    located = float(res.members[["place", "district"]].notna().any(axis=1).mean())
    if place is None and located < HOT_MIN_LOCATED:
        return skip(
            "hot_issues",
            lang,
            t("report.hot.no_places", lang, share=fmt_pct(located), min=fmt_pct(HOT_MIN_LOCATED)),
        )
    iss = res.issues
    title = t("report.section.hot_issues", lang)
    scope = (
        [
            t(
                "report.hot.latest",
                lang,
                n=fmt_int(len(df)),
                total=fmt_int(len(ctx.tickets)),
                start=fmt_date(df["created_at"].min()),
            )
        ]
        if latest
        else []
    )
    if iss.empty:
        return ReportSection(
            "hot_issues",
            title,
            paragraphs=(*scope, t("report.hot.none", lang, min=min_tickets)),
        )
    top = iss.iloc[0]
    tipdm = res.to_tipdm(lang, top=ctx.opt("hot_issues", "top", HOT_TOP))
    where = top["place"] if pd.notna(top["place"]) else top["district"]
    paras = [
        *scope,
        t(
            "report.hot.found",
            lang,
            n=fmt_int(len(iss)),
            tickets=fmt_int(iss["tickets"].sum()),
        ),
        t(
            "report.hot.top",
            lang,
            place=where if pd.notna(where) else t("common.missing", lang),
            tickets=fmt_int(top["tickets"]),
            callers=fmt_int(top["callers"]),
            range=tipdm.iloc[0, 3],
            votes=fmt_int(top["likes"] + top["dislikes"]),
        ),
        t("report.hot.index", lang),
    ]
    shown = iss.head(len(tipdm))
    stats = pd.DataFrame(
        {
            t("hot.tipdm.rank", lang): shown["rank"].to_numpy(),
            t("hot.col.tickets", lang): shown["tickets"].astype("int64").to_numpy(),
            t("hot.col.callers", lang): shown["callers"].astype("int64").to_numpy(),
            t("report.hot.col.votes", lang): (shown["likes"] + shown["dislikes"])
            .astype("int64")
            .to_numpy(),
            t("report.hot.col.days", lang): shown["days"].round(1).to_numpy(),
            t("report.hot.col.growth", lang): shown["growth"].round(2).to_numpy(),
            t("hot.col.terms", lang): shown["terms"]
            .map(t("common.list_sep", lang).join)
            .to_numpy(),
        }
    )
    return ReportSection(
        "hot_issues",
        title,
        paragraphs=tuple(paras),
        tables={"hot_issues": tipdm, "hot_issue_sizes": stats},
        table_titles={
            "hot_issues": t("report.hot.table", lang, n=len(tipdm)),
            "hot_issue_sizes": t("report.hot.stats_table", lang),
        },
    )


# ----------------------------------------------------------- service levels, repeats
_SERVICE_COLS = (
    "tickets",
    "closed",
    "open",
    "open_median_age_days",
    "median_days_to_close",
    "p90_days_to_close",
    "on_time_share",
    "on_time_n",
)


def _duration(days, lang: str) -> str:
    """Days to close in words: hours under two days (a same-day service such as NYC's
    311 read "0.0 days"), else days; "–" when unknown."""
    if days is None or pd.isna(days):
        return "–"
    return fmt_duration(pd.Timedelta(days=float(days)), lang)


def _service_table(table: pd.DataFrame, by: str, lang: str, *, on_time: bool) -> pd.DataFrame:
    """The table shown; without due dates (``on_time`` False) no on-time columns, which
    would be empty and zero for every group."""
    out = pd.DataFrame({label(by, lang): table[by].astype("str").to_numpy()})
    for c in _SERVICE_COLS:
        if not on_time and c.startswith("on_time"):
            continue
        name = t(f"service.col.{c}", lang)
        values = table[c]
        if c == "on_time_share":
            out[_pct_col(name, lang)] = (100 * values).round(1).to_numpy()
        elif c.endswith("_days") or c.startswith(("median_", "p90_")):
            out[name] = values.round(1).to_numpy()
        else:
            out[name] = values.astype("int64").to_numpy()
    return out


def section_service(ctx: _Context) -> ReportSection:
    """Tickets, backlog, days to close and on-time share per group; repeat callers counted."""
    df, lang = ctx.tickets, ctx.lang
    if not usable(df, "closed_at"):
        return skip("service", lang, missing(lang, ["closed_at"]))
    groups = [c for c in ("category", "department") if usable(df, c)]
    if not groups:
        return skip("service", lang, missing(lang, ["category", "department"]))
    from commlib.service import repeat_callers, service_levels, service_levels_chart

    deadline = ctx.opt("service", "deadline_days", None)
    has_due = usable(df, "due_at") or deadline is not None
    whole = service_levels(df.assign(_all="_"), by="_all", deadline_days=deadline, lang=lang)
    overall = whole.iloc[0]
    paras = [
        t(
            "report.svc.text",
            lang,
            as_of=fmt_date(whole.attrs["as_of"]),
            tickets=fmt_int(overall["tickets"]),
            closed=fmt_int(overall["closed"]),
            open=fmt_int(overall["open"]),
            median=_duration(overall["median_days_to_close"], lang),
            p90=_duration(overall["p90_days_to_close"], lang),
        )
    ]
    if has_due and overall["on_time_n"] > 0:
        paras.append(
            t(
                "report.svc.on_time",
                lang,
                share=fmt_pct(float(overall["on_time_share"])),
                n=fmt_int(overall["on_time_n"]),
            )
        )
    elif not has_due:
        paras.append(t("report.svc.no_due", lang))

    tables: dict[str, pd.DataFrame] = {}
    titles: dict[str, str] = {}
    figures: dict[str, bytes] = {}
    fig_titles: dict[str, str] = {}
    for by in groups:
        table = service_levels(df, by=by, deadline_days=deadline, lang=lang)
        name = f"service_{by}"
        tables[name] = _service_table(table, by, lang, on_time=has_due)
        titles[name] = t("report.svc.table", lang, by_label=by_label(by, lang))
        if has_due:
            enough = table[table["on_time_n"] >= 20].sort_values("on_time_share", kind="stable")
            if len(enough):
                paras.append(
                    t(
                        "report.svc.slowest",
                        lang,
                        by_label=by_label(by, lang),
                        names=join_names(
                            [
                                f"{g}（{fmt_pct(s)}）" if lang == "zh" else f"{g} ({fmt_pct(s)})"
                                for g, s in zip(
                                    enough[by].head(3), enough["on_time_share"].head(3), strict=True
                                )
                            ],
                            lang,
                            3,
                        ),
                    )
                )
        if by == groups[0]:
            ax = service_levels_chart(table, top=SERVICE_CHART_TOP, lang=lang)
            ax.set_title("")  # the caption says it
            figures[name] = _format.figure_png(ax.figure)
            fig_titles[name] = t("report.svc.chart", lang, by_label=by_label(by, lang))

    window = ctx.opt("service", "repeat_window_days", 30)
    least = ctx.opt("service", "repeat_min_tickets", 3)
    if usable(df, "caller_id"):
        rc = repeat_callers(df, min_tickets=least, window=f"{window}D")
        if len(rc):
            share = float(rc["tickets"].sum()) / len(df)
            paras.append(
                t(
                    "report.svc.repeat",
                    lang,
                    callers=fmt_int(len(rc)),
                    window=window,
                    min=least,
                    tickets=fmt_int(rc["tickets"].sum()),
                    share=fmt_pct(share),
                )
            )
            # counts only: no caller id, hashed or not, leaves this function
            tables["repeat_callers"] = pd.DataFrame(
                {
                    "metric": [
                        t("report.svc.m.callers", lang),
                        t("report.svc.m.tickets", lang),
                        t("report.svc.m.share", lang),
                        t("report.svc.m.rule", lang),
                    ],
                    "value": [
                        fmt_int(len(rc)),
                        fmt_int(rc["tickets"].sum()),
                        fmt_pct(share),
                        t("report.svc.rule", lang, window=window, min=least),
                    ],
                }
            )
            titles["repeat_callers"] = t("report.svc.repeat_table", lang)
        else:
            paras.append(t("report.svc.no_repeat", lang, window=window, min=least))
    else:
        paras.append(t("report.svc.no_caller", lang))
    return ReportSection(
        "service",
        t("report.section.service", lang),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
        figures=figures,
        figure_titles=fig_titles,
    )


# ------------------------------------------------------------------------ reply quality
#: Replies scored at most (a random sample of the period's tickets beyond it): the copy
#: search compares millions of candidate pairs at a city's scale, and per-office shares
#: from 200,000 replies are within a few tenths of a percentage point of all of them.
REPLY_MAX_TICKETS = 200_000


def _any_reply(df: pd.DataFrame, step: int = 100_000) -> bool:
    """Whether any ``reply`` cell holds more than blanks, looked at in slices of ``step``
    rows (stopping at the first filled one): the whole column's stripped copies would
    cost a gigabyte at two million tickets."""
    if "reply" not in df.columns:
        return False
    col = df["reply"]
    for a in range(0, len(col), step):
        part = col.iloc[a : a + step].astype("str").str.strip()
        if part.replace({"nan": "", "<NA>": "", "None": ""}).ne("").any():
            return True
    return False


def section_replies(ctx: _Context) -> ReportSection:
    """Per-office reply quality, the weakest replies and the copy-paste ones, masked."""
    df, lang = ctx.tickets, ctx.lang
    if not _any_reply(df):
        return skip("replies", lang, missing(lang, ["reply"]))
    if not (usable(df, "text") or usable(df, "title")):
        return skip("replies", lang, missing(lang, ["text"]))
    from commlib.replies import reply_quality

    by = "department" if usable(df, "department") else None
    deadline = ctx.opt("replies", "deadline_days", 15)
    # the columns reply_quality reads, and at most max_tickets rows drawn at random
    cols = ["text", "title", "reply", "created_at", "reply_at", "ticket_id", by]
    data = df[[c for c in dict.fromkeys(cols) if c is not None and c in df.columns]]
    cap = ctx.opt("replies", "max_tickets", REPLY_MAX_TICKETS)
    sampled = cap is not None and len(data) > cap
    if sampled:
        data = data.sample(int(cap), random_state=ctx.random_state).sort_index()
    rq = reply_quality(
        data,
        text="text" if "text" in df.columns else "title",
        by=by,
        deadline_days=deadline,
        n_weakest=ctx.opt("replies", "examples", 10),
        lang=lang,
    )
    scored = rq.replies.dropna(subset=["quality"])
    on_time = (scored["working_days"] <= deadline).where(scored["working_days"].notna())
    paras = [
        t(
            "report.rq.text",
            lang,
            n=fmt_int(len(scored)),
            days=_num(scored["working_days"].median()),
            deadline=deadline,
            on_time=fmt_pct(float(on_time.dropna().mean())) if on_time.notna().any() else "–",
            quality=_num(scored["quality"].mean(), 2),
        ),
        t("report.rq.parts", lang),
    ]
    if sampled:
        paras.insert(0, t("report.rq.sampled", lang, n=fmt_int(len(data)), total=fmt_int(len(df))))
    copies = rq.copies
    if len(copies):
        paras.append(
            t(
                "report.rq.copies",
                lang,
                sets=fmt_int(len(copies)),
                replies=fmt_int(copies["replies"].sum()),
                top=fmt_int(copies["replies"].max()),
            )
        )
    else:
        paras.append(t("report.rq.no_copies", lang))
    group_label = by_label(by, lang) if by else t("replies.col.group", lang)
    summary = rq.summary
    if by and len(summary) > 1:
        enough = summary[summary["replies"] >= 20].sort_values("quality", kind="stable")
        if len(enough):
            paras.append(
                t(
                    "report.rq.weakest_group",
                    lang,
                    by_label=group_label,
                    names=join_names(enough["group"].head(3), lang, 3),
                )
            )
    shown = pd.DataFrame(
        {label(by, lang) if by else t("replies.col.group", lang): summary["group"].astype("str")}
    )
    for c in summary.columns[1:]:
        name = t(f"replies.col.{c}", lang)
        if c.endswith("_share"):
            shown[_pct_col(name, lang)] = (100 * summary[c]).round(1)
        elif c == "replies":
            shown[name] = summary[c].astype("int64")
        else:
            shown[name] = summary[c].round(2 if c != "median_working_days" else 1)
    weak = rq.weakest
    weakest = pd.DataFrame(
        {
            t("report.rq.col.ticket_id", lang): weak["ticket_id"].astype("str").to_numpy(),
            (label(by, lang) if by else t("replies.col.group", lang)): weak["group"]
            .astype("str")
            .to_numpy(),
            t("replies.col.quality", lang): weak["quality"].round(2).to_numpy(),
            t("report.rq.col.message", lang): weak["message"].to_numpy(),
            t("report.rq.col.reply", lang): weak["reply"].to_numpy(),
        }
    )
    tables = {"reply_quality": shown, "weakest_replies": weakest}
    titles = {
        "reply_quality": t("report.rq.summary_table", lang, by_label=group_label),
        "weakest_replies": t("report.rq.weakest_table", lang),
    }
    if len(copies):
        tables["copy_paste_replies"] = pd.DataFrame(
            {
                t("report.rq.col.copy_group", lang): np.arange(1, len(copies) + 1),
                t("replies.col.replies", lang): copies["replies"].astype("int64").to_numpy(),
                t("report.rq.col.example", lang): copies["example"].to_numpy(),
            }
        )
        titles["copy_paste_replies"] = t("report.rq.copies_table", lang)
    return ReportSection(
        "replies",
        t("report.section.replies", lang),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
    )


#: The builders of this module, by section id (registered in ``_sections.BUILDERS``).
SERVICE_BUILDERS = {
    "hot_issues": section_hot_issues,
    "service": section_service,
    "replies": section_replies,
}
