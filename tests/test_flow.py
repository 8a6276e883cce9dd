"""flow.py and diagram.py: how a procedure's steps lead on (decisions, branches, ends, RACI), the checks of that
flow at their exact places, and the swimlane layout of every procedure of data/.

Checks run on the small valid handbook of tests/corpus/_base with its procedure replaced by a few lines of YAML.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA
from generator import pipeline
from generator.stages.diagram import Chart, Node, text_width, wrap
from generator.stages.model import DEFAULT_END, Branch, End

BASE = Path(__file__).parent / "corpus" / "_base"
HEAD = "id: work\ntitle: 日常工作\nstatus: draft\nbasis: [boss-1]\ntrigger: 每个工作日。\nsteps:\n"
ARRANGE = "  - id: work-1\n    actor: boss\n    action: 安排当天的工作。\n    basis: [boss-1]\n"
"""Lines 7 to 10 of every procedure below: its first step."""


def check(tmp_path: Path, body: str, **files: str):
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    (data / "procedures" / "work.yml").write_text(HEAD + ARRANGE + body, encoding="utf-8")
    for rel, text in files.items():
        (data / rel.replace("__", "/")).write_text(text, encoding="utf-8")
    return pipeline.check(data)


def places(tmp_path: Path, body: str, **files: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in check(tmp_path, body, **files).problems]


DECIDE = ("  - id: work-2\n    actor: boss\n    question: 有加急的工作吗?\n    basis: [boss-1]\n"
          "    branches:\n      - when: 有\n        to: work-3\n      - when: 没有\n        to: plain\n"
          "  - id: work-3\n    actor: staff\n    action: 先做加急的工作。\n    basis: [staff-1]\n"
          "    accountable: boss\n    consulted: [gm]\n    next: urgent\n"
          "ends:\n  - id: urgent\n    title: 加急完成\n  - id: plain\n    title: 照常完成\n")


# -- reading the flow ------------------------------------------------------------------------------------------
def test_a_plain_list_of_actions_is_one_step_after_another(tmp_path: Path) -> None:
    checked = check(tmp_path, "  - id: work-2\n    actor: staff\n    action: 完成工作。\n    basis: [staff-1]\n")
    assert checked.ok, checked.problems
    work = checked.handbook.procedures[0]
    assert [s.branches for s in work.steps] == [(Branch("work-2"),), (Branch(DEFAULT_END),)]
    assert work.ends == (End(DEFAULT_END, None),)
    assert [s.accountable for s in work.steps] == ["boss", "staff"]


def test_a_decision_has_labelled_branches_and_named_ends(tmp_path: Path) -> None:
    checked = check(tmp_path, DECIDE)
    assert checked.ok, checked.problems
    work = checked.handbook.procedures[0]
    decision = work.steps[1]
    assert decision.decision and decision.action == "有加急的工作吗?"
    assert decision.branches == (Branch("work-3", "有"), Branch("plain", "没有"))
    assert [e.title for e in work.ends] == ["加急完成", "照常完成"]  # no default end: nothing falls through
    assert (work.part("boss"), work.part("staff"), work.part("gm")) == ("RA", "R", "C")  # A: for staff's step 3
    assert work.steps_as("boss", "A") == (work.steps[2],) and work.steps[2].part("boss") == "A"
    assert work.steps[0].part("boss") == "RA"  # an actor answers for its own step
    assert work.roles == ("boss", "staff", "gm") and work.actors == ("boss", "staff")


def test_a_role_named_for_raci_must_exist(tmp_path: Path) -> None:
    assert places(tmp_path, DECIDE.replace("consulted: [gm]", "consulted: [gmm]")) == [(25, 17, "unknown-ref")]


# -- the checks, each at its place -------------------------------------------------------------------------------
def test_a_branch_to_nowhere(tmp_path: Path) -> None:
    assert places(tmp_path, DECIDE.replace("to: plain", "to: plan")) == [(19, 13, "flow-target")]
    assert check(tmp_path / "b", DECIDE.replace("to: plain", "to: plan")).problems[0].message == (
        "no step or end 'plan' in this procedure (did you mean 'plain'?)")


def test_a_step_no_way_leads_to(tmp_path: Path) -> None:
    body = DECIDE.replace("to: work-3", "to: plain")
    assert places(tmp_path, body) == [(20, 9, "flow-unreachable")]  # the end only it leads to counts with it


def test_an_end_that_nothing_reaches_and_a_later_unreachable_step_count_once(tmp_path: Path) -> None:
    body = ("  - id: work-2\n    actor: staff\n    action: 完成工作。\n    basis: [staff-1]\n    next: done\n"
            "  - id: work-3\n    actor: staff\n    action: 收尾。\n    basis: [staff-1]\n")
    assert places(tmp_path, body) == [(16, 9, "flow-unreachable")]  # work-3 only; the end after it is its own


def test_a_loop_without_way_out(tmp_path: Path) -> None:
    body = "  - id: work-2\n    actor: staff\n    action: 完成工作。\n    basis: [staff-1]\n    back_to: work-1\n"
    assert places(tmp_path, body) == [(7, 9, "flow-endless")]


def test_a_loop_must_be_marked(tmp_path: Path) -> None:
    body = DECIDE.replace("to: plain", "to: work-1")
    assert places(tmp_path, body) == [(19, 13, "flow-loop"), (30, 9, "flow-unreachable")]
    marked = DECIDE.replace("    next: urgent\n", "    back_to: work-2\n").replace("to: plain", "to: urgent")
    assert places(tmp_path / "marked", marked.replace("  - id: plain\n    title: 照常完成\n", "")) == []


def test_going_back_without_a_cycle_is_no_loop(tmp_path: Path) -> None:
    """1 → 3 → 2 → end: the flow goes back up the list, but never round."""
    first = ARRANGE.replace("    basis: [boss-1]\n", "    basis: [boss-1]\n    next: work-3\n")
    body = ("  - id: work-2\n    actor: staff\n    action: 完成工作。\n    basis: [staff-1]\n    next: done\n"
            "  - id: work-3\n    actor: staff\n    action: 补做。\n    basis: [staff-1]\n    next: work-2\n")
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    (data / "procedures" / "work.yml").write_text(HEAD + first + body, encoding="utf-8")
    checked = pipeline.check(data)
    assert checked.ok, checked.problems
    assert [b.to for s in checked.handbook.procedures[0].steps for b in s.branches] == ["work-3", "done", "work-2"]


def test_one_accountable_role(tmp_path: Path) -> None:
    body = DECIDE.replace("accountable: boss", "accountable: [boss, gm]")
    assert places(tmp_path, body) == [(24, 18, "flow-accountable")]


def test_the_actor_carries_out_a_duty_of_its_own(tmp_path: Path) -> None:
    assert places(tmp_path, DECIDE.replace("basis: [staff-1]", "basis: [boss-1, rule-1]")) == [(23, 12, "flow-duty")]
    worded = check(tmp_path / "words", DECIDE.replace("basis: [staff-1]", "basis: [boss-1, rule-1]"))
    assert worded.problems[0].message == ("the basis names no duty of 'staff', who carries out this step (it names duties of other roles: "
        "boss-1 (boss)): add the duty of 'staff' it carries out, or make the role whose duty it is the actor")
    # A role outside the department has no duties of its own to name; an unknown basis is reported once.
    outside = ARRANGE.replace("work-1", "work-0").replace("actor: boss", "actor: gm").replace("[boss-1]", "[rule-1]")
    assert places(tmp_path / "gm", outside + DECIDE) == []
    assert places(tmp_path / "unknown", DECIDE.replace("basis: [staff-1]", "basis: [staff-9]")) == [
        (23, 13, "unknown-ref")]


def test_a_checklist_of_a_role_outside_the_procedure(tmp_path: Path) -> None:
    owned = (BASE / "checklists" / "work-checklist.yml").read_text(encoding="utf-8") + "owner: gm\n"
    body = "  - id: work-2\n    actor: staff\n    action: 完成工作。\n    basis: [staff-1]\n    checklist: work-checklist\n"
    assert places(tmp_path / "a", body, **{"checklists__work-checklist.yml": owned}) == [(15, 16, "flow-checklist")]
    informed = body + "    informed: [gm]\n"
    assert places(tmp_path / "b", informed, **{"checklists__work-checklist.yml": owned}) == []


@pytest.mark.parametrize(("body", "expected"), [
    ("  - id: work-2\n    actor: boss\n    action: 做。\n    question: 好吗?\n    basis: [boss-1]\n"
     "    branches:\n      - {when: 好, to: done}\n      - {when: 不好, to: done}\n", [(13, 5, "unknown-key")]),
    ("  - id: work-2\n    actor: boss\n    basis: [boss-1]\n", [(11, 5, "missing-key")]),
    ("  - id: work-2\n    actor: boss\n    question: 好吗?\n    basis: [boss-1]\n", [(11, 5, "missing-key")]),
    ("  - id: work-2\n    actor: boss\n    question: 好吗?\n    basis: [boss-1]\n    branches:\n"
     "      - {when: 好, to: done}\n", [(16, 7, "flow-shape")]),
    ("  - id: work-2\n    actor: boss\n    question: 好吗?\n    basis: [boss-1]\n    branches:\n"
     "      - {when: 好, to: done}\n      - {when: 不好, to: done, back_to: work-1}\n", [(17, 9, "flow-shape")]),
    ("  - id: work-2\n    actor: boss\n    action: 做。\n    basis: [boss-1]\n    next: done\n    back_to: work-1\n",
     [(16, 5, "flow-shape")]),
    ("  - id: work-2\n    actor: boss\n    action: 做。\n    basis: [boss-1]\n    branches:\n"
     "      - {when: 好, to: done}\n", [(15, 5, "unknown-key")]),
    ("  - id: work-2\n    actor: boss\n    action: 做。\n    basis: [boss-1]\n    back_to: work-3\n"
     "  - id: work-3\n    actor: boss\n    action: 收尾。\n    basis: [boss-1]\n", [(15, 14, "flow-shape")]),
    ("  - id: work-2\n    actor: boss\n    action: 做。\n    basis: [boss-1]\nends:\n  - {id: work-2, title: 完}\n"
     "  - {id: done, title: 完成, procedure: wrok}\n", [(16, 10, "flow-shape"), (17, 38, "flow-target")]),
], ids=["action-and-question", "neither", "no-branches", "one-branch", "to-and-back", "next-and-back",
        "branches-on-an-action", "back-to-a-later-step", "end-ids"])
def test_the_shape_of_steps_and_ends(tmp_path: Path, body: str, expected: list[tuple[int, int, str]]) -> None:
    assert sorted(places(tmp_path, body)) == sorted(expected)


def test_every_problem_of_every_procedure_in_one_run(tmp_path: Path) -> None:
    body = (DECIDE.replace("to: plain", "to: plan").replace("accountable: boss", "accountable: [boss, gm]")
            .replace("basis: [staff-1]", "basis: [boss-1]"))
    other = (HEAD.replace("id: work\n", "id: other\n") + ARRANGE.replace("work-1", "other-1")
             + "  - id: other-2\n    actor: boss\n    action: 做。\n    basis: [boss-1]\n    back_to: other-1\n")
    register = (BASE / "register.yml").read_text(encoding="utf-8") + (
        "  - doc_no: T-LC-002\n    document: other\n    releases: []\n")
    found = places(tmp_path, body, **{"procedures__other.yml": other, "register.yml": register})
    assert sorted(code for *_, code in found) == ["flow-accountable", "flow-duty", "flow-endless", "flow-target"]


# -- the data: every procedure passes, and branches where it says it does ----------------------------------------
@pytest.fixture(scope="module")
def handbook():
    checked = pipeline.check(DATA)
    assert checked.ok, checked.problems
    return checked.handbook


BRANCHES = {
    "return-refund": {"未发货,买家申请仅退款", "已发货,买家要求退货退款或换货", "买家拒收,包裹退回", "是,换货"},
    "express-exception": {"地址或电话错误", "停滞或疑似丢件", "包裹破损", "买家拒收", "补发", "退款"},
    "web-publish": {"首页改版", "不涉及,部门经理终审即可", "涉及"},
    "bad-review": {"联系上,已解决", "联系不上,或未能解决", "是"},
    "presale-consult": {"售后问题", "已下单或付款", "暂不购买"},
}
"""Answers each procedure must offer (issue 13)."""


def test_the_procedures_branch_where_the_work_does(handbook) -> None:
    answers = {p.id: {b.when for s in p.steps for b in s.branches if b.when} for p in handbook.procedures}
    assert all(p.ends and any(s.decision for s in p.steps) for p in handbook.procedures)
    assert {pid: wanted - answers[pid] for pid, wanted in BRANCHES.items() if wanted - answers[pid]} == {}


def test_refunds_and_reshipping_are_the_managers_decision_only_where_it_is_his(handbook) -> None:
    procedures = {p.id: p for p in handbook.procedures}
    express = procedures["express-exception"]
    deciders = {s.actor for s in express.steps if any(b.when in {"补发", "退款"} for b in s.branches)}
    assert deciders == {"manager"}
    refund = procedures["return-refund"]
    refunding = next(s for s in refund.steps if s.id == "return-refund-9")
    reaching = {s.id for s in refund.steps if any(b.to == refunding.id for b in s.branches)}
    assert "return-refund-8" in reaching and reaching - {"return-refund-8"}  # also without the dispute step
    listing = procedures["new-listing"]
    checker = next(s for s in listing.steps if s.checklist == "listing-checklist")
    owner = next(c for c in handbook.checklists if c.id == "listing-checklist").control.owner
    assert checker.actor == owner


# -- the diagram -------------------------------------------------------------------------------------------------
def test_wrapping_keeps_every_character_and_breaks_where_chinese_may(handbook) -> None:
    text = "受理申请,核对订单、退换原因和凭证(如照片)。快递100"
    lines = wrap(text, 100)
    assert "".join(lines) == text and len(lines) > 1
    assert not any(line[0] in ",。、)" for line in lines)
    assert all(text_width(line.rstrip(",。、)")) <= 100 for line in lines)
    assert any("100" in line for line in lines)  # a number is never split


def _crosses(points: tuple[tuple[float, float], ...], node: Node) -> bool:
    """Whether a polyline runs through the inside of a node's box."""
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        if x1 == x2 and node.x + 1 < x1 < node.x + node.width - 1 and max(y1, y2) > node.y + 1 and \
                min(y1, y2) < node.bottom - 1:
            return True
        if y1 == y2 and node.y + 1 < y1 < node.bottom - 1 and max(x1, x2) > node.x + 1 and \
                min(x1, x2) < node.x + node.width - 1:
            return True
    return False


