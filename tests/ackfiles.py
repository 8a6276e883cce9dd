"""Form exports as the platforms write them, for the import tests: the CSV files are committed under
tests/fixtures/acks/ (UTF-8 with the BOM Excel writes, and GBK); the .xlsx workbooks are written here with openpyxl,
with what a 飞书 or 企业微信 export holds: a merged title row above the header, dates as date cells, a version that
Excel turned into the number 1."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "acks"

GOOD_XLSX = [
    ["记录 ID", "提交人", "工号", "文件", "版本", "提交时间"],
    ["rec8Kx2", "钱七", "T005", "程序员岗位说明书", 1, datetime(2026, 11, 30, 16, 2, 11)],
]
MIXED_XLSX = [
    ["记录 ID", "提交人", "工号", "文件", "版本", "提交时间", "文本指纹"],
    ["rec0001", "王五", "T003", "WL-ZD-001", "1.0", datetime(2026, 11, 29, 9, 30), None],    # row 3: fine
    ["rec0002", "王五", "T003", "WL-GW-002", "1.0", datetime(2026, 11, 29, 9, 31), "0123456789ab"],  # 4: hash
    ["rec0003", "钱七", "T005", "WL-GW-004", "1.0", datetime(2027, 3, 1, 9, 0), None],      # 5: future
    ["rec0004", "无名", "T099", "WL-ZD-001", "1.0", datetime(2026, 11, 29, 9, 33), None],   # 6: unknown 工号
    ["rec0005", None, "T006", "WL-ZD-001", "1.0", datetime(2026, 11, 29, 9, 34), None],     # 7: no name
]


def workbook(path: Path, rows: list[list[object]], title: str = "岗位说明书阅读确认(导出)") -> Path:
    """A workbook whose first sheet has the title merged over row 1 and the table from row 2."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROSTER = FIXTURES / "roster"
"""The roster and acknowledgements the tests run on: a copy of the sample data, so that a department's own roster in
data/ changes no test."""


def with_test_roster(data: Path) -> Path:
    """A copy of data/ (at `data`) given the tests' roster and acknowledgements in place of its own."""
    import shutil

    shutil.copy(ROSTER / "people.yml", data / "people.yml")
    shutil.rmtree(data / "acks", ignore_errors=True)
    shutil.copytree(ROSTER / "acks", data / "acks")
    return data
