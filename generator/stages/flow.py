"""Stage 3, the flow of a procedure: how its steps lead on (a decision's branches, an action's next step, its
ends), who answers for each step (RACI), and the checks that span a procedure's steps.

A plain list of actions still means "one after another": an action without `next` or `back_to` leads to the
step below it, and the last one to the procedure's default end (DEFAULT_END, named or not in `ends`).

Checks, each reported at its place, all in one run (the schema has already said whether a step is an action or a
decision): a decision has two or more branches; every branch leads to a step or end of the procedure; every step
and end can be reached from the first step; every path reaches an end; the flow comes round again only through a
loop marked with `back_to`; one accountable role per step; the actor of a step has a duty its basis names; a
checklist used by a step is owned by a role that takes part in the procedure.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from .load import SourceDoc
from .messages import NOTHING, Phrase, phrase
from .model import DEFAULT_END, Branch, Checklist, End, Procedure, Role, Step
from .problems import Problem, did_you_mean

Path_ = tuple[Any, ...]
RACI_KEYS = ("accountable", "consulted", "informed")


# -- reading the flow from a procedure's data -------------------------------------------------------------
def is_decision(raw: dict[str, Any]) -> bool:
    return "question" in raw


def step_flow(data: dict[str, Any], index: int) -> dict[str, Any]:
    """The flow fields of step `index` of a procedure's data, as keyword arguments of Step."""
    raw = data["steps"][index]
    accountable = raw.get("accountable", raw["actor"])
    return {"branches": tuple(_branches(data, index)), "decision": is_decision(raw),
            "accountable": accountable if isinstance(accountable, str) else accountable[0],
            "consulted": tuple(raw.get("consulted", ())), "informed": tuple(raw.get("informed", ()))}


def _branches(data: dict[str, Any], index: int) -> Iterator[Branch]:
    raw, steps = data["steps"][index], data["steps"]
    if is_decision(raw):
        for branch in raw.get("branches", ()):
            back = "back_to" in branch and "to" not in branch
            yield Branch(branch.get("to", branch.get("back_to", "")), branch["when"], back)
    elif "back_to" in raw and "next" not in raw:
        yield Branch(raw["back_to"], back=True)
    elif "next" in raw:
        yield Branch(raw["next"])
    else:
        yield Branch(steps[index + 1]["id"] if index + 1 < len(steps) else DEFAULT_END)


def ends_of(data: dict[str, Any], steps: Iterable[Step]) -> tuple[End, ...]:
    """The ends the data names, then the default end when a step leads to it and the data does not name it."""
    named = tuple(End(raw["id"], raw["title"], raw.get("procedure")) for raw in data.get("ends", ()))
    reached = any(branch.to == DEFAULT_END for step in steps for branch in step.branches)
    if reached and DEFAULT_END not in {end.id for end in named}:
        return (*named, End(DEFAULT_END, None))
    return named


