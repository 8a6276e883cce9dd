"""People and acknowledgements: the roster's and the records' rules at their line and column, the text hash of a
version, who counts as confirmed, and the warning of `generator check` for people still to confirm."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA
from generator import pipeline
from generator.stages.model import Acknowledgement
from generator.stages.pages import documents
from generator.views.acknowledgements import acknowledgements, text_hash
from generator.views.changes import flatten
from generator.views.lifecycle import document_states

TODAY = date(2026, 12, 2)
PEOPLE = """\
show_names: true
confirm_within_days: 30
people:
  - staff_no: T001
    name: 张三
    role: manager
    joined: '2019-06-01'
  - staff_no: T002
    name: 李四
    role: cs
    joined: '2020-04-01'
  - staff_no: T007
    name: 周九
    role: cs
    joined: '2021-05-01'
    left: '2026-08-31'
"""


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A copy of data/ with a small roster of its own and no acknowledgements yet."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    shutil.rmtree(copy / "acks", ignore_errors=True)
    (copy / "people.yml").write_text(PEOPLE, encoding="utf-8")
    return copy


def hashes(data: Path) -> dict[str, str]:
    """The text hash of each registered document's newest version, by 文件编号."""
    hb = pipeline.check(data).handbook
    view = acknowledgements(hb, document_states(hb, TODAY), {}, TODAY)
    return {doc_no: sheet.text_hash for (doc_no, _), sheet in view.sheets.items()}


def ack(staff_no: str, name: str, doc_no: str, version: str, text_hash: str, confirmed: str) -> str:
    return (f"  - staff_no: {staff_no}\n    name: {name}\n    doc_no: {doc_no}\n    version: '{version}'\n"
            f"    text_hash: '{text_hash}'\n    confirmed: '{confirmed}'\n")


def write_acks(data: Path, *records: str, name: str = "batch.yml") -> Path:
    path = data / "acks" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("channel: 纸质签收单\nevidence: 扫描件.pdf\nacknowledgements:\n" + "".join(records),
                    encoding="utf-8")
    return path


def codes(data: Path, prefix: tuple[str, ...] = ("ack-", "person-", "bad-date")) -> list[tuple[str, int, int, str]]:
    return [(Path(p.path).name, p.line, p.column, p.code) for p in pipeline.check(data).problems
            if p.code.startswith(prefix)]


# -- the rules, at their line and column ------------------------------------------------------------------------
def test_the_sample_roster_and_acknowledgements_check_clean() -> None:
    checked = pipeline.check(DATA)
    assert checked.ok, checked.problems
    roster = checked.handbook.roster
    assert roster.source == "people.yml" and roster.people and roster.acknowledgements
    # Every sample record matches the text of its version; only warnings of people still to confirm remain.
    assert {p.code for p in pipeline.acknowledgement_problems(DATA, checked.handbook, TODAY)} <= {"ack-unconfirmed"}


def test_each_rule_of_a_record_names_its_line_and_column(data: Path) -> None:
    h = hashes(data)
    write_acks(data,
               ack("T001", "张三", "WL-ZD-001", "1.0", h["WL-ZD-001"], "2026-11-27"),   # lines 4-9: fine
               ack("T099", "无名", "WL-ZD-001", "1.0", h["WL-ZD-001"], "2026-11-27"),   # 10: unknown person
               ack("T002", "李三", "WL-ZD-001", "1.0", h["WL-ZD-001"], "2026-11-27"),   # 16: wrong name
               ack("T002", "李四", "WL-ZD-009", "1.0", h["WL-ZD-001"], "2026-11-27"),   # 22: unknown document
               ack("T002", "李四", "WL-GW-002", "2.0", h["WL-GW-002"], "2026-11-27"),   # 28: never released
               ack("T002", "李四", "WL-GW-008", "1.0", h["WL-GW-002"], "2026-11-27"),   # 34: not released at all
               ack("T007", "周九", "WL-ZD-001", "1.0", h["WL-ZD-001"], "2026-09-01"),   # 40: after leaving
               ack("T001", "张三", "WL-ZD-001", "1.0", h["WL-ZD-001"], "2026-11-28"),   # 46: duplicate
               ack("T002", "李四", "WL-GW-002", "1.0", h["WL-GW-002"], "2026-02-30"))   # 52: no such day
    assert codes(data) == [
        ("batch.yml", 10, 15, "ack-unknown-person"),
        ("batch.yml", 17, 11, "ack-wrong-name"),
        ("batch.yml", 24, 13, "ack-unknown-document"),
        ("batch.yml", 31, 14, "ack-unknown-version"),
        ("batch.yml", 37, 14, "ack-unknown-version"),
        ("batch.yml", 45, 16, "ack-after-leaving"),
        ("batch.yml", 46, 15, "ack-duplicate"),
        ("batch.yml", 57, 16, "bad-date"),
    ]


