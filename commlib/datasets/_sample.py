"""The bundled sample in ``data/sample/``: how it is written and how it is loaded."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from commlib.datasets import _cases, _evaluation, _ledgers
from commlib.datasets._generator import make_events, make_tickets
from commlib.errors import CommlibError

logger = logging.getLogger(__name__)

#: Seed, size and period of the bundled sample.
SAMPLE_SEED = 0
SAMPLE_N = 20_000
SAMPLE_START = "2024-01-01"
SAMPLE_MONTHS = 18
#: Rows in the GB18030 and XLSX subsets.
SUBSET_N = 2_000

#: Sample name -> file name in ``data/sample/``.
SAMPLE_FILES: dict[str, str] = {
    "tickets": "tickets.csv",
    "tickets_gb18030": "tickets_gb18030.csv",
    "tickets_xlsx": "tickets.xlsx",
    "events": "events.csv",
}
#: Further sample tables (ledgers, surveys, courses ...): name -> (file name, builder).
#: Each builder lives in the module of the notebooks that use it.
TABLE_SAMPLES = {**_cases.SAMPLES, **_ledgers.SAMPLES, **_evaluation.SAMPLES}
SAMPLE_FILES.update({name: file_name for name, (file_name, _) in TABLE_SAMPLES.items()})
SAMPLE_NAMES: tuple[str, ...] = tuple(SAMPLE_FILES)

# Fixed time stamp written into the workbook, so the same data gives the same bytes.
_XLSX_STAMP = (2025, 7, 1, 0, 0, 0)


class UnknownSampleError(CommlibError, ValueError):
    """``load_sample`` was asked for a name that is not one of :data:`SAMPLE_NAMES`."""


def sample_dir() -> Path:
    """Return ``data/sample/`` of the repository commlib was imported from.

    It is the folder next to the ``commlib`` package; it does not exist when commlib
    was installed from a wheel.
    """
    return Path(__file__).resolve().parent.parent.parent / "data" / "sample"


def _sample_tickets() -> pd.DataFrame:
    return make_tickets(
        SAMPLE_N,
        random_state=SAMPLE_SEED,
        start=SAMPLE_START,
        months=SAMPLE_MONTHS,
        headers="12345",
        hot_events=True,
    )


def _subset(tickets: pd.DataFrame, *, seed: int, with_markup: int = 0) -> pd.DataFrame:
    """A fixed random subset of rows in file order; ``with_markup`` rows carry line breaks."""
    rng = np.random.default_rng(seed)
    n = min(SUBSET_N, len(tickets))
    chosen = np.zeros(len(tickets), dtype=bool)
    if with_markup:
        text = tickets.iloc[:, 7]
        marked = np.flatnonzero(
            text.str.contains("_x000D_", regex=False) | text.str.contains("\t", regex=False)
        )
        take = min(with_markup, len(marked), n)
        chosen[rng.choice(marked, size=take, replace=False)] = True
    rest = np.flatnonzero(~chosen)
    chosen[rng.choice(rest, size=n - int(chosen.sum()), replace=False)] = True
    return tickets.loc[chosen].reset_index(drop=True)


def _csv_bytes(df: pd.DataFrame, encoding: str) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode(encoding)


def _xlsx_bytes(df: pd.DataFrame) -> bytes:
    """An XLSX workbook (one sheet, ``工单``) with fixed time stamps.

    openpyxl writes text as it is: a literal ``_x000D_`` stays in the cell (readers do
    not turn it back into a carriage return), ``\\n`` and ``\\t`` survive, but a real
    ``\\r`` is lost when the XML is read back (XML normalises line ends).
    """
    raw = io.BytesIO()
    with pd.ExcelWriter(raw, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name="工单")
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    y, mo, d, h, mi, sec = _XLSX_STAMP
    stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}Z"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    head = text.index(f"<{tag}")
                    body = text.index(">", head) + 1
                    tail = text.index(f"</{tag}>", body)
                    text = text[:body] + stamp + text[tail:]
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=_XLSX_STAMP)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return out.getvalue()


def _file_bytes(name: str, tickets: pd.DataFrame | None = None) -> bytes:
    """The exact bytes of one bundled file, regenerated from the seed."""
    if name == "events":
        return _csv_bytes(make_events(start=SAMPLE_START, months=SAMPLE_MONTHS), "utf-8")
    if name in TABLE_SAMPLES:
        return _csv_bytes(TABLE_SAMPLES[name][1](), "utf-8")
    if tickets is None:
        tickets = _sample_tickets()
    if name == "tickets":
        return _csv_bytes(tickets, "utf-8-sig")
    # the subsets are drawn from the generated rows, not the planted hot events after them
    base = tickets.iloc[:SAMPLE_N]
    if name == "tickets_gb18030":
        return _csv_bytes(_subset(base, seed=SAMPLE_SEED + 1), "gb18030")
    if name == "tickets_xlsx":
        return _xlsx_bytes(_subset(base, seed=SAMPLE_SEED + 2, with_markup=150))
    raise _unknown(name)


def _unknown(name) -> UnknownSampleError:
    return UnknownSampleError(
        f"There is no sample called {name!r}. Valid names: "
        + ", ".join(repr(n) for n in SAMPLE_NAMES)
        + "."
    )


def write_sample(directory) -> list[Path]:
    """Write the bundled sample files into ``directory``.

    Writes ``tickets.csv`` (20,000 tickets and 21 planted hot-event tickets, Chinese headers, UTF-8 with BOM as offices
    export for Excel, ``\\n`` line ends), ``tickets_gb18030.csv`` (a 2,000-row subset
    in GB18030), ``tickets.xlsx`` (another 2,000-row subset, some texts with a literal
    ``_x000D_`` and ``\\n\\t\\t``) and ``events.csv`` (the dated story events). The
    same commlib version always writes the same bytes. Also runnable as
    ``python -m commlib.datasets data/sample``.

    Parameters
    ----------
    directory : str or path-like
        Folder to write into; created when missing. Existing files are replaced.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from commlib.datasets import write_sample
    >>> with tempfile.TemporaryDirectory() as d:  # doctest: +SKIP
    ...     [p.name for p in write_sample(d)]
    ['tickets.csv', 'tickets_gb18030.csv', 'tickets.xlsx', 'events.csv']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    tickets = _sample_tickets()
    written = []
    for name, file_name in SAMPLE_FILES.items():
        path = folder / file_name
        path.write_bytes(_file_bytes(name, tickets))
        logger.info("wrote %s", path)
        written.append(path)
    return written


