"""schema.py: each kind of schema error, reported at the right place and in words an editor can act on."""
from __future__ import annotations

from generator.stages.load import SourceDoc, clean_data
from generator.stages.schema import validate_doc

ROLE = """\
id: designer
title: 设计师
department: 网络技术部
status: approved
duties:
  - id: designer-1
    text: 负责网页设计
"""


def _problems(text: str, kind: str = "role") -> list[tuple[int, int, str, str]]:
    doc = SourceDoc(kind, "data/roles/designer.yml", "roles/designer.yml", clean_data(text), text)
    return sorted((p.line, p.column, p.code, p.message) for p in validate_doc(doc))


def test_valid_role_has_no_problem() -> None:
    assert _problems(ROLE) == []


def test_unknown_key_points_at_the_key_and_suggests_the_right_one() -> None:
    assert _problems(ROLE + "qualificatons:\n  items: [本科]\n") == [
        (8, 1, "unknown-key", "unknown key 'qualificatons' (did you mean 'qualifications'?)")]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    ((line, column, code, message),) = _problems(ROLE.replace("    text:", "    zzz: 1\n    text:"))
    assert (line, column, code) == (7, 5, "unknown-key")
    assert message.startswith("unknown key 'zzz'; expected one of: id, text, status, basis")
    assert message.endswith("(at duties[0])")


def test_missing_key_is_reported_at_its_parent_with_what_it_is_for() -> None:
    assert _problems(ROLE.replace("title: 设计师\n", "")) == [
        (1, 1, "missing-key", "missing required key 'title' (岗位名称)")]


def test_wrong_type_says_what_was_found() -> None:
    assert _problems(ROLE.replace("title: 设计师", "title: [设计师]")) == [
        (2, 8, "wrong-type", "expected text, found a list (at title)")]
    assert _problems(ROLE.replace("title: 设计师", "title: 3.5")) == [
        (2, 8, "wrong-type", "expected text, found the number 3.5 (put it in quotes to make it text) (at title)")]


def test_enum_lists_the_allowed_values_and_suggests() -> None:
    assert _problems(ROLE.replace("status: approved", "status: aproved")) == [
        (4, 9, "bad-value", "'aproved' is not allowed (did you mean 'approved'?); expected one of: approved, draft "
                            "(at status)")]


def test_bad_id_explains_the_format_with_an_example() -> None:
    ((line, column, code, message),) = _problems(ROLE.replace("id: designer-1", "id: Designer 1"))
    assert (line, column, code) == (6, 9, "bad-format")
    assert "'Designer 1' is not valid: Stable ASCII slug" in message and "(e.g. 'cs-presale-3')" in message


def test_duties_and_duty_groups_are_exclusive() -> None:
    text = ROLE + "duty_groups:\n  - id: g\n    title: 售前\n    duties:\n      - id: g-1\n        text: x\n"
    assert [p[2] for p in _problems(text)] == ["exclusive-keys"]


def test_every_error_of_a_file_is_reported() -> None:
    text = ROLE.replace("status: approved", "status: ok").replace("title: 设计师\n", "") + "extra: 1\n"
    assert [p[2] for p in _problems(text)] == ["missing-key", "bad-value", "unknown-key"]


def _mutations(value: object) -> list[object]:
    """Each value of a document replaced in turn by a wrong one, and each mapping key dropped or misspelt."""
    found: list[object] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append({k: v for k, v in value.items() if k != key})
            found.append({**{k: v for k, v in value.items() if k != key}, key + "x": item})
            found += [{**value, key: wrong} for wrong in (1, True, None, [], {}, "Bad Id", "")]
            found += [{**value, key: changed} for changed in _mutations(item)[:6]]
    elif isinstance(value, list) and value:
        found += [[*value, value[0]], []]
        found += [[changed, *value[1:]] for changed in _mutations(value[0])[:6]]
    return found


def test_the_compiled_fast_path_agrees_with_jsonschema_on_real_and_broken_documents() -> None:
    from pathlib import Path

    from generator.stages.load import load_sources
    from generator.stages.schema import _fast_validator, _validator

    docs, problems = load_sources(Path(__file__).parent.parent / "data")
    assert docs and not problems
    checked = 0
    for doc in docs:
        for variant in [doc.data, *_mutations(doc.data)]:
            slow_ok = not any(True for _ in _validator(doc.kind).iter_errors(variant))
            try:
                _fast_validator(doc.kind)(variant)
                fast_ok = True
            except Exception:  # noqa: BLE001 - any refusal counts as "no"
                fast_ok = False
            assert fast_ok == slow_ok, (doc.path, variant)
            checked += 1
    assert checked > 2000
