"""Check that the regulation text in data/ is verbatim from the source (the seed).

The test parses tests/fixtures/seed.txt on its own (it does not use the generator
package) and compares every approved text in the YAML data with the seed,
character by character.
"""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed.txt"

START = "\n1、"  # first page marker, right before the body title
END = "当前文档最多预览五页"  # the hosting site's boilerplate starts here
ROLE_HEADINGS = [
    ("manager", "一、部门经理"),
    ("developer", "二、程序员"),
    ("designer", "三、设计师"),
    ("cs", "四、电商客服"),
]
DUTY_COUNTS = {"manager": 13, "developer": 9, "designer": 16, "cs": 9}


# ---------------------------------------------------------------- seed parsing
def seed_body():
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index(START) + len(START):text.index(END)]
    # Page markers of the web preview ("\n\n2、" ...) fall inside sentences.
    body = re.sub(r"\n\n\d+、", "", body).strip()
    assert "\n" not in body
    return body


def split_numbered(block):
    """Split '1.xxx2.yyy' into ['xxx', 'yyy'] (numbering may restart)."""
    parts = re.split(r"(?<![0-9])[0-9]{1,2}\.", block)
    assert parts[0] == ""
    return parts[1:]


def parse_seed():
    body = seed_body()
    head = "网络技术部管理制度第一章总则"
    assert body.startswith(head)
    ch2_mark = "第二章工作岗位职责"
    general = body[len(head):body.index(ch2_mark)]
    clauses = re.split(r"[一二三]、", general)
    assert clauses[0] == ""
    rest = body[body.index(ch2_mark) + len(ch2_mark):]
    ch2_intro = rest[:rest.index(ROLE_HEADINGS[0][1])]
    starts = [rest.index(h) for _, h in ROLE_HEADINGS]
    roles = {}
    for n, (rid, heading) in enumerate(ROLE_HEADINGS):
        end = starts[n + 1] if n + 1 < len(starts) else len(rest)
        block = rest[starts[n] + len(heading):end]
        intro = block[:block.index(":") + 1]
        duties_block = block[len(intro):]
        if rid == "cs":
            assert duties_block.startswith("售前:")
            duties_block = duties_block[len("售前:"):]
            # The preview is cut off right after the "售" of 售后.
            assert duties_block.endswith(";售")
            duties_block = duties_block[:-1]
        roles[rid] = {"intro": intro, "duties": split_numbered(duties_block)}
    return {"clauses": clauses[1:], "ch2_intro": ch2_intro, "roles": roles}


SEED_DATA = parse_seed()


