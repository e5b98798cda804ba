"""Kinds of problem: request types grouped so near-synonyms count once.

Real 311 catalogues list one problem under several request types (Sidewalk Repair,
Sidewalk Repair (Make Safe), Sidewalk Repair (Internal)) and mix in workflow steps
(Building Inspection Request, Call Log) that are not complaints at all. Counting
request-type labels then makes one repeated issue look like many kinds of problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from commlib.errors import CommlibError, require_columns

#: Request types that are steps of the city's own workflow, not a resident's problem.
_WORKFLOW = re.compile(
    r"\b(?:inspection|survey|call log|interactions?|intake|check-?in|notification|"
    r"comments?|idea collection|front desk|phone bank|metrolist|work order|wo|schedule|sticker|"
    r"inquiry)\b|"
    r"(?:回访|咨询|表扬|感谢|建议|查询)",
    re.IGNORECASE,
)
#: Words that qualify a request type without naming a problem.
_FILLER = frozenset(
    "a an and the of for or to in on at by with from new general request requests internal "
    "ss other misc miscellaneous complaint complaints issue issues problem problems residential "
    "establishment unconfirmed confirmed".split()
)


def _stems(name: str) -> set[str]:
    text = re.sub(r"\([^)]*\)", " ", name.lower())
    out = set()
    for word in re.findall(r"[a-z]+", text):
        if word in _FILLER or len(word) < 3:
            continue
        if word.endswith("ing") and len(word) > 5:
            word = word[:-3]
        elif word.endswith("s") and len(word) > 3:
            word = word[:-1]
        out.add(word)
    return out


def problem_kinds(
    df: pd.DataFrame,
    *,
    category: str = "category",
    department: str | None = "department",
) -> pd.DataFrame:
    """Group request types into kinds of problem, and mark workflow types.

    Use it before :func:`link_sources` (``kinds="auto"`` calls it) to count *kinds of
    problem* at a place rather than request-type labels: near-synonym types of one
    department count once, and workflow steps (inspections, surveys, call logs, comments,
    回访, 咨询 ...) count as no problem at all. Check the table, edit it, and pass it back
    as ``kinds=dict(zip(table["category"], table["kind"]))`` if you disagree.

    Words of a type name are those left once qualifiers in brackets, filler (Request,
    Internal, Residential ...) and words common to the types of three or more
    departments are taken out. A type joins its *head*: the type of the same department
    with the fewest words, all of them in its own name (Sidewalk Repair (Make Safe) and
    Sidewalk Repair (Internal) join Sidewalk Repair; Street Light Knock Downs joins
    General Lighting Request with Street Light Outages when "light" is their head). A
    name holding the words of two different heads (Electrical Plumbing, Tree in Park)
    joins neither, and Pothole Repair stays apart from Sidewalk Repair. Each kind is
    named after its most frequent type.
    Chinese type names are kept as they are (their catalogues rarely hold synonyms).

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    category : str, default "category"
        Request-type column.
    department : str, optional
        Department column; without it, all types count as one department.

    Returns
    -------
    pandas.DataFrame
        One row per request type: ``category``, ``kind`` (missing for workflow types),
        ``reason`` (``"same"``, ``"synonym"`` or ``"workflow"``), ``department``,
        ``n_tickets``; most frequent first.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "category": ["Sidewalk Repair", "Sidewalk Repair (Make Safe)",
    ...                  "Sidewalk Repair (Internal)", "Rodent Activity",
    ...                  "Building Inspection Request"],
    ...     "department": ["PWD", "PWD", "PWD", "ISD", "ISD"]})
    >>> table = problem_kinds(df).set_index("category")
    >>> table.loc["Sidewalk Repair (Internal)", "kind"]
    'Sidewalk Repair'
    >>> table.loc["Building Inspection Request", "reason"]
    'workflow'
    """
    require_columns(df, [category], where="problem_kinds")
    has_dep = department is not None and department in df.columns
    cats = df[category].astype("str")
    deps = df[department].astype("str").fillna("") if has_dep else pd.Series("", index=df.index)
    counts = (
        pd.DataFrame({"category": cats, "department": deps})
        .dropna(subset=["category"])
        .value_counts()
        .rename("n")
        .reset_index()
    )
    total = counts.groupby("category")["n"].sum()
    modal = counts.sort_values(["category", "n"], ascending=[True, False]).drop_duplicates(
        "category"
    )
    types = pd.DataFrame(
        {
            "category": total.index.astype("str"),
            "department": modal.set_index("category")["department"].reindex(total.index).to_numpy(),
            "n_tickets": total.to_numpy(),
        }
    ).sort_values(["n_tickets", "category"], ascending=[False, True], ignore_index=True)
    names = types["category"].tolist()
    workflow = np.array([bool(_WORKFLOW.search(n)) for n in names], dtype=bool)
    stems = [
        set() if (w or not n.isascii()) else _stems(n) for n, w in zip(names, workflow, strict=True)
    ]
    # a word shared by the types of three or more departments names no one problem
    spread: dict[str, set] = {}
    for s, dep in zip(stems, types["department"], strict=True):
        for word in s:
            spread.setdefault(word, set()).add(dep)
    generic = {w for w, d in spread.items() if len(d) >= 3}
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    content = [frozenset(st - generic) for st in stems]
    deps = types["department"].tolist()
    # a type joins the one shortest name of its department all of whose words it has
    # (its head); a name holding two heads (Electrical Plumbing) joins neither, so no
    # chain of long names merges different problems
    for i in range(len(names)):
        if not content[i]:
            continue
        heads = [
            j
            for j in range(len(names))
            if j != i and deps[j] == deps[i] and content[j] and content[j] <= content[i]
        ]
        if not heads:
            continue
        # the minimal heads: no other head's words are a proper part of theirs
        minimal = {content[j] for j in heads if not any(content[h] < content[j] for h in heads)}
        if len(minimal) == 1:
            heads = [j for j in heads if content[j] in minimal]
            for j in heads:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)  # the more frequent type names the kind
    roots = np.array([find(i) for i in range(len(names))])
    kind = np.array(names, dtype=object)[roots]
    types["kind"] = pd.Series(kind, dtype="str").mask(workflow)
    types["reason"] = np.where(
        workflow, "workflow", np.where(roots == np.arange(len(roots)), "same", "synonym")
    )
    return types[["category", "kind", "reason", "department", "n_tickets"]]


def _kind_column(df: pd.DataFrame, kinds, category: str, department: str | None) -> pd.Series:
    """Per ticket: its kind of problem (missing for workflow types), from ``kinds``."""
    if kinds is None:
        return df[category]
    if isinstance(kinds, str):
        if kinds != "auto":
            raise CommlibError(
                f'kinds must be None, "auto" or a mapping {{request type: kind}}, got {kinds!r}.'
            )
        table = problem_kinds(df, category=category, department=department)
        mapping = dict(zip(table["category"], table["kind"], strict=True))
    elif isinstance(kinds, Mapping):
        mapping = dict(kinds)
    elif isinstance(kinds, pd.DataFrame):
        require_columns(kinds, ["category", "kind"], where="the kinds table")
        mapping = dict(zip(kinds["category"], kinds["kind"], strict=True))
    else:
        raise CommlibError(
            f'kinds must be None, "auto" or a mapping {{request type: kind}}, got {type(kinds)}.'
        )
    cats = df[category].astype("str")
    # a type the mapping does not name is its own kind
    return cats.map(mapping).where(cats.isin(mapping.keys()), cats).astype("str")
