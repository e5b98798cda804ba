"""The column policy of cleaning: which columns hold whom, and what happens to them.

Three kinds of column, three treatments (all only with ``mask=True``):

* free text (``title``, ``text``, ``reply``): every cell through
  :func:`commlib.privacy.mask_pii`, and any occurrence of the row's own ``caller_id``
  (a message board quoting the poster's user id) replaced by :data:`CALLER_PLACEHOLDER`;
* identity columns (names, phones, ID numbers, e-mail: found by the header, e.g.
  ``联系电话``/``来电人姓名``/``身份证号``/``contact_phone``, or by content: at least
  :data:`IDENTITY_SHARE` of a sample of filled cells hold a phone, ID or e-mail) hashed
  with the caller-id salt (``pii_columns="hash"``) or dropped (``"drop"``);
* every other string column (``category``, ``address``, ``community`` ...): the cells a
  cheap prefilter says may hold personal data (a digit run, ``@``, a title or trigger
  word) go through :func:`commlib.privacy.mask_pii`; the rest are not touched.

Identity columns are chosen once on the whole table, before it is cut into partitions,
so every partition treats the same columns.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.clean._arrow import (
    _arrow,
    _combined,
    _is_text_column,
    _np_bool,
    _per_distinct,
    _series,
)

#: Written in free text in place of the row's own ``caller_id``.
CALLER_PLACEHOLDER = "[用户编号]"
#: Share of sampled filled cells holding a phone, ID or e-mail that makes a column an
#: identity column.
IDENTITY_SHARE = 0.5
#: Filled cells sampled (evenly spaced) per column for the content test.
_SAMPLE = 2_000
#: A ``caller_id`` shorter than this is not searched for in the text (``"12"`` would
#: hit dates and amounts).
_MIN_ID_LEN = 5
#: What ``pii_columns=`` accepts.
POLICIES = ("hash", "drop")

#: Columns whose meaning is fixed by the canonical schema: never identity columns
#: (``caller_id`` has its own step, the dates are parsed, the rest are not personal).
_CANONICAL = frozenset(
    {
        "source_row",
        "ticket_id",
        "caller_id",
        "created_at",
        "closed_at",
        "channel",
        "category",
        "subcategory",
        "title",
        "text",
        "reply",
        "address",
        "community",
        "department",
        "status",
        "satisfaction",
        "transfer_path",
        "text_original",
        "boilerplate",
        "address_key",
        "repeat_of",
    }
)

# Headers naming a person's identity, Chinese and English (English matched as words of
# the header split at ``_``, ``-``, spaces and camelCase).
_HEADER_ZH = re.compile(
    "姓名|名字|联系人|来电人|投诉人|反映人|举报人|求助人|当事人|报案人|户主|业主姓名|"
    "电话|手机|联系方式|联系号码|来电号码|号码|身份证|证件|护照|邮箱|电子邮件|微信|QQ|qq"
)
_HEADER_EN = frozenset(
    {
        "name",
        "names",
        "firstname",
        "lastname",
        "surname",
        "fullname",
        "phone",
        "phones",
        "mobile",
        "cell",
        "tel",
        "telephone",
        "contact",
        "email",
        "mail",
        "idcard",
        "passport",
        "ssn",
        "wechat",
        "qq",
    }
)
# Headers that name a thing, not a person: "小区名称", "street_name", "dept_name".
_NOT_PERSON_ZH = re.compile("名称|地址|小区|社区|街道|部门|单位|分类|类别|编号|工单")
_NOT_PERSON_EN = frozenset(
    {
        "street",
        "road",
        "community",
        "department",
        "dept",
        "agency",
        "category",
        "type",
        "borough",
        "city",
        "location",
        "place",
        "company",
        "org",
        "organisation",
        "organization",
        "business",
        "facility",
        "school",
        "park",
        "product",
        "file",
        "sheet",
        "ticket",
        "bridge",
        "highway",
        "segment",
        "landmark",
        "building",
        "site",
        "project",
        "vendor",
        "brand",
        "model",
        "board",
        "vehicle",
        "venue",
        "station",
        "route",
        "district",
        "area",
        "zone",
        "unit",
        "team",
        "group",
    }
)


def _header_words(name: str) -> list[str]:
    name = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    words = [w for w in re.split(r"[^A-Za-z]+", name.lower()) if w]
    # "id card", "id number", "id no": one word each
    joined = " ".join(words)
    for pair in ("id card", "id number", "id no", "id num", "e mail", "we chat"):
        if pair in joined:
            words.append(pair.replace(" ", "").replace("idnumber", "idcard"))
    return [w.replace("idno", "idcard").replace("idnum", "idcard") for w in words]


def identity_by_header(name) -> bool:
    """True if a column header names a person's identity (name, phone, ID, e-mail).

    Examples
    --------
    >>> [identity_by_header(h) for h in ["联系电话", "来电人姓名", "身份证号", "小区名称"]]
    [True, True, True, False]
    >>> [identity_by_header(h) for h in ["contact_phone", "Email", "street_name", "idNumber"]]
    [True, True, False, True]
    """
    name = str(name)
    if name in _CANONICAL:
        return False
    if _HEADER_ZH.search(name) and not _NOT_PERSON_ZH.search(name):
        return True
    words = set(_header_words(name))
    return bool(words & _HEADER_EN) and not words & _NOT_PERSON_EN


def _sample(s: pd.Series) -> pd.Series:
    """Up to ``_SAMPLE`` filled cells, evenly spaced (deterministic), as ``str``."""
    filled = s.dropna()
    if filled.dtype.kind == "f" and len(filled) and (filled == filled.round()).all():
        filled = filled.astype("int64")
    filled = filled.astype("str")
    filled = filled[filled.str.strip() != ""]
    if len(filled) > _SAMPLE:
        filled = filled.iloc[np.linspace(0, len(filled) - 1, _SAMPLE).astype(int)]
    return filled


def _content_share(s: pd.Series) -> float:
    """Share of sampled filled cells that hold a phone, ID number or e-mail."""
    from commlib.privacy import KINDS, find_pii

    sample = _sample(s)
    if not len(sample):
        return 0.0
    kinds = [k for k in ("phone", "id", "email") if k in KINDS]
    found = find_pii(sample.reset_index(drop=True), kinds=kinds)
    return float(found.any(axis=1).mean())


def find_identity_columns(df: pd.DataFrame) -> dict[str, dict]:
    """Columns that identify a person, with how each was found.

    Returns ``{column: {"by": "header"}}`` or ``{column: {"by": "content", "share": s}}``
    for every non-canonical column whose header names a person's identity or whose
    sampled cells hold a phone, ID number or e-mail in at least :data:`IDENTITY_SHARE`
    of cases.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["漏水"] * 2, "联系电话": ["13812345678", None],
    ...                    "备用": ["13912345678", "13712345678"], "备注": ["无", "急"]})
    >>> find_identity_columns(df)
    {'联系电话': {'by': 'header'}, '备用': {'by': 'content', 'share': 1.0}}
    """
    found: dict[str, dict] = {}
    for col in df.columns:
        if col in _CANONICAL:
            continue
        if identity_by_header(col):
            found[col] = {"by": "header"}
            continue
        s = df[col]
        if not (_is_text_column(s) or s.dtype.kind in "iuf"):
            continue
        share = _content_share(s)
        if share >= IDENTITY_SHARE:
            found[col] = {"by": "content", "share": round(share, 3)}
    return found


def _prefilter() -> str:
    """RE2 pattern of cells that may hold personal data (the rest cannot)."""
    triggers = (
        "先生|女士|小姐|阿姨|师傅|老师|大爷|阿婆|大妈|老伯|经理|主任|医生|"
        "局长|厅长|书记|市长|校长|村民|负责人|同学|老板|"
        "来电人|联系人|姓名|报案人|投诉人|反映人|举报人|求助人|当事人|户名|"
        "电话|手机|微信|QQ|qq|身份证|证件|卡号|账号|邮箱"
    )
    plate = "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z]"
    digits = "[0-9０-９][0-9０-９ 　\\-－—–]{4,}[0-9０-９]"
    return f"{digits}|@|＠|{plate}|{triggers}"


def mask_cells(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Mask the cells of a short-text column that may hold personal data.

    Only cells the prefilter flags (a run of digits, ``@``, a province-letter pair, a
    title or trigger word) go through :func:`commlib.privacy.mask_pii`; the others are
    returned as they are. Gives the new column and a bool array of the cells changed.

    Examples
    --------
    >>> import pandas as pd
    >>> out, changed = mask_cells(pd.Series(["噪音扰民", "电话13812345678", None]))
    >>> out.tolist(), changed.tolist()
    (['噪音扰民', '电话[电话]', nan], [False, True, False])
    """
    from commlib.privacy import mask_as_checked

    prefilter = _prefilter()

    def flagged(arr):
        hit = _np_bool(pc.match_substring_regex(arr, prefilter))
        if not hit.any():
            return arr
        part = pd.Series(pc.filter(arr, pa.array(hit)), dtype="str")
        fixed = _combined(_arrow(mask_as_checked(part)))
        return pc.replace_with_mask(_combined(arr), pa.array(hit), fixed)

    arr = _arrow(s)
    out = _per_distinct(arr, flagged)
    changed = _np_bool(pc.not_equal(arr, out))
    if not changed.any():
        return s, changed
    return _series(out, s), changed