def test_every_diagram_has_aligned_lanes_and_arrows_that_never_cross_a_node(handbook) -> None:
    for procedure in handbook.procedures:
        chart: Chart = procedure.chart
        assert [lane.role for lane in chart.lanes] == list(procedure.actors), procedure.id
        assert all(a.x + a.width == b.x for a, b in zip(chart.lanes, chart.lanes[1:])), procedure.id
        nodes = {node.id: node for node in chart.nodes}
        assert len(chart.decisions) == sum(s.decision for s in procedure.steps)
        assert len(chart.ends) == len(procedure.ends)
        for arrow in chart.arrows:
            source, target = nodes[arrow.source], nodes[arrow.target]
            assert arrow.points[0] == (source.cx, source.bottom) and arrow.points[-1] == (target.cx, target.y)
            assert all(a[0] == b[0] or a[1] == b[1] for a, b in zip(arrow.points, arrow.points[1:]))
            assert arrow.points[-2][0] == target.cx and arrow.points[-2][1] < target.y, (procedure.id, arrow)
            crossed = [n.id for n in chart.nodes if n.id not in (arrow.source, arrow.target)
                       and _crosses(arrow.points, n)]
            assert not crossed, (procedure.id, arrow.source, arrow.target, crossed)
            assert all(p[1] > chart.title_height for p in arrow.points), (procedure.id, arrow)
        for step in procedure.steps:
            node = nodes[step.id]
            assert "".join(node.lines).replace(" ", "") == f"{step.number}.{step.action}".replace(" ", "")
            lane = chart.lanes[procedure.actors.index(step.actor)]
            assert lane.x < node.x and node.x + node.width < lane.x + lane.width
        rows = sorted(chart.nodes, key=lambda n: n.y)
        assert all(a.bottom < b.y for a, b in zip(rows, rows[1:])), procedure.id  # one node a row
        labels = sorted((a.label.text for a in chart.arrows if a.label))
        assert labels == sorted(b.when for s in procedure.steps for b in s.branches if b.when and b.to in nodes)
