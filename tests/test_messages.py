"""Messages in Chinese and English: every problem code of the code base, the catalogs, and how they are packaged.

Every code that any module of generator/ gives a Problem (found by reading the code, not by a list kept by
hand) has an example here that makes it through the real stage and pins its message in both languages. The
catalogs (generator/locale/*/LC_MESSAGES/*.po) must hold every phrase of the code and every description of the
schemas, translated and checked (not fuzzy); `make messages` refreshes them.
"""
from __future__ import annotations

import ast
import fnmatch
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Callable

import jsonschema
import pytest

from generator import pipeline
from generator.commands import approve, release
from generator.commands.codeowners import build_rules, load_reviewers
from generator.locale.catalogs import code_messages, gaps, read_catalog
from generator.stages import schema as schema_stage
from generator.stages.history import export_folder, repo_root, resolve
from generator.stages.load import SourceDoc, clean_data, decode, load_sources, parse
from generator.stages.messages import MESSAGES, SCHEMA, Phrase, placeholders, words
from generator.stages.problems import Problem, Severity
from generator.stages.report import format_text
from generator.stages.schema import validate_doc

from conftest import commit_tree
from messages_people import EXAMPLES as PEOPLE_EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
BASE = ROOT / "tests" / "corpus" / "_base"
HAN = re.compile(r"[\u4e00-\u9fff]")

ROLE = """\
id: designer
title: 设计师
department: 网络技术部
status: approved
duties:
  - id: designer-1
    text: 负责网页设计
"""
REGISTER = "documents:\n  - doc_no: T-ZD-001\n    document: regulation\n    releases: []\n"


# -- producing each code through the stage that reports it ----------------------------------------------------
def parsed(text: str) -> Callable[[Path], list[Problem]]:
    return lambda tmp: parse(text, "data/x.yml")[2]


def validated(text: str, kind: str = "role") -> Callable[[Path], list[Problem]]:
    return lambda tmp: validate_doc(SourceDoc(kind, "data/x.yml", "x.yml", clean_data(text), text))


def base_tree(tmp: Path) -> Path:
    shutil.copytree(BASE, tmp / "data")
    return tmp / "data"


def checked(*edits: tuple[str, str, str | None]) -> Callable[[Path], list[Problem]]:
    """The base handbook with edits (file, old, new; new None deletes the file), checked by the pipeline."""
    def run(tmp: Path) -> list[Problem]:
        data = base_tree(tmp)
        for rel, old, new in edits:
            path = data / rel
            if new is None:
                path.unlink()
                continue
            text = path.read_text(encoding="utf-8")
            assert old in text, (rel, old)
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return pipeline.check(Path("data")).problems
    return run


def loaded(setup: Callable[[Path], None], folder: str = "data") -> Callable[[Path], list[Problem]]:
    def run(tmp: Path) -> list[Problem]:
        setup(tmp)
        return load_sources(Path(folder))[1]
    return run


def files(contents: dict[str, str | bytes]) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        for rel, content in contents.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return write


def unreadable(tmp: Path) -> list[Problem]:
    """The operating system refuses to read a file (as for a file another program holds locked)."""
    files({"data/glossary.yml": "title: x\n"})(tmp)
    original = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "glossary.yml":
            raise PermissionError(13, "Permission denied")
        return original(path)
    Path.read_bytes = refuse  # type: ignore[method-assign]
    try:
        return load_sources(Path("data"))[1]
    finally:
        Path.read_bytes = original  # type: ignore[method-assign]


def unexplained_keyword(tmp: Path) -> list[Problem]:
    """A keyword schema.py has no words for (multipleOf): jsonschema's own text, introduced in the language."""
    doc = SourceDoc("role", "data/x.yml", "x.yml", 3, "3\n")
    error = next(jsonschema.Draft202012Validator({"multipleOf": 2}).iter_errors(3))
    return schema_stage._explain(doc, error)


def git_repo(tmp: Path) -> Path:
    repo = tmp / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "handbook.yml").write_text("title: x\n", encoding="utf-8")
    commit_tree(repo)
    return repo


def owners(text: str | None) -> Callable[[Path], list[Problem]]:
    def run(tmp: Path) -> list[Problem]:
        if text is not None:
            (tmp / "owners.yml").write_text(text, encoding="utf-8")
        return load_reviewers(Path("owners.yml"))[1]
    return run


def unmapped(tmp: Path) -> list[Problem]:
    base_tree(tmp)
    return build_rules(pipeline.check(Path("data")).handbook, {}, "data")[1]


