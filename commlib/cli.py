"""The ``commlib`` command line: ``commlib report INPUT`` builds the statistics report.

This module is the only place in commlib that prints. Run ``commlib report --help``
(or ``python -m commlib report --help``) for the options.

Language: every subcommand takes ``--lang zh|en`` for its progress lines, its errors
and (for ``report``) the report itself. The default comes from the locale: ``LC_ALL``,
``LC_MESSAGES`` or ``LANG`` (the first one set) starting with ``zh`` gives Chinese,
``en`` gives English, anything else Chinese.

Exit codes
----------
0   the report was written
1   an unexpected error (a bug): run again with ``--debug`` and report the traceback
2   a usage error: an unknown option, section, language or date
3   the input cannot be used: the file is missing, empty, unreadable or lacks the
    columns; no ticket falls in the period; the output cannot be written; or personal
    data was found in the report (nothing is written then)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import textwrap
import time
import traceback
from pathlib import Path

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3

_PRESETS = ("auto", "12345", "311", "board", "boston")

#: What --output may name besides a folder.
_HTML_SUFFIXES = (".html", ".htm")

_DESCRIPTION = """\
Build the automatic statistics report of a ticket export (12345 hotline work orders,
US 311 service requests, message-board posts): one self-contained HTML file that opens
offline and prints well, and with --xlsx an Excel workbook with one sheet per table.
Personal data is masked; the report is checked for phone numbers, ID numbers and
plates before it is written.