def test_an_acknowledgement_before_the_approval_of_its_version_is_refused(data: Path) -> None:
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    entry = "    document: gm\n    releases: []\n"
    assert entry in text
    register.write_text(text.replace(entry, "    document: gm\n    releases:\n      - version: '1.0'\n"
                                            "        approved_by: gm\n        approved_on: '2026-11-20'\n"
                                            "        record: 纪要\n        effective: '2026-12-01'\n"
                                            "        changes: 首次发布。\n"), encoding="utf-8")
    h = hashes(data)
    write_acks(data, ack("T001", "张三", "WL-GW-006", "1.0", h["WL-GW-006"], "2026-11-19"),
               ack("T002", "李四", "WL-GW-006", "1.0", h["WL-GW-006"], "2026-11-20 09:00"))
    assert codes(data) == [("batch.yml", 9, 16, "ack-before-approval")]


def test_the_roster_refuses_other_fields_and_wrong_entries(data: Path) -> None:
    (data / "people.yml").write_text(PEOPLE + """\
  - staff_no: T002
    name: 重复
    role: cs
    joined: '2022-01-01'
  - staff_no: T010
    name: 外人
    role: gm
    joined: '2022-01-01'
  - staff_no: T011
    name: 无岗
    role: designr
    joined: '2022-01-01'
  - staff_no: T012
    name: 倒序
    role: cs
    joined: '2022-01-01'
    left: '2021-12-31'
  - staff_no: T013
    name: 多字段
    role: cs
    joined: '2022-01-01'
    phone: '13800000000'
""", encoding="utf-8")
    problems = [(p.line, p.column, p.code) for p in pipeline.check(data).problems]
    assert (38, 5, "unknown-key") in problems  # phone: the schema takes only what the handbook needs
    (data / "people.yml").write_text("\n".join((data / "people.yml").read_text(encoding="utf-8")
                                               .splitlines()[:-1]) + "\n", encoding="utf-8")
    assert codes(data) == [("people.yml", 17, 15, "person-duplicate"), ("people.yml", 23, 11, "person-external-role"),
                           ("people.yml", 27, 11, "person-unknown-role"),
                           ("people.yml", 33, 11, "person-left-before-joined")]


# -- the text hash and who counts ----------------------------------------------------------------------------
def test_the_text_hash_follows_the_approved_text_only(data: Path) -> None:
    hb = pipeline.check(data).handbook
    cs = next(d for d in documents(hb) if d.id == "cs")
    before = text_hash(hb, cs)
    assert before is not None and len(before) == 12 and int(before, 16) >= 0
    role = (data / "roles" / "cs.yml").read_text(encoding="utf-8")
    draft = "受理买家的退换货和退款申请"  # a duty of the draft group 售后: no part of the version
    approved = "受理客户的售前旺旺咨询"
    assert draft in role and approved in role
    (data / "roles" / "cs.yml").write_text(role.replace(draft, "受理买家的退换货申请"), encoding="utf-8")
    assert text_hash(pipeline.check(data).handbook, cs) == before
    (data / "roles" / "cs.yml").write_text(role.replace(approved, "受理客户的售前咨询"), encoding="utf-8")
    assert text_hash(pipeline.check(data).handbook, cs) != before
    # Another document's text is not part of this one's.
    (data / "roles" / "cs.yml").write_text(role, encoding="utf-8")
    regulation = next(d for d in documents(hb) if d.id == "regulation")
    assert text_hash(pipeline.check(data).handbook, regulation) == text_hash(hb, regulation, flatten(hb))


def _view(hb, editions=None, today=TODAY):
    return acknowledgements(hb, document_states(hb, today), editions or {}, today)


def test_who_counts_and_who_does_not(data: Path) -> None:
    h = hashes(data)
    write_acks(data, ack("T002", "李四", "WL-GW-002", "1.0", h["WL-GW-002"], "2026-11-28"),
               ack("T001", "张三", "WL-ZD-001", "1.0", "000000000000", "2026-11-28"))
    hb = pipeline.check(data).handbook
    view = _view(hb)
    cs = view.current("cs")
    assert [(e.person.staff_no, e.confirmed) for e in cs.entries] == [("T002", True)]  # T007 has left
    regulation = view.current("regulation")
    # T001's record names another text: it counts for nothing, and check says so.
    assert [(e.person.staff_no, e.confirmed) for e in regulation.entries] == [("T001", False), ("T002", False)]
    assert [m.ack.staff_no for m in view.mismatches] == ["T001"]
    errors = [p for p in pipeline.acknowledgement_problems(data, hb, TODAY) if p.code == "ack-hash-mismatch"]
    assert [(Path(p.path).name, p.line, p.column) for p in errors] == [("batch.yml", 14, 16)]
    detail = {p.uri: p.markdown for p in pipeline.render(data, TODAY).site.pages}["editions/WL-ZD-001/acknowledgements.md"]
    assert "## 指纹不符的记录" in detail and "<code>000000000000</code>" in detail
    # A person who has not yet joined is not counted either.
    assert [e.person.staff_no for e in _view(hb, today=date(2020, 1, 1)).current("cs").entries] == []


