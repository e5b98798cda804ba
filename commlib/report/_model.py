"""The report's objects (:class:`Report`, :class:`ReportSection`) and :func:`build_report`."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import release_memory
from commlib.errors import CommlibError
from commlib.privacy._model import DEFAULT_NAMES
from commlib.report._budget import (
    SectionOutOfTime,
    memory_shortfall,
    out_of_memory,
    out_of_time,
)
from commlib.report._format import fmt_date
from commlib.report._guard import (
    ReportPrivacyError,
    guard,
    masked_labels,
    masked_section,
    visible_text,
    xlsx_strings,
)

logger = logging.getLogger("commlib.report")

#: Every section :func:`build_report` knows, in report order.
SECTIONS: tuple[str, ...] = (
    "overview",
    "pareto",
    "communities",
    "trend",
    "themes",
    "sources",
    "near_misses",
    "hot_issues",
    "service",
    "replies",
    "quality",
)

#: Sections built when ``sections=None``.
DEFAULT_SECTIONS: tuple[str, ...] = SECTIONS

#: Sections that read ticket dates: without a ``created_at`` column they are listed in
#: one line ("need a date column") instead of being built. A builder added to
#: :data:`SECTIONS` that needs dates adds its id here (or checks ``ctx.has_dates``).
NEEDS_DATES: frozenset[str] = frozenset(
    {"trend", "sources", "near_misses", "hot_issues", "service"}
)

__all__ = [
    "DEFAULT_SECTIONS",
    "NEEDS_DATES",
    "SECTIONS",
    "Report",
    "ReportPrivacyError",
    "ReportSection",
]


@dataclasses.dataclass(frozen=True)
class ReportSection:
    """One section of a :class:`Report`: sentences, figures and tables, or a reason.

    Build your own to add an analysis of your own to a report
    (:meth:`Report.with_section`). Text is plain text (the writers escape it); figures
    are PNG bytes (:func:`figure_png`); table column names are canonical names or the
    report's own (labelled in the reader's language), other names are shown as they are.

    Attributes
    ----------
    id : str
        Short name, used as the HTML anchor (``<section id="...">``).
    title : str
        Heading.
    paragraphs : tuple of str
        Narrative sentences, one paragraph each.
    tables : dict of str to pandas.DataFrame
        Tables by name; the name is unique within a report and names the workbook sheet.
    table_titles : dict of str to str
        Caption of each table (default: its name).
    figures : dict of str to bytes
        PNG images by name.
    figure_titles : dict of str to str
        Caption of each figure.
    skipped : str or None
        Why the section was not built (then it holds nothing else).
    table_rows : dict of str to int
        Rows of a table shown in the HTML when fewer than the writer's default (the
        tables are ordered most important first; the workbook holds every row).
    seconds : float
        Time spent building it.

    Examples
    --------
    >>> import pandas as pd
    >>> sec = ReportSection("mine", "我的分析", paragraphs=("快递投诉下降了一半。",),
    ...                     tables={"mine": pd.DataFrame({"category": ["快递物流"], "count": [3]})})
    >>> sec.tables["mine"].shape
    (1, 2)
    """

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    table_titles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    figures: Mapping[str, bytes] = dataclasses.field(default_factory=dict)
    figure_titles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    skipped: str | None = None
    seconds: float = 0.0
    table_rows: Mapping[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Report:
    """What :func:`build_report` hands back: sections, their tables and figures, writers.

    Attributes
    ----------
    title : str
    lang : {"zh", "en"}
    sections : tuple of ReportSection
        In report order, skipped ones included (they carry their reason).
    meta : dict
        ``source`` (file name or None), ``rows`` (tickets reported), ``start`` and
        ``end`` (first and last ticket date, None without dates), ``as_of`` (the day
        the data ends, the date the report speaks of), ``no_dates`` (sections not built
        for want of dates), ``actions`` (the front page's action lines: dicts with
        ``section``, ``kind`` and ``text``), ``generated`` (timestamp), ``by``,
        ``version``.

    Examples
    --------
    >>> from commlib.datasets import make_tickets
    >>> report = build_report(make_tickets(400, random_state=1), sections=["overview", "pareto"])
    >>> list(report.tables)
    ['overview', 'satisfaction', 'overview_service_category', 'overview_service_department', 'pareto']
    >>> html_text = report.to_html()
    >>> html_text.startswith("<!DOCTYPE html>")
    True
    """

    title: str
    lang: str
    sections: tuple[ReportSection, ...]
    meta: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        # a table name is a workbook sheet and a key of .tables: two sections must not
        # share one, or one table would silently hide the other
        seen: dict[str, str] = {}
        for section in self.sections:
            for name in section.tables:
                if name in seen:
                    raise ValueError(
                        f"table name {name!r} is used by section {seen[name]!r} and by "
                        f"section {section.id!r}; give one of them another name."
                    )
                seen[name] = section.id

    # ------------------------------------------------------------------ access
    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the built sections, by name, in report order."""
        return {k: v for s in self.sections for k, v in s.tables.items()}

    @property
    def figures(self) -> dict[str, bytes]:
        """Every figure (PNG bytes) of the built sections, by name."""
        return {k: v for s in self.sections for k, v in s.figures.items()}

    @property
    def skipped(self) -> dict[str, str]:
        """Sections not built, with the reason shown in the report."""
        return {s.id: s.skipped for s in self.sections if s.skipped is not None}

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent on each section."""
        return {s.id: s.seconds for s in self.sections}

    def section(self, id: str) -> ReportSection:
        """The section called ``id``."""
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(f"no section {id!r}; the report has {[s.id for s in self.sections]}")

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name``."""
        tables = self.tables
        if name not in tables:
            raise KeyError(f"no table {name!r}; the report has {list(tables)}")
        return tables[name]

    def with_section(self, section: ReportSection, *, after: str | None = None) -> Report:
        """A new report with ``section`` added (or replacing the one with its id).

        Its texts and string cells are masked like every built section's.

        Parameters
        ----------
        section : ReportSection
        after : str, optional
            Id of the section to insert it after; default at the end (or in place of
            the section it replaces).
        """
        section = masked_section(section)
        ids = [s.id for s in self.sections]
        sections = list(self.sections)
        if section.id in ids and after is None:
            sections[ids.index(section.id)] = section
            return dataclasses.replace(self, sections=tuple(sections))
        sections = [s for s in sections if s.id != section.id]
        ids = [s.id for s in sections]
        if after is None:
            sections.append(section)
        elif after in ids:
            sections.insert(ids.index(after) + 1, section)
        else:
            raise KeyError(f"no section {after!r} to insert after; the report has {ids}")
        return dataclasses.replace(self, sections=tuple(sections))

    def __repr__(self) -> str:
        built = [s.id for s in self.sections if s.skipped is None]
        return (
            f"Report({self.title!r}, lang={self.lang!r}, {self.meta.get('rows', '?')} tickets, "
            f"sections={built}, skipped={list(self.skipped)})"
        )

    # ------------------------------------------------------------------ writers
    def to_html(self, path: str | Path | None = None) -> str | Path:
        """Write the report as one self-contained HTML file (or return it as a string).

        Charts are embedded as base64 PNG, the CSS is inline with a subset of the
        bundled CJK font (only the characters the page uses, after the system CJK
        fonts: a machine without one still shows the Chinese text), nothing is fetched
        from the network, and each section starts a new page when printed. Every text of
        the page (attribute values and links too) passes a final personal-data check:
        what it finds is masked by :func:`commlib.privacy.mask_pii`, the same detector,
        and counted by kind in ``meta["masked_at_output"]``. The file is written to a
        temporary file in the target folder and moved into place when complete.

        Parameters
        ----------
        path : str or Path, optional
            File to write. Without it the HTML is returned as a string.

        Returns
        -------
        str or Path
            The HTML text, or the path written.

        Raises
        ------
        ReportPrivacyError
            Only if personal data is left after masking (nothing is written then).
        """
        from commlib._files import staged_outputs
        from commlib.report._guard import OutputMasker, mask_html, record_masked
        from commlib.report._html import embed_font, render_html

        masker = OutputMasker()
        text = mask_html(render_html(self), masker)
        seen = visible_text(text)
        # masking cannot fail to mask what the same detector finds; refuse if it did
        guard(seen, where="the HTML report", where_key="report.where.html")
        record_masked(self, masker.counts)
        # the glyphs of the text as masked, so a machine without a CJK font shows it
        text = embed_font(text, "".join(seen))
        if path is None:
            return text
        path = Path(path)
        with staged_outputs([path]) as (tmp,):
            tmp.write_text(text, encoding="utf-8")
        return path

    def to_xlsx(self, path: str | Path) -> Path:
        """Write every table to an Excel workbook: one sheet per table.

        A first sheet describes the report (title, source, period, skipped sections).
        Headers are labelled in the report's language, the header row is frozen and
        filtered, columns are sized to their content (at most 60 characters wide) and
        shares are numbers formatted as percentages, months are dates, and no cell is
        a formula (a text starting with ``=``, ``+``, ``-`` or ``@`` stays text).
        Every text, header and sheet name passes the final personal-data check: what it
        finds is masked and counted in ``meta["masked_at_output"]``. The workbook is
        written to a temporary file and moved into place when complete.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Path

        Raises
        ------
        ReportPrivacyError
            Only if personal data is left after masking (nothing is written then).
        """
        from commlib._files import staged_outputs
        from commlib.report._guard import OutputMasker, record_masked
        from commlib.report._xlsx import write_xlsx

        path = Path(path)
        masker = OutputMasker()
        with staged_outputs([path]) as (tmp,):
            write_xlsx(self, tmp, masker)
            # everything written was masked; refuse (nothing written) if anything is left
            guard(
                xlsx_strings(tmp),
                where=f"workbook {path.name}",
                where_key="report.where.workbook",
                where_params={"name": path.name},
            )
        record_masked(self, masker.counts)
        return path


