"""The social worker's three lists and the duty list: schemas, reading, validation.

A neighbourhood social worker keeps three lists (三张清单): a problem list (问题清单),
a needs list (需求清单) whose entries may point at a problem by its id, and a service
list (服务清单) of who can help: departments, social organisations, volunteer teams,
couriers who look in on elderly residents. The duty list (权责清单) says in text what
each department is responsible for; :class:`commlib.dispatch.TicketRouter` uses it.

:func:`read_ledger` reads one list from CSV or XLSX (Chinese or English headers, the
encoding detected as :func:`commlib.io.read_tickets` does) and :func:`validate_ledger`
checks it, reporting every problem at once with the ids and the file rows:
missing columns, empty or duplicate ids, a need that refers to an unknown problem,
capacities that are not whole numbers, dates that cannot be read.
:func:`problems_from_tickets` drafts a problem list from ticket counts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang
from commlib._catalogue import t as _t
from commlib.errors import CommlibError, require_columns

KINDS = ("problems", "needs", "services", "departments")


class LedgerError(CommlibError, ValueError):
    """A ledger breaks its schema: empty or duplicate ids, unknown references, bad values.

    Attributes
    ----------
    ids : list of str
        The offending ids (duplicated ids, needs with an unknown problem, ...).
    rows : list of int
        Their rows, numbered as the user sees them in the file when the table came
        from :func:`read_ledger` (row 2 is the first data row of a CSV or sheet),
        otherwise the DataFrame index labels.
    kind : str
        Which list (``"needs"``, ...).
    issues : list of (str, dict)
        The facts behind the message: one catalogue key per problem and its values.
        ``str(err)`` is the English text; ``err.render("zh")`` the Chinese one.

    Examples
    --------
    >>> err = LedgerError(kind="needs", issues=[("ledger.issue.empty_id",
    ...                   {"column": "need_id", "rows": [3]})])
    >>> print(err.render("zh"))
    需求清单有 1 个问题：
    - need_id 为空：第 3 行
    """

    def __init__(self, message: str | None = None, *, ids=(), rows=(), kind=None, issues=()):
        self.kind = kind
        self.issues = list(issues)
        self.ids = list(ids)
        self.rows = list(rows)
        super().__init__(message if message is not None else self.render("en"))

    def render(self, lang: str = "zh") -> str:
        """The message in ``lang``: one line per problem, ids and rows listed."""
        if not self.issues:
            return str(self)
        lines = [
            _t("ledger.header", lang, list=_t(f"ledger.kind.{self.kind}", lang), n=len(self.issues))
        ]
        lines += [f"- {_render_issue(key, params, lang)}" for key, params in self.issues]
        return "\n".join(lines)


def _render_issue(key: str, params: dict, lang: str) -> str:
    """One problem of a ledger in ``lang``; lists of rows and items are joined here."""
    out = dict(params)
    if "rows" in out:
        out["rows"] = _listed(out["rows"], lang)
    if "items" in out:
        out["items"] = _listed(
            [_t(item_key, lang, **_joined(item, lang)) for item_key, item in out["items"]], lang
        )
    return _t(key, lang, **out)


def _joined(params: dict, lang: str) -> dict:
    return {
        k: (_listed(v, lang, limit=None) if isinstance(v, list) else v) for k, v in params.items()
    }


@dataclass(frozen=True)
class LedgerSchema:
    """Columns of one kind of ledger.

    Attributes
    ----------
    kind : str
        ``"problems"``, ``"needs"``, ``"services"`` or ``"departments"``.
    title : str
        The Chinese name of the list (问题清单, ...), used in messages.
    id_column : str
        The column that must be unique and non-empty.
    required : tuple of str
        Columns a ledger of this kind must have.
    optional : tuple of str
        Further columns with a known meaning (kept, typed, ordered after the required).
    headers : dict of str to str
        Chinese headers that :func:`read_ledger` maps to the column names.
    """

    kind: str
    title: str
    id_column: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """Required then optional columns, in the order tidy ledgers use."""
        return (*self.required, *self.optional)


#: The schema of each kind of ledger.
SCHEMAS: dict[str, LedgerSchema] = {
    "problems": LedgerSchema(
        kind="problems",
        title="问题清单",
        id_column="problem_id",
        required=("problem_id", "description"),
        optional=(
            "community",
            "category",
            "title",
            "source",
            "reported_on",
            "status",
            "priority",
        ),
        headers={
            "问题编号": "problem_id",
            "编号": "problem_id",
            "问题描述": "description",
            "描述": "description",
            "小区": "community",
            "所属小区": "community",
            "问题分类": "category",
            "分类": "category",
            "问题": "title",
            "标题": "title",
            "来源": "source",
            "发现日期": "reported_on",
            "登记日期": "reported_on",
            "状态": "status",
            "进展": "status",
            "优先级": "priority",
        },
    ),
    "needs": LedgerSchema(
        kind="needs",
        title="需求清单",
        id_column="need_id",
        required=("need_id", "description"),
        optional=("community", "group", "problem_id", "source", "reported_on", "urgency"),
        headers={
            "需求编号": "need_id",
            "编号": "need_id",
            "需求描述": "description",
            "需求内容": "description",
            "描述": "description",
            "小区": "community",
            "所属小区": "community",
            "人群": "group",
            "服务对象": "group",
            "关联问题": "problem_id",
            "问题编号": "problem_id",
            "征询方式": "source",
            "来源": "source",
            "登记日期": "reported_on",
            "紧迫程度": "urgency",
        },
    ),
    "services": LedgerSchema(
        kind="services",
        title="服务清单",
        id_column="service_id",
        required=("service_id", "name", "description"),
        optional=("kind", "contact_role", "capacity", "unit", "coverage"),
        headers={
            "资源编号": "service_id",
            "服务编号": "service_id",
            "编号": "service_id",
            "名称": "name",
            "资源名称": "name",
            "服务内容": "description",
            "能做什么": "description",
            "描述": "description",
            "类型": "kind",
            "联系角色": "contact_role",
            "联系岗位": "contact_role",
            "容量": "capacity",
            "服务能力": "capacity",
            "单位": "unit",
            "服务范围": "coverage",
        },
    ),
    "departments": LedgerSchema(
        kind="departments",
        title="权责清单",
        id_column="department",
        required=("department", "duties"),
        optional=("department_id", "level", "categories", "contact_role"),
        headers={
            "部门": "department",
            "部门名称": "department",
            "承办部门": "department",
            "职责": "duties",
            "权责": "duties",
            "职责描述": "duties",
            "部门编号": "department_id",
            "层级": "level",
            "常见诉求分类": "categories",
            "诉求分类": "categories",
            "联系角色": "contact_role",
            "联系岗位": "contact_role",
        },
    ),
}

_DATE_COLUMNS = ("reported_on",)
_INT_COLUMNS = ("capacity",)
_MAX_LISTED = 10


def _schema(kind: str) -> LedgerSchema:
    if kind not in SCHEMAS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}.")
    return SCHEMAS[kind]


def _row_numbers(df: pd.DataFrame, positions) -> list[int]:
    """File rows (when read from a file) or index labels of the given positions."""
    positions = np.asarray(positions, dtype=np.int64)
    first = df.attrs.get("first_data_row")
    if first is not None:
        return [int(first + p) for p in positions]
    return [int(x) if isinstance(x, np.integer | int) else x for x in df.index[positions]]


def _listed(items, lang: str = "en", limit: int | None = _MAX_LISTED) -> str:
    items = [str(x) for x in items]
    sep = _t("ledger.list_sep", lang)
    if limit is None or len(items) <= limit:
        return sep.join(items)
    return sep.join(items[:limit]) + _t("ledger.more", lang, n=len(items) - limit)


def _problem_ids(problems) -> set[str]:
    if isinstance(problems, pd.DataFrame):
        require_columns(problems, ["problem_id"], where="the problems list (问题清单)")
        values = problems["problem_id"]
    else:
        values = pd.Series(list(problems), dtype="object")
    return set(values.dropna().astype(str).str.strip())


def validate_ledger(df: pd.DataFrame, *, kind: str, problems=None) -> pd.DataFrame:
    """Check a ledger against its schema and return a tidy copy.

    Use it on a list typed by hand or exported from another system before matching or
    routing with it: every problem is reported at once, with the ids and the rows.

    Parameters
    ----------
    df : pandas.DataFrame
        The ledger, with the column names of :data:`SCHEMAS` (``read_ledger`` maps
        Chinese headers to them).
    kind : {"problems", "needs", "services", "departments"}
        Which list it is.
    problems : DataFrame or iterable of str, optional
        Needs only: the problem list (or its ids) that ``problem_id`` refers to. When
        given, a need that refers to an id not on it is an error.

    Returns
    -------
    pandas.DataFrame
        A new frame: text cells stripped (empty cells are missing), ``reported_on`` as
        datetime, ``capacity`` as nullable integers, schema columns first (required,
        then the optional ones present), then any other columns. ``df.attrs`` is kept.

    Raises
    ------
    MissingColumnsError
        A required column is missing; the message names the closest columns.
    LedgerError
        Empty ids, duplicate ids, a need referring to an unknown problem, a capacity
        that is not a non-negative whole number or a date that cannot be read. The
        message lists each problem with its ids and rows; ``err.ids`` and
        ``err.rows`` hold them.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"need_id": ["N1", "N2", "N2"],
    ...                       "description": ["助餐", "充电棚", "托管"],
    ...                       "problem_id": ["P1", "", "P9"]})
    >>> try:
    ...     validate_ledger(needs, kind="needs", problems=["P1"])
    ... except LedgerError as e:
    ...     err = e
    >>> print(err)
    needs list has 2 problem(s):
    - duplicate need_id: 'N2' (rows 1, 2)
    - problem_id not on the problems list: N2 -> 'P9' (row 2)
    >>> print(err.render("zh"))
    需求清单有 2 个问题：
    - need_id 重复：'N2'（第 1、2 行）
    - problem_id 不在问题清单上：N2 -> 'P9'（第 2 行）
    >>> validate_ledger(needs.iloc[:2], kind="needs")["problem_id"].tolist()
    ['P1', nan]
    """
    schema = _schema(kind)
    where = f"the {kind} list ({schema.title})"
    require_columns(df, list(schema.required), where=where)
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            s = s.astype("str").str.strip().where(s.notna())
            out[col] = s.mask(s == "")

    issues: list[tuple[str, dict]] = []
    bad_ids: list[str] = []
    bad_rows: list[int] = []
    idc = schema.id_column
    ids = out[idc]

    empty = np.flatnonzero(ids.isna().to_numpy())
    if len(empty):
        rows = _row_numbers(df, empty)
        issues.append(("ledger.issue.empty_id", {"column": idc, "rows": rows}))
        bad_rows.extend(rows)

    dup_mask = ids.notna() & ids.duplicated(keep=False)
    if dup_mask.any():
        parts = []
        for value, pos in pd.Series(np.arange(len(out))[dup_mask.to_numpy()]).groupby(
            ids[dup_mask].to_numpy(), sort=False
        ):
            rows = _row_numbers(df, pos.to_numpy())
            parts.append(("ledger.item.duplicate", {"value": repr(value), "rows": rows}))
            bad_ids.append(str(value))
            bad_rows.extend(rows)
        issues.append(("ledger.issue.duplicate_id", {"column": idc, "items": parts}))

    if kind == "needs" and problems is not None and "problem_id" in out.columns:
        known = _problem_ids(problems)
        ref = out["problem_id"]
        unknown = np.flatnonzero((ref.notna() & ~ref.isin(known)).to_numpy())
        if len(unknown):
            rows = _row_numbers(df, unknown)
            parts = [
                (
                    "ledger.item.unknown_problem",
                    {"id": out[idc].iloc[p], "ref": repr(out["problem_id"].iloc[p]), "row": r},
                )
                for p, r in zip(unknown, rows, strict=True)
            ]
            issues.append(("ledger.issue.unknown_problem", {"items": parts}))
            bad_ids.extend(str(out[idc].iloc[p]) for p in unknown)
            bad_rows.extend(rows)

    for col in _INT_COLUMNS:
        if col not in out.columns:
            continue
        raw = out[col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & (num.isna() | (num < 0) | (num.fillna(0) % 1 != 0))
        if bad.any():
            pos = np.flatnonzero(bad.to_numpy())
            rows = _row_numbers(df, pos)
            parts = [
                ("ledger.item.value", {"id": out[idc].iloc[p], "value": repr(raw.iloc[p])})
                for p in pos
            ]
            issues.append(("ledger.issue.not_whole", {"column": col, "items": parts, "rows": rows}))
            bad_rows.extend(rows)
        else:
            out[col] = num.astype("Int64")

    for col in _DATE_COLUMNS:
        if col not in out.columns:
            continue
        raw = out[col]
        parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
        bad = raw.notna() & parsed.isna()
        if bad.any():
            pos = np.flatnonzero(bad.to_numpy())
            rows = _row_numbers(df, pos)
            parts = [
                ("ledger.item.value", {"id": out[idc].iloc[p], "value": repr(raw.iloc[p])})
                for p in pos
            ]
            issues.append(("ledger.issue.not_date", {"column": col, "items": parts, "rows": rows}))
            bad_rows.extend(rows)
        else:
            out[col] = parsed

    if issues:
        raise LedgerError(ids=bad_ids, rows=bad_rows, kind=kind, issues=issues)

    first = [c for c in schema.columns if c in out.columns]
    out = out[first + [c for c in out.columns if c not in first]]
    out.attrs = dict(df.attrs, ledger=kind)
    return out


def read_ledger(
    source: str | os.PathLike | IO,
    *,
    kind: str,
    sheet: str | int | None = None,
    encoding: str | None = None,
    problems=None,
    validate: bool = True,
) -> pd.DataFrame:
    """Read one of the three lists (or the duty list) from a CSV or XLSX file.

    The file is read like a ticket export (:func:`commlib.io.read_tickets`): the
    format from the extension checked against the content, the encoding detected
    (UTF-8, UTF-8 with BOM, GB18030), every cell as text. Headers may be the column
    names of :data:`SCHEMAS` or the usual Chinese ones (问题编号, 需求描述, 服务内容,
    联系角色, 容量, 职责, ...).

    Parameters
    ----------
    source : str, path-like or file-like
        The file.
    kind : {"problems", "needs", "services", "departments"}
        Which list the file holds.
    sheet : str or int, optional
        Worksheet of a workbook. Default: the first.
    encoding : str, optional
        Text encoding of a CSV. Default: detected.
    problems : DataFrame or iterable of str, optional
        Needs only: the problem list the needs refer to (see :func:`validate_ledger`).
    validate : bool, default True
        Run :func:`validate_ledger`; with False the raw text columns are returned.

    Returns
    -------
    pandas.DataFrame
        The tidy ledger (see :func:`validate_ledger`). ``df.attrs`` records the
        ``source`` file, ``first_data_row`` and the ``ledger`` kind.

    Raises
    ------
    InputFileError
        The file is missing, empty or unreadable.
    MissingColumnsError
        A required column is missing (the message names the closest headers).
    LedgerError
        The content breaks the schema; the message names ids and file rows.

    Examples
    --------
    >>> import io
    >>> csv = "需求编号,需求描述,关联问题\\nN1,希望有助餐点,\\nN1,希望建充电棚,P7\\n"
    >>> try:
    ...     read_ledger(io.StringIO(csv), kind="needs")
    ... except LedgerError as err:
    ...     print(err.ids, err.rows)
    ['N1'] [2, 3]
    >>> read_ledger(io.StringIO(csv.replace("N1,希望建", "N2,希望建")), kind="needs").columns.tolist()
    ['need_id', 'description', 'problem_id']
    """
    from commlib.io import read_tickets

    schema = _schema(kind)
    mapping = {c: c for c in schema.columns} | dict(schema.headers)
    df = read_tickets(
        source, columns=mapping, sheet=sheet, encoding=encoding, required=schema.required
    )
    df.attrs["ledger"] = kind
    if not validate:
        return df
    return validate_ledger(df, kind=kind, problems=problems)


def problems_from_tickets(
    tickets: pd.DataFrame,
    *,
    by: str = "community",
    category: str = "category",
    text: str = "text",
    date: str = "created_at",
    threshold: float = 0.5,
    min_count: int = 20,
    n_terms: int = 3,
    lang: str = "zh",
) -> pd.DataFrame:
    """Draft a problem list (问题清单) from tickets: each place's vital few categories.

    For each value of ``by`` (a compound, a street), the categories that together make
    up ``threshold`` of its tickets, largest first, become draft problems, with the
    most distinctive words of their tickets as a description. The draft is for the
    social worker to check and edit, not a finished list.

    Parameters
    ----------
    tickets : pandas.DataFrame
        Cleaned tickets (``clean_tickets(raw).tickets``).
    by : str, default "community"
        Column of the place.
    category, text, date : str
        Columns of the category, the (masked) ticket text and the creation time.
    threshold : float, default 0.5
        Cumulative share of a place's tickets the drafted categories reach. A category
        is kept while the share before it is below the threshold.
    min_count : int, default 20
        Categories with fewer tickets in a place are never drafted.
    n_terms : int, default 3
        Words in each description.
    lang : {"zh", "en"}, default "zh"
        Language of the drafted ``description``, ``source``, ``status`` and
        ``priority`` (待核实 / 高 / 中, or "to check" / "high" / "medium").

    Returns
    -------
    pandas.DataFrame
        In the problems schema: ``problem_id`` (``T001``, ... by place then size),
        ``description``, ``community``, ``category``, ``title``, ``source``
        (``"12345工单"``), ``reported_on`` (first ticket), ``status`` (``"待核实"``),
        ``priority`` (``"高"`` for the top category of a place, else ``"中"``), and
        ``tickets`` (the count).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({
    ...     "community": ["锦岚苑"] * 5 + ["兰亭苑"] * 2,
    ...     "category": ["快递物流"] * 4 + ["噪音扰民"] * 3,
    ...     "text": ["快递丢失", "快递堆在门口", "快递丢失", "快递丢失", "楼上吵", "楼上吵", "装修吵"],
    ...     "created_at": pd.date_range("2024-01-01", periods=7, freq="D"),
    ... })
    >>> draft = problems_from_tickets(t, min_count=2)
    >>> draft[["problem_id", "community", "category", "tickets"]].values.tolist()
    [['T001', '兰亭苑', '噪音扰民', 2], ['T002', '锦岚苑', '快递物流', 4]]
    >>> draft.loc[1, "description"]
    '4张12345工单，常见词：快递丢失、堆、快递'
    """
    check_lang(lang)
    require_columns(tickets, [by, category, text, date], where="the tickets")
    from commlib.text import Tokenizer, count_terms

    t = tickets[[by, category, text, date]].dropna(subset=[by, category])
    counts = t.groupby([by, category], sort=True).size().rename("tickets").reset_index()
    counts = counts.sort_values([by, "tickets", category], ascending=[True, False, True])
    total = counts.groupby(by)["tickets"].transform("sum")
    before = counts.groupby(by)["tickets"].cumsum() - counts["tickets"]
    keep = (before / total < threshold) & (counts["tickets"] >= min_count)
    draft = counts[keep].reset_index(drop=True)
    if draft.empty:
        return pd.DataFrame(columns=[*SCHEMAS["problems"].columns, "tickets"])

    # words over-represented in the category's tickets compared with all tickets of the
    # same place: road and compound names, common to every category there, drop out
    import scipy.sparse as sp

    texts = t[text].fillna("").astype(str).to_numpy(dtype=object).tolist()
    tc, terms = count_terms(texts, tokenizer=Tokenizer())
    tc = (tc > 0).astype(np.float64)
    n = len(texts)
    grp = pd.MultiIndex.from_frame(draft[[by, category]]).get_indexer(
        pd.MultiIndex.from_frame(t[[by, category]])
    )
    places = pd.Index(draft[by].unique())
    place = places.get_indexer(t[by])
    sel = grp >= 0
    g_tf = (
        sp.csr_matrix((np.ones(int(sel.sum())), (grp[sel], np.flatnonzero(sel))), (len(draft), n))
        @ tc
    ).toarray()
    inp = place >= 0
    p_tf = (
        sp.csr_matrix(
            (np.ones(int(inp.sum())), (place[inp], np.flatnonzero(inp))), (len(places), n)
        )
        @ tc
    ).toarray()
    g_n = draft["tickets"].to_numpy(dtype=np.float64)[:, None]
    p_n = np.bincount(place[inp], minlength=len(places)).astype(np.float64)[:, None]
    p_rows = places.get_indexer(draft[by])
    lift = np.log((g_tf + 0.5) / g_n) - np.log((p_tf[p_rows] + 0.5) / p_n[p_rows])
    weight = np.where(g_tf > 0, g_tf / g_n * np.maximum(lift, 0), 0.0)
    terms_arr = np.asarray(terms, dtype=object)
    descriptions = []
    for i, k in enumerate(draft["tickets"].to_numpy()):
        order = np.lexsort((terms_arr.astype(str), -weight[i]))
        top = [terms_arr[j] for j in order[:n_terms] if weight[i, j] > 0]
        terms_text = _t("ledger.draft.terms_sep", lang).join(top)
        descriptions.append(_t("ledger.draft.description", lang, n=k, terms=terms_text))
    first = t.groupby([by, category])[date].min()
    rank = draft.groupby(by).cumcount()
    out = pd.DataFrame(
        {
            "problem_id": [f"T{i + 1:03d}" for i in range(len(draft))],
            "description": descriptions,
            "community": draft[by].to_numpy(),
            "category": draft[category].to_numpy(),
            "title": (draft[by].astype(str) + draft[category].astype(str)).to_numpy(),
            "source": _t("ledger.draft.source", lang),
            "reported_on": first.reindex(
                pd.MultiIndex.from_frame(draft[[by, category]])
            ).to_numpy(),
            "status": _t("ledger.draft.status", lang),
            "priority": np.where(
                rank.to_numpy() == 0,
                _t("ledger.draft.priority.high", lang),
                _t("ledger.draft.priority.medium", lang),
            ),
            "tickets": draft["tickets"].to_numpy(),
        }
    )
    return out