# ---------------------------------------------------------------- data loading
def load(rel):
    with open(DATA / rel, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def role_duties(role):
    """Return the role's duty list (flattening duty groups) with effective status/basis."""
    out = []
    rstatus, rbasis = role["status"], role.get("basis")

    def add(duties, status, basis, group):
        for d in duties:
            ds, db = d.get("status", status), d.get("basis", basis)
            items = [
                dict(it, status=it.get("status", ds), basis=it.get("basis", db))
                for it in d.get("items", [])
            ]
            out.append(dict(d, status=ds, basis=db, items=items, group=group))

    if "duties" in role:
        add(role["duties"], rstatus, rbasis, None)
    for g in role.get("duty_groups", []):
        add(g["duties"], g.get("status", rstatus), g.get("basis", rbasis), g["id"])
    return out


def full_text(duty):
    return duty["text"] + "".join(it["text"] for it in duty["items"])


def seed_duties_of(rid):
    role = load(f"roles/{rid}.yml")
    duties = role_duties(role)
    if rid == "cs":
        duties = [d for d in duties if d["group"] == "cs-presale"]
    return duties


# ---------------------------------------------------------------- tests
def test_seed_parse_counts():
    counts = {rid: len(r["duties"]) for rid, r in SEED_DATA["roles"].items()}
    assert counts == DUTY_COUNTS
    assert len(SEED_DATA["clauses"]) == 3


def test_general_clauses_verbatim():
    chapter = load("regulation/01-general.yml")
    assert chapter["status"] == "approved"
    texts = [c["text"] for c in chapter["clauses"]]
    assert [c["id"] for c in chapter["clauses"]] == ["general-purpose", "general-principle", "general-scope"]
    assert texts == SEED_DATA["clauses"]
    for c in chapter["clauses"]:
        assert c.get("status", "approved") == "approved"


def test_duties_chapter_intro_verbatim():
    chapter = load("regulation/02-duties.yml")
    assert chapter["status"] == "approved"
    assert chapter["intro"] == SEED_DATA["ch2_intro"]
    assert [c["role"] for c in chapter["clauses"]] == ["manager", "developer", "designer", "cs", "editor"]


@pytest.mark.parametrize("rid", [r for r, _ in ROLE_HEADINGS])
def test_role_intro_verbatim(rid):
    role = load(f"roles/{rid}.yml")
    assert role["status"] == "approved"
    assert role["intro"] == SEED_DATA["roles"][rid]["intro"]


@pytest.mark.parametrize("rid", [r for r, _ in ROLE_HEADINGS])
def test_role_duties_verbatim(rid):
    duties = seed_duties_of(rid)
    expected = SEED_DATA["roles"][rid]["duties"]
    assert len(duties) == DUTY_COUNTS[rid]
    for n, (duty, seed_text) in enumerate(zip(duties, expected), 1):
        assert full_text(duty) == seed_text, f"{duty['id']} (seed duty {n}) differs from the seed"
        prefix = "cs-presale" if rid == "cs" else rid
        assert duty["id"] == f"{prefix}-{n}"
        if duty["items"]:
            # sub-duties: the head ends with the colon, each item with its own punctuation
            assert duty["text"].endswith(":")
            for k, it in enumerate(duty["items"], 1):
                assert it["id"] == f"{duty['id']}-{k}"
                assert it["text"][-1] in ";。"


def test_manager_and_designer_counts():
    assert len(seed_duties_of("manager")) == 13
    assert len(seed_duties_of("designer")) == 16


def test_split_duties():
    manager = {d["id"]: d for d in seed_duties_of("manager")}
    split = {i for i, d in manager.items() if d["items"]}
    assert split == {f"manager-{n}" for n in (7, 8, 9, 10, 11, 13)}
    designer = {d["id"]: d for d in seed_duties_of("designer")}
    assert [i for i, d in designer.items() if d["items"]] == ["designer-16"]
    cs = {d["id"]: d for d in seed_duties_of("cs")}
    assert not cs["cs-presale-3"]["items"]


def test_nothing_from_seed_is_draft():
    for rel in ("regulation/01-general.yml", "regulation/02-duties.yml"):
        assert load(rel)["status"] == "approved"
    for rid, _ in ROLE_HEADINGS:
        role = load(f"roles/{rid}.yml")
        assert role["status"] == "approved"
        for duty in seed_duties_of(rid):
            assert duty["status"] == "approved", duty["id"]
            for it in duty["items"]:
                assert it["status"] == "approved", it["id"]
    cs = load("roles/cs.yml")
    presale = [g for g in cs["duty_groups"] if g["id"] == "cs-presale"][0]
    assert presale["title"] == "售前"
    assert presale.get("status", cs["status"]) == "approved"


def test_added_duties_are_draft_with_basis():
    cs = load("roles/cs.yml")
    after = [d for d in role_duties(cs) if d["group"] == "cs-aftersale"]
    editor = role_duties(load("roles/editor.yml"))
    assert after and editor
    for duty in after + editor:
        assert duty["status"] == "draft", duty["id"]
        assert duty["basis"], duty["id"]
    assert all(d["id"].startswith("cs-aftersale-") for d in after)
    assert all(d["id"].startswith("editor-") for d in editor)
