"""The message of every problem code of people, acknowledgements and `acks import`, pinned in both languages.

tests/test_messages.py adds these to its EXAMPLES (each runs through the real stage or command in a scratch copy of
data/, with the current folder set to it): a code, how to make it, its Chinese, its English.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Callable

from ackfiles import with_test_roster
from conftest import DATA
from generator import pipeline
from generator.commands import acks
from generator.stages.problems import Problem

TODAY = date(2026, 12, 2)
PERSON = "  - staff_no: {no}\n    name: {name}\n    role: {role}\n    joined: '{joined}'\n"
RECORD = ("channel: 纸质签收单\nevidence: 扫描件.pdf\nacknowledgements:\n  - staff_no: {no}\n    name: {name}\n"
          "    doc_no: {doc_no}\n    version: '{version}'\n    text_hash: '{hash}'\n    confirmed: '{day}'\n")


def _data(tmp: Path) -> Path:
    shutil.copytree(DATA, tmp / "data")
    with_test_roster(tmp / "data")
    return Path("data")


def _hash(data: Path, doc_no: str) -> str:
    from generator.views.acknowledgements import acknowledgements
    from generator.views.lifecycle import document_states

    hb = pipeline.check(data).handbook
    view = acknowledgements(hb, document_states(hb, TODAY), {}, TODAY)
    return next(sheet.text_hash for (number, _), sheet in view.sheets.items() if number == doc_no)


def person(no: str, name: str, role: str, joined: str = "2022-01-01", extra: str = "") -> Callable[[Path], list[Problem]]:
    """The sample roster with one more person."""
    def run(tmp: Path) -> list[Problem]:
        data = _data(tmp)
        with (data / "people.yml").open("a", encoding="utf-8") as roster:
            roster.write(PERSON.format(no=no, name=name, role=role, joined=joined) + extra)
        return pipeline.check(data).problems
    return run


def record(no: str = "T003", name: str = "王五", doc_no: str = "WL-ZD-001", version: str = "1.0",
           day: str = "2026-11-29", text_hash: str | None = None, twice: bool = False) -> Callable[[Path], list[Problem]]:
    """One more file of acknowledgements (the record written twice: a duplicate)."""
    def run(tmp: Path, prepared: Path | None = None) -> list[Problem]:
        data = prepared or _data(tmp)
        value = text_hash or _hash(data, doc_no if doc_no != "WL-ZD-009" else "WL-ZD-001")
        text = RECORD.format(no=no, name=name, doc_no=doc_no, version=version, hash=value, day=day)
        (data / "acks" / "extra.yml").write_text(text + (text.split("acknowledgements:\n")[1] if twice else ""),
                                                 encoding="utf-8")
        checked = pipeline.check(data)
        if checked.handbook is None:
            return checked.problems
        return checked.problems + pipeline.acknowledgement_problems(data, checked.handbook, TODAY)
    return run


def imported(content: str | bytes, name: str = "export.csv", out: str | None = None,
             columns: dict[str, str] | None = None) -> Callable[[Path], list[Problem]]:
    """`acks import` of a file with this content."""
    def run(tmp: Path) -> list[Problem]:
        data = _data(tmp)
        export = Path(name)
        export.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        request = acks.Request(export, "企业微信", columns or {}, out=Path(out) if out else None)
        return acks.plan(data, request, TODAY).problems
    return run


HEADER = "工号,姓名,文件编号,版本,确认时间\n"

EXAMPLES: dict[str, tuple[Callable[[Path], list[Problem]], str, str]] = {
    # the roster
    "person-duplicate": (person("T001", "重名", "cs"), "工号 'T001' 已经登记过(第 1 项);每人只登记一次",
                         "staff number 'T001' is already listed (entry 1); list each person once"),
    "person-unknown-role": (person("T100", "新人", "designr"), "没有 id 为 'designr' 的岗位(是不是 'designer'?);请写本部门岗位的 id",
                            "unknown role 'designr' (did you mean 'designer'?); write the id of a role of the department"),
    "person-external-role": (person("T100", "新人", "gm"), "'gm'(总经理)是部门以外的岗位;人员名册只登记本部门的人员",
                             "'gm' (总经理) is a role outside the department; the roster lists the department's people only"),
    "person-left-before-joined": (person("T100", "新人", "cs", extra="    left: '2021-12-31'\n"),
                                  "离职日期 2021-12-31 早于入职日期 2022-01-01", "left on 2021-12-31, before joining on 2022-01-01"),
    "bad-date": (person("T100", "新人", "cs", joined="2022-02-30"), "'2022-02-30' 不是日历上存在的日期",
                 "'2022-02-30' is no date of the calendar"),
    # acknowledgements
    "ack-unknown-person": (record(no="T0003"), "人员名册(people.yml)里没有工号为 'T0003' 的人员(是不是 'T003'?)",
                           "no person with staff number 'T0003' in the roster (people.yml) (did you mean 'T003'?)"),
    "ack-wrong-name": (record(name="王六"), "'王六' 不是 T003 的姓名:人员名册里写的是 '王五'",
                       "'王六' is not the name of T003: the roster says '王五'"),
    "ack-unknown-document": (record(doc_no="WL-ZD-009"), "'WL-ZD-009' 不在文件登记表里(是不是 'WL-ZD-001'?)",
                             "'WL-ZD-009' is not in the register (did you mean 'WL-ZD-001'?)"),
    "ack-unknown-version": (record(version="2.0"), "WL-ZD-001 没有发布过 2.0 版;已发布的版本:1.0",
                            "WL-ZD-001 has no released version 2.0; its versions: 1.0"),
    "ack-before-approval": (lambda tmp: _approved(tmp),
                            "签收日期 2026-11-19 早于 WL-GW-006 1.0 版的批准日期 2026-11-20;文本批准之前不可能已经读过它",
                            "acknowledged on 2026-11-19, before WL-GW-006 1.0 was approved on 2026-11-20; no one can "
                            "have read a text before it was approved"),
    "ack-after-leaving": (record(no="T007", name="周九"), "签收日期 2026-11-29 晚于 周九 的离职日期 2026-08-31",
                          "acknowledged on 2026-11-29, after 周九 left on 2026-08-31"),
    "ack-duplicate": (record(twice=True), "T003 已在 data/acks/extra.yml:4 签收过 WL-ZD-001 1.0 版;只保留一条记录",
                      "T003 already acknowledged WL-ZD-001 1.0 at data/acks/extra.yml:4; keep one record"),
    "ack-hash-mismatch": (record(text_hash="0123456789ab"),
                          "文本指纹 0123456789ab 与 WL-ZD-001 1.0 版不符(这一版的指纹是 …):签收的是另一份文字;"
                          "请核对签收单或表单,或者把改动过的文字发布为新版本",
                          "text hash 0123456789ab is not that of WL-ZD-001 1.0, whose text hashes to …: the record is of "
                          "another text; check the sheet or form, or release the changed text as a new version"),
    "ack-unconfirmed": (record(), "WL-GW-004 1.0 版(程序员)现行有效,其中 1 名适用人员在生效(或本人入职)后 30 天内仍未签收:"
                                  "T005 钱七;请他们在签收单上签字,或在表单中确认",
                        "WL-GW-004 1.0 (程序员) is in force, and 1 of its people have not acknowledged it within 30 days of "
                        "its taking effect or of their joining: T005 钱七; have them sign its sign-off sheet or confirm it "
                        "in the form"),
    # acks import
    "acks-import-unreadable": (imported(b"not a workbook", "export.xlsx"), "无法读取 export.xlsx:…",
                               "cannot read export.xlsx: …"),
    "acks-import-encoding": (imported(HEADER.encode("utf-8") + b"\xff\xfe\xfa\n"),
                             "export.csv 既不是 UTF-8 也不是 GBK 编码的文本;请在 Excel 中另存为“CSV UTF-8”,或直接导入 .xlsx",
                             "export.csv is neither UTF-8 nor GBK text; save it from Excel as CSV UTF-8, or import the .xlsx"),
    "acks-import-no-column": (imported("工号,姓名,文件编号,确认时间\nT003,王五,WL-ZD-001,2026-11-29\n"),
                              "表头中没有 version 对应的列 '版本/版本号/文件版本';现有的列:工号, 姓名, 文件编号, 确认时间;"
                              "请用 --column version=表头 指定",
                              "no column '版本/版本号/文件版本' for version in the header row; its columns: 工号, 姓名, 文件编号, "
                              "确认时间; name the column with --column version=HEADER"),
    "acks-import-empty": (imported(HEADER + "T003,,WL-ZD-001,1.0,2026-11-29\n"), "name(姓名)这一格是空的",
                          "the cell of name (姓名) is empty"),
    "acks-import-unknown-document": (imported(HEADER + "T003,王五,员工手册,1.0,2026-11-29\n"),
                                     "'员工手册' 不是文件登记表里的文件;请写文件编号(例如 WL-ZD-001)或文件名称",
                                     "'员工手册' names no document of the register; write its document number (e.g. "
                                     "WL-ZD-001) or its title"),
    "acks-import-bad-version": (imported(HEADER + "T003,王五,WL-ZD-001,第一版,2026-11-29\n"),
                                "'第一版' 不是版本号;请写成 1.0 这样", "'第一版' is no version; write it as 1.0"),
    "acks-import-bad-time": (imported(HEADER + "T003,王五,WL-ZD-001,1.0,上周五\n"),
                             "'上周五' 不是日期时间;请写成 2026-11-28 10:05 这样",
                             "'上周五' is no date and time; write it as 2026-11-28 10:05"),
    "acks-import-future": (imported(HEADER + "T003,王五,WL-ZD-001,1.0,2027-11-29\n"),
                           "2027-11-29 晚于今天(2026-12-02)", "2027-11-29 is after today (2026-12-02)"),
    "acks-import-no-text": (lambda tmp: _without_text(tmp),
                            "WL-GW-002 1.0 版的全文没有留存(没有发布标记),无法记录它的文本指纹",
                            "the text of WL-GW-002 1.0 is not kept (it has no release tag), so no text hash can be "
                            "recorded for it"),
    "acks-import-no-rows": (imported(HEADER), "表头下面没有数据行;没有可导入的内容",
                            "no rows under the header row; nothing to import"),
    "acks-import-exists": (imported(HEADER + "T003,王五,WL-ZD-001,1.0,2026-11-29\n",
                                    out="data/acks/2026-11-27-regulation-paper.yml"),
                           "data/acks/2026-11-27-regulation-paper.yml 已经存在;请用 --out 指定别的文件,或先删除它",
                           "data/acks/2026-11-27-regulation-paper.yml already exists; give another --out, or remove it "
                           "first"),
}


def _without_text(tmp: Path) -> list[Problem]:
    """电商客服 1.1 released while 1.0 has no release tag: the text of 1.0 is lost, so a record of it has no hash."""
    data = _data(tmp)
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    start = text.index("    document: cs\n")
    end = text.index("  - doc_no:", start)
    release = ("      - version: '1.1'\n        approved_by: gm\n        approved_on: '2026-11-30'\n"
               "        record: 纪要\n        effective: '2026-12-01'\n        changes: 复审。\n")
    register.write_text(text[:end] + release + text[end:], encoding="utf-8")
    export = Path("export.csv")
    export.write_text(HEADER + "T003,王五,WL-GW-002,1.0,2026-11-29\n", encoding="utf-8")
    return acks.plan(data, acks.Request(export, "企业微信"), TODAY).problems


def _approved(tmp: Path) -> list[Problem]:
    """总经理's 岗位说明书 released as 1.0, approved on 2026-11-20, and a record dated the day before."""
    data = _data(tmp)
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    entry = "    document: gm\n    releases: []\n"
    register.write_text(text.replace(entry, "    document: gm\n    releases:\n      - version: '1.0'\n"
                                            "        approved_by: gm\n        approved_on: '2026-11-20'\n"
                                            "        record: 纪要\n        effective: '2026-12-01'\n"
                                            "        changes: 首次发布。\n"), encoding="utf-8")
    return record(no="T001", name="张三", doc_no="WL-GW-006", day="2026-11-19", text_hash="0" * 12)(tmp, prepared=data)
