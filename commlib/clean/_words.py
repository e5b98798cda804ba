"""Words for the facts cleaning hands back: rejection reasons, log notes, step names.

The pipeline records facts only (``reason_code``, ``reason_column``, ``reason_value``
on rejected rows; ``note_code`` and ``note_params`` in the log). This module turns them
into words from the catalogue (``commlib/_catalogue/_clean.py``), in the language the
caller asks for, so a report can show one cleaning run in Chinese or in English.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, has, t

#: How many unknown category labels a log note names.
_EXAMPLES = 5
#: Separates several facts about one rejected row in the ``reason_*`` columns.
FACT_SEP = "; "
#: Separates the columns of one fact (``"text, title"``: both were empty).
COLUMN_SEP = ", "


def _join(values, lang: str) -> str:
    return t("common.list_sep", lang).join(str(v) for v in values)


#: Note figures that hold column names: shown by their label in the reader's language.
_COLUMN_PARAMS = ("columns", "column", "required")


def _col(name, lang: str) -> str:
    """A column's name as a reader sees it: in Chinese, its label when commlib knows it.

    English text keeps the canonical name (``created_at``), which is English already.
    """
    if lang != "zh":
        return str(name)
    from commlib.schema import label

    return label(str(name), lang)


def finish_params(params: Mapping) -> dict:
    """Note figures as the log keeps them: unknown labels become a count and examples."""
    out = dict(params)
    if "unknown_labels" in out:
        labels = list(out.pop("unknown_labels"))
        out["unknown"] = len(labels)
        out["examples"] = labels[:_EXAMPLES]
    return out


def _window(window, lang: str) -> str:
    """``"3D"`` -> ``3 天`` / ``3 days``: a time span in words."""
    try:
        secs = pd.Timedelta(window).total_seconds()
    except (TypeError, ValueError):
        return str(window)
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if secs and secs % size == 0:
            return t(f"clean.window.{unit}", lang, n=int(secs // size))
    return t("clean.window.seconds", lang, n=f"{secs:g}")


def render_note(code: str, params: Mapping | None, lang: str = "zh") -> str:
    """One log note in ``lang`` from its code and figures.

    Examples
    --------
    >>> render_note("address_key", {"addresses": 12, "keys": 9}, "en")
    '12 distinct addresses -> 9 distinct keys'
    >>> render_note("address_key", {"addresses": 12, "keys": 9}, "zh")
    '12 个不同地址 → 9 个地址键'
    """
    check_lang(lang)
    p = finish_params(params or {})
    fields: dict = {}
    for key, value in p.items():
        if key in _COLUMN_PARAMS:
            value = (
                [_col(v, lang) for v in value]
                if isinstance(value, list | tuple)
                else (_col(value, lang))
            )
        fields[key] = _join(value, lang) if isinstance(value, list | tuple) else value
    if code == "dates_parsed":
        sep = t("clean.note.sep", lang)
        fields["details"] = sep.join(
            t(
                "clean.note.dates_column",
                lang,
                column=_col(col, lang),
                unreadable=p.get("unreadable", {}).get(col, 0),
                out_of_range=p.get("out_of_range", {}).get(col, 0),
            )
            for col in p.get("columns", [])
        )
    elif code == "categories":
        examples = p.get("examples", [])
        if examples:
            more = t("clean.note.more", lang) if p.get("unknown", 0) > len(examples) else ""
            values = _join([repr(e) for e in examples], lang) + more
            fields["examples"] = t("clean.note.examples", lang, values=values)
        else:
            fields["examples"] = ""
    elif code == "repeats":
        fields["window"] = _window(p.get("window"), lang)
    elif code == "cells_masked":
        hits = [f"{col} {n}" for col, n in p.get("by_column", {}).items() if n]
        values = _join(hits, lang)
        fields["details"] = t("clean.note.cells_detail", lang, values=values) if hits else ""
    elif code in ("identity_hash", "identity_drop"):
        parts = []
        for col, how in p.get("found", {}).items():
            if how.get("by") == "content":
                share = f"{100 * how.get('share', 0):.0f}"
                parts.append(t("clean.note.identity_by_content", lang, column=col, share=share))
            else:
                parts.append(t("clean.note.identity_by_header", lang, column=col))
        fields["details"] = _join(parts, lang)
    return t(f"clean.note.{code}", lang, **fields)


def step_label(step: str, lang: str = "zh") -> str:
    """The name of a cleaning step in ``lang`` (the step's code if it has none)."""
    key = f"clean.step.{step}"
    return t(key, lang) if has(key) else str(step)


def render_reason(code: str, column: str, value, row, lang: str = "zh") -> str:
    """One fact about a rejected row in ``lang``.

    Examples
    --------
    >>> render_reason("bad_date", "created_at", "2024-13-45", 4, "en")
    "created_at unreadable date '2024-13-45' (row 4)"
    >>> render_reason("empty_text", "text, title", None, 8, "zh")
    '诉求内容 与 标题 均为空 (行 8)'
    """
    key = f"clean.reason.{code}"
    columns = [_col(c, lang) for c in str(column).split(COLUMN_SEP)]
    column = columns[0]
    if len(columns) > 1 and has(f"{key}.all"):
        key = f"{key}.all"
        column = t("clean.reason.and", lang).join(columns)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        value = ""
    return t(key, lang, column=column, value=value, row=row)


def describe_rejections(rejected: pd.DataFrame, *, lang: str = "zh") -> pd.Series:
    """The reason of each rejected row, in words, from its structured columns.

    :func:`clean_tickets` sets rows aside with the facts ``reason_code`` (what is
    wrong: ``missing_date``, ``bad_date``, ``date_out_of_range``, ``empty_text``),
    ``reason_column`` (where) and ``reason_value`` (the cell as written), next to
    ``source_row``. This renders them in ``lang``, for a report or a workbook. A row
    with several problems (a missing ``created_at`` and an unreadable ``closed_at``)
    holds its facts ``"; "``-joined; each is rendered, the value read from the row's
    own cell.

    Parameters
    ----------
    rejected : pandas.DataFrame
        :attr:`CleanResult.rejected`, or any frame with ``source_row``,
        ``reason_code``, ``reason_column`` and ``reason_value``.
    lang : {"zh", "en"}, default "zh"
        Language of the words.

    Returns
    -------
    pandas.Series
        One reason per row (``str`` dtype), same index, named ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> from commlib.clean import clean_tickets
    >>> df = pd.DataFrame({"created_at": ["2024-03-05", "2024-13-45"], "text": ["漏水", "噪音"]})
    >>> rejected = clean_tickets(df, mask=False).rejected
    >>> describe_rejections(rejected, lang="en").tolist()
    ["created_at unreadable date '2024-13-45' (row 2)"]
    >>> describe_rejections(rejected).tolist()
    ["受理时间 无法识别的日期 '2024-13-45' (行 2)"]
    """
    check_lang(lang)
    from commlib.errors import require_columns

    need = ["source_row", "reason_code", "reason_column", "reason_value"]
    require_columns(rejected, need, where="describe_rejections")
    sep = t("clean.reason.sep", lang)
    codes = rejected["reason_code"].astype("str").to_numpy(dtype=object, na_value="")
    columns = rejected["reason_column"].astype("str").to_numpy(dtype=object, na_value="")
    values = rejected["reason_value"].to_numpy(dtype=object)
    rows = rejected["source_row"].to_numpy(dtype=object)
    out = np.empty(len(rejected), dtype=object)
    # A rejected table is small next to the tickets; words are written per row.
    for i in range(len(rejected)):
        facts = codes[i].split(FACT_SEP)
        if len(facts) == 1:
            out[i] = render_reason(facts[0], columns[i], values[i], rows[i], lang)
            continue
        cols = columns[i].split(FACT_SEP)
        parts = []
        for code, col in zip(facts, cols, strict=False):
            value = rejected[col].iloc[i] if col in rejected.columns else None
            value = None if value is None or pd.isna(value) else str(value)
            parts.append(render_reason(code, col, value, rows[i], lang))
        out[i] = sep.join(parts)
    return pd.Series(out, index=rejected.index, name="reason", dtype="str")


def describe_log(log: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """The cleaning log with its notes written in ``lang`` and a ``label`` per step.

    Parameters
    ----------
    log : pandas.DataFrame
        :attr:`CleanResult.log` (``step``, ..., ``note_code``, ``note_params``).
    lang : {"zh", "en"}, default "zh"
        Language of the words.

    Returns
    -------
    pandas.DataFrame
        A copy with ``note`` re-rendered and ``label`` (the step's name in ``lang``)
        right after ``step``.

    Examples
    --------
    >>> import pandas as pd
    >>> from commlib.clean import clean_tickets
    >>> log = clean_tickets(pd.DataFrame({"text": ["漏水"]}), mask=False).log
    >>> describe_log(log, lang="en").set_index("step").loc["parse_dates", ["label", "note"]].tolist()
    ['Date parsing', 'skipped: no date columns']
    >>> describe_log(log).set_index("step").loc["parse_dates", ["label", "note"]].tolist()
    ['日期解析', '已跳过：无日期列']
    """
    check_lang(lang)
    from commlib.errors import require_columns

    require_columns(log, ["step", "note_code", "note_params"], where="describe_log")
    out = log.copy()
    notes = [
        render_note(code, params, lang)
        for code, params in zip(out["note_code"], out["note_params"], strict=True)
    ]
    out["note"] = pd.Series(notes, index=out.index, dtype="str")
    labels = [step_label(s, lang) for s in out["step"]]
    if "label" in out.columns:
        out = out.drop(columns="label")
    out.insert(int(out.columns.get_loc("step")) + 1, "label", pd.Series(labels, index=out.index))
    return out