def second_onboarding(tmp: Path) -> list[Problem]:
    data = base_tree(tmp)
    text = (data / "onboarding" / "staff.yml").read_text(encoding="utf-8")
    (data / "onboarding" / "again.yml").write_text(
        text.replace("id: onboarding-staff", "id: onboarding-again").replace("ob-staff-", "ob-again-"), encoding="utf-8")
    return pipeline.check(Path("data")).problems


STAFF_RELEASES = "    document: staff\n    releases: []\n"


def staff_release(*lines: str, touches: bool = False, extra: str = "") -> tuple[str, str, str]:
    """An edit of the base register: one release of staff's job description, written as the given lines (and
    `extra` text after it)."""
    body = "".join(f"        {line}\n" for line in lines) + extra
    flag = "    touches_employees: true\n" if touches else ""
    return ("register.yml", STAFF_RELEASES, f"    document: staff\n{flag}    releases:\n      - version: '1.1'\n{body}")


APPROVED = ("approved_by: gm", "approved_on: '2026-12-05'", "record: 纪要", "effective: '2027-01-01'", "changes: x")


def stale(tmp: Path) -> list[Problem]:
    data = base_tree(tmp)
    (data / "register.yml").write_text("draft_max_age_days: 30\n" + (data / "register.yml").read_text(
        encoding="utf-8"), encoding="utf-8")
    commit_tree(data)
    return pipeline.stale_drafts(data, pipeline.check(data).handbook, date(2030, 1, 1))


def approving(document: str, *ids: str) -> Callable[[Path], list[Problem]]:
    def run(tmp: Path) -> list[Problem]:
        return approve.plan(base_tree(tmp), document, ids).problems
    return run


def releasing(document: str) -> Callable[[Path], list[Problem]]:
    def run(tmp: Path) -> list[Problem]:
        return release.plan(base_tree(tmp), release.Request(document, "2027-01-01", "gm", "2026-12-05", "纪要")).problems
    return run


