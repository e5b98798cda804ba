"""Section builders: one function per report section, each from the library's own analyses.

The time sections (trend, near misses) are in :mod:`commlib.report._sections_time`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from commlib._catalogue import has, t
from commlib.clean import describe_log, describe_rejections
from commlib.report import _format
from commlib.report._budget import check_time
from commlib.report._format import (
    by_label,
    by_noun,
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

if TYPE_CHECKING:
    from collections.abc import Callable

    from commlib.report._model import _Context
from commlib._util import mostly_cjk
from commlib.report._sections_service import SERVICE_BUILDERS
from commlib.report._sections_time import section_near_misses, section_trend, skip

#: Fewest tickets with text for the themes section: below that, clustered themes are noise.
MIN_THEME_TICKETS = 200
#: The themes section fits the clusterer on at most this many tickets, then places the
#: rest with ``predict`` (same themes, a fraction of the time on a city's archive).
THEME_FIT_SAMPLES = 10_000
#: Tickets placed on the fitted themes at once (``predict`` per row: same labels, the
#: memory of one chunk's tokens and TF-IDF rows instead of all of them).
THEME_PREDICT_CHUNK = 100_000
#: LSA dimensions of the themes section. ``benchmarks/eval_cluster.py`` found 50 as good
#: as the clusterer's default 100 (NMI 0.554 vs 0.545, within the seed noise); on this
#: two-core machine it fits about three times faster.
THEME_COMPONENTS = 50
#: Communities drawn as small Pareto panels (the largest ones); the table has all.
MAX_COMMUNITY_PANELS = 9

#: Satisfaction answers counted as satisfied, and statuses counted as closed (data values).
_SATISFIED = frozenset(
    {"满意", "基本满意", "非常满意", "比较满意", "satisfied", "very satisfied", "mostly satisfied"}
)
_CLOSED_STATUS = frozenset({"已办结", "办结", "已结案", "结案", "已完成", "closed", "resolved"})


def _section_overview(ctx: _Context) -> ReportSection:
    df, lang, by = ctx.tickets, ctx.lang, ctx.by
    rows: list[tuple[str, str]] = [(t("report.kpi_tickets", lang), fmt_int(len(df)))]
    if ctx.has_dates:
        created = df["created_at"]
        start, end = created.min(), created.max()
        rows.append((t("report.kpi_period", lang), f"{fmt_date(start)} – {fmt_date(end)}"))
        paras = [
            t(
                "report.ov_intro",
                lang,
                n=fmt_int(len(df)),
                start=fmt_date(start),
                end=fmt_date(end),
            )
        ]
    else:
        created = None
        paras = [t("report.ov_intro_no_dates", lang, n=fmt_int(len(df)))]
    places = int(df[by].nunique()) if usable(df, by) else None
    addresses = None
    for col in ("address_key", "address"):
        if usable(df, col):
            addresses = int(df[col].nunique())
            break
    if places is not None:
        rows.append(
            (t("report.kpi_places", lang) if by == "community" else label(by, lang), str(places))
        )
    if addresses is not None:
        rows.append((t("report.kpi_addresses", lang), fmt_int(addresses)))
    if places is not None or addresses is not None:
        # a file with no address column (NYC 311's API export) says nothing of addresses
        key = (
            "report.ov_places"
            if places is not None and addresses is not None
            else "report.ov_places_only"
            if places is not None
            else "report.ov_addresses_only"
        )
        paras.append(
            t(
                key,
                lang,
                places=places,
                addresses=fmt_int(addresses) if addresses is not None else None,
                by_label=by_noun(by, lang),
            )
        )

    closed = None
    if usable(df, "closed_at") and pd.api.types.is_datetime64_any_dtype(df["closed_at"]):
        closed = df["closed_at"].notna()
    elif usable(df, "status"):
        closed = df["status"].astype("str").str.strip().str.lower().isin(_CLOSED_STATUS)
    if closed is not None:
        rate = float(closed.mean())
        rows.append((t("report.kpi_closure", lang), fmt_pct(rate)))
        median = "–"
        if created is not None and pd.api.types.is_datetime64_any_dtype(
            df.get("closed_at", pd.Series(dtype="object"))
        ):
            took = (df["closed_at"] - created)[df["closed_at"].notna()]
            took = took[took >= pd.Timedelta(0)]
            if len(took):
                median = fmt_duration(took.median(), lang)
                rows.append((t("report.kpi_close_time", lang), median))
        paras.append(
            t(
                "report.ov_closure",
                lang,
                closed=fmt_int(closed.sum()),
                rate=fmt_pct(rate),
                median=median,
            )
        )
    else:
        paras.append(t("report.ov_no_closure", lang))

    tables: dict[str, pd.DataFrame] = {}
    titles: dict[str, str] = {}
    if usable(df, "satisfaction"):
        sat = df["satisfaction"].dropna().astype("str").str.strip()
        sat = sat[sat != ""]
        numeric = pd.to_numeric(sat, errors="coerce")
        rows.append((t("report.kpi_rated", lang), fmt_int(len(sat))))
        if len(sat) and numeric.notna().mean() > 0.9:
            mean = float(numeric.mean())
            rows.append((t("report.kpi_satisfaction", lang), f"{mean:.2f}"))
            paras.append(
                t("report.ov_satisfaction_mean", lang, rated=fmt_int(len(sat)), mean=f"{mean:.2f}")
            )
        elif len(sat):
            rate = float(sat.str.lower().isin(_SATISFIED).mean())
            rows.append((t("report.kpi_satisfaction", lang), fmt_pct(rate)))
            paras.append(
                t("report.ov_satisfaction", lang, rated=fmt_int(len(sat)), rate=fmt_pct(rate))
            )
        counts = sat.value_counts()
        tables["satisfaction"] = pd.DataFrame(
            {
                "satisfaction": counts.index.astype("str"),
                "count": counts.to_numpy(),
                "share": counts.to_numpy() / counts.sum(),
            }
        )
        titles["satisfaction"] = label("satisfaction", lang)
    else:
        paras.append(t("report.ov_no_satisfaction", lang))
    if ctx.excluded:
        paras.append(t("report.ov_excluded", lang, n=fmt_int(ctx.excluded)))
    limits: dict[str, int] = {}
    backlog = _service_tables(ctx, tables, titles, limits)
    if backlog is not None:
        n_open, as_of = backlog
        rows.append((t("report.kpi_backlog", lang, as_of=as_of), fmt_int(n_open)))
    if not ctx.has_dates:
        from commlib.report._model import NEEDS_DATES, SECTIONS

        names = [t(f"report.section.{s}", lang) for s in SECTIONS if s in NEEDS_DATES]
        paras.append(t("report.ov_no_dates", lang, names=join_names(names, lang, limit=10)))
    overview = pd.DataFrame(rows, columns=["metric", "value"])
    return ReportSection(
        "overview",
        t("report.section.overview", lang),
        paragraphs=tuple(paras),
        tables={"overview": overview, **tables},
        table_titles={"overview": t("report.section.overview", lang), **titles},
        table_rows=limits,
    )


#: Rows of the front page's service tables shown in the HTML (largest groups first).
SERVICE_ROWS = 8


def _service_tables(ctx: _Context, tables: dict, titles: dict, limits: dict):
    """Satisfaction and days to close per category and department; the open backlog.

    Adds the tables in place; returns (open tickets at the data's end, that date) or
    None when the tickets carry no closing dates.
    """
    df, lang = ctx.tickets, ctx.lang
    has_closed = usable(df, "closed_at") and pd.api.types.is_datetime64_any_dtype(df["closed_at"])
    if not (ctx.has_dates and (has_closed or usable(df, "satisfaction"))):
        return None
    from commlib.service import service_levels

    data = df if has_closed else df.assign(closed_at=pd.NaT)
    backlog = None
    keep = ["tickets", "open", "median_days_to_close", "p90_days_to_close", "satisfied_share"]
    for col in ("category", "department"):
        if not usable(df, col):
            continue
        levels = service_levels(data, by=col, as_of=ctx.as_of, lang=lang)
        cols = [col] + [
            c
            for c in keep
            if c in levels.columns
            and (has_closed or c not in {"open", "median_days_to_close", "p90_days_to_close"})
            and (c != "satisfied_share" or usable(df, "satisfaction"))
        ]
        name = f"overview_service_{col}"
        tables[name] = levels[cols].reset_index(drop=True)
        titles[name] = t("report.ov_service_table", lang, by=by_label(col, lang))
        limits[name] = SERVICE_ROWS
        if has_closed and backlog is None:
            backlog = int(levels["open"].sum())
    if backlog is None and has_closed:
        backlog = int(df["closed_at"].isna().sum())
    if backlog is None:
        return None
    return backlog, fmt_date(ctx.as_of)


def _section_pareto(ctx: _Context) -> ReportSection:
    from commlib.pareto import pareto_chart, pareto_table

    df, lang = ctx.tickets, ctx.lang
    if not usable(df, "category"):
        return _pareto_on_themes(ctx)
    threshold = ctx.opt("pareto", "threshold", 0.8)
    table = pareto_table(df, by="category", threshold=threshold, lang=lang)
    vital = table[table["vital"]]
    text = t(
        "report.pa_text",
        lang,
        k=len(table),
        v=len(vital),
        names=join_names(vital["category"], lang, limit=6),
        share=fmt_pct(float(vital["share"].sum())),
    )
    ax = pareto_chart(
        df,
        by="category",
        threshold=threshold,
        max_categories=ctx.opt("pareto", "max_categories", 12),
        lang=lang,
        title="",
    )
    shown = table.drop(columns=["value", "is_other"])
    return ReportSection(
        "pareto",
        t("report.section.pareto", lang),
        paragraphs=(text,),
        tables={"pareto": shown},
        table_titles={"pareto": t("report.pa_table", lang)},
        figures={"pareto": _format.figure_png(ax.figure)},
        figure_titles={"pareto": t("report.pa_chart", lang)},
    )


def _pareto_on_themes(ctx: _Context) -> ReportSection:
    """Without a category column: the themes found in the text, ranked (no vital few)."""
    from commlib.pareto import pareto_table

    lang = ctx.lang
    themes = _themes(ctx)
    if isinstance(themes, str):
        reason = t("report.pa_no_category", lang, reason=themes)
        return skip("pareto", lang, reason)
    ctx.cache["pareto_on_themes"] = True
    table = pareto_table(themes["themed"], by="theme", lang=lang)
    shown = table.drop(columns=["value", "is_other", "vital"])
    top = table.iloc[0]
    text = t(
        "report.pa_themes_text",
        lang,
        k=len(table),
        name=top["theme"],
        share=fmt_pct(float(top["share"])),
    )
    return ReportSection(
        "pareto",
        t("report.section.pareto_themes", lang),
        paragraphs=(text,),
        tables={"pareto": shown},
        table_titles={"pareto": t("report.pa_themes_table", lang)},
        figures={"pareto": _theme_pareto_chart(themes["themed"], lang)},
        figure_titles={"pareto": t("report.pa_themes_chart", lang)},
    )


def _section_communities(ctx: _Context) -> ReportSection:
    from commlib.pareto import pareto_by, pareto_by_chart

    df, lang, by = ctx.tickets, ctx.lang, ctx.by
    need = [c for c in ("category", by) if c not in df.columns]
    if need:
        return skip("communities", lang, missing(lang, need))
    if not df[by].notna().any():
        return skip("communities", lang, t("report.no_groups", lang, col=label(by, lang)))
    threshold = ctx.opt("communities", "threshold", 0.8)
    long = pareto_by(df, by="category", group=by, threshold=threshold, lang=lang)
    sizes = df[by].value_counts()
    firsts = long[long["rank"] == 1].set_index(by)
    vital = long[long["vital"]].groupby(by, sort=False)["category"].agg(list)
    summary = pd.DataFrame({by: sizes.index, "tickets": sizes.to_numpy()})
    summary["share_of_all"] = summary["tickets"] / len(df)
    summary["top_category"] = summary[by].map(firsts["category"])
    summary["top_share"] = summary[by].map(firsts["share"]).astype(float)
    summary["n_vital"] = summary[by].map(vital.map(len)).fillna(0).astype(int)
    summary["vital_categories"] = summary[by].map(vital.map(lambda v: join_names(v, lang, 8)))
    top = summary.iloc[0]
    group_word = by_label(by, lang)
    text = t(
        "report.co_text",
        lang,
        by_label=group_word,
        top=top[by],
        n=fmt_int(top["tickets"]),
        cat=top["top_category"],
        share=fmt_pct(top["top_share"]),
    )
    groups = summary[by].head(ctx.opt("communities", "max_panels", MAX_COMMUNITY_PANELS)).tolist()
    fig = pareto_by_chart(
        df.loc[df[by].isin(groups), [by, "category"]],  # the two columns, not a copy of all
        by="category",
        group=by,
        groups=groups,
        threshold=threshold,
        max_categories=6,
        lang=lang,
    )
    # largest groups first (the HTML shows the first rows; the workbook has them all)
    top5 = long[long["rank"] <= 5].drop(columns=["value", "is_other"])
    top5 = top5.assign(_size=top5[by].map(sizes)).sort_values(
        ["_size", by, "rank"], ascending=[False, True, True], kind="stable"
    )
    top5 = top5.drop(columns="_size").reset_index(drop=True)
    return ReportSection(
        "communities",
        t("report.section.communities", lang),
        paragraphs=(text,),
        tables={"communities": summary, "community_pareto": top5},
        table_titles={
            "communities": t("report.co_summary", lang, by_label=group_word),
            "community_pareto": t("report.co_table", lang, by_label=group_word),
        },
        figures={"communities": _format.figure_png(fig)},
        figure_titles={
            "communities": t("report.co_chart", lang, k=len(groups), by_label=group_word)
        },
    )


def _display_term(term: str) -> str:
    """A clusterer term as shown: ``"快递 丢失"`` -> ``"快递丢失"``; English keeps spaces."""
    return term.replace(" ", "") if " " in term and not term.isascii() else term


def _theme_name(terms, fallback: str, sep: str) -> str:
    """A theme's name: its most distinctive phrases (c-TF-IDF order).

    Single characters and numbers ("倒", "a", "12") and terms inside a phrase already
    picked are passed over; up to three are joined with ``sep``.
    """
    shown = [_display_term(str(w)) for w in list(terms)[:8]]
    picked: list[str] = []
    for i in range(len(shown)):
        core = shown[i].replace(" ", "")
        if len(core) < 2 or core.isdigit() or (core.isascii() and len(core) < 3):
            continue
        if any(core in p or p in core for p in picked):
            continue
        picked.append(core if not shown[i].isascii() else shown[i])
        if len(picked) == 3:
            break
    return sep.join(picked) if picked else fallback


def _themes(ctx: _Context) -> dict | str:
    """Fit the themes once per report (the Pareto section may need them first).

    Returns the facts (``themed``, ``names``, ``table``, ``examples``, ``method``),
    or the reason there are none. The texts themselves are not kept: the cache lives
    as long as the report is built (at two million tickets they held some 500 MB).
    """
    if "themes" in ctx.cache:
        return ctx.cache["themes"]
    ctx.cache["themes"] = result = _fit_themes(ctx)
    return result


def _fit_themes(ctx: _Context) -> dict | str:
    from commlib.cluster import TicketClusterer
    from commlib.privacy import mask_as_checked

    df, lang = ctx.tickets, ctx.lang
    if "text" not in df.columns and "title" not in df.columns:
        return missing(lang, ["text"])
    texts = df["text"] if "text" in df.columns else pd.Series(pd.NA, index=df.index, dtype="str")
    if "title" in df.columns:
        texts = texts.fillna(df["title"])
    texts = texts.dropna().astype("str")
    texts = texts[texts.str.strip() != ""]
    if len(texts) < MIN_THEME_TICKETS:
        return t("report.few_texts", lang, n=len(texts), min=MIN_THEME_TICKETS)
    k = ctx.opt("themes", "n_clusters", 12 if len(texts) >= 2000 else "auto")
    mode = "word" if mostly_cjk(texts) else "english"
    clusterer = TicketClusterer(
        k,
        mode=mode,
        k_range=(4, 12),
        n_components=ctx.opt("themes", "n_components", THEME_COMPONENTS),
        min_cluster_size=0.01,
        n_representatives=2,
        random_state=ctx.random_state,
        n_jobs=1,  # worker processes cost more than they save on two busy cores
        progress=False,
        lang=lang,
    )
    fit_on = texts
    if len(texts) > THEME_FIT_SAMPLES:
        fit_on = texts.sample(THEME_FIT_SAMPLES, random_state=ctx.random_state).sort_index()
    clusterer.fit(fit_on.tolist())
    check_time(ctx, "themes")  # the budget is checked between the fit and the placing
    if fit_on is texts:
        ids = clusterer.labels_
    else:  # placed in chunks: the tokens and TF-IDF rows of one chunk at a time in memory
        ids = np.concatenate(
            [
                clusterer.predict(texts.iloc[lo : lo + THEME_PREDICT_CHUNK].tolist())
                for lo in range(0, len(texts), THEME_PREDICT_CHUNK)
            ]
        )
    misc = t("cluster.misc", lang)
    name_sep = t("report.theme_name_sep", lang)
    names: dict[int, str] = {}
    for c, fallback in clusterer.names_.items():
        if c == -1:
            names[c] = misc
            continue
        name = _theme_name(clusterer.top_terms_.get(c, []), fallback, name_sep)
        names[c] = name if name not in names.values() else f"{name} ({c + 1})"
    sizes = pd.Series(ids).value_counts()
    order = [c for c in sizes.index if c != -1] + ([-1] if -1 in sizes.index else [])
    table = pd.DataFrame(
        {
            "theme_id": order,
            "theme": [names[c] for c in order],
            "count": [int(sizes[c]) for c in order],
        }
    )
    table["share"] = table["count"] / len(texts)
    sep = t("common.list_sep", lang)
    table["top_terms"] = [
        sep.join(_display_term(str(w)) for w in clusterer.top_terms_.get(c, [])[:6]) for c in order
    ]
    # the tickets nearest each theme's centre (the misc bucket has no centre to speak of)
    reps = clusterer.representatives_
    reps = reps[reps["cluster"] != -1]
    rank_of = {c: i for i, c in enumerate(order)}
    examples = reps.assign(
        theme=reps["cluster"].map(names),
        example=mask_as_checked(reps["text"].astype("str")).str.slice(0, 120),
        _order=reps["cluster"].map(rank_of),
    ).sort_values(["_order", "rank"], kind="stable")
    examples = examples[["theme", "rank", "example"]].reset_index(drop=True)
    examples["rank"] = examples["rank"] + 1
    method = (
        t("report.th_auto", lang)
        if k == "auto"
        else t("report.th_fixed", lang, k=clusterer.n_clusters_)
    )
    themed = pd.DataFrame({"theme": pd.Series(ids).map(names).to_numpy()}, index=texts.index)
    return {
        "themed": themed,
        "names": names,
        "table": table,
        "examples": examples,
        "method": method,
    }


def _theme_pareto_chart(themed: pd.DataFrame, lang: str) -> bytes:
    """The themes ranked as a Pareto chart, without vital-few colours (themes depend on k)."""
    from commlib.pareto import pareto_chart

    ax = pareto_chart(themed, by="theme", lang=lang, title="", highlight_vital=False)
    ax.set_xlabel(t("report.theme_axis", lang))
    return _format.figure_png(ax.figure)


def _section_themes(ctx: _Context) -> ReportSection:
    lang = ctx.lang
    themes = _themes(ctx)
    if isinstance(themes, str):
        return skip("themes", lang, themes)
    table = themes["table"]
    top = table.iloc[0]
    text = t(
        "report.th_text",
        lang,
        k=int((table["theme_id"] != -1).sum()),
        method=themes["method"],
        name=top["theme"],
        n=fmt_int(top["count"]),
        share=fmt_pct(top["share"]),
    )
    figures, fig_titles = {}, {}
    if not ctx.cache.get("pareto_on_themes"):  # else the Pareto section drew it already
        figures["themes"] = _theme_pareto_chart(themes["themed"], lang)
        fig_titles["themes"] = t("report.th_chart", lang)
    return ReportSection(
        "themes",
        t("report.section.themes", lang),
        paragraphs=(text,),
        tables={"themes": table, "theme_examples": themes["examples"]},
        table_titles={
            "themes": t("report.th_table", lang),
            "theme_examples": t("report.th_examples", lang),
        },
        figures=figures,
        figure_titles=fig_titles,
    )


def _section_sources(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    need = [c for c in ("category",) if not usable(df, c)]
    if not (usable(df, "address_key") or usable(df, "address")):
        need.append("address")
    if need:
        return skip("sources", lang, missing(lang, need))
    try:
        from commlib.attribution import link_sources
    except ImportError:
        return skip("sources", lang, t("report.module_missing", lang, module="attribution"))
    place = "address_key" if usable(df, "address_key") else "address"
    links = link_sources(
        df,
        window=ctx.opt("sources", "window", "14D"),
        place=place,
        department="department" if "department" in df.columns else None,
        text="text" if "text" in df.columns else None,
        community="community" if "community" in df.columns else None,
        random_state=ctx.random_state,
    )
    sources = links.sources
    if not len(sources):
        return ReportSection(
            "sources", t("report.section.sources", lang), paragraphs=(t("report.so_none", lang),)
        )
    top = sources.iloc[0]
    text = t(
        "report.so_text",
        lang,
        n=len(sources),
        strong=int(sources["strong"].sum()),
        place=top["place"],
        k=int(top["days"]) if pd.notna(top["days"]) else "–",
        t=int(top["n_tickets"]),
        c=int(top["n_categories"]),
    )
    cols = [
        "place",
        "entity",
        "community",
        "n_tickets",
        "n_categories",
        "n_departments",
        "categories",
        "first",
        "last",
        "score",
        "strong",
        "examples",
    ]
    shown = sources[[c for c in cols if c in sources.columns]].head(ctx.opt("sources", "top", 20))
    shown.insert(0, "rank", np.arange(1, len(shown) + 1))
    if "entity" in shown.columns and not shown["entity"].notna().any():
        shown = shown.drop(columns="entity")
    if "examples" in shown.columns:  # the first example, short: the places are the point
        ex = shown["examples"]
        first = ex.str[0] if ex.map(type).eq(list).any() else ex
        shown = shown.assign(examples=first.astype("str").str.slice(0, 60).where(first.notna()))
    table = shown.reset_index(drop=True)
    # the shown table is the top rows; the counts of the whole search ride along
    table.attrs.update(n_candidates=len(sources), n_strong=int(sources["strong"].sum()))
    return ReportSection(
        "sources",
        t("report.section.sources", lang),
        paragraphs=(text,),
        tables={"sources": table},
        table_titles={"sources": t("report.so_table", lang)},
        table_rows={"sources": 8},
    )


def _step_names(steps: pd.Series, lang: str) -> pd.Series:
    """Cleaning steps as the appendix names them (``clean.step.<step>``)."""
    names = {
        s: t(f"clean.step.{s}", lang) if has(f"clean.step.{s}") else s
        for s in pd.unique(steps.dropna())
    }
    return steps.map(names)


def _rejection_kinds(rej: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rejected rows counted by step and kind of reason, the kind said in ``lang``."""
    keys = ["step", "reason_code", "reason_column"]
    counts = rej.groupby(keys, dropna=False, sort=False).size().rename("count")
    firsts = rej.drop_duplicates(keys).set_index(keys).loc[counts.index].reset_index()
    # the kind of reason: the reason without the value that was found
    kinds = describe_rejections(firsts.assign(reason_value=pd.NA), lang=lang)
    out = pd.DataFrame(
        {
            "step": _step_names(firsts["step"], lang).to_numpy(),
            "reason": kinds.to_numpy(),
            "count": counts.to_numpy(),
        }
    )
    return out.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def _section_quality(ctx: _Context) -> ReportSection:
    lang = ctx.lang
    res = ctx.cleaned
    if res is None:
        return skip("quality", lang, t("report.not_cleaned", lang))
    described = describe_log(res.log, lang=lang)
    log = described[["step", "rows_in", "rows_out", "rows_changed", "seconds", "note"]].copy()
    log["step"] = described["label"].to_numpy()
    text = t(
        "report.qu_text",
        lang,
        rows_in=fmt_int(res.rows_in),
        clean=fmt_int(len(res.tickets)),
        rejected=fmt_int(len(res.rejected)),
        dups=fmt_int(len(res.duplicates)),
    )
    paras = [text]
    tables = {"cleaning_log": log}
    titles = {"cleaning_log": t("report.qu_log", lang)}
    rej = res.rejected
    if len(rej):
        tables["rejected_by_reason"] = _rejection_kinds(rej, lang)
        titles["rejected_by_reason"] = t("report.qu_reasons", lang)
        n_ex = ctx.opt("quality", "examples", 5)
        sample = rej.groupby("step", sort=False).head(n_ex).head(2 * n_ex)
        text_col = next((c for c in ("text", "title") if c in sample.columns), None)
        examples = pd.DataFrame(
            {
                "source_row": sample["source_row"].to_numpy(),
                "reason": describe_rejections(sample, lang=lang).to_numpy(),
            }
        )
        if text_col is not None:
            examples["excerpt"] = sample[text_col].astype("str").str.slice(0, 80).to_numpy()
        tables["rejected_examples"] = examples
        titles["rejected_examples"] = t("report.qu_examples", lang)
    else:
        paras.append(t("report.qu_none", lang))
    return ReportSection(
        "quality",
        t("report.section.quality", lang),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
    )


def action_lines(sections, ctx: _Context) -> list[dict]:
    """The front page's "what to do" lines, from the built sections' own tables.

    One line per kind of finding: the vital few, the rising categories, the places behind
    several kinds of complaint, the near-miss alerts still active at the data's end, the
    open backlog. Each is a dict with ``section`` (the id to link to), ``kind`` and
    ``text`` (in ``ctx.lang``).
    """
    lang = ctx.lang
    built = {s.id: s for s in sections if s.skipped is None}
    lines: list[dict] = []

    def add(section: str, kind: str, text: str) -> None:
        lines.append({"section": section, "kind": kind, "text": text})

    pareto = built.get("pareto")
    if pareto is not None and "vital" in pareto.tables.get("pareto", pd.DataFrame()).columns:
        tab = pareto.tables["pareto"]
        vital = tab[tab["vital"]]
        add(
            "pareto",
            "vital",
            t(
                "report.act_vital",
                lang,
                v=len(vital),
                names=join_names(vital["category"], lang, limit=5),
                share=fmt_pct(float(vital["share"].sum())),
            ),
        )
    trend = built.get("trend")
    if trend is not None and "rising" in trend.tables:
        rising = trend.tables["rising"]
        add(
            "trend",
            "rising",
            t(
                "report.act_rising",
                lang,
                n=len(rising),
                names=join_names(rising["category"], lang, 4),
            ),
        )
    sources = built.get("sources")
    if sources is not None and "sources" in sources.tables:
        cand = sources.tables["sources"]
        strong = cand[cand["strong"].astype(bool)] if "strong" in cand.columns else cand
        src = (strong if len(strong) else cand).head(3)
        places = [
            t("report.act_place", lang, place=p, c=int(c))
            for p, c in zip(src["place"], src["n_categories"], strict=True)
        ]
        # only sources beyond chance are stated as findings; candidates are a list to check
        key = "report.act_sources" if len(strong) else "report.act_sources_weak"
        n = cand.attrs.get("n_strong", len(strong)) if len(strong) else None
        n = n if n is not None else cand.attrs.get("n_candidates", len(cand))
        add("sources", "sources", t(key, lang, n=n, places=join_names(places, lang, 3)))
    nm = built.get("near_misses")
    if nm is not None and ctx.as_of is not None:
        alerts = nm.tables.get("near_misses")
        as_of = fmt_date(ctx.as_of)
        if alerts is not None and len(alerts) and alerts["active"].any():
            active = alerts[alerts["active"]]
            add(
                "near_misses",
                "alerts",
                t(
                    "report.act_alerts",
                    lang,
                    n=len(active),
                    as_of=as_of,
                    places=join_names(active["place"], lang, 3),
                ),
            )
        else:
            add("near_misses", "alerts", t("report.act_no_alerts", lang, as_of=as_of))
    overview = built.get("overview")
    if overview is not None:
        kpi = overview.tables.get("overview")
        backlog_label = (
            t("report.kpi_backlog", lang, as_of=fmt_date(ctx.as_of))
            if ctx.as_of is not None
            else None
        )
        if kpi is not None and backlog_label in set(kpi["metric"]):
            n_open = kpi.loc[kpi["metric"] == backlog_label, "value"].iloc[0]
            key = "report.act_no_backlog" if str(n_open).strip() in ("0", "0.0") else None
            add(
                "overview",
                "backlog",
                t(key or "report.act_backlog", lang, n=n_open, as_of=fmt_date(ctx.as_of)),
            )
    return lines


BUILDERS: dict[str, Callable[[_Context], ReportSection]] = {
    "overview": _section_overview,
    "pareto": _section_pareto,
    "communities": _section_communities,
    "trend": section_trend,
    "themes": _section_themes,
    "sources": _section_sources,
    "near_misses": section_near_misses,
    **SERVICE_BUILDERS,
    "quality": _section_quality,
}
