"""Parquet and JSON files, with every cell turned into text."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from commlib.io._common import input_error
from commlib.io._encoding import _detect_encoding, _undecodable
from commlib.io._sources import _Source


def _read_parquet(src: _Source) -> pd.DataFrame:
    try:
        df = pd.read_parquet(src.binary())
    except Exception as err:  # pyarrow.ArrowInvalid and friends
        raise input_error("io.parquet_unreadable", name=src.name, reason=str(err)) from err
    df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    return _as_strings(df)


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _as_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Turn every column into the ``str`` dtype, keeping missing values missing."""
    out = {}
    for i in range(df.shape[1]):
        values = df.iloc[:, i]
        if values.dtype == object:
            values = values.map(_json_cell)
        out[i] = values.astype("str")
    result = pd.DataFrame(out, index=df.index)
    result.columns = list(df.columns)
    return result


def _read_json(src: _Source, *, fmt: str, encoding: str | None) -> tuple[pd.DataFrame, str]:
    if encoding is None:
        encoding, _ = _detect_encoding(src)
    data = src.all_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise _undecodable(src, {encoding: err}) from err
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise input_error("io.empty", name=src.name)
    # Numbers are kept as their exact text: ids and phone numbers must not turn to floats.
    loads_kw = {"parse_int": str, "parse_float": str, "parse_constant": str}
    if fmt == "jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line, **loads_kw)
            except json.JSONDecodeError as err:
                raise input_error(
                    "io.jsonl_bad_line", name=src.name, line=number, reason=err.msg
                ) from err
            records.append(record)
    else:
        try:
            payload = json.loads(text, **loads_kw)
        except json.JSONDecodeError as err:
            raise input_error(
                "io.json_invalid", name=src.name, line=err.lineno, reason=err.msg
            ) from err
        records = _json_records(payload, src.name)
    if records and not all(isinstance(r, dict) for r in records):
        raise input_error("io.json_not_records", name=src.name)
    if not records:
        raise input_error("io.json_no_records", name=src.name)
    records = [{key: _json_cell(value) for key, value in r.items()} for r in records]
    return _as_strings(pd.DataFrame.from_records(records)), encoding


def _json_records(payload: Any, name: str) -> list:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        lists = [v for v in payload.values() if isinstance(v, list)]
        if len(lists) == 1:  # {"data": [...], "total": 3} as APIs return
            return lists[0]
    raise input_error("io.json_not_list", name=name)
