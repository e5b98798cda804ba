"""The teaching notebooks run on real exports, as `commlib notebook NAME --data FILE` does.

Run by `make check-real`; skipped when ``../shared/realdata`` is absent. Each notebook
is executed through its ``parameters`` cell on a real file; parts needing columns the file
lacks are skipped by the notebook itself, so any error here is a real failure.
"""

from __future__ import annotations

import json

import pytest

from commlib._notebook import run_notebook

CASES = [
    ("00-quickstart", "nyc311_2026_sample/nyc311_sample.csv", "311"),
    ("01-complaint-themes", "nyc311_2026_sample/nyc311_sample.csv", "311"),
    ("10-real-exports", "tipdm2020_messages/messages_with_replies.xlsx", "board"),
    ("11-hot-issues-and-replies", "tipdm2020_messages/messages_with_replies.xlsx", "board"),
]


@pytest.mark.parametrize(("name", "path", "columns"), CASES, ids=[c[0] for c in CASES])
def test_notebook_runs_on_a_real_export(realdata, tmp_path, name, path, columns):
    notebook, html = run_notebook(name, data=realdata / path, columns=columns, output=tmp_path)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert html.stat().st_size > 0
    if name in ("00-quickstart", "01-complaint-themes"):
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{name}: no chart"
