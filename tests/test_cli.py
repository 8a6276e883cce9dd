"""`python -m generator check/render` through main(): report format and language, exit codes, CI formats."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.__main__ import main

BASE = Path(__file__).resolve().parent / "corpus" / "_base"


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANDBOOK_DATA", raising=False)
    monkeypatch.delenv("HANDBOOK_LANG", raising=False)
    shutil.copytree(BASE, tmp_path / "data")
    return tmp_path / "data"


def _break(data: Path) -> None:
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: 专员\nid: x\n", encoding="utf-8")
    (data / "glossary.yml").write_text("title: 术语表\nstatus: final\nterms: []\n", encoding="utf-8")


def test_check_ok(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "data: 没有发现问题\n"
    assert main(["--lang", "en", "check"]) == 0
    assert capsys.readouterr().out == "data: ok\n"


def test_check_reports_every_problem_sorted_in_chinese(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(data)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "data/glossary.yml:2:9: 错误:'final' 不是允许的值;只能写:approved, draft(位置 status) [bad-value]",
        "data/glossary.yml:3:8: 错误:不能为空;至少写一项(位置 terms) [empty]",
        "data/roles/staff.yml:3:1: 错误:字段 'id' 重复(第 1 行已经写过);只保留一个,否则 YAML 会悄悄丢掉其中一个 "
        "[duplicate-key]",
        "3 个错误,0 个警告",
    ]


def test_lang_en_prints_the_same_problems_in_english(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(data)
    assert main(["check", "--lang", "en"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "data/glossary.yml:2:9: error: 'final' is not allowed; expected one of: approved, draft (at status) "
        "[bad-value]",
        "data/glossary.yml:3:8: error: is empty; write at least one item (at terms) [empty]",
        "data/roles/staff.yml:3:1: error: duplicate key 'id' (first written on line 1); keep one, YAML would silently "
        "drop the other [duplicate-key]",
        "3 error(s), 0 warning(s)",
    ]


ENGLISH, CHINESE = "{} error(s), 0 warning(s)", "{} 个错误,0 个警告"


@pytest.mark.parametrize(("value", "summary"), [("en", ENGLISH), ("en_US.UTF-8", ENGLISH), ("zh_CN", CHINESE),
                                               ("fr", CHINESE)])
def test_environment_selects_the_language(value: str, summary: str, data: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """HANDBOOK_LANG sets the language (a language without a catalog falls back to Chinese); --lang wins over it."""
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: !!python/name:os.system\n", encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_LANG", value)
    main(["check"])
    assert capsys.readouterr().err.splitlines()[-1] == summary.format(1)
    main(["--lang", "zh", "check"])
    assert capsys.readouterr().err.splitlines()[-1] == CHINESE.format(1)


def test_github_annotations(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: !!python/name:os.system\n", encoding="utf-8")
    assert main(["--format", "github", "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "::error file=data/roles/staff.yml,line=2,col=8,title=yaml-tag::不能使用 '!!python/name:os.system' 这样的 YAML "
        "标签;请写普通的值")
    assert main(["--format", "github", "--lang", "en", "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "::error file=data/roles/staff.yml,line=2,col=8,title=yaml-tag::YAML tags such as '!!python/name:os.system' "
        "are not allowed; write a plain value")


def test_gitlab_report_on_standard_output_and_text_for_the_log(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(data)
    assert main(["check", "--format", "gitlab"]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert [(e["location"]["path"], e["location"]["lines"]["begin"], e["check_name"]) for e in report] == [
        ("data/glossary.yml", 2, "bad-value"), ("data/glossary.yml", 3, "empty"),
        ("data/roles/staff.yml", 3, "duplicate-key")]
    assert report[0]["description"] == "'final' 不是允许的值;只能写:approved, draft(位置 status)"
    assert {e["severity"] for e in report} == {"major"}
    assert len({e["fingerprint"] for e in report}) == 3
    assert err.splitlines()[-1] == "3 个错误,0 个警告" and "[bad-value]" in err


def test_gitlab_report_of_clean_data_is_an_empty_list(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "gitlab"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [] and err == "data: 没有发现问题\n"


def test_fingerprints_do_not_depend_on_the_language(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(data)
    main(["check", "--format", "gitlab"])
    chinese = json.loads(capsys.readouterr().out)
    main(["check", "--format", "gitlab", "--lang", "en"])
    english = json.loads(capsys.readouterr().out)
    assert [e["fingerprint"] for e in chinese] == [e["fingerprint"] for e in english]
    assert chinese[0]["description"] != english[0]["description"]


def test_environment_selects_the_data(data: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HANDBOOK_DATA", "elsewhere")
    assert main(["check"]) == 1
    assert "elsewhere: 错误:数据目录 'elsewhere' 不存在" in capsys.readouterr().err


def test_render_refusal_exit_code(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data.parent / "out").mkdir()
    (data.parent / "out" / "keep.md").write_text("keep", encoding="utf-8")
    assert main(["render", "--out", "out"]) == 2
    assert "不是空的,也不是此命令写出的;请选择新的或空的目录" in capsys.readouterr().err
    assert main(["render", "--out", "out", "--lang", "en"]) == 2
    assert "choose a new or empty folder" in capsys.readouterr().err
    assert (data.parent / "out" / "keep.md").read_text(encoding="utf-8") == "keep"


def test_options_may_follow_the_command(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "roles" / "boss.yml").write_text("id: boss\n", encoding="utf-8")
    assert main(["check", "--data", str(data), "--format", "github"]) == 1
    assert capsys.readouterr().err.startswith("::error file=")


def test_render_never_writes_into_the_data_folder(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    assert main(["render", "--data", str(data), "--out", str(data / "site")]) == 2
    assert "数据目录" in capsys.readouterr().err
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_help_is_worded_in_the_language_asked_for(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, words in ((["--help"], ["用法:", "选项:", "检查数据,列出全部问题", "显示这份帮助并退出"]),
                        (["--lang", "en", "--help"], ["usage:", "options:", "validate the data and report every problem"]),
                        (["check", "--lang", "en", "-h"], ["usage:", "show this help message and exit"])):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert all(word in out for word in words), (argv, out)


def test_usage_errors_are_worded_too(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["bogus"])
    assert stop.value.code == 2
    assert "python -m generator: 错误:argument command: invalid choice: 'bogus'" in capsys.readouterr().err