根据工单导出文件自动生成统计分析报告：一个可离线打开、可直接打印的 HTML 文件；
加 --xlsx 另存一个 Excel 工作簿（每张表一个工作表）。报告中的个人信息均已脱敏。
"""

_EPILOG = """\
sections (default: all of them, in this order):
  overview     tickets, period, places, closure rate and time, satisfaction
  pareto       category Pareto: the vital few
  communities  one Pareto per community (--by)
  trend        tickets per month and the categories whose share is rising
  themes       complaint themes from the ticket text, with masked examples
  sources      places behind several kinds of complaint (attribution)
  near_misses  near-miss alerts (Heinrich's pyramid)
  hot_issues   events many tickets report, ranked by heat (TipDM format)
  service      days to close, backlog, on-time share; repeat callers counted
  replies      reply quality per department, weakest and copy-paste replies
  quality      appendix: cleaning log and rejected rows by reason
  A section whose columns are missing is skipped, with a line saying why.

examples:
  commlib report 工单导出.xlsx --columns 12345 --output reports/ --xlsx
  commlib report 311_requests.csv --columns 311 --lang en --from 2024-01-01 --to 2024-06-30
  commlib report tickets.csv --sections overview,pareto,trend --output 月报.html

exit codes:
  0  the report was written
  1  unexpected error (a bug): run again with --debug and report what it prints
  2  usage error: unknown option, section, language or date
  3  input problem: file missing, empty, unreadable or without the needed columns;
     no ticket in the period; output not writable; personal data found in the report
"""


class _UsageError(Exception):
    """A command-line value that argparse cannot check by itself, said in either language."""

    def __init__(self, key: str | None = None, message: str | None = None, **params):
        self.key, self.params = key, params
        super().__init__(message if key is None else self.render("en"))

    def render(self, lang: str) -> str:
        if self.key is None:
            return str(self)
        from commlib._catalogue import t

        return t(self.key, lang, **self.params)


def default_lang(environ=None) -> str:
    """The language of the locale: ``zh`` or ``en`` (``zh`` when unsure).

    Examples
    --------
    >>> default_lang({"LANG": "en_US.UTF-8"}), default_lang({"LANG": "C.UTF-8"})
    ('en', 'zh')
    >>> default_lang({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"})
    'zh'
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            value = value.lower()
            if value.startswith("zh"):
                return "zh"
            if value.startswith("en"):
                return "en"
            return "zh"
    return "zh"


def _add_lang(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help=f"language of {what} (default: from the locale, LANG/LC_ALL; zh when unsure)",
    )


def _parser() -> argparse.ArgumentParser:
    from commlib import __version__

    parser = argparse.ArgumentParser(
        prog="commlib",
        description="commlib: turn complaint tickets into decisions.",
    )
    parser.add_argument("--version", action="version", version=f"commlib {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    rep = sub.add_parser(
        "report",
        help="build the HTML (and Excel) statistics report of a ticket file",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan = sub.add_parser(
        "scan",
        help="check files (HTML, XLSX, notebooks, CSV) for residents' personal data",
        description="Check files that are about to be shared for phone numbers, ID "
        "numbers, plates, names, bank cards and e-mail addresses. Folders are searched.",
        epilog="exit codes:\n  0  nothing personal found\n  2  usage error\n"
        "  3  personal data found (the files are listed), or a path cannot be read",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    nbk = sub.add_parser(
        "notebook",
        help="run a teaching notebook on your own ticket file (writes .ipynb and .html)",
        description="Run one teaching notebook (e.g. 00-quickstart) on your file through "
        "its parameters cell. Parts that need columns your file lacks are skipped with a "
        "line saying which.",
    )
    nbk.add_argument("name", metavar="NAME", help="notebook name or number: 00-quickstart, 00")
    nbk.add_argument("--data", metavar="FILE", help="your ticket file (default: the sample)")
    nbk.add_argument(
        "--columns",
        metavar="PRESET|FILE.json",
        help="header preset (auto, 12345, 311, boston, board) or a JSON file "
        '{"your header": "created_at"}',
    )
    nbk.add_argument("--sheet", metavar="NAME", help="worksheet of an Excel file")
    nbk.add_argument(
        "--output", "-o", metavar="DIR", default=".", help="folder for NAME.ipynb and NAME.html"
    )
    nbk.add_argument("--debug", action="store_true", help="show tracebacks")
    nbk.add_argument("--quiet", action="store_true", help="print only problems")
    _add_lang(nbk, "the messages")
    scan.add_argument("paths", metavar="PATH", nargs="+", help="files or folders to check")
    scan.add_argument("--debug", action="store_true", help="show tracebacks")
    scan.add_argument("--quiet", action="store_true", help="print only problems")
    _add_lang(scan, "the messages")
    rep.add_argument(
        "input",
        metavar="INPUT",
        nargs="+",
        help="ticket file: CSV, TSV, TXT, XLSX, XLS, Parquet, JSON; or several files, a "
        'folder (its ticket files) or a quoted glob such as "boston311_2015/*.csv", '
        "read one after the other into one report (every file must have the same "
        "headers; the report is named after the folder). Parquet is read in batches, "
        "the other formats one file at a time, so the whole raw table is never held",
    )
    rep.add_argument(
        "--columns",
        metavar="PRESET|FILE.json",
        help="how the file's headers map to commlib's columns: auto (the default: the "
        "preset matching most headers, printed), 12345 (Chinese hotline export), 311 "
        "(NYC-style export), boston (Boston 311 CRM export), board (message board), or a "
        'JSON file {"your header": "created_at", ...}.',
    )
    rep.add_argument(
        "--sheet",
        metavar="NAME",
        help="worksheet of an Excel file (default: the sheet whose headers match best, "
        "printed when it is not the first)",
    )
    rep.add_argument(
        "--dayfirst",
        action="store_true",
        help="read ambiguous dates day first (05/03/2024 is 5 March), as European and "
        "most non-US exports write them (default: month first, as US exports do)",
    )
    _add_lang(rep, "the report and the messages")
    rep.add_argument(
        "--from", dest="start", metavar="DATE", help="first day to include, e.g. 2024-01-01"
    )
    rep.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        help="last day to include (the whole day), e.g. 2024-12-31",
    )
    rep.add_argument(
        "--by",
        default=None,
        metavar="COLUMN",
        help="column of the per-group Pareto section: a header of the file or a "
        "canonical name (default: community)",
    )
    rep.add_argument(
        "--sections",
        metavar="A,B,C",
        help="comma-separated sections to include (default: all; see the list below)",
    )
    rep.add_argument(
        "--title", help="report title (default: 工单统计分析报告 / Ticket statistics report)"
    )
    rep.add_argument(
        "--output",
        "-o",
        metavar="DIR|FILE.html",
        help="folder to write into, or the HTML file name (default: the current folder; "
        "the file is named after the input, e.g. tickets-report.html). The folder is "
        "checked before any work; the files are written together or not at all, and "
        "never over an input file",
    )
    rep.add_argument(
        "--xlsx", action="store_true", help="also write an Excel workbook next to the HTML file"
    )
    rep.add_argument(
        "--seed", type=int, default=0, help="random seed of clustering and tests (default: 0)"
    )
    rep.add_argument(
        "--names",
        choices=("auto", "rules", "model"),
        default="auto",
        help="how person names are found when masking: auto (default: the rules, then an "
        "offline sequence model on the texts where a word still reads as a name), rules "
        "(fastest, for archives of millions; fewer names caught) or model (the model on "
        "every text; some place names masked too)",
    )
    rep.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="pandas (default): one process. dask: INPUT is a Parquet archive (a glob such "
        "as 'archive/*.parquet', a folder or a file), cleaned and masked on a Dask cluster "
        "(pip install commlib[dask]); the sections are then built on the clean tickets, "
        "which must fit in memory",
    )
    rep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: address of a running Dask scheduler, e.g. "
        "tcp://10.0.0.5:8786 (default: a local cluster of one worker process per core)",
    )
    noise = rep.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    noise.add_argument(
        "--debug", action="store_true", help="show full tracebacks and detailed log messages"
    )
    return parser


def _say(args, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr, flush=True)


def _columns(value: str | None):
    """The --columns value: None, a preset name, or the dict read from a JSON file."""
    from commlib.errors import InputFileError

    if value is None or value in _PRESETS:
        return value
    path = Path(value)
    if path.suffix.lower() != ".json" and not path.exists():
        raise _UsageError("cli.usage.columns", value=repr(value), presets=", ".join(_PRESETS))
    try:
        mapping = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as err:
        raise InputFileError(
            key="cli.mapping.missing",
            params={"path": str(path), "presets": " | ".join(_PRESETS)},
        ) from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputFileError(
            key="cli.mapping.unreadable", params={"path": str(path), "reason": str(err)}
        ) from err
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise InputFileError(key="cli.mapping.shape", params={"path": str(path)})
    return mapping


def _date(value: str | None, option: str):
    if value is None:
        return None
    import pandas as pd

    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise _UsageError("cli.usage.date", option=option, value=repr(value)) from err


def _inputs(args) -> list[str]:
    """INPUT as a list (one or more paths, globs or folders)."""
    return list(args.input) if isinstance(args.input, list | tuple) else [args.input]


def _expanded(args) -> list[str]:
    """The input files INPUT names (a glob or folder that matches nothing: as given)."""
    from commlib.errors import InputFileError
    from commlib.io._pieces import expand_inputs

    try:
        return expand_inputs(_inputs(args))
    except InputFileError:
        return _inputs(args)


def _outputs(args) -> tuple[Path, Path | None]:
    from commlib._files import safe_file_name
    from commlib.io._pieces import input_stem

    # one file: named after it; a glob, a folder or several files: after the folder
    # (archive/*.parquet -> archive-report.html) or the first file
    stem = safe_file_name(input_stem(_inputs(args)) or "tickets")
    raw = args.output or ""
    out = Path(raw) if raw else Path.cwd()
    if out.suffix.lower() in _HTML_SUFFIXES and not out.is_dir():
        html_path = out
    elif out.suffix and not out.is_dir() and not raw.endswith(("/", os.sep)):
        # -o report.pdf / -o report.xlsx: a file of another kind, not a folder to create
        raise _UsageError("cli.usage.output_type", value=repr(raw), suffix=out.suffix)
    else:
        html_path = out / f"{stem}-report.html"
    xlsx_path = html_path.with_suffix(".xlsx") if args.xlsx else None
    return html_path, xlsx_path


def _check_outputs(args, outputs: list[Path]) -> None:
    """Refuse outputs that would overwrite an input, or a folder that cannot be written.

    Runs before any work, so a long run never ends in "cannot write".
    """
    import tempfile

    from commlib._files import same_file
    from commlib.errors import InputFileError

    inputs = [Path(p) for p in _expanded(args)]
    if args.columns and Path(args.columns).suffix.lower() == ".json":
        inputs.append(Path(args.columns))
    for out in outputs:
        for src in inputs:
            if same_file(out, src):
                raise InputFileError(
                    key="cli.error.same_path", params={"output": str(out), "input": str(src)}
                )
    folder = outputs[0].parent
    probe = folder
    while not probe.exists():  # the nearest folder that exists must be a writable folder
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputFileError(
            key="cli.error.output_blocked", params={"folder": str(folder), "blocker": str(probe)}
        )
    reason = None
    if probe == folder:
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as err:
            reason = str(err.strerror or err)
    elif not os.access(probe, os.W_OK | os.X_OK):
        reason = os.strerror(13)
    if reason is not None:
        raise InputFileError(key="cli.error.write", params={"place": str(folder), "reason": reason})


class _Progress:
    """Progress on stderr: a tqdm bar on a terminal, plain lines otherwise, nothing if quiet.

    The bar has one step per stage (reading, cleaning, each section) and its clock keeps
    ticking during a long stage.
    """

    def __init__(self, args, total: int):
        self.args = args
        self.bar = None
        self._stop = None
        if args.quiet or not _stderr_is_terminal():
            return
        import threading

        from tqdm.auto import tqdm

        self.bar = tqdm(
            total=total,
            file=sys.stderr,
            bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}]",
            leave=False,
            # sizes from the terminal, or 80x24 when it does not say (tqdm hides the bar then)
            ncols=min(shutil.get_terminal_size().columns, 100),
            nrows=max(shutil.get_terminal_size().lines, 2),
        )
        self._stop = threading.Event()

        def tick():
            while not self._stop.wait(0.5):
                self.bar.refresh()

        threading.Thread(target=tick, daemon=True).start()

    def stage(self, line: str) -> None:
        """A new stage starts: a step of the bar, or the line itself."""
        if self.bar is None:
            _say(self.args, line)
            return
        if self.bar.desc:
            self.bar.update(1)
        self.bar.set_description_str(line.strip())

    def say(self, line: str) -> None:
        """A line that stays (a skipped section, a file written)."""
        if self.bar is None:
            _say(self.args, line)
        else:
            self.bar.write(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self._stop.set()
            self.bar.update(self.bar.total - self.bar.n)
            self.bar.close()
            self.bar = None


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _by_column(by: str, df, lang: str) -> str:
    """The column --by names: a column of the file, or the label of one; else an error."""
    import difflib

    from commlib.errors import InputFileError
    from commlib.schema import label

    columns = [str(c) for c in df.columns]
    if by in columns:
        return by
    for col in columns:
        if by.casefold() in (label(col, "zh").casefold(), label(col, "en").casefold()):
            return col
    names = {c: c for c in columns} | {label(c, lang): c for c in columns}
    close = difflib.get_close_matches(by, list(names), n=3, cutoff=0.4)
    close_cols = list(dict.fromkeys(names[c] for c in close))
    shown = [f"{c} ({label(c, lang)})" if label(c, lang) != c else c for c in columns]
    key = "cli.error.by_missing_close" if close_cols else "cli.error.by_missing"
    raise InputFileError(
        key=key,
        params={
            "by": by,
            "name": df.attrs.get("source") or "-",
            "close": ", ".join(close_cols),
            "columns": ", ".join(shown[:40]),
        },
    )


def _report(args) -> int:
    import matplotlib

    matplotlib.use("Agg")  # no window, no display needed: the charts go into the file

    import pandas as pd

    from commlib._catalogue import t
    from commlib.io._pieces import read_pieces
    from commlib.report import SECTIONS

    lang = args.lang
    if args.sections is not None:
        names = [s.strip() for s in args.sections.split(",") if s.strip()]
        unknown = [s for s in names if s not in SECTIONS]
        if unknown or not names:
            raise _UsageError(
                "cli.usage.sections",
                names=", ".join(map(repr, unknown)) or t("cli.usage.none_given", lang),
                choices=", ".join(SECTIONS),
            )
    else:
        names = list(SECTIONS)
    columns = _columns(args.columns)
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if start is not None and end is not None and start > end:
        raise _UsageError("cli.usage.period", start=args.start, end=args.end)
    sheet = args.sheet
    if sheet is not None and sheet.isdigit():
        sheet = int(sheet)
    html_path, xlsx_path = _outputs(args)
    outputs = [html_path] + ([xlsx_path] if xlsx_path is not None else [])
    _check_outputs(args, outputs)

    t0 = time.perf_counter()
    progress = _Progress(args, total=2 + len(names))
    try:
        progress.stage(t("cli.reading", lang, path=" ".join(_inputs(args))))
        # a report needs something to count, not necessarily dates: sections that need
        # a date column are listed as such (a column map still requires all its targets)
        required = None if isinstance(columns, dict) else [("text", "title", "category")]
        if args.engine == "dask":
            return _report_dask(args, columns, required, names, start, end, outputs, progress)
        # planned, not read: headers mapped and checked file by file; the rows are read
        # piece by piece while they are cleaned, so the raw table is never held whole
        pieces = read_pieces(_inputs(args), columns=columns, sheet=sheet, required=required)
        if len(pieces.files) > 1:
            progress.say(t("cli.files", lang, files=len(pieces.files)))
        n_rows = sum(p["rows"] for p in pieces._plans)
        progress.say(t("cli.rows", lang, rows=f"{n_rows:,}"))
        df = pd.DataFrame(columns=list(pieces.names))  # the columns, for --by
        df.attrs = dict(pieces.attrs)
        name = df.attrs.get("source", Path(_inputs(args)[0]).name)
        preset = df.attrs.get("preset")
        if df.attrs.get("preset_auto") and preset not in (None, "canonical", "custom"):
            line = t(
                "io.preset_chosen",
                lang,
                name=name,
                preset=preset,
                matched=len(df.attrs.get("column_map", {})),
            )
            progress.say("  " + line)
        if df.attrs.get("sheet_auto"):
            sheets = df.attrs.get("sheets") or [""]
            line = t(
                "cli.sheet_chosen",
                lang,
                name=name,
                sheet=repr(df.attrs["sheet"]),
                first=repr(sheets[0]),
            )
            progress.say("  " + line)
        by = "community" if args.by is None else _by_column(args.by, df, lang)
        # read_tickets gives text cells, so only an undated file with source_row is
        # taken as clean already (as before); it is read whole
        is_clean = "source_row" in df.columns and "created_at" not in df.columns
        if args.dayfirst or not is_clean:
            # cleaned here, not inside build_report, piece by piece as the pieces are
            # read (at two million tickets the raw table would hold about 1.4 GB), with
            # clean_tickets's results on the file read whole
            from commlib._util import use_system_allocator
            from commlib.clean._pieces import clean_read_pieces
            from commlib.report._model import (
                UNREAD_COLUMNS,
                _dictionary_encoded,
                _without_unread,
            )

            use_system_allocator()  # a trimmed heap: about 15% less held at 2M tickets
            progress.stage(t("report.cleaning", lang))
            data = clean_read_pieces(
                pieces,
                dayfirst=args.dayfirst,
                lang=lang,
                leave_out=UNREAD_COLUMNS,
                names=args.names,
            )
            # columns no section reads left out; repeated text columns as dictionaries
            data = _dictionary_encoded(_without_unread(data))
        else:
            data = pd.concat(list(pieces), ignore_index=True)
            data.attrs = dict(pieces.attrs)
        del df, pieces
        report = _build(
            args,
            data,
            lang=lang,
            by=by,
            sections=args.sections,
            start=start,
            end=end,
            progress=progress,
        )
        _write_report(args, report, outputs, progress)
    finally:
        progress.close()
    return _finish(args, report, outputs, t0)


def _build(args, data, *, lang, by, sections, start, end, progress, **extra):
    """``build_report`` with the command's options; a ValueError from it is a usage error.

    The sections make and drop many big arrays, so they run with NumPy's huge-page hint
    off (:func:`commlib._util.small_pages`): 1,000,000 generated tickets, build_report
    135.6 -> 125.2 s (one run each)."""
    from commlib._util import small_pages
    from commlib.errors import CommlibError
    from commlib.report import build_report

    try:
        with small_pages():
            return build_report(
                data,
                lang=lang,
                by=by,
                sections=sections,
                start=start,
                end=end,
                title=args.title,
                random_state=args.seed,
                progress=progress.stage,
                names=args.names,
                **extra,
            )
    except ValueError as err:
        if isinstance(err, CommlibError):
            raise
        raise _UsageError(message=str(err)) from err


def _write_report(args, report, outputs: list[Path], progress) -> None:
    """Say which sections were skipped, then write both files or neither."""
    from commlib._catalogue import t
    from commlib._files import staged_outputs
    from commlib.errors import CommlibError

    lang = args.lang
    for section in report.sections:
        if section.skipped is not None:
            progress.say(t("cli.skipped", lang, title=section.title, reason=section.skipped))
    html_path = outputs[0]
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        # both files are complete before either is moved into place: both or neither
        with staged_outputs(outputs) as temps:
            report.to_html(temps[0])
            if len(outputs) > 1:
                report.to_xlsx(temps[1])
    except OSError as err:
        raise CommlibError(
            key="cli.error.write",
            params={
                "place": str(err.filename or html_path.parent),
                "reason": str(err.strerror or err),
            },
        ) from err


def _report_dask(args, columns, required, names, start, end, outputs, progress) -> int:
    """``--engine dask``: read the archive as a Dask frame, clean it on a cluster."""
    import secrets

    from commlib._catalogue import t
    from commlib.errors import CommlibError

    t0 = time.perf_counter()
    lang = args.lang
    try:
        from distributed import Client, LocalCluster

        import commlib.dask as cd
    except ImportError as err:
        raise CommlibError(key="cli.error.no_dask", params={"module": err.name}) from err

    if not args.debug:  # the cluster's own progress lines are noise on this console
        for name in ("distributed", "bokeh", "tornado"):
            logging.getLogger(name).setLevel(logging.ERROR)
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        progress.say(t("cli.dask_cluster", lang, address=client.scheduler.address))
        given = _inputs(args)
        ddf = cd.read_tickets(
            given[0] if len(given) == 1 else given, columns=columns, required=required
        )
        progress.say(t("cli.partitions", lang, parts=ddf.npartitions))
        by = "community" if args.by is None else _by_column(args.by, ddf._meta, lang)
        # one salt for the whole archive, drawn here and handed to every partition
        salt = secrets.token_bytes(16)
        data = ddf
        if args.dayfirst:
            progress.stage(t("report.cleaning", lang))
            data = cd.clean_tickets(ddf, salt=salt, dayfirst=True, names=args.names)
        report = _build(
            args,
            data,
            lang=lang,
            by=by,
            sections=names,
            start=start,
            end=end,
            progress=progress,
            salt=salt,
        )
        _write_report(args, report, outputs, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        progress.close()
    return _finish(args, report, outputs, t0)


def _finish(args, report, outputs: list[Path], t0: float) -> int:
    from commlib._catalogue import has, t

    lang = args.lang
    seconds = time.perf_counter() - t0
    for path in outputs:
        _say(args, t("cli.written", lang, path=path))
    masked = report.meta.get("masked_at_output") or {}
    if masked:
        kinds = t("common.list_sep", lang).join(
            t(f"report.pii.{k}", lang) if has(f"report.pii.{k}") else k for k in masked
        )
        _say(args, t("cli.masked_at_output", lang, n=sum(masked.values()), kinds=kinds))
    _say(args, t("cli.seconds", lang, seconds=f"{seconds:.1f}"))
    return EXIT_OK


def _notebook(args) -> int:
    """``commlib notebook NAME --data FILE``: run a teaching notebook on the user's file."""
    from commlib._catalogue import t
    from commlib._notebook import run_notebook

    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet
    _say(args, t("cli.reading", args.lang, path=args.data or args.name))
    paths = run_notebook(
        args.name,
        data=args.data,
        columns=_columns(args.columns),
        sheet=sheet,
        output=args.output,
        lang=args.lang,
    )
    for path in paths:
        _say(args, t("cli.written", args.lang, path=path))
    return EXIT_OK


def _scan(args) -> int:
    from commlib._catalogue import has, t
    from commlib.report import scan_outputs

    lang = args.lang
    result = scan_outputs(args.paths)
    bad = result[~result["ok"]]
    for row in bad.itertuples():
        kinds = [k.strip() for k in row.kinds.split(",") if k.strip()]
        named = [t(f"report.pii.{k}", lang) if has(f"report.pii.{k}") else k for k in kinds]
        line = t(
            "cli.scan.found", lang, kinds=t("common.list_sep", lang).join(named), file=row.file
        )
        print(line, file=sys.stderr)
    if not args.quiet:
        print(t("cli.scan.checked", lang, n=len(result), bad=len(bad)), file=sys.stderr)
    return EXIT_INPUT if len(bad) else EXIT_OK


def _render_for_cli(err, lang: str) -> str:
    """The error in ``lang``; where the library's text advises a Python keyword
    (``format=``, ``encoding=``), the command line's own words (``cli.io.*``)."""
    from commlib._catalogue import has, t

    key = getattr(err, "key", None)
    if key and has(f"cli.{key}"):
        try:
            return t(f"cli.{key}", lang, **err.params)
        except KeyError:  # pragma: no cover - params drifted from the catalogue
            pass
    return err.render(lang)


def _error(message: str, lang: str, *, key: str = "cli.error_line") -> None:
    from commlib._catalogue import t

    text = " ".join(str(message).split())
    line = t(key, lang, message=text)
    if lang == "en":  # Chinese has no spaces to break at; a terminal wraps it
        line = textwrap.fill(line, width=100)
    print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the ``commlib`` command line and return its exit code (never raises).

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 success, 1 unexpected error, 2 usage error, 3 input or output problem.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE

    root = logging.getLogger()
    saved_level = root.level
    try:
        return _run(parser, args)
    finally:  # main() may be called in-process (tests, notebooks): leave logging as it was
        root.setLevel(saved_level)
        logging.captureWarnings(False)


def _run(parser, args) -> int:
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="commlib: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    logging.captureWarnings(True)
    if args.quiet:
        logging.getLogger().setLevel(logging.ERROR)
    if not args.debug:
        # third-party libraries' chatter (jieba's dictionary loading, fonts) is noise here
        for name in ("jieba", "matplotlib", "PIL", "py.warnings", "commlib.io"):
            logging.getLogger(name).setLevel(logging.ERROR)
    if args.lang is None:
        args.lang = default_lang()
    lang = args.lang

    from commlib._catalogue import t
    from commlib.errors import CommlibError, InputFileError, MissingColumnsError

    try:
        if args.command == "report":
            return _report(args)
        if args.command == "scan":
            return _scan(args)
        if args.command == "notebook":
            return _notebook(args)
        parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    except _UsageError as err:
        if args.debug:
            traceback.print_exc()
        message = t("cli.usage_line", lang, command=args.command, message=err.render(lang))
        print(message, file=sys.stderr)
        return EXIT_USAGE
    except CommlibError as err:
        if args.debug:
            traceback.print_exc()
        message = _render_for_cli(err, lang)
        sep = "" if lang == "zh" else " "
        if isinstance(err, InputFileError) and "Check" not in str(err) and args.command == "report":
            message += sep + t("cli.hint.input_file", lang)
        if isinstance(err, MissingColumnsError):
            message += sep + t("cli.hint.missing_columns", lang)
        _error(message, lang)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(t("cli.interrupted", lang), file=sys.stderr)
        return 130
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        message = t("cli.unexpected", lang, kind=type(err).__name__, error=str(err))
        _error(message, lang, key="cli.unexpected_line")
        return EXIT_UNEXPECTED
    return EXIT_UNEXPECTED  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
