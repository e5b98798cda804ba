"""The teaching notebooks: house rules, charts on screen, trainee copies, the runner.

The fast tests read the notebooks' JSON. The slow ones execute each notebook once (with
nbclient, as ``nbconvert --execute`` and JupyterLab do, and without ``MPLBACKEND``) and
check what a trainer sees: every chart is an image output, no warning or stray repr is
printed, and the trainee copy has no solutions.
"""

from __future__ import annotations

import ast
import html
import os
import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
CASES = [n for n in NAMES if n[:2] in {"02", "03", "04", "05", "06", "07", "08"}]
#: The notebooks this file executes; ``test_notebooks_run.py`` executes the others with
#: the same tests. Two files, so that ``pytest -n 2 --dist loadfile`` runs the halves on
#: two workers: all twelve on one worker took 7.5 of the suite's 12 minutes.
HALF = NAMES[::2]
#: Notebooks whose trainee copy is checked.
TRAINEE = ["02-parcel-drop-point", "07-project-evaluation"]

#: Charts each notebook draws on the bundled sample (image outputs after execution).
EXPECTED_IMAGES = {
    "00-quickstart": 3,
    "01-complaint-themes": 3,
    "02-parcel-drop-point": 5,
    "03-cafe-street": 4,
    "04-hotline-attribution": 1,
    "05-heinrich-early-warning": 2,
    "06-three-lists-and-dispatch": 1,
    "07-project-evaluation": 2,
    "08-training-consolidation": 1,
    "09-automatic-report": 1,
    "10-real-exports": 2,
    "11-hot-issues-and-replies": 1,
}
#: Old names that now emit FutureWarning: a notebook teaches the new ones.
DEPRECATED = re.compile(
    r"cl\.plot_\w+|\b(time|date_col|seed|verbose)\s*=(?!=)",
)


def _read(path):
    import nbformat

    return nbformat.read(path, as_version=4)


def test_every_notebook_has_an_image_count():
    assert set(EXPECTED_IMAGES) == set(NAMES)


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

_EXECUTED: dict[str, tuple] = {}


def _execute(name):
    """Execute notebook ``name`` once per session: (notebook, seconds)."""
    if name not in _EXECUTED:
        import nbformat
        from nbclient import NotebookClient

        nb = _read(ROOT / "notebooks" / f"{name}.ipynb")
        saved = os.environ.pop("MPLBACKEND", None)  # as under `make notebooks` / JupyterLab
        path = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), path]))  # this commlib
        try:
            start = time.perf_counter()
            NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                resources={"metadata": {"path": str(ROOT / "notebooks")}},
            ).execute()
            seconds = time.perf_counter() - start
        finally:
            if saved is not None:
                os.environ["MPLBACKEND"] = saved
            if path is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = path
        _EXECUTED[name] = (nbformat.from_dict(nb), seconds)
    return _EXECUTED[name]


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.slow
@pytest.mark.parametrize("name", HALF)
def test_notebook_shows_its_charts(name):
    nb, _ = _execute(name)  # run times: the notebooks benchmark, never a test limit
    outputs = _outputs(nb)
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    assert images >= EXPECTED_IMAGES[name], f"{name}: {images} charts shown"
    # no warnings (TqdmWarning, FutureWarning ...) and no stray <matplotlib...> reprs
    stderr = [o["text"] for o in outputs if o.get("name") == "stderr"]
    assert not stderr, stderr
    reprs = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert not [r for r in reprs if r.startswith("<matplotlib")]


@pytest.mark.slow
@pytest.mark.parametrize("name", HALF)
def test_nothing_a_notebook_shows_carries_personal_data(name):
    """What `make report` renders must pass `commlib scan`: the same detector, here."""
    import pandas as pd

    from commlib.privacy import find_pii

    nb, _ = _execute(name)
    texts = [
        "".join(v) if isinstance(v, list) else str(v)
        for o in _outputs(nb)
        for k, v in [("text", o.get("text", ""))] + list(o.get("data", {}).items())
        if k == "text" or (k.startswith("text/") and k != "text/javascript")
    ]
    found = find_pii(pd.Series(texts, dtype="str"))
    hits = {kind: int(found[kind].sum()) for kind in found.columns if found[kind].any()}
    assert not hits, f"{name}: outputs hold {hits}"


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in TRAINEE if n in HALF])
def test_trainee_copy_hides_code_and_solutions(name):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb, _ = _execute(name)
    solution = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []))
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ["solution"]
    config.HTMLExporter.exclude_input = True
    trainee, _ = HTMLExporter(config=config).from_notebook_node(nb)
    trainer, _ = HTMLExporter().from_notebook_node(nb)
    trainee_text, trainer_text = (
        html.unescape(re.sub(r"<[^>]+>", "", h)) for h in (trainee, trainer)
    )
    assert solution.source in trainer_text
    assert solution.source not in trainee_text and "import commlib" not in trainee_text
    assert trainee.count("data:image/png") >= EXPECTED_IMAGES[name]
    assert "练习" in trainee_text  # the questions stay


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