def mask_caller_ids(texts: pd.Series, ids: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Replace each row's own ``ids`` value inside ``texts`` by :data:`CALLER_PLACEHOLDER`.

    Vectorised per row with NumPy's string functions (each row compared with its own
    id); ids shorter than five characters are not searched for. Gives the new column
    and a bool array of the rows changed.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = pd.Series(["用户A20931回复：已处理", "已处理", None])
    >>> ids = pd.Series(["A20931", "A20931", "B1"])
    >>> out, changed = mask_caller_ids(texts, ids)
    >>> out.tolist(), changed.tolist()
    (['用户[用户编号]回复：已处理', '已处理', nan], [True, False, False])
    """
    from numpy.dtypes import StringDType

    n = len(texts)
    changed = np.zeros(n, bool)
    id_arr = _arrow(ids.astype("str") if not _is_text_column(ids) else ids)
    usable = _np_bool(
        pc.greater_equal(pc.utf8_length(pc.utf8_trim_whitespace(id_arr)), _MIN_ID_LEN)
    )
    text_arr = _arrow(texts)
    usable &= _np_bool(pc.is_valid(text_arr))
    if not usable.any():
        return texts, changed
    # Cheap prefilter: an id of ASCII letters and digits can only sit in a text with a
    # run of such characters as long as the shortest id.
    ids_used = pc.utf8_trim_whitespace(pc.filter(id_arr, pa.array(usable)))
    if pc.all(pc.match_substring_regex(ids_used, "^[0-9A-Za-z_\\-]+$")).as_py():
        shortest = pc.min(pc.utf8_length(ids_used)).as_py()
        run = f"[0-9A-Za-z_\\-]{{{shortest},}}"
        usable &= _np_bool(pc.match_substring_regex(text_arr, run))
        if not usable.any():
            return texts, changed
    rows = np.flatnonzero(usable)
    take = pa.array(rows)
    dtype = StringDType()
    t = np.asarray(pc.take(text_arr, take).to_numpy(zero_copy_only=False), dtype=dtype)
    i = np.asarray(
        pc.utf8_trim_whitespace(pc.take(id_arr, take)).to_numpy(zero_copy_only=False), dtype=dtype
    )
    hit = np.strings.find(t, i) >= 0
    if not hit.any():
        return texts, changed
    fixed = np.strings.replace(t[hit], i[hit], CALLER_PLACEHOLDER)
    changed[rows[hit]] = True
    out = pc.replace_with_mask(
        _combined(text_arr), pa.array(changed), pa.array(fixed.tolist(), pa.large_string())
    )
    return _series(out, texts), changed