@dataclasses.dataclass
class _Context:
    tickets: pd.DataFrame
    lang: str
    by: str
    random_state: int
    options: Mapping[str, Mapping]
    cleaned: object | None  # CleanResult, when build_report ran (or was given) a cleaning
    excluded: int  # tickets outside the period
    has_dates: bool = True  # created_at holds dates
    as_of: pd.Timestamp | None = None  # the data's end: the last ticket's date
    cache: dict = dataclasses.field(default_factory=dict)  # results shared by sections

    def opt(self, section: str, key: str, default):
        return self.options.get(section, {}).get(key, default)


class _NoTicketsInPeriod(CommlibError):
    """No ticket in the period asked for; an open end is named in the reader's words."""

    def render(self, lang: str = "zh") -> str:
        params = dict(self.params)
        params["start"] = params["start"] or t("report.error.period_open_start", lang)
        params["end"] = params["end"] or t("report.error.period_open_end", lang)
        return t(self.key, lang, **params)


def _end_of(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts == ts.normalize():  # a date: include the whole day
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return ts


def _check_sections(sections) -> list[str]:
    if sections is None:
        return list(DEFAULT_SECTIONS)
    if isinstance(sections, str):
        sections = [s.strip() for s in sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(
            f"unknown section(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(SECTIONS)}."
        )
    return [s for s in SECTIONS if s in set(sections)]


#: Columns of the clean tickets that no section reads: the text as it was before the
#: boilerplate was cut, and the cut part (at two million tickets about 18 % of the clean
#: table, some 400 MB). ``commlib report`` leaves them out before building.
UNREAD_COLUMNS = ("text_original", "boilerplate")


def _without_unread(result):
    """``result`` (a :class:`commlib.clean.CleanResult`) without :data:`UNREAD_COLUMNS`.

    The report built from it is the same; the caller lets the full result go.
    """
    drop = [c for c in UNREAD_COLUMNS if c in result.tickets.columns]
    if not drop:
        return result
    return dataclasses.replace(result, tickets=result.tickets.drop(columns=drop))


#: Columns of the clean tickets ``commlib report`` holds as dictionaries (pandas
#: categoricals: each distinct value stored once, the rows as small codes) when they
#: repeat (at most :data:`DICTIONARY_SHARE` distinct values among the filled cells).
#: Every section's tables were compared on 4,000 tickets, with and without a date
#: window: identical. ``community`` and the satisfaction and vote columns are left as
#: text: the sources and near-miss sections fill their missing cells with a word the
#: dictionary does not hold and fail, and the community Pareto differs.
DICTIONARY_COLUMNS = ("channel", "category", "department", "status")
DICTIONARY_SHARE = 0.01


def _dictionary_encoded(result, *, columns=DICTIONARY_COLUMNS, share: float = DICTIONARY_SHARE):
    """``result`` with the repeated text columns of :data:`DICTIONARY_COLUMNS` held as
    dictionaries; the report built from it is the same."""
    import pandas as pd

    tickets = result.tickets
    cols = {}
    for c in columns:
        if c not in tickets.columns or not isinstance(tickets[c].dtype, pd.StringDtype):
            continue
        s = tickets[c]
        filled = int(s.notna().sum())
        if filled and s.nunique() <= max(1, share * filled):
            cols[c] = s.astype("category")
    if not cols:
        return result
    return dataclasses.replace(result, tickets=tickets.assign(**cols))


def _is_dask(obj) -> bool:
    """A Dask frame or a DaskCleanResult (told by module, so dask is never imported here)."""
    return type(obj).__module__.split(".")[0] == "dask" or type(obj).__name__ == ("DaskCleanResult")


def _clean_on_cluster(ddf, *, clean: bool, salt, lang: str, progress, names: str = DEFAULT_NAMES):
    """A Dask frame cleaned on the cluster and gathered: a CleanResult or a pandas frame."""
    if type(ddf).__name__ == "DaskCleanResult":
        return ddf.compute()
    if not clean:
        return ddf.compute()
    import secrets

    from commlib.dask import clean_tickets

    if progress:
        progress(t("report.cleaning", lang))
    # drawn here once and handed to every partition: one salt for the whole archive
    salt = secrets.token_bytes(16) if salt is None else salt
    return clean_tickets(ddf, salt=salt, names=names).compute()


def build_report(
    df,
    *,
    lang: str = "zh",
    by: str = "community",
    sections: Sequence[str] | str | None = None,
    start=None,
    end=None,
    title: str | None = None,
    clean: bool = True,
    random_state: int = 0,
    options: Mapping[str, Mapping] | None = None,
    progress: Callable[[str], None] | None = None,
    salt: str | bytes | None = None,
    names: str = DEFAULT_NAMES,
) -> Report:
    """Build the automatic statistics report of a ticket table.

    The ad-hoc report a neighbourhood office is asked for, without filling a form by
    hand: headline figures, the vital few categories overall and per community, the
    monthly trend and the rising factors, complaint themes from the text, places behind
    several kinds of complaint, near-miss alerts and a data-quality appendix. Write it
    with :meth:`Report.to_html` and :meth:`Report.to_xlsx`.

    Parameters
    ----------
    df : pandas.DataFrame, commlib.clean.CleanResult, dask.dataframe.DataFrame or commlib.dask.DaskCleanResult
        Tickets with canonical columns: raw (as :func:`commlib.read_tickets` returns
        them) or already cleaned. A :class:`~commlib.clean.CleanResult` is used as it
        is, and its log fills the data-quality appendix. A Dask frame (an archive read
        by :func:`commlib.dask.read_tickets`) is cleaned and masked on the cluster by
        :func:`commlib.dask.clean_tickets`, the part of a report that grows with the
        text; the clean tickets are then gathered into this process (they must fit in
        its memory) and the sections built as for a pandas frame, with the same
        results as cleaning the concatenated partitions here.
    lang : {"zh", "en"}, default "zh"
        Language of every heading, sentence, table header and chart label.
    by : str, default "community"
        Column of the per-group Pareto section and of the "places" count.
    sections : list of str or comma-separated str, optional
        Sections to build, from :data:`SECTIONS` (always in report order). Default
        :data:`DEFAULT_SECTIONS`.
    start, end : date-like, optional
        Keep tickets created from ``start`` up to and including ``end`` (a date
        without time includes that whole day).
    title : str, optional
        Report title. Default "工单统计分析报告" / "Ticket statistics report".
    clean : bool, default True
        Run :func:`commlib.clean_tickets` first (masking personal data), unless ``df``
        is already clean (its ``created_at`` holds dates and it has ``source_row``).
        With False the table must be clean already.
    random_state : int, default 0
        Seed of every random step (clustering, permutation tests).
    options : dict, optional
        Per-section settings, by section id:

        - ``pareto``: ``threshold`` (0.8), ``max_categories`` (12, in the chart);
        - ``communities``: ``threshold`` (0.8), ``max_panels`` (9);
        - ``trend``: ``min_count`` (10), ``min_change`` (0.0), as in
          :func:`commlib.trends.rising_factors`;
        - ``themes``: ``n_clusters`` (12, or "auto" below 2,000 tickets),
          ``n_components`` (50), ``max_seconds`` (no limit: past it the section is
          skipped with a sentence saying so; checked between fitting the themes and
          placing every ticket on them);
        - ``sources``: ``window`` ("14D"), ``top`` (20 rows);
        - ``near_misses``: ``freq`` ("W"), ``top`` (15 rows shown in the HTML; the
          workbook has every alert);
        - ``hot_issues``: ``window`` ("30D"), ``min_tickets`` (3), ``top``,
          ``max_tickets`` (250,000: above it the latest tickets are read, and the
          section says from which day; None reads them all);
        - ``replies``: ``deadline_days`` (15), ``examples`` (10), ``max_tickets``
          (200,000: above it a random sample is scored, and the section says so;
          None scores every reply);
        - ``quality``: ``examples`` (5 rejected rows per step).

        Before a heavy section (themes, sources, near misses, hot issues, replies) the
        memory it needs is estimated from the number of tickets; when the machine has
        not that much free, the section is skipped with a sentence saying so (on the
        command line too) rather than risk the process being killed. A section that
        raises ``MemoryError`` is skipped the same way; the others are still built.
    progress : callable, optional
        Called with one line of text (in ``lang``) as each section starts; the command
        line prints it on stderr.
    salt : str or bytes, optional
        Salt of the caller hash when the tickets are cleaned here (see
        :func:`commlib.clean_tickets`). Default: drawn once for this call, also for a
        Dask frame (on this process, then handed to every partition).
    names : {"auto", "rules", "model"}, default "auto"
        How person names are found when the tickets are cleaned here (see
        :func:`commlib.clean_tickets`).

    Returns
    -------
    Report

    Raises
    ------
    commlib.errors.MissingColumnsError
        If ``df`` has no ``created_at`` column.
    commlib.errors.CommlibError
        If no ticket is left in the period.
    ValueError
        For an unknown section or language.

    Examples
    --------
    >>> from commlib.datasets import make_tickets
    >>> report = build_report(make_tickets(1500, random_state=3), lang="en",
    ...                       sections=["overview", "pareto", "quality"])
    >>> report.section("pareto").title
    '2. Category Pareto'
    >>> report.table("overview").iloc[0].tolist()
    ['Tickets', '1,482']
    """
    from commlib.clean import CleanResult, clean_tickets
    from commlib.report._sections import BUILDERS, action_lines, skip
    from commlib.report._sections_service import HOT_MAX_TICKETS, REPLY_MAX_TICKETS

    ROW_CAPS = {"replies": REPLY_MAX_TICKETS, "hot_issues": HOT_MAX_TICKETS}

    check_lang(lang)
    wanted = _check_sections(sections)
    options = dict(options or {})
    unknown = [k for k in options if k not in BUILDERS]
    if unknown:
        raise ValueError(f"options for unknown section(s) {unknown}; sections are {SECTIONS}.")

    cleaned: CleanResult | None = None
    if _is_dask(df):
        df = _clean_on_cluster(
            df, clean=clean, salt=salt, lang=lang, progress=progress, names=names
        )
    if isinstance(df, CleanResult):
        cleaned, tickets = df, df.tickets
    else:
        if not isinstance(df, pd.DataFrame):
            raise TypeError(
                f"build_report needs a DataFrame or CleanResult, not {type(df).__name__}."
            )
        dated = "created_at" in df.columns
        is_clean = "source_row" in df.columns and (
            not dated or pd.api.types.is_datetime64_any_dtype(df["created_at"])
        )
        if clean and not is_clean:
            if progress:
                progress(t("report.cleaning", lang))
            cleaned = clean_tickets(df, salt=salt, names=names)
            tickets = cleaned.tickets
        else:
            tickets = df
            if dated and not pd.api.types.is_datetime64_any_dtype(tickets["created_at"]):
                raise CommlibError(key="report.error.dates_are_text")

    has_dates = "created_at" in tickets.columns and bool(tickets["created_at"].notna().any())
    if not has_dates:
        if start is not None or end is not None:
            raise CommlibError(key="report.error.period_no_dates")
        tickets = tickets.drop(columns=["created_at"], errors="ignore")
    keep = (
        tickets["created_at"].notna()
        if has_dates
        else pd.Series(True, index=tickets.index, dtype=bool)
    )
    if start is not None:
        keep &= tickets["created_at"] >= pd.Timestamp(start)
    if end is not None:
        keep &= tickets["created_at"] <= _end_of(end)
    excluded = int((~keep).sum())
    # filter only when a row goes: a filter copies every column (1.7 GB at 2M tickets)
    if excluded:
        tickets = tickets.loc[keep]
    tickets = tickets.reset_index(drop=True)
    if not len(tickets):
        if start is None and end is None:
            raise CommlibError(key="report.error.no_tickets", params={"rows": excluded})
        raise _NoTicketsInPeriod(
            key="report.error.no_tickets_period",
            params={
                "rows": excluded,
                "start": fmt_date(start) if start is not None else None,
                "end": fmt_date(end) if end is not None else None,
            },
        )

    # labels drawn into charts (tick labels, panel titles) never pass the text guard,
    # which only reads the HTML and the workbook: mask them before any section uses them
    tickets = masked_labels(tickets, by)
    ctx = _Context(
        tickets=tickets,
        lang=lang,
        by=by,
        random_state=random_state,
        options=options,
        cleaned=cleaned,
        excluded=excluded,
        has_dates=has_dates,
        as_of=tickets["created_at"].max() if has_dates else None,
    )
    built: list[ReportSection] = []
    release_memory()  # the cleaning's intermediates, before the first section
    for i, name in enumerate(wanted, start=1):
        if progress:
            progress(
                t(
                    "report.progress",
                    lang,
                    i=i,
                    n=len(wanted),
                    title=t(f"report.section.{name}", lang),
                )
            )
        t0 = time.perf_counter()
        ctx.cache.setdefault("_started", {})[name] = t0
        try:
            rows = len(tickets)
            if name in ROW_CAPS:  # reads at most max_tickets rows
                cap = ctx.opt(name, "max_tickets", ROW_CAPS[name])
                rows = min(rows, cap) if cap is not None else rows
            short = memory_shortfall(name, rows, lang)
            if not has_dates and name in NEEDS_DATES:
                section = skip(name, lang, t("report.need_dates", lang))
            elif short is not None:
                logger.warning("section %s skipped: %s", name, short)
                section = skip(name, lang, short)
            else:
                section = BUILDERS[name](ctx)
        except MemoryError:
            release_memory()  # what the section had built is garbage now
            reason = out_of_memory(name, len(tickets), lang)
            logger.error("section %s ran out of memory at %d tickets", name, len(tickets))
            section = skip(name, lang, reason)
        except SectionOutOfTime as err:
            logger.warning("section %s stopped: %s", name, err)
            section = skip(name, lang, out_of_time(err, lang))
        except CommlibError as err:
            logger.warning("section %s skipped: %s", name, err)
            section = skip(name, lang, t("report.failed", lang, error=err.render(lang)))
        except Exception as err:  # a section's failure must not lose the others
            logger.exception("section %s failed", name)
            error = f"{type(err).__name__}: {err}"
            section = skip(name, lang, t("report.failed", lang, error=error))
        section = masked_section(section)
        release_memory()  # a section's intermediates go before the next one starts
        built.append(dataclasses.replace(section, seconds=round(time.perf_counter() - t0, 3)))
        logger.info("report section %s: %.2f s", name, built[-1].seconds)

    from commlib import __version__

    source = tickets.attrs.get("source") or (
        df.attrs.get("source") if isinstance(df, pd.DataFrame) else None
    )
    meta = {
        "source": source,
        "rows": len(tickets),
        "start": tickets["created_at"].min() if has_dates else None,
        "end": tickets["created_at"].max() if has_dates else None,
        "as_of": ctx.as_of,
        "no_dates": [s.id for s in built if s.id in NEEDS_DATES and not has_dates],
        "actions": action_lines(built, ctx),
        "generated": pd.Timestamp.now().floor("s"),
        "by": by,
        "version": __version__,
    }
    return Report(
        title=title if title is not None else t("report.title", lang),
        lang=lang,
        sections=tuple(built),
        meta=meta,
    )
