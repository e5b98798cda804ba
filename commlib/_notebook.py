"""Run a teaching notebook on the user's own file (``commlib notebook NAME --data FILE``).

The notebooks live in the repository's ``notebooks/`` folder. Each one has a cell tagged
``parameters`` (papermill) declaring ``DATA_PATH`` (``None`` = the bundled sample) and
``COLUMNS`` (a header preset or a mapping); :func:`run_notebook` injects the user's values,
executes the notebook with papermill in the notebook's folder and writes the executed
``.ipynb`` and its HTML rendering into ``output``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

#: Where the teaching notebooks are (a source checkout or an editable install).
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"

#: matplotlib's inline backend: charts become image outputs of the executed notebook.
#: The command line sets ``MPLBACKEND=Agg`` for itself; a kernel that inherited that
#: would draw no chart at all.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def available_notebooks(directory: str | os.PathLike | None = None) -> list[str]:
    """Names (file stems) of the teaching notebooks, in reading order.

    Examples
    --------
    >>> names = available_notebooks()
    >>> names[0] if names else "00-quickstart"
    '00-quickstart'
    """
    folder = Path(directory) if directory is not None else NOTEBOOK_DIR
    return sorted(p.stem for p in folder.glob("[0-9][0-9]-*.ipynb"))


def find_notebook(name: str, directory: str | os.PathLike | None = None) -> Path:
    """The path of notebook ``name``: a file path, a full stem, or its two-digit number.

    Examples
    --------
    >>> find_notebook("00").name
    '00-quickstart.ipynb'
    """
    from commlib.errors import CommlibError

    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    folder = Path(directory) if directory is not None else NOTEBOOK_DIR
    if not folder.is_dir():
        raise CommlibError(key="notebook.no_folder", params={"path": str(folder)})
    names = available_notebooks(folder)
    stem = path.stem if path.suffix == ".ipynb" else str(name)
    matches = [n for n in names if n == stem or n.split("-", 1)[0] == stem]
    if len(matches) != 1:
        raise CommlibError(
            key="notebook.unknown", params={"name": repr(name), "available": ", ".join(names)}
        )
    return folder / f"{matches[0]}.ipynb"


def _columns_value(columns):
    """A preset name or dict as it is; a ``.json`` path read into its dict."""
    if isinstance(columns, os.PathLike) or (
        isinstance(columns, str) and columns.lower().endswith(".json")
    ):
        return json.loads(Path(columns).read_text(encoding="utf-8-sig"))
    return columns


def run_notebook(
    name: str,
    *,
    data: str | os.PathLike | None = None,
    columns: str | dict | os.PathLike | None = None,
    sheet: str | int | None = None,
    output: str | os.PathLike = ".",
    lang: str = "zh",
) -> tuple[Path, Path]:
    """Execute teaching notebook ``name`` on ``data`` and write it with its HTML.

    Parameters
    ----------
    name : str
        Notebook stem (``"00-quickstart"``), its number (``"00"``) or an ``.ipynb`` path.
    data : path, optional
        The user's ticket export; ``None`` runs the notebook on the bundled sample.
    columns : str, dict or path to a JSON file, optional
        Header preset (``"12345"``, ``"311"``, ``"board"``) or ``{"your header": "column"}``.
    sheet : str or int, optional
        Worksheet of an Excel file.
    output : path
        Folder for ``NAME.ipynb`` (executed) and ``NAME.html``.
    lang : {"zh", "en"}
        Passed to notebooks that declare ``LANG`` in their parameters cell.

    Returns
    -------
    (Path, Path)
        The executed notebook and its HTML file.

    Raises
    ------
    CommlibError
        Unknown notebook, missing data file, or a cell that failed (the partly executed
        notebook is still written, so the user can see how far it got).

    Examples
    --------
    >>> nb, html = run_notebook("00-quickstart", output="reports")  # doctest: +SKIP
    """
    from commlib._catalogue import check_lang
    from commlib.errors import CommlibError

    try:
        import nbformat
        import papermill as pm
        from nbconvert import HTMLExporter
    except ImportError as err:
        raise CommlibError(key="notebook.no_papermill", params={"module": err.name}) from err

    check_lang(lang)
    source = find_notebook(name)
    declared = pm.inspect_notebook(str(source))
    params = {}
    if data is not None:
        data_path = Path(data).expanduser().resolve()
        if not data_path.is_file():
            raise CommlibError(key="notebook.no_data", params={"path": str(data)})
        params["DATA_PATH"] = str(data_path)
    if columns is not None:
        params["COLUMNS"] = _columns_value(columns)
    if sheet is not None:
        params["SHEET"] = sheet
    if "LANG" in declared:
        params["LANG"] = lang
    out = Path(output).expanduser().resolve()
    if "OUTPUT_DIR" in declared:
        params["OUTPUT_DIR"] = str(out)
    params = {k: v for k, v in params.items() if k in declared}
    out.mkdir(parents=True, exist_ok=True)
    nb_path = out / source.name
    html_path = nb_path.with_suffix(".html")

    # The kernel draws inline and imports this very commlib (not another installed copy).
    saved = {k: os.environ.get(k) for k in ("MPLBACKEND", "PYTHONPATH")}
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    here = str(Path(__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, saved["PYTHONPATH"]]))
    failure = None
    try:
        pm.execute_notebook(
            str(source),
            str(nb_path),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(source.parent),
        )
    except pm.PapermillExecutionError as err:
        failure = err
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    exporter = HTMLExporter()
    level = exporter.log.level
    exporter.log.setLevel(logging.ERROR)  # "alternative text is missing": noise for a user
    try:
        body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    finally:
        exporter.log.setLevel(level)
    html_path.write_text(body, encoding="utf-8")
    if failure is not None:
        raise CommlibError(
            key="notebook.failed",
            params={
                "name": source.stem,
                "cell": failure.exec_count,
                "error": f"{failure.ename}: {failure.evalue}",
                "path": str(nb_path),
            },
        ) from failure
    return nb_path, html_path