def role_refs(raw: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """(path below the step, role id) of every role a step names besides its actor, to check they exist."""
    for key in RACI_KEYS:
        value = raw.get(key)
        if isinstance(value, str):
            yield (key,), value
        for index, ident in enumerate(value if isinstance(value, list) else ()):
            yield (key, index), ident


# -- the checks ----------------------------------------------------------------------------------------------
class _Check:
    """The checks of one procedure, with the places its problems are reported at."""

    def __init__(self, doc: SourceDoc, procedure: Procedure) -> None:
        self.doc, self.procedure, self.problems = doc, procedure, []
        self.raw_steps: list[dict[str, Any]] = doc.data["steps"]
        self.index = {step.id: n for n, step in enumerate(procedure.steps)}

    def problem(self, path: Path_, code: str, message: Phrase, key: bool = False) -> None:
        line, column = self.doc.marks.key(path) if key else self.doc.marks.value(path)
        self.problems.append(Problem(self.doc.path, line, column, code, message))

    def edges(self) -> Iterator[tuple[Step, Branch, Path_ | None]]:
        """Every way on from every step, with the place it is written (None: the step below, by default)."""
        for n, (step, raw) in enumerate(zip(self.procedure.steps, self.raw_steps)):
            for m, branch in enumerate(step.branches):
                yield step, branch, _edge_path(n, m, raw)

    def number(self, ident: str) -> int:
        return self.index[ident] + 1


def _edge_path(n: int, m: int, raw: dict[str, Any]) -> Path_ | None:
    if is_decision(raw):
        branch = raw["branches"][m]
        return ("steps", n, "branches", m, "to" if "to" in branch else "back_to")
    for key in ("back_to", "next"):
        if key in raw:
            return ("steps", n, key)
    return None


def check_procedures(procedures: Iterable[Procedure], docs: Iterable[SourceDoc], roles: Iterable[Role],
                     checklists: Iterable[Checklist], defined: Iterable[str],
                     elsewhere: Iterable[str]) -> list[Problem]:
    """Every flow check of every procedure (docs: the procedures' files, in the same order). `defined`: every id
    of the handbook, so that a basis naming an unknown id (reported as such) is not checked again; `elsewhere`:
    the ids of files that could not be built, which may name procedures."""
    procedures, elsewhere = tuple(procedures), set(elsewhere)
    known = set(defined) | elsewhere
    duties = {role.id: set(duty_ids(role)) for role in roles}
    owners = {c.id: c.control.owner for c in checklists}
    problems: list[Problem] = []
    for procedure, doc in zip(procedures, docs):
        check = _Check(doc, procedure)
        _check_shapes(check)
        _check_ends(check, {p.id for p in procedures} | elsewhere)
        shaped = not check.problems  # a broken step says nothing sure about where the flow goes
        if _check_targets(check) and shaped:
            _check_loops(check)
            _check_reach(check)
        _check_raci(check, duties, owners, known)
        problems += check.problems
    return problems


def duty_ids(role: Role) -> Iterator[str]:
    """The ids a step's basis may name to say it carries out a duty of `role`: the role, its groups and duties."""
    yield role.id
    for group in role.groups:
        if group.id:
            yield group.id
        stack = list(group.duties)
        while stack:
            duty = stack.pop()
            yield duty.id
            stack.extend(duty.items)


def _check_shapes(check: _Check) -> None:
    """What the schema leaves open: a decision's branches (two or more, each with one way), an action's one way
    on. (Whether a step is an action or a decision, and which keys each has, the schema says.)"""
    for n, raw in enumerate(check.raw_steps):
        here = ("steps", n)
        if is_decision(raw):
            _check_decision(check, here, raw)
        elif "next" in raw and "back_to" in raw:
            check.problem(here + ("back_to",), "flow-shape", phrase("write either 'next' or 'back_to', not both"),
                          key=True)


def _check_decision(check: _Check, here: Path_, raw: dict[str, Any]) -> None:
    branches = raw["branches"]
    if len(branches) < 2:
        check.problem(here + ("branches",), "flow-shape",
                      phrase("a decision needs two or more branches; with one way on, make it an action"))
    for m, branch in enumerate(branches):
        if ("to" in branch) == ("back_to" in branch):
            check.problem(here + ("branches", m), "flow-shape",
                          phrase("a branch leads either 'to' a step or end, or 'back_to' an earlier step: write "
                                 "one of them"))


def _check_ends(check: _Check, procedures: set[str]) -> None:
    seen = {step.id: ("steps", n, "id") for n, step in enumerate(check.procedure.steps)}
    for n, raw in enumerate(check.doc.data.get("ends", ())):
        here = ("ends", n)
        if raw["id"] in seen:
            line, _ = check.doc.marks.value(seen[raw["id"]])
            check.problem(here + ("id",), "flow-shape",
                          phrase("'{id}' already names a step or end of this procedure (line {line}); give this end "
                                 "an id of its own", id=raw["id"], line=line))
        seen.setdefault(raw["id"], here + ("id",))
        other = raw.get("procedure")
        if other is not None and other not in procedures:
            check.problem(here + ("procedure",), "flow-target",
                          phrase("unknown procedure '{id}'{hint}", id=other,
                                 hint=did_you_mean(other, sorted(procedures))))


def _check_targets(check: _Check) -> bool:
    """Every way on leads to a step or end of this procedure; back_to to an earlier step. True when all do."""
    nodes, fine = check.procedure.nodes, True
    for step, branch, path in check.edges():
        if branch.to not in nodes:
            fine = False
            check.problem(path, "flow-target", phrase("no step or end '{id}' in this procedure{hint}", id=branch.to,
                                                      hint=did_you_mean(branch.to, nodes)))
        elif branch.back and (branch.to not in check.index or check.index[branch.to] > check.index[step.id]):
            fine = False
            check.problem(path, "flow-shape",
                          phrase("'back_to' returns to this or an earlier step; '{id}' is not one: write 'to' "
                                 "(or 'next') for a way forward", id=branch.to))
    return fine


def _check_loops(check: _Check) -> None:
    """The flow may come round to a step again only through a marked loop (back_to): without the back_to ways,
    the steps form no cycle. Each way that closes an unmarked cycle is reported."""
    forward: dict[str, list[tuple[Branch, Path_ | None, int]]] = {}
    for step, branch, path in check.edges():
        if not branch.back and branch.to in check.index:
            forward.setdefault(step.id, []).append((branch, path, check.index[step.id]))
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(ident: str) -> None:
        state[ident] = 1
        for branch, path, n in forward.get(ident, ()):
            if state.get(branch.to) == 1:
                target = check.index[branch.to]
                check.problem(path or ("steps", n, "id"), "flow-loop",
                              phrase("leads back to step {number} without marking the loop: write 'back_to: {id}' "
                                     "if the flow returns there on purpose, else lead it to a later step or an end",
                                     number=target + 1, id=branch.to))
            elif branch.to not in state:
                visit(branch.to)
        state[ident] = 2

    for step in check.procedure.steps:
        if step.id not in state:
            visit(step.id)


def _graph(procedure: Procedure) -> dict[str, list[str]]:
    return {step.id: [b.to for b in step.branches if b.to in procedure.nodes] for step in procedure.steps}


def _reach(graph: dict[str, list[str]], starts: Iterable[str]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _check_reach(check: _Check) -> None:
    procedure = check.procedure
    graph = _graph(procedure)
    reached = _reach(graph, [procedure.steps[0].id])
    covered: set[str] = set()
    for n, step in enumerate(procedure.steps):
        if step.id not in reached and step.id not in covered:
            covered |= _reach(graph, [step.id])
            check.problem(("steps", n, "id"), "flow-unreachable",
                          phrase("step {number} cannot be reached from step 1: no step or branch leads to it",
                                 number=n + 1))
    for n, raw in enumerate(check.doc.data.get("ends", ())):
        if raw["id"] not in reached | covered:
            check.problem(("ends", n, "id"), "flow-unreachable",
                          phrase("no step leads to end '{id}': lead a step or branch to it, or remove it",
                                 id=raw["id"]))
    _check_endless(check, graph, reached)


def _check_endless(check: _Check, graph: dict[str, list[str]], reached: set[str]) -> None:
    """Every step reached from the start has a path to an end (a loop must have a way out)."""
    ends = {end.id for end in check.procedure.ends}
    backwards: dict[str, list[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            backwards.setdefault(target, []).append(source)
    finishing = _reach(backwards, ends)
    trapped = [step for step in check.procedure.steps if step.id in reached and step.id not in finishing]
    if trapped:
        numbers = "、".join(str(check.number(step.id)) for step in trapped)
        check.problem(("steps", check.index[trapped[0].id], "id"), "flow-endless",
                      phrase("no path from step {number} reaches an end: steps {numbers} only lead to one another; "
                             "give one of them a branch to a later step or an end",
                             number=check.number(trapped[0].id), numbers=numbers))


def _check_raci(check: _Check, duties: dict[str, set[str]], owners: dict[str, str | None], known: set[str]) -> None:
    takes_part = set(check.procedure.roles)
    for n, (step, raw) in enumerate(zip(check.procedure.steps, check.raw_steps)):
        named = raw.get("accountable")
        if isinstance(named, list) and len(named) > 1:
            check.problem(("steps", n, "accountable"), "flow-accountable",
                          phrase("a step has exactly one accountable role; this one names {count} ({roles}): keep "
                                 "the one who answers for the result", count=len(named), roles=", ".join(named)))
        if "basis" in raw and step.actor in duties and set(step.basis) <= known:
            _check_duty(check, n, step, duties)
        owner = owners.get(step.checklist or "")
        if owner and owner not in takes_part:
            check.problem(("steps", n, "checklist"), "flow-checklist",
                          phrase("checklist '{checklist}' is owned by '{owner}', who takes no part in this "
                                 "procedure: use a checklist of a role that does, or give '{owner}' a part in the "
                                 "step (consulted or informed)", checklist=step.checklist, owner=owner))


def _check_duty(check: _Check, n: int, step: Step, duties: dict[str, set[str]]) -> None:
    """A role of the department carries out its own duties; a role outside it (no duties of its own, e.g. the
    warehouse) is not held to this."""
    own = duties[step.actor]
    if own == {step.actor} or own & set(step.basis):
        return
    others = [f"{ident} ({role})" for ident in step.basis for role, ids in duties.items()
              if ident in ids and role != step.actor]
    found = phrase(" (it names duties of other roles: {others})", others=", ".join(others)) if others else NOTHING
    check.problem(("steps", n, "basis"), "flow-duty",
                  phrase("the basis names no duty of '{actor}', who carries out this step{found}: add the duty of "
                         "'{actor}' it carries out, or make the role whose duty it is the actor",
                         actor=step.actor, found=found))
