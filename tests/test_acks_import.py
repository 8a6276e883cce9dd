"""`acks import`: form exports (CSV in UTF-8 with BOM and in GBK, .xlsx) with good and bad rows. A bad row is reported
by its row and column as the spreadsheet numbers them, and then nothing is written; a good file is written into
data/acks/ and the data still checks clean, with its people confirmed."""
from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from ackfiles import FIXTURES, GOOD_XLSX, MIXED_XLSX, with_test_roster, workbook
from conftest import DATA
from generator import pipeline
from generator.commands import acks
from generator.views.acknowledgements import acknowledgements
from generator.views.lifecycle import document_states

TODAY = date(2026, 12, 2)
MIXED_CSV = [  # (row, column, code) of every bad row of tests/fixtures/acks/mixed*.csv; row 2 is fine
    (3, 1, "ack-unknown-person"),
    (4, 2, "ack-wrong-name"),
    (5, 4, "ack-unknown-version"),
    (6, 5, "ack-after-leaving"),
    (7, 1, "ack-duplicate"),
    (8, 4, "acks-import-empty"),
    (9, 5, "acks-import-bad-time"),
    (10, 3, "acks-import-unknown-document"),
]
MIXED_WORKBOOK = [(4, 7, "ack-hash-mismatch"), (5, 6, "acks-import-future"), (6, 3, "ack-unknown-person"),
                  (7, 2, "acks-import-empty")]


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return with_test_roster(copy)


def files_of(data: Path) -> dict[str, str]:
    return {p.relative_to(data).as_posix(): p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yml"))}


def imported(data: Path, export: Path, channel: str = "企业微信", **options: object) -> acks.Imported:
    return acks.plan(data, acks.Request(export, channel, **options), TODAY)


@pytest.mark.parametrize("name", ["mixed.csv", "mixed-gbk.csv"])
def test_bad_rows_of_a_csv_are_reported_by_row_and_column_and_nothing_is_written(data: Path, name: str) -> None:
    before = files_of(data)
    result = imported(data, FIXTURES / name)
    assert not result.ok
    assert [(p.line, p.column, p.code) for p in result.problems] == MIXED_CSV
    assert all(p.path == str(FIXTURES / name) for p in result.problems)
    # The rows that are fine are not written either.
    assert files_of(data) == before


def test_bad_rows_of_a_workbook_are_reported_by_row_and_column(data: Path, tmp_path: Path) -> None:
    before = files_of(data)
    result = imported(data, workbook(tmp_path / "feishu.xlsx", MIXED_XLSX), "飞书")
    assert [(p.line, p.column, p.code) for p in result.problems] == MIXED_WORKBOOK
    assert "0123456789ab" in result.problems[0].message and files_of(data) == before


def test_the_command_line_reports_in_chinese_and_writes_nothing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_of(data)
    assert run(data, FIXTURES / "mixed-gbk.csv", "钉钉") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{FIXTURES / 'mixed-gbk.csv'}:3:1: 错误:") and err[0].endswith("[ack-unknown-person]")
    assert len(err) == len(MIXED_CSV) + 1 and "没有写入" in err[-1]
    assert files_of(data) == before


def run(data: Path, export: Path, channel: str, *extra: str) -> int:
    parser = argparse.ArgumentParser()
    acks.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["acks", "import", str(export), "--channel", channel, "--data", str(data), *extra])
    return acks.run(args, "zh")


def _import_all_good(data: Path, tmp_path: Path) -> list[Path]:
    written = []
    for export, channel in ((FIXTURES / "wecom-good.csv", "企业微信"), (FIXTURES / "dingtalk-good-gbk.csv", "钉钉"),
                            (workbook(tmp_path / "feishu-good.xlsx", GOOD_XLSX), "飞书")):
        result = imported(data, export, channel)
        assert result.ok, result.problems
        written.append(acks.apply(result))
    return written


def test_good_exports_are_written_and_their_people_confirmed(data: Path, tmp_path: Path) -> None:
    written = _import_all_good(data, tmp_path)
    assert [p.parent.name for p in written] == ["acks"] * 3
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in written]
    assert [r["channel"] for r in records] == ["企业微信", "钉钉", "飞书"]
    wecom, dingtalk, feishu = (r["acknowledgements"] for r in records)
    assert [(a["staff_no"], a["doc_no"], a["version"], a["confirmed"]) for a in wecom] == [
        ("T003", "WL-ZD-001", "1.0", "2026-11-29 09:30"), ("T003", "WL-GW-002", "1.0", "2026-11-29 09:31")]
    assert wecom[0]["evidence"] == "序号 1" and records[0]["evidence"] == "wecom-good.csv"
    assert [(a["staff_no"], a["confirmed"]) for a in dingtalk] == [("T006", "2026-11-30 10:15"),
                                                                   ("T006", "2026-12-01 08:45")]
    assert [(a["staff_no"], a["doc_no"], a["version"], a["evidence"]) for a in feishu] == [
        ("T005", "WL-GW-004", "1.0", "记录 ID rec8Kx2")]
    checked = pipeline.check(data)
    assert checked.ok, checked.problems
    hb = checked.handbook
    assert not [p for p in pipeline.acknowledgement_problems(data, hb, TODAY) if p.code == "ack-hash-mismatch"]
    view = acknowledgements(hb, document_states(hb, TODAY), {}, TODAY)
    assert all(e.confirmed for state in view.documents for e in view.current(state.document.id).entries)


def test_a_second_import_of_the_same_export_finds_every_row_recorded(data: Path) -> None:
    acks.apply(imported(data, FIXTURES / "wecom-good.csv"))
    again = imported(data, FIXTURES / "wecom-good.csv", out=data / "acks" / "again.yml")
    assert [(p.line, p.code) for p in again.problems] == [(2, "ack-duplicate"), (3, "ack-duplicate")]
    assert not (data / "acks" / "again.yml").exists()


def test_columns_the_usual_names_miss_are_named_on_the_command_line(data: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("员工号,名字,制度名称,版本,时间\nT003,王五,WL-ZD-001,1.0,2026-11-29\n", encoding="utf-8")
    missing = imported(data, export)
    assert [(p.line, p.column, p.code) for p in missing.problems] == [(1, 1, "acks-import-no-column")]
    result = imported(data, export, columns={"工号": "员工号", "confirmed": "时间"})
    assert result.ok, result.problems
    assert "confirmed: '2026-11-29'" in result.text


def test_an_unreadable_file_is_refused(data: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("工号\n".encode("utf-8") + b"\xff\xfe\xfa\n")
    assert [p.code for p in imported(data, latin).problems] == ["acks-import-encoding"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert [p.code for p in imported(data, broken).problems] == ["acks-import-unreadable"]