EXAMPLES: dict[str, tuple[Callable[[Path], list[Problem]], str, str]] = {
    # load
    "data-missing": (loaded(lambda tmp: None, "nope"),
                     "数据目录 'nope' 不存在;应为存放 YAML 文件的目录(见 README.md),或用 --data DIR 指定",
                     "data folder 'nope' does not exist; expected a folder of YAML files (see README.md), or pass "
                     "--data DIR"),
    "unknown-file": (loaded(files({"data/notes.yml": "a: 1\n"})),
                     "文件 'notes.yml' 不在规定的位置;只能放在:handbook.yml, glossary.yml, register.yml, regulation/*.yml, "
                     "roles/*.yml, procedures/*.yml, checklists/*.yml, onboarding/*.yml, people.yml, acks/*.yml",
                     "file 'notes.yml' is not in a known place; expected one of: handbook.yml, glossary.yml, "
                     "register.yml, regulation/*.yml, roles/*.yml, procedures/*.yml, checklists/*.yml, "
                     "onboarding/*.yml, people.yml, acks/*.yml"),
    "file-too-large": (loaded(files({"data/roles/big.yml": b"#" * 1_000_001})),
                       "文件有 1,000,001 字节;一个数据文件最多 1,000,000 字节(请拆成几个文件)",
                       "file is 1,000,001 bytes; a data file may hold at most 1,000,000 bytes (split it into several "
                       "files)"),
    "file-unreadable": (unreadable, "无法读取文件:Permission denied", "cannot read file: Permission denied"),
    "encoding": (lambda tmp: [decode("a: 1\nb: 测试\n".encode("gbk"), "data/x.yml")[1]],
                 "文件不是有效的 UTF-8(看起来是 GBK/GB18030,一些 Windows 编辑器会这样保存);请另存为 UTF-8",
                 "file is not valid UTF-8 (it looks like GBK/GB18030, as saved by some Windows editors); save it as "
                 "UTF-8"),
    "multiple-documents": (parsed("a: 1\n---\nb: 2\n"), "文件里有不止一个 YAML 文档('---');只能有一个",
                           "file holds more than one YAML document ('---'); expected one"),
    "yaml-alias": (parsed("a: 1\nb: *x\n"), "不能使用别名('*x');请把值完整写出",
                   "aliases ('*x') are not allowed; write the value out in full"),
    "yaml-anchor": (parsed("a: &x 1\n"), "不能使用锚点('&x');请把每个值完整写出",
                    "anchors ('&x') are not allowed; write each value out in full"),
    "too-deep": (parsed("a: " + "[" * 40 + "]" * 40 + "\n"), "嵌套超过 32 层", "nesting deeper than 32 levels"),
    "complex-key": (parsed("? [a]\n: 1\n"), "字段名只能是普通文字,不能是列表或一组字段",
                    "a key must be plain text, not a list or mapping"),
    "yaml-tag": (parsed("a: !!python/name:os.system\n"), "不能使用 '!!python/name:os.system' 这样的 YAML 标签;请写普通的值",
                 "YAML tags such as '!!python/name:os.system' are not allowed; write a plain value"),
    "duplicate-key": (parsed("a: 1\na: 2\n"), "字段 'a' 重复(第 1 行已经写过);只保留一个,否则 YAML 会悄悄丢掉其中一个",
                      "duplicate key 'a' (first written on line 1); keep one, YAML would silently drop the other"),
    "yaml-syntax": (parsed("a: b: c\n"), "值中有冒号加空格;请把整个值放进引号('...'),或者改用全角冒号 '\uff1a'",
                    "':' followed by a space inside a value; put the whole value in quotes ('...'), or use the "
                    "full-width '\uff1a'"),
    "empty-file": (parsed("# 只有注释\n"), "文件是空的(或只有注释);应写成一组字段",
                   "file is empty (or holds only comments); expected a mapping of keys"),
    # schema
    "unknown-key": (validated(ROLE + "qualificatons:\n  items: [本科]\n"),
                    "不认识的字段 'qualificatons'(是不是 'qualifications'?)",
                    "unknown key 'qualificatons' (did you mean 'qualifications'?)"),
    "missing-key": (validated(ROLE.replace("    text: 负责网页设计\n", "")),
                    "缺少必填字段 text(职责原文;有子项时写到冒号为止)(位置 duties[0])",
                    "missing required key 'text' (The duty as written; with sub-duties, the part up to and including "
                    "the colon) (at duties[0])"),
    "wrong-type": (validated(ROLE.replace("title: 设计师", "title: [设计师]")), "应为文本,却写成了列表(位置 title)",
                   "expected text, found a list (at title)"),
    "bad-value": (validated(ROLE.replace("status: approved", "status: aproved")),
                  "'aproved' 不是允许的值(是不是 'approved'?);只能写:approved, draft(位置 status)",
                  "'aproved' is not allowed (did you mean 'approved'?); expected one of: approved, draft (at status)"),
    "bad-format": (validated(ROLE + "review_by: 2027/06/30\n"),
                   "'2027/06/30' 格式不对:日期,写成 YYYY-MM-DD(例如 '2026-12-01')(位置 review_by)",
                   "'2027/06/30' is not valid: A date written YYYY-MM-DD (e.g. '2026-12-01') (at review_by)"),
    "empty": (validated(ROLE.split("duties:")[0] + "duties: []\n"), "不能为空;至少写一项(位置 duties)",
              "is empty; write at least one item (at duties)"),
    "too-long": (validated(ROLE.replace("id: designer\n", "id: " + "a" * 65 + "\n")), "超过了 64 个字符(位置 id)",
                 "is longer than 64 characters (at id)"),
    "too-small": (validated("draft_max_age_days: 0\n" + REGISTER, "register"),
                  "0 太小了;最小只能写 1(位置 draft_max_age_days)",
                  "0 is less than 1, the smallest value allowed (at draft_max_age_days)"),
    "duplicate-item": (validated(ROLE + "basis: [designer-1, designer-1]\n"), "列表里有重复的值;每个值只写一次(位置 basis)",
                       "lists the same value twice; keep each once (at basis)"),
    "exclusive-keys": (validated(ROLE + "duty_groups:\n  - id: g\n    title: 售前\n    duties:\n      - id: g-1\n"
                                        "        text: x\n"),
                       "duties 和 duty_groups 只能二选一,不能同时写", "use either 'duties' or 'duty_groups', not both"),
    "schema": (unexplained_keyword, "不符合字段规则:3 is not a multiple of 2", "3 is not a multiple of 2"),
    # build
    "duplicate-id": (checked(("roles/staff.yml", "id: staff-1", "id: boss-1")),
                     "id 'boss-1' 已在 data/roles/boss.yml:8 用过;整本手册的 id 不能重复",
                     "id 'boss-1' is already used at data/roles/boss.yml:8; ids must be unique in the whole handbook"),
    "reserved-id": (checked(("roles/staff.yml", "id: staff-1", "id: search")), "id 'search' 是网站保留的名字;请换一个",
                    "id 'search' is reserved by the site; choose another"),
    "role-without-duties": (checked(("roles/gm.yml", "external: true\n", "")),
                            "岗位 'gm' 没有职责;请加上 duties(或 duty_groups),部门以外的岗位请写 external: true",
                            "role 'gm' has no duties; add 'duties' (or 'duty_groups'), or set 'external: true' for a "
                            "role outside the department"),
    "missing-file": (checked(("handbook.yml", "", None)), "缺少 data/handbook.yml;这个文件记录标题、版本和修订记录",
                     "data/handbook.yml is missing; it holds the title, version and revision history"),
    "unknown-ref": (checked(("procedures/work.yml", "actor: staff", "actor: staf")),
                    "没有 id 为 'staf' 的岗位(是不是 'staff'?)", "unknown role 'staf' (did you mean 'staff'?)"),
    "draft-without-basis": (checked(("roles/staff.yml", "    text: 完成部门经理安排的工作。",
                                     "    text: 完成部门经理安排的工作。\n    status: draft")),
                            "草案内容必须写明依据:请加上 basis: [<它所依据的条款或职责的 id>]",
                            "draft content must name its basis: add 'basis: [<id of the clause or duty it rests on>]'"),
    "approved-cites-draft": (checked(("roles/staff.yml", "    text: 完成部门经理安排的工作。",
                                      "    text: 完成部门经理安排的工作。\n    status: draft\n    basis: [boss-1]\n"
                                      "  - id: staff-2\n    text: 新职责\n    basis: [staff-1]")),
                             "现行内容以草案 'staff-1' 为依据;请先批准 'staff-1',或把这条内容标为 status: draft",
                             "approved content cites draft 'staff-1' as its basis; approve 'staff-1' first or mark "
                             "this content 'status: draft'"),
    "reports-to-cycle": (checked(("roles/boss.yml", "reports_to: gm", "reports_to: staff")),
                         "reports_to 形成了循环(boss → staff → boss);其中必须有一个岗位的上级在循环之外",
                         "reports_to forms a cycle (boss → staff → boss); one role in it must report outside the cycle"),
    "duplicate-onboarding": (second_onboarding, "岗位 'staff' 在 data/onboarding/again.yml 已经有入职指引",
        "role 'staff' already has an onboarding in data/onboarding/again.yml"),
    # flow (generator/stages/flow.py)
    "flow-target": (checked(("procedures/work.yml", "    checklist: work-checklist\n",
                             "    checklist: work-checklist\n    next: work-9\n")),
                    "本流程中没有 id 为 'work-9' 的步骤或结果(是不是 'work-2'?)",
                    "no step or end 'work-9' in this procedure (did you mean 'work-2'?)"),
    "flow-unreachable": (checked(("procedures/work.yml", "    action: 安排当天的工作。\n",
                                  "    action: 安排当天的工作。\n    next: done\n")),
                         "从第 1 步走不到第 2 步:没有步骤或分支指向它",
                         "step 2 cannot be reached from step 1: no step or branch leads to it"),
    "flow-endless": (checked(("procedures/work.yml", "    checklist: work-checklist\n",
                              "    checklist: work-checklist\n    back_to: work-1\n")),
                     "从第 1 步出发走不到任何结果:第 1、2 步只在彼此之间循环;请给其中一步加上通往后面步骤或结果的分支",
                     "no path from step 1 reaches an end: steps 1、2 only lead to one another; give one of them a "
                     "branch to a later step or an end"),
    "flow-loop": (checked(("procedures/work.yml", "    checklist: work-checklist\n",
                           "    checklist: work-checklist\n    next: work-1\n")),
                  "回到了第 1 步,却没有标明是循环:如果有意回到那里,请写 back_to: work-1;否则请指向后面的步骤或结果",
                  "leads back to step 1 without marking the loop: write 'back_to: work-1' if the flow returns there "
                  "on purpose, else lead it to a later step or an end"),
    "flow-accountable": (checked(("procedures/work.yml", "    checklist: work-checklist\n",
                                  "    checklist: work-checklist\n    accountable: [boss, gm]\n")),
                         "每一步只能有一个批准岗位(A);这一步写了 2 个(boss, gm):只保留对结果负责的那一个",
                         "a step has exactly one accountable role; this one names 2 (boss, gm): keep the one who "
                         "answers for the result"),
    "flow-duty": (checked(("procedures/work.yml", "      - staff-1", "      - boss-1")),
                  "依据中没有执行这一步的 'staff' 的职责(它写的是其他岗位的职责:boss-1 (boss)):请写上这一步落实的 "
                  "'staff' 的职责,或者改由职责所属的岗位执行",
                  "the basis names no duty of 'staff', who carries out this step (it names duties of other roles: "
                  "boss-1 (boss)): add the duty of 'staff' it carries out, or make the role whose duty it is the actor"),
    "flow-checklist": (checked(("checklists/work-checklist.yml", "status: draft\n", "status: draft\nowner: gm\n")),
                       "清单 'work-checklist' 的负责岗位是 'gm',但它不参与本流程:请改用参与岗位的清单,或让 'gm' "
                       "参与这一步(consulted 协助或 informed 知会)",
                       "checklist 'work-checklist' is owned by 'gm', who takes no part in this procedure: use a "
                       "checklist of a role that does, or give 'gm' a part in the step (consulted or informed)"),
    "flow-shape": (checked(("procedures/work.yml", "    checklist: work-checklist\n",
                            "    checklist: work-checklist\n    next: done\n    back_to: work-1\n")),
                   "next 和 back_to 只能写一个", "write either 'next' or 'back_to', not both"),
    # git (the diff command)
    "git-no-repository": (lambda tmp: [repo_root(tmp)[1]], "… 不在 git 仓库中(…)", "… is not inside a git repository (…)"),
    "git-unknown-revision": (lambda tmp: [resolve(git_repo(tmp), "nope")[1]],
                             "没有版本 'nope';应为 … 中的提交、分支或标签",
                             "unknown revision 'nope'; expected a commit, branch or tag of …"),
    "git-no-data": (lambda tmp: [export_folder(git_repo(tmp), "HEAD", "elsewhere", tmp / "out")],
                    "版本 'HEAD' 中没有目录 'elsewhere'(…)", "revision 'HEAD' has no folder 'elsewhere' (…)"),
    # the register of documents and their releases
    "register-unknown-document": (checked(("register.yml", "document: gm", "document: gmx")),
                                  "'gmx' 不是手册中的文件;应写 'regulation'、'glossary',或岗位、流程、清单、入职指引的 id",
                                  "'gmx' is no document of the handbook; expected 'regulation', 'glossary' or the id of a "
                                  "role, procedure, checklist or onboarding"),
    "register-wrong-category": (checked(("register.yml", "doc_no: T-GW-003", "doc_no: T-LC-009")),
                                "T-LC-009 的类别是 LC,但 'gm' 是 role;它的编号应使用 GW",
                                "T-LC-009 is numbered as LC, but 'gm' is a role; its number takes GW"),
    "register-duplicate-number": (checked(("register.yml", "doc_no: T-GW-003", "doc_no: T-GW-002")),
                                  "'T-GW-002' 已在第 8 行登记过;每份文件只登记一次,只有一个编号",
                                  "'T-GW-002' is already registered at line 8; each document is registered once, under one "
                                  "number"),
    "register-duplicate-document": (checked(("register.yml", "document: gm", "document: staff")),
                                    "'staff' 已在第 9 行登记过;每份文件只登记一次,只有一个编号",
                                    "'staff' is already registered at line 9; each document is registered once, under "
                                    "one number"),
    "register-missing": (checked(("register.yml", "  - doc_no: T-GW-003\n    document: gm\n    releases: []\n", "")),
                         "'gm' 没有登记;请在 documents 下加上 `- doc_no: T-GW-003`、`document: gm` 和 `releases: []`",
                         "'gm' is not registered; add `- doc_no: T-GW-003` with `document: gm` and `releases: []` under "
                         "documents"),
    "release-unapproved": (checked(staff_release("changes: x")),
                           "1.1 版缺少 approved_by, approved_on, record, effective;发布记录须写明谁批准、何时批准、依据什么记录、何时生效",
                           "version 1.1 lacks approved_by, approved_on, record, effective; a release names who approved "
                           "it, when, on what record, and when it takes effect"),
    "release-unknown-approver": (checked(staff_release("approved_by: nobody", *APPROVED[1:])),
                                 "'nobody' 不是岗位 id;请写批准人的岗位 id,例如 gm",
                                 "'nobody' is no role id; write the id of the approving role, e.g. gm"),
    "release-effective-before-approval": (checked(staff_release(*APPROVED[:3], "effective: '2026-12-01'", "changes: x")),
                                          "1.1 版的生效日期 2026-12-01 早于批准日期 2026-12-05;生效日期不能早于批准日期",
                                          "version 1.1 takes effect on 2026-12-01, before it was approved on 2026-12-05; "
                                          "the effective date is on or after the approval"),
    "release-no-democratic": (checked(staff_release(*APPROVED, touches=True)),
                              "1.1 版涉及劳动者切身利益,但没有登记民主程序;没有民主程序不能生效(《劳动合同法》第四条)",
                              "version 1.1 touches employees' interests but records no democratic process; it cannot be "
                              "in force without one (Labour Contract Law, article 4)"),
    "release-no-announced": (checked(staff_release(*APPROVED, touches=True)),
                             "1.1 版涉及劳动者切身利益,但没有登记公示;未经公示不能生效(《劳动合同法》第四条)",
                             "version 1.1 touches employees' interests but records no announcement to the employees; it "
                             "cannot be in force without one (Labour Contract Law, article 4)"),
    "release-late-democratic": (checked(staff_release(*APPROVED, "democratic: {record: 决议, date: '2027-02-01'}",
                                                      "announced: {channel: 邮件, from: '2026-12-06'}", touches=True)),
                                "1.1 版的民主程序晚于生效日期 2027-01-01;民主程序须在生效之前",
                                "the democratic process of version 1.1 comes after its effective date 2027-01-01; it "
                                "must come before"),
    "release-late-announced": (checked(staff_release(*APPROVED, "democratic: {record: 决议, date: '2026-12-01'}",
                                                     "announced: {channel: 邮件, from: '2027-02-01'}", touches=True)),
                               "1.1 版的公示晚于生效日期 2027-01-01;公示须在生效之前",
                               "the announcement of version 1.1 comes after its effective date 2027-01-01; it must come "
                               "before"),
    "release-version-order": (checked(staff_release(*APPROVED, extra="      - version: '1.0'\n        changes: y\n")),
                              "1.0 版没有排在 1.1 版之后;发布记录按从旧到新排列,版本号依次增大",
                              "version 1.0 does not follow 1.1; list releases from the oldest to the newest, each with a "
                              "higher version"),
    "draft-stale": (stale, "…含有草案已 … 天(自 … 起),超过允许的 30 天;请批准或删去这些草案",
                    "… has held drafts for … days (since …), longer than the 30 days allowed; approve them or take them "
                    "out"),
    "release-unknown-document": (releasing("nothing"), "文件登记表中没有 'nothing';请写文件编号或文件 id",
                                 "'nothing' is not in the register; give a document number or id"),
    "approve-unknown-document": (approving("nothing"), "'nothing' 不是手册中的文件;请写文件的 id,例如 editor",
                                 "'nothing' is no document of the handbook; give its id, e.g. editor"),
    "approve-unknown-id": (approving("staff", "staff-99"), "… 中没有条目 staff-99", "no record staff-99 in …"),
    # codeowners
    "owners-missing": (owners(None), "缺少 owners.yml;这个文件写明每个岗位 id 对应的 GitHub 用户或团队",
                       "owners.yml is missing; expected a mapping of role ids to GitHub users or teams"),
    "owners-syntax": (owners("a: [\n"), "不是有效的 YAML:…", "not valid YAML: …"),
    "owners-type": (owners("- a\n"), "应写成“岗位 id: 审核人列表”的形式", "expected a mapping of role ids to lists of reviewers"),
    "owners-handle": (owners("boss: [nobody]\n"), "'boss' 的审核人只能写 @用户、@组织/团队 或电子邮件地址",
                      "reviewers of 'boss' must be @user, @org/team or e-mail addresses"),
    "owners-unmapped": (unmapped, "岗位 'boss' 负责一些文件,但 .github/owners.yml 里没有给它指定审核人",
                        "role 'boss' owns documents but has no reviewers in .github/owners.yml"),
}