def test_a_version_with_the_same_text_keeps_its_confirmations(data: Path) -> None:
    """1.1 of 电商客服 whose text is that of 1.0 (say, a new review date): 1.0's confirmations count for it; once
    its text differs, they do not."""
    h = hashes(data)
    write_acks(data, ack("T002", "李四", "WL-GW-002", "1.0", h["WL-GW-002"], "2026-11-28"))
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    entry = "    document: cs\n    releases:\n"
    release = ("      - version: '1.1'\n        approved_by: gm\n        approved_on: '2026-11-30'\n"
               "        record: 纪要\n        effective: '2026-12-01'\n        changes: 复审日期顺延。\n")
    start = text.index(entry)
    end = text.index("  - doc_no:", start)
    register.write_text(text[:end] + release + text[end:], encoding="utf-8")
    current = pipeline.check(data).handbook
    older = pipeline.check(DATA).handbook  # stands for the text of 1.0 (a tag in a real repository)
    same = _view(current, {("WL-GW-002", "1.0"): older}).current("cs")
    assert same.edition.release.version == "1.1"
    assert [(e.person.staff_no, e.ack.version if e.ack else None) for e in same.entries] == [("T002", "1.0")]
    role = data / "roles" / "cs.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("受理客户的售前旺旺咨询", "受理客户的售前咨询"),
                    encoding="utf-8")
    changed = _view(pipeline.check(data).handbook, {("WL-GW-002", "1.0"): older}).current("cs")
    assert [(e.person.staff_no, e.confirmed) for e in changed.entries] == [("T002", False)]


def test_check_warns_of_people_late_to_confirm_and_names_them(data: Path) -> None:
    h = hashes(data)
    write_acks(data, ack("T001", "张三", "WL-GW-001", "1.0", h["WL-GW-001"], "2026-11-28"))
    hb = pipeline.check(data).handbook
    warnings = pipeline.acknowledgement_problems(data, hb, TODAY)
    late = {p.message.split(" ")[0]: p for p in warnings}
    assert set(late) == {"WL-ZD-001", "WL-GW-002"}  # T001 has confirmed WL-GW-001; T007 has left
    assert "T001 张三" in late["WL-ZD-001"].message and "T002 李四" in late["WL-ZD-001"].message
    assert all(p.severity.name == "WARNING" and Path(p.path).name == "register.yml" for p in warnings)
    # Someone who joined a week ago is not late yet.
    people = (data / "people.yml").read_text(encoding="utf-8").replace("joined: '2020-04-01'", "joined: '2026-11-25'")
    (data / "people.yml").write_text(people, encoding="utf-8")
    hb = pipeline.check(data).handbook
    assert {p.message.split(" ")[0] for p in pipeline.acknowledgement_problems(data, hb, TODAY)} == {"WL-ZD-001"}
    assert pipeline.acknowledgement_problems(data, hb, date(2027, 1, 1))[0].message.count("T00") == 2


def test_without_a_roster_nothing_is_tracked(data: Path) -> None:
    (data / "people.yml").unlink()
    hb = pipeline.check(data).handbook
    assert hb.roster.source is None and not _view(hb).enabled
    assert pipeline.acknowledgement_problems(data, hb, TODAY) == []
    site = pipeline.render(data, TODAY).site
    uris = {page.uri for page in site.pages}
    assert "acknowledgements.md" not in uris and not any(u.endswith("/signoff.md") for u in uris)


def test_names_can_be_hidden(data: Path) -> None:
    (data / "people.yml").write_text(PEOPLE.replace("show_names: true", "show_names: false"), encoding="utf-8")
    pages = {p.uri: p.markdown for p in pipeline.render(data, TODAY).site.pages}
    for uri in ("acknowledgements.md", "roles/cs.md", "org.md", "editions/WL-ZD-001/1.0/signoff.md"):
        assert "T002" in pages[uri] or uri == "org.md", uri
        assert "李四" not in pages[uri] and "张三" not in pages[uri], uri
    assert isinstance(pipeline.check(data).handbook.roster.acknowledgements, tuple)
    assert Acknowledgement("T1", "x", "WL-ZD-001", "1.0", "0" * 12, "2026-11-28 10:05", "邮件", "e", "a", 0).day \
        == "2026-11-28"