def load_sample(name: str = "tickets", *, directory=None) -> pd.DataFrame:
    """Load one of the bundled synthetic samples as a DataFrame.

    Ticket files are read with ``commlib.io.read_tickets(path, columns="12345")``, so
    they come back with canonical column names and every value still raw (strings).
    When the file is not in ``data/sample/`` (for example when commlib was installed
    from a wheel), the same bytes are regenerated in memory from the fixed seed and
    read the same way; a log message says so.

    Parameters
    ----------
    name : str, default "tickets"
        One of the 13 samples (``SAMPLE_NAMES``):

        - ``tickets``: the 20,000-ticket sample (UTF-8 CSV with BOM), followed by the
          21 tickets of the planted hot events;
        - ``tickets_gb18030``: a 2,000-row subset in GB18030;
        - ``tickets_xlsx``: a 2,000-row subset as an Excel workbook;
        - ``events``: dated interventions and incidents behind the planted stories
          (``date`` parsed to datetime);
        - ``merchant_requests``: the café street's merchants' requests (notebook 03);
        - ``cafe_survey``: the café street's resident survey (notebook 03);
        - ``problems``, ``needs``, ``services``: the three lists (问题清单, 需求清单,
          服务清单; see :func:`commlib.ledger.read_ledger`);
        - ``departments``: the duty list (权责清单) of the departments, for
          :class:`commlib.dispatch.TicketRouter`;
        - ``project_surveys``, ``projects``: residents' ratings of community projects
          and the projects' goals (:func:`commlib.evaluation.scorecard`);
        - ``training_courses``: a training catalogue with overlapping courses
          (:func:`commlib.courses.find_overlaps`).

        Ticket samples come back raw (strings), the others as plain tables.
    directory : str or path-like, optional
        Folder to read from instead of the repository's ``data/sample/``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    UnknownSampleError
        If ``name`` is not one of the names above (the message lists them).

    Examples
    --------
    >>> from commlib.datasets import load_sample
    >>> ev = load_sample("events")
    >>> ev[["date", "story"]].iloc[0].tolist()
    [Timestamp('2024-06-03 00:00:00'), 'noodle_stall']
    >>> len(SAMPLE_NAMES)
    13
    >>> load_sample("tickets").shape  # doctest: +SKIP
    (20021, 20)
    """
    if name not in SAMPLE_FILES:
        raise _unknown(name)
    folder = Path(directory) if directory is not None else sample_dir()
    path = folder / SAMPLE_FILES[name]
    source: Path | io.BytesIO
    if path.is_file():
        source = path
    else:
        logger.info(
            "%s not found; regenerating sample %r in memory from seed %d",
            path,
            name,
            SAMPLE_SEED,
        )
        source = io.BytesIO(_file_bytes(name))
    if name == "events":
        df = pd.read_csv(source, dtype="str", keep_default_na=False, encoding="utf-8")
        df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
        return df
    if name in TABLE_SAMPLES:
        return pd.read_csv(source, encoding="utf-8")
    from commlib.io import read_tickets

    return read_tickets(source, columns="12345")