EXAMPLES.update(PEOPLE_EXAMPLES)  # people, acknowledgements and `acks import` (tests/messages_people.py)


def matches(expected: str, actual: str) -> bool:
    """Exact, except that … stands for text from outside (a temporary path, git's own words)."""
    return re.fullmatch(".+".join(map(re.escape, expected.split("…"))), actual, re.S) is not None


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_each_code_in_chinese_and_english(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    produce, chinese, english = EXAMPLES[code]
    found = [p for p in produce(tmp_path) if p is not None and p.code == code]
    assert found, f"the example of {code} gave no problem with that code"
    problem = found[0]
    assert matches(chinese, words(problem.phrase, "zh")), words(problem.phrase, "zh")
    assert matches(english, words(problem.phrase, "en")), words(problem.phrase, "en")
    assert problem.message == words(problem.phrase, "en")


# -- every code of the code base ------------------------------------------------------------------------------
def _callee(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)


def _code_arguments(call: ast.Call, positions: set[int]) -> list[ast.expr]:
    named = [k.value for k in call.keywords if k.arg == "code"]
    return named or [call.args[p] for p in sorted(positions) if p < len(call.args)]


def _makers(trees: list[ast.Module]) -> dict[str, set[int]]:
    """Problem, and every function that passes its parameter `code` on to one (by name and position)."""
    makers: dict[str, set[int]] = {"Problem": {3}, "Finding": {2}}  # Finding: a rule's finding (stages/people.py)
    grew = True
    while grew:
        grew = False
        for function in (node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
            names = [a.arg for a in function.args.posonlyargs + function.args.args]
            names = names[1:] if names[:1] in (["self"], ["cls"]) else names
            if "code" not in names or names.index("code") in makers.get(function.name, set()):
                continue
            if any(isinstance(call, ast.Call) and _callee(call) in makers and any(
                    isinstance(arg, ast.Name) and arg.id == "code" for arg in _code_arguments(call, makers[_callee(call)]))
                   for call in ast.walk(function)):
                makers.setdefault(function.name, set()).add(names.index("code"))
                grew = True
    return makers


def _is_code(arg: ast.expr) -> bool:
    """A code literal (kebab-case), an f-string that builds one (f"release-no-{key}"), or a helper's `code`."""
    def kebab(text: str) -> bool:
        return re.fullmatch(r"[a-z0-9-]*", text) is not None
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, str) and bool(arg.value) and kebab(arg.value)
    if isinstance(arg, ast.JoinedStr):
        return all(kebab(v.value) for v in arg.values if isinstance(v, ast.Constant))
    return isinstance(arg, ast.Name) and arg.id == "code"


def codes_in_the_code_base() -> dict[str, list[str]]:
    """Every code literal given to a Problem, directly or through a helper; an f-string code as a glob."""
    parsed_files = {path: ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")}
    makers = _makers(list(parsed_files.values()))
    found: dict[str, list[str]] = {}
    for path, tree in parsed_files.items():
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call) and _callee(node) in makers):
            code = next((arg for arg in _code_arguments(call, makers[_callee(call)]) if _is_code(arg)), None)
            if isinstance(code, ast.Constant):
                found.setdefault(code.value, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
            elif isinstance(code, ast.JoinedStr):
                glob = "".join(v.value if isinstance(v, ast.Constant) else "*" for v in code.values)
                found.setdefault(glob, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_code_of_the_code_base_has_both_languages_pinned() -> None:
    found = codes_in_the_code_base()
    assert len(found) >= 40, found  # the reading of the code still finds the codes
    unpinned = {code: places for code, places in found.items() if not fnmatch.filter(EXAMPLES, code)}
    unused = sorted(code for code in EXAMPLES if not any(fnmatch.fnmatchcase(code, c) for c in found))
    assert not unpinned, f"codes without an example in both languages (add them to EXAMPLES): {unpinned}"
    assert not unused, f"examples of codes no module uses any more: {unused}"


def test_problems_are_given_phrases_not_text() -> None:
    """A Problem's message is a phrase of the catalog (or a value holding one), never a string or an f-string."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")}
    makers = _makers(list(trees.values()))
    plain = []
    for path, tree in trees.items():
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call) and _callee(node) in makers):
            position = next((p for p in sorted(makers[_callee(call)]) if p < len(call.args)
                             and _is_code(call.args[p])), None)
            message = call.args[position + 1] if position is not None and position + 1 < len(call.args) else None
            if isinstance(message, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(message, ast.Constant) and isinstance(message.value, str)):
                plain.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not plain, f"messages written as plain text (use phrase(...)): {sorted(set(plain))}"


def test_every_phrase_is_a_literal_english_msgid() -> None:
    """`make messages` can only extract literals; msgids are English, their Chinese lives in the catalog."""
    not_literal, chinese = [], []
    for path in PACKAGE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and _callee(call) == "phrase" and path.name != "messages.py":
                first = call.args[0] if call.args else None
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    not_literal.append(where)
                elif HAN.search(first.value):
                    chinese.append(where)
    assert not not_literal and not chinese, (not_literal, chinese)


# -- the catalogs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("domain", [MESSAGES, SCHEMA])
def test_catalog_is_complete(domain: str) -> None:
    left = {kind: ids for kind, ids in gaps(domain).items() if ids}
    assert not left, f"run `make messages`, then translate: {left}"


def test_translations_keep_the_placeholders() -> None:
    """A translation may leave out the parser's English detail, but never asks for a value the code does not give,
    and keeps number formats (1,000,000)."""
    may_drop = {"{opener} opened here is never closed ({problem} on line {line}); close it, or write the value "
                "without it": {"problem"}}
    for message in read_catalog(MESSAGES):
        if not message.id or not message.string or message.fuzzy:  # test_catalog_is_complete says so
            continue
        source, target = placeholders(message.id), placeholders(message.string)
        assert target <= source, message.id
        assert source - target <= may_drop.get(message.id, set()), message.id
        specs = set(re.findall(r"\{[a-z_]+:[^}]*\}", message.id))
        assert specs == set(re.findall(r"\{[a-z_]+:[^}]*\}", message.string)), message.id
        message.string.format(**{name: 1000 for name in source})


def test_chinese_is_chinese_and_english_is_english() -> None:
    """A Chinese message that says something in words says it in Chinese; every schema text is Chinese (the
    English msgids are checked in the code, test_every_phrase_is_a_literal_english_msgid)."""
    for message in read_catalog(MESSAGES):
        if not message.id or not message.string:
            continue
        words_of_it = re.sub(r"\{[^}]*\}|'[^']*'|`[^`]*`|--?[a-z][a-z-]*|\$\w+", "", message.id)
        if re.search(r"\b[a-z]{4,}\b", words_of_it):
            assert HAN.search(message.string), (message.id, message.string)
    for message in read_catalog(SCHEMA):
        if message.id:
            assert HAN.search(message.id), message.id


def test_one_problem_prints_in_either_language() -> None:
    problem = validated(ROLE.replace("    text: 负责网页设计\n", ""))(Path("."))[0]
    assert format_text(problem, "zh") == ("data/x.yml:6:5: 错误:缺少必填字段 text(职责原文;有子项时写到冒号为止)(位置 "
                                          "duties[0]) [missing-key]")
    assert format_text(problem, "en") == ("data/x.yml:6:5: error: missing required key 'text' (The duty as written; "
                                          "with sub-duties, the part up to and including the colon) (at duties[0]) "
                                          "[missing-key]")
    warning = Problem("data/x.yml", 0, 0, "owners-unmapped", problem.phrase, Severity.WARNING)
    assert format_text(warning, "zh").startswith("data/x.yml: 警告:") and " warning: " in format_text(warning, "en")


def test_phrases_refuse_values_they_do_not_name() -> None:
    with pytest.raises(ValueError):
        Phrase("unknown role '{id}'", (("role", "x"),))


# -- packaging --------------------------------------------------------------------------------------------------
def test_no_compiled_catalog_is_committed() -> None:
    """The .po files are read as they are (compiled in memory): a fresh clone needs no build step."""
    assert not list((PACKAGE / "locale").rglob("*.mo"))
    tracked = subprocess.run(["git", "ls-files", "--others", "--cached", "--exclude-standard", "generator/locale"],
                             cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert {"generator/locale/zh_CN/LC_MESSAGES/messages.po", "generator/locale/en/LC_MESSAGES/schema.po"} <= set(tracked)


def test_an_install_carries_the_catalogs(tmp_path: Path) -> None:
    """What `pip install .` copies into site-packages (setuptools' build_py, with pyproject.toml's package data):
    the package with its catalogs and schemas."""
    result = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                             "-d", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()}
    assert {"generator/locale/zh_CN/LC_MESSAGES/messages.po", "generator/locale/en/LC_MESSAGES/schema.po",
            "generator/schemas/role.json", "generator/stages/messages.py"} <= names


def test_code_extraction_sees_nested_phrases() -> None:
    """Phrases used as values of other phrases are in the catalog too (e.g. the kinds of record)."""
    ids = {message.id for message in code_messages()}
    assert {"checklist", " (at {path})", "{where}: {severity}: {message} [{code}]"} <= ids
