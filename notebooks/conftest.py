"""What a trainer sees, checked on the notebooks nbval has just run (``make test``).

nbval executes every code cell of a notebook in one kernel and checks that it runs. This
file keeps the outputs of those cells and, after a notebook's last cell, adds three
checks on the notebook as executed (so no notebook is executed twice in a test run):

- ``charts``: every chart is an image output (at least ``EXPECTED_IMAGES[name]``), no
  warning reaches stderr (TqdmWarning, FutureWarning ...) and no stray
  ``<matplotlib...>`` repr is printed;
- ``personal_data``: nothing the notebook shows holds personal data, by the detector
  ``commlib scan`` uses (what ``make report`` renders must pass it);
- ``trainee_copy`` (the notebooks in ``TRAINEE``): the trainee's HTML, rendered as
  ``make notebooks`` renders it, hides the code and the solutions and keeps the charts
  and the exercises.

The kernels run without ``MPLBACKEND`` (as in JupyterLab and ``make notebooks``): a
kernel that inherits ``MPLBACKEND=Agg`` draws no chart, so it is removed here.
"""

from __future__ import annotations

import copy
import html
import os
import re
from collections import Counter

import pytest

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
#: Notebooks whose trainee copy is checked.
TRAINEE = ("02-parcel-drop-point", "07-project-evaluation")


def pytest_configure(config):
    os.environ.pop("MPLBACKEND", None)


def _is_cell(item) -> bool:
    from nbval.plugin import IPyNbCell

    return isinstance(item, IPyNbCell)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "call" and report.passed and _is_cell(item):
        item.parent.__dict__.setdefault("commlib_outputs", {})[item.cell_num] = item.test_outputs


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _outputs(nb):
    return [o for c in _code_cells(nb) for o in c.get("outputs", [])]


def check_charts(name, nb):
    outputs = _outputs(nb)
    if name not in EXPECTED_IMAGES:
        pytest.fail(f"{name}: add its number of charts to EXPECTED_IMAGES in {__file__}")
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    assert images >= EXPECTED_IMAGES[name], f"{name}: {images} charts shown"
    stderr = [o["text"] for o in outputs if o.get("name") == "stderr"]
    assert not stderr, stderr
    reprs = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert not [r for r in reprs if r.startswith("<matplotlib")]


def check_personal_data(name, nb):
    import pandas as pd

    from commlib.privacy import find_pii

    texts = [
        "".join(v) if isinstance(v, list) else str(v)
        for o in _outputs(nb)
        for k, v in [("text", o.get("text", ""))] + list(o.get("data", {}).items())
        if k == "text" or (k.startswith("text/") and k != "text/javascript")
    ]
    found = find_pii(pd.Series(texts, dtype="str"))
    hits = {kind: int(found[kind].sum()) for kind in found.columns if found[kind].any()}
    assert not hits, f"{name}: outputs hold {hits}"


def check_trainee_copy(name, nb):
    """The trainee's HTML as ``make notebooks`` renders it (same TagRemovePreprocessor)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

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


class NotebookCheck(pytest.Item):
    """One check on a notebook as nbval executed it; runs after its last cell."""

    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check

    def runtest(self):
        notebook = self.parent
        ran = notebook.__dict__.get("commlib_outputs", {})
        nb = copy.deepcopy(notebook.nb)
        cells = _code_cells(nb)
        failed = [i for i in range(len(cells)) if i not in ran]
        if failed:
            pytest.skip(f"cells {failed} did not pass: the notebook checks need every cell")
        for i, cell in enumerate(cells):
            cell.outputs = copy.deepcopy(ran[i])
        self.check(self.path.stem, nb)

    def repr_failure(self, excinfo):
        return excinfo.getrepr(style="short")

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: {self.name}"


def pytest_collection_modifyitems(session, config, items):
    """After the last cell of every notebook collected whole, its checks."""
    collected = Counter(item.parent for item in items if _is_cell(item))
    out, i = [], 0
    while i < len(items):
        item = items[i]
        out.append(item)
        i += 1
        if not _is_cell(item):
            continue
        notebook = item.parent
        last = i == len(items) or not _is_cell(items[i]) or items[i].parent is not notebook
        if not last:
            continue
        if collected[notebook] < len(_code_cells(notebook.nb)):
            continue  # some cells deselected (-k): the checks need the whole notebook
        checks = {"charts": check_charts, "personal_data": check_personal_data}
        if notebook.path.stem in TRAINEE:
            checks["trainee_copy"] = check_trainee_copy
        out += [NotebookCheck.from_parent(notebook, name=k, check=f) for k, f in checks.items()]
    items[:] = out
