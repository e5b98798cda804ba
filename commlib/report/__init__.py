"""The automatic statistics report: one call (or one command) from a ticket export to a
self-contained HTML page and an Excel workbook.

:func:`build_report` cleans the tickets (unless they are clean already), keeps the
period asked for and builds the sections below, each from the library's own functions.
A section whose columns are missing is skipped with a sentence saying why; it never
stops the others.

==================  ===========================================================  ==========================
section id          what it shows                                                needs
==================  ===========================================================  ==========================
``overview``        tickets, period, places, closure rate and time, satisfaction  ``created_at``
``pareto``          category Pareto table and chart (:func:`~commlib.pareto_table`) ``category``
``communities``     one Pareto per community (:func:`~commlib.pareto_by`)          ``category``, ``by``
``trend``           tickets per month; rising factors (:mod:`commlib.trends`)      ``created_at`` (+ ``category``)
``themes``          complaint themes from the text (:class:`~commlib.TicketClusterer`) ``text`` (200+ tickets)
``sources``         multi-category sources (:mod:`commlib.attribution`)            ``category``, ``address``
``near_misses``     near-miss alerts (:mod:`commlib.heinrich`)                     see the section
``quality``         data-quality appendix: cleaning log, rejected rows by reason  a cleaning run
==================  ===========================================================  ==========================

The result is a :class:`Report`: its tables (DataFrames), its figures (PNG bytes), the
skipped sections with their reasons, and two writers, :meth:`Report.to_html` (one file,
charts embedded as base64 PNG, CSS inline, no external resource, prints one section per
page) and :meth:`Report.to_xlsx` (one sheet per table, labelled headers, frozen header
row, fitted column widths).

Privacy: every string cell of every table, every narrative sentence and every example
ticket passes through :func:`commlib.privacy.mask_pii` before it is stored in the
report, and both writers scan what they wrote (the HTML's text, every workbook cell)
with :func:`commlib.privacy.find_pii`, the detector that masking uses; if anything is
found the file is deleted and :class:`ReportPrivacyError` is raised.

Every word (headings, sentences, captions, column labels, reasons) comes from the
catalogue's ``report.*`` keys (:mod:`commlib._catalogue`), in the ``lang`` asked for.

Inside the package, one job per module:

==========================  ==========================================================
``_model.py``               :class:`Report`, :class:`ReportSection`, :func:`build_report`
``_sections.py``            section builders (overview, Pareto, communities, themes,
                            sources, data quality)
``_sections_time.py``       section builders over time (monthly trend, near misses)
``_guard.py``               the personal-data guard: masking, :func:`scan_outputs`,
                            :func:`check_no_personal_data`
``_html.py``                the HTML writer (``templates/report.html.j2``, autoescaped)
``_xlsx.py``                the workbook writer
``_format.py``              numbers, dates, labels and :func:`figure_png`
==========================  ==========================================================
"""

from __future__ import annotations

from commlib.report._format import figure_png
from commlib.report._guard import (  # noqa: F401 (constants kept at their 0.1.0 path)
    SCANNABLE,
    ReportPrivacyError,
    check_no_personal_data,
    scan_outputs,
)
from commlib.report._html import HTML_MAX_ROWS  # noqa: F401
from commlib.report._model import (
    DEFAULT_SECTIONS,
    SECTIONS,
    Report,
    ReportSection,
    build_report,
)
from commlib.report._sections import (  # noqa: F401
    MAX_COMMUNITY_PANELS,
    MIN_THEME_TICKETS,
    THEME_COMPONENTS,
    THEME_FIT_SAMPLES,
)

__all__ = [
    "DEFAULT_SECTIONS",
    "SECTIONS",
    "Report",
    "ReportPrivacyError",
    "ReportSection",
    "build_report",
    "check_no_personal_data",
    "figure_png",
    "scan_outputs",
]
