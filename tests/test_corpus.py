"""The corpus of broken inputs: every case gives its exact errors, exit status 1 and no traceback, in Chinese
(the default) and in English (`--lang en`).

Each case is the minimal valid handbook of tests/corpus/_base/ with some files replaced or added
(tests/corpus/<case>/data/), checked by `python -m generator check` in a subprocess, as an editor runs it;
`expected` holds the Chinese lines, `expected.en` the English ones. Cases whose bytes cannot live in the
repository as text are generated here into tmp_path.
"""
from __future__ import annotations

import codecs
import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected").is_file())
LANGUAGES = ("zh", "en")
EXPECTED = {"zh": "expected", "en": "expected.en"}
SUMMARY = {"zh": "{} 个错误,0 个警告", "en": "{} error(s), 0 warning(s)"}
OK = {"zh": "data: 没有发现问题\n", "en": "data: ok\n"}


def make_tree(root: Path, case: Path | None = None) -> Path:
    """root/data: the base handbook with the case's files laid over it."""
    data = root / "data"
    shutil.copytree(BASE, data)
    if case is not None and (case / "data").is_dir():
        shutil.copytree(case / "data", data, dirs_exist_ok=True)
    return data


def run_check(cwd: Path, data: str = "data", lang: str = "zh") -> subprocess.CompletedProcess[str]:
    """Chinese is what an editor gets without asking: run as a subprocess, exactly as an editor runs it. English
    (--lang en) runs the same main() in this process, which saves the interpreter start of every case."""
    language = [] if lang == "zh" else ["--lang", lang]
    argv = ["--data", data, *language, "check"]
    if lang != "zh":
        return _run_in_process(cwd, argv)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("HANDBOOK_DATA", "HANDBOOK_LANG"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "generator", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _run_in_process(cwd: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    from generator.__main__ import main

    out, err, before = io.StringIO(), io.StringIO(), Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def assert_errors(result: subprocess.CompletedProcess[str], expected: list[str], lang: str = "zh") -> None:
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [*expected, SUMMARY[lang].format(len(expected))]
    assert result.stdout == ""
    assert result.returncode == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_base_tree_is_valid(lang: str, tmp_path: Path) -> None:
    make_tree(tmp_path)
    result = run_check(tmp_path, lang=lang)
    assert (result.returncode, result.stdout, result.stderr) == (0, OK[lang], "")


def test_corpus_has_the_cases_of_the_issue() -> None:
    assert len(CASES) >= 20, CASES
    assert all((CORPUS / case / EXPECTED["en"]).is_file() for case in CASES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case: str, lang: str, tmp_path: Path) -> None:
    make_tree(tmp_path, CORPUS / case)
    expected = (CORPUS / case / EXPECTED[lang]).read_text(encoding="utf-8").splitlines()
    assert expected, f"{case}/{EXPECTED[lang]} lists no error"
    assert_errors(run_check(tmp_path, lang=lang), expected, lang)


def test_tags_are_never_constructed(tmp_path: Path) -> None:
    """The payloads of python-object-tag and unsafe-tags would create PWNED if a tag were ever constructed."""
    for case in ("python-object-tag", "unsafe-tags"):
        root = tmp_path / case
        root.mkdir()
        make_tree(root, CORPUS / case)
        assert run_check(root).returncode == 1
        assert not (root / "PWNED").exists()


# -- cases generated as bytes -------------------------------------------------------------------------------
def _gbk(data: Path) -> None:
    path = data / "roles" / "staff.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def _utf16(data: Path) -> None:
    path = data / "roles" / "boss.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))  # with a BOM, as Notepad saves it


def _utf16_without_bom(data: Path) -> None:
    path = data / "glossary.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))


def _ten_megabytes(data: Path) -> None:
    (data / "procedures" / "huge.yml").write_bytes(b"- x\n" * 2_500_000)


def _bom(data: Path) -> None:
    for path in data.rglob("*.yml"):
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())


def _crlf(data: Path) -> None:
    for path in data.rglob("*.yml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def _crlf_with_error(data: Path) -> None:
    """Line numbers stay right with Windows line ends: the unknown key is on line 5."""
    path = data / "roles" / "staff.yml"
    text = path.read_text(encoding="utf-8").replace("reports_to:", "reprots_to:")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


GENERATED: dict[str, tuple[Callable[[Path], None], dict[str, list[str]]]] = {
    "gbk": (_gbk, {
        "zh": ["data/roles/staff.yml:3:13: 错误:文件不是有效的 UTF-8(看起来是 GBK/GB18030,一些 Windows 编辑器会这样"
               "保存);请另存为 UTF-8 [encoding]"],
        "en": ["data/roles/staff.yml:3:13: error: file is not valid UTF-8 (it looks like GBK/GB18030, as saved "
               "by some Windows editors); save it as UTF-8 [encoding]"]}),
    "utf-16": (_utf16, {
        "zh": ["data/roles/boss.yml:1:1: 错误:文件是 UTF-16 编码;请另存为 UTF-8(记事本:另存为 → 编码 UTF-8) [encoding]"],
        "en": ["data/roles/boss.yml:1:1: error: file is saved as UTF-16; save it as UTF-8 "
               "(in Notepad: Save As → Encoding UTF-8) [encoding]"]}),
    "utf-16-without-bom": (_utf16_without_bom, {
        "zh": ["data/glossary.yml:1:1: 错误:文件是 UTF-16 编码;请另存为 UTF-8(记事本:另存为 → 编码 UTF-8) [encoding]"],
        "en": ["data/glossary.yml:1:1: error: file is saved as UTF-16; save it as UTF-8 (in Notepad: Save As → "
               "Encoding UTF-8) [encoding]"]}),
    "ten-megabytes": (_ten_megabytes, {
        "zh": ["data/procedures/huge.yml: 错误:文件有 10,000,000 字节;一个数据文件最多 1,000,000 字节(请拆成几个文件) "
               "[file-too-large]"],
        "en": ["data/procedures/huge.yml: error: file is 10,000,000 bytes; a data file may hold at most 1,000,000 "
               "bytes (split it into several files) [file-too-large]"]}),
    "crlf-with-error": (_crlf_with_error, {
        "zh": ["data/roles/staff.yml:5:1: 错误:不认识的字段 'reprots_to'(是不是 'reports_to'?) [unknown-key]"],
        "en": ["data/roles/staff.yml:5:1: error: unknown key 'reprots_to' (did you mean 'reports_to'?) "
               "[unknown-key]"]}),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_case(case: str, lang: str, tmp_path: Path) -> None:
    write, expected = GENERATED[case]
    write(make_tree(tmp_path))
    assert_errors(run_check(tmp_path, lang=lang), expected[lang], lang)


@pytest.mark.parametrize("write", [_bom, _crlf], ids=["utf8-bom", "crlf"])
def test_accepted_variants(write: Callable[[Path], None], tmp_path: Path) -> None:
    write(make_tree(tmp_path))
    result = run_check(tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, OK["zh"], "")


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "nope: 错误:数据目录 'nope' 不存在;应为存放 YAML 文件的目录(见 README.md),或用 --data DIR 指定 "
           "[data-missing]"),
    ("en", "nope: error: data folder 'nope' does not exist; expected a folder of YAML files (see README.md), "
           "or pass --data DIR [data-missing]"),
])
def test_missing_data_folder(lang: str, expected: str, tmp_path: Path) -> None:
    assert_errors(run_check(tmp_path, "nope", lang), [expected], lang)


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "data.yml: 错误:数据目录 'data.yml' 不是目录;应为存放 YAML 文件的目录(见 README.md),或用 --data DIR 指定 "
           "[data-missing]"),
    ("en", "data.yml: error: data folder 'data.yml' is not a folder; expected a folder of YAML files "
           "(see README.md), or pass --data DIR [data-missing]"),
])
def test_data_path_is_a_file(lang: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "data.yml").write_text("id: x\n", encoding="utf-8")
    assert_errors(run_check(tmp_path, "data.yml", lang), [expected], lang)


def test_every_error_of_every_file_in_one_run(tmp_path: Path) -> None:
    """Two cases at once: all their errors come out together, from every file."""
    make_tree(tmp_path, CORPUS / "unknown-key")
    shutil.copytree(CORPUS / "unsafe-tags" / "data" / "checklists", tmp_path / "data" / "checklists",
                    dirs_exist_ok=True)
    _gbk_onboarding = tmp_path / "data" / "onboarding" / "staff.yml"
    _gbk_onboarding.write_bytes(_gbk_onboarding.read_text(encoding="utf-8").encode("gbk"))
    result = run_check(tmp_path)
    files = {line.split(":", 1)[0] for line in result.stderr.splitlines()[:-1]}
    assert files == {"data/roles/staff.yml", "data/checklists/work-checklist.yml", "data/onboarding/staff.yml"}
    assert len(result.stderr.splitlines()) == 5  # 2 unknown keys + tag + encoding + summary
    assert result.returncode == 1
