"""The teaching notebooks: house rules and the runner.

These tests read the notebooks' JSON and run one notebook on a user's file. What a
trainer sees when a notebook runs (every chart an image output, no warning or stray
repr, no personal data, trainee copies without solutions) is checked in the nbval step
of ``make test``, on nbval's own execution of each notebook: ``notebooks/conftest.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
CASES = [n for n in NAMES if n[:2] in {"02", "03", "04", "05", "06", "07", "08"}]
#: Old names that now emit FutureWarning: a notebook teaches the new ones.
DEPRECATED = re.compile(
    r"cl\.plot_\w+|\b(time|date_col|seed|verbose)\s*=(?!=)",
)


def _notebook_checks():
    """``notebooks/conftest.py``, which nbval's run loads."""
    spec = importlib.util.spec_from_file_location("notebook_checks", ROOT / "notebooks/conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_has_its_chart_count_and_trainee_copies_exist():
    checks = _notebook_checks()
    assert set(checks.EXPECTED_IMAGES) == set(NAMES)
    assert set(checks.TRAINEE) <= set(CASES)


def _read(path):
    import nbformat

    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_house_rules(path):
    nb = _read(path)
    cells = nb.cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    assert cells[1].metadata.get("tags") == ["parameters"]
    assert cells[2].source.strip() == "import commlib as cl"
    params = cells[1].source
    for name in ("DATA_PATH = None", "COLUMNS = ", "SHEET = None"):
        assert name in params, f"{path.name}: parameters cell lacks {name!r}"
    for cell in cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs and cell.execution_count is None, "outputs not stripped"
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defs, f"{path.name}: a def/class belongs in commlib"
        assert not DEPRECATED.search(cell.source), (
            f"{path.name}: deprecated name in {cell.source!r}"
        )


@pytest.mark.parametrize("name", CASES)
def test_case_notebooks_end_with_exercises(name):
    cells = _read(ROOT / "notebooks" / f"{name}.ipynb").cells
    solutions = [i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", [])]
    assert 2 <= len(solutions) <= 3
    for i in solutions:
        fill, check = cells[i - 1].source, cells[i + 1].source
        answer = re.match(r"(answer_\d+) = None", fill)
        assert answer, "the trainee's cell comes first and holds None"
        assert check.lstrip().startswith("assert") and answer.group(1) in check
    assert any("练习" in c.source for c in cells if c.cell_type == "markdown")


def test_find_notebook_and_unknown_name():
    from commlib._notebook import find_notebook, run_notebook
    from commlib.errors import CommlibError

    assert find_notebook("00").name == "00-quickstart.ipynb"
    assert find_notebook("10-real-exports").stem == "10-real-exports"
    with pytest.raises(CommlibError) as err:
        run_notebook("99-nothing")
    assert "00-quickstart" in str(err.value) and "没有" in err.value.render("zh")


def test_missing_data_file_is_named(tmp_path):
    from commlib._notebook import run_notebook
    from commlib.errors import CommlibError

    with pytest.raises(CommlibError, match="nope.csv"):
        run_notebook("00-quickstart", data=tmp_path / "nope.csv", output=tmp_path)


# --- executed notebooks ------------------------------------------------------------------
# The checks on the notebooks as executed (charts shown, no personal data, trainee copies)
# run in the nbval step of ``make test``, on nbval's own run: see notebooks/conftest.py.


def _outputs(nb):
    return _notebook_checks()._outputs(nb)


@pytest.mark.slow
def test_run_notebook_on_a_311_export(tmp_path):
    import nbformat

    from commlib._notebook import run_notebook

    os.environ["MPLBACKEND"] = "Agg"  # as the command line sets it: the kernel must not inherit it
    try:
        nb_path, html_path = run_notebook(
            "00-quickstart",
            data=ROOT / "tests/data/nyc_311_sample.csv",
            columns="311",
            output=tmp_path,
        )
    finally:
        os.environ.pop("MPLBACKEND", None)
    nb = nbformat.read(nb_path, as_version=4)
    text = "".join(o.get("text", "") for o in _outputs(nb))
    assert "输入 5 行" in text  # the user's file, not the sample
    assert "第 6 节" in text  # the sample-only part says it is skipped
    assert sum("image/png" in o.get("data", {}) for o in _outputs(nb)) >= 2
    assert html_path.read_text(encoding="utf-8").count("data:image/png") >= 2
