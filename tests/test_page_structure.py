"""Every page of the real built site, parsed with a real HTML parser, held against the data (see pagecheck.py).

The first test judges the site that `mkdocs build --strict` makes of data/. The others run the same checker on a
small hand-written site of a small data tree: it passes when the HTML is right, and each deliberate break of it
(a list collapsed into paragraphs, leaked Markdown, a wrong title, …) is reported — so no check can pass vacuously.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

from conftest import DATA
from generator import pipeline
from pagecheck import Problem, check_site, find_problems

if TYPE_CHECKING:
    from generator.pipeline import Handbook


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    checked = pipeline.check(DATA)
    assert checked.handbook is not None, checked.problems
    return checked.handbook


def test_every_page_shows_the_data_as_a_reader_expects(site_dir: Path, handbook: Handbook) -> None:
    problems = check_site(site_dir, handbook)
    if problems:  # all of them at once, one a line, for whoever reads the CI log
        pytest.fail(f"{len(problems)} problems on the built site:\n" + "\n".join(problems), pytrace=False)


# --- a small site, written by hand, of a small data tree ---------------------------------------------------------

SITE_NAME = "样例手册"

SAMPLE_DATA = {
    "handbook.yml": """\
title: 样例制度
body_title: 样例管理制度
publisher: 样例部
interpreter: 样例部
status: approved
owner: lead
review_by: '2099-01-01'
department: 样例部
""",
    "regulation/01-general.yml": """\
id: general
title: 总则
status: approved
clauses:
  - id: general-purpose
    text: 为规范工作,特制定本制度。
  - id: general-scope
    text: '本制度适用于下列人员:'
    items:
      - {id: general-scope-1, text: 本部门员工;}
      - {id: general-scope-2, text: 借调人员。}
""",
    "regulation/02-duties.yml": """\
id: duties
title: 岗位职责
status: approved
clauses:
  - role: lead
""",
    "roles/lead.yml": """\
id: lead
title: 组长
department: 样例部
status: approved
duty_groups:
  - id: lead-plan
    title: 计划
    duties:
      - {id: lead-plan-1, text: 制定工作计划;}
      - id: lead-plan-2
        text: '检查计划执行:'
        items:
          - {id: lead-plan-2-1, text: 每周检查一次;}
          - {id: lead-plan-2-2, text: 记录检查结果。}
  - id: lead-people
    title: 人员
    duties:
      - {id: lead-people-1, text: 安排组员分工。}
authority:
  items: [分配任务。, 审核工作记录。]
""",
    "procedures/weekly-check.yml": """\
id: weekly-check
title: 每周检查
status: approved
basis: [lead-plan-2]
owner: lead
trigger: 每周一上午。
steps:
  - {id: weekly-check-1, actor: lead, action: 打开检查表。, checklist: weekly-list, basis: [lead-plan-2-1]}
  - {id: weekly-check-2, actor: lead, action: 记录结果并归档。, output: 检查记录, basis: [lead-plan-2-2]}
notes: [节假日顺延。, 结果保存一年。]
""",
    "checklists/weekly-list.yml": """\
id: weekly-list
title: 每周检查清单
status: approved
basis: [lead-plan-2]
owner: lead
items:
  - {id: weekly-list-1, text: 计划已更新。, owner: lead, basis: [lead-plan-2-1]}
  - {id: weekly-list-2, text: 记录已归档。, owner: lead, basis: [lead-plan-2-2]}
""",
    "onboarding/lead.yml": """\
id: onboarding-lead
role: lead
status: approved
basis: [lead-plan-1]
reading:
  - {ref: general, note: 先了解总则。}
  - {ref: weekly-check, note: 每周要做的检查。}
contacts:
  - {role: lead, topic: 工作安排}
day1:
  - {id: ob-lead-d1-1, text: 领取电脑。, owner: lead, basis: [lead-plan-1]}
  - {id: ob-lead-d1-2, text: 阅读制度。, owner: lead, basis: [lead-plan-1]}
week1:
  - {id: ob-lead-w1-1, text: 参加一次每周检查。, owner: lead, basis: [lead-plan-2]}
month1:
  - {id: ob-lead-m1-1, text: 独立完成每周检查。, owner: lead, basis: [lead-plan-2]}
""",
    "glossary.yml": """\
title: 术语表
status: approved
terms:
  - {id: checklist-term, term: 检查表, aliases: [核对表], meaning: 逐项核对的表格。}
  - {id: archive, term: 归档, meaning: 把记录存入档案。}
""",
}


def anchor(ident: str) -> str:
    return f'<span class="hb-anchor" id="{ident}"></span>'


def heading(level: int, text: str, ident: str = "") -> str:
    ident = ident or text
    return f'<h{level} id="{ident}">{text}<a class="headerlink" href="#{ident}" title="Permanent link">¶</a></h{level}>'


def html(title: str, h1: str, body: str, up: str = "") -> str:
    """A page as Material lays it out: title, navigation, then the article (the page's content)."""
    nav = "".join(f'<li><a class="md-nav__link" href="{up}{href}">{label}</a></li>'
                  for href, label in [("", "首页"), ("regulation/", "制度"), ("roles/", "岗位")])
    return (f"<!doctype html><html lang=\"zh\"><head><title>{title}</title></head><body>"
            f'<nav class="md-nav"><ul>{nav}</ul></nav><main><article class="md-content__inner">\n'
            f"{heading(1, h1)}\n{body}\n</article></main></body></html>")


GENERAL_CLAUSES = (f"<p>{anchor('general-purpose')}<strong>一、</strong>为规范工作,特制定本制度。</p>\n"
                   f"<p>{anchor('general-scope')}<strong>二、</strong>本制度适用于下列人员:</p>\n")
SCOPE_ITEMS = (f"<ol>\n<li>{anchor('general-scope-1')}本部门员工;</li>\n"
               f"<li>{anchor('general-scope-2')}借调人员。</li>\n</ol>\n")
PLAN_DUTIES = (f"<ol>\n<li>{anchor('lead-plan-1')}制定工作计划;</li>\n"
               f"<li>{anchor('lead-plan-2')}检查计划执行:<ul>\n"
               f"<li>{anchor('lead-plan-2-1')}每周检查一次;</li>\n"
               f"<li>{anchor('lead-plan-2-2')}记录检查结果。</li>\n</ul></li>\n</ol>\n")
PEOPLE_DUTIES = f"<ol>\n<li>{anchor('lead-people-1')}安排组员分工。</li>\n</ol>\n"
REGULATION_PEOPLE = f"<p>{anchor('lead-people')}<strong>人员:</strong></p>\n{PEOPLE_DUTIES}"
STEP_1 = (f"<li>{anchor('weekly-check-1')}<strong>组长</strong>:打开检查表。\n"
          f'<p>依据:<a href="../../roles/lead/#lead-plan-2-1">组长 职责2.1</a> '
          f'清单:<a href="../../checklists/weekly-list/">每周检查清单</a></p></li>\n')
STEP_2 = (f"<li>{anchor('weekly-check-2')}<strong>组长</strong>:记录结果并归档。\n"
          f'<p>输出:检查记录 依据:<a href="../../roles/lead/#lead-plan-2-2">组长 职责2.2</a></p></li>\n')
CHECK_ITEMS = (f"<li>{anchor('weekly-list-1')}<label><input type=\"checkbox\"> 计划已更新。</label></li>\n"
               f"<li>{anchor('weekly-list-2')}<label><input type=\"checkbox\"> 记录已归档。</label></li>\n")
READING_ITEMS = ('<li><a href="../../regulation/#general">总则</a>:先了解总则。</li>\n'
                 '<li><a href="../../procedures/weekly-check/">每周检查</a>:每周要做的检查。</li>\n')
LEAD_PROCEDURES = '<ul>\n<li><a href="../../procedures/weekly-check/">每周检查</a>(负责)</li>\n</ul>\n'
TERM_TMALL = f"{heading(2, '检查表', 'checklist-term')}\n<p>又称:核对表</p>\n<p>逐项核对的表格。</p>\n"


def table(rows: list[str]) -> str:
    return "<table><thead><tr><th>名称</th></tr></thead><tbody>" + "".join(
        f"<tr><td>{row}</td></tr>" for row in rows) + "</tbody></table>"


SAMPLE_SITE = {
    "index.html": html(SITE_NAME, SITE_NAME,
                       f'{heading(2, "岗位")}\n<ul>\n<li><a href="roles/lead/">组长</a></li>\n</ul>'),
    "regulation/index.html": html(
        f"样例管理制度 - {SITE_NAME}", "样例管理制度",
        f"{heading(2, '第一章 总则', 'general')}\n{GENERAL_CLAUSES}{SCOPE_ITEMS}"
        f"{heading(2, '第二章 岗位职责', 'duties')}\n{heading(3, '一、组长', 'clause-lead')}\n"
        f"<p>{anchor('lead-plan')}<strong>计划:</strong></p>\n{PLAN_DUTIES}{REGULATION_PEOPLE}", "../"),
    "roles/index.html": html(f"岗位 - {SITE_NAME}", "岗位", table(['<a href="lead/">组长</a>']), "../"),
    "roles/lead/index.html": html(
        f"组长 - {SITE_NAME}", "组长",
        f"{heading(2, '岗位职责', 'duties')}\n{heading(3, '计划', 'lead-plan')}\n{PLAN_DUTIES}"
        f"{heading(3, '人员', 'lead-people')}\n{PEOPLE_DUTIES}"
        f"{heading(2, '工作权限', 'authority')}\n<ul>\n<li>分配任务。</li>\n<li>审核工作记录。</li>\n</ul>\n"
        f"{heading(2, '参与的流程', 'procedures')}\n{LEAD_PROCEDURES}"
        f"{heading(2, '相关清单', 'checklists')}\n"
        f'<ul>\n<li><a href="../../checklists/weekly-list/">每周检查清单</a>(负责)</li>\n</ul>', "../../"),
    "procedures/index.html": html(f"流程 - {SITE_NAME}", "流程", table(['<a href="weekly-check/">每周检查</a>']),
                                  "../"),
    "procedures/weekly-check/index.html": html(
        f"每周检查 - {SITE_NAME}", "每周检查",
        f"{heading(2, '步骤', 'steps')}\n<ol>\n{STEP_1}{STEP_2}</ol>\n"
        f"{heading(2, '注意事项', 'notes')}\n<ul>\n<li>节假日顺延。</li>\n<li>结果保存一年。</li>\n</ul>", "../../"),
    "checklists/index.html": html(f"清单 - {SITE_NAME}", "清单", table(['<a href="weekly-list/">每周检查清单</a>']),
                                  "../"),
    "checklists/weekly-list/index.html": html(f"每周检查清单 - {SITE_NAME}", "每周检查清单",
                                              f"{heading(2, '清单', 'items')}\n<ul>\n{CHECK_ITEMS}</ul>", "../../"),
    "onboarding/index.html": html(f"入职指引 - {SITE_NAME}", "入职指引",
                                  '<ul>\n<li><a href="lead/">组长入职指引</a></li>\n</ul>', "../"),
    "onboarding/lead/index.html": html(
        f"组长入职指引 - {SITE_NAME}", "组长入职指引",
        f"{heading(2, '先读这些', 'reading')}\n<ol>\n{READING_ITEMS}</ol>\n{heading(2, '入职清单', 'checklist')}\n"
        f"{heading(3, '第一天', 'day1')}\n<ul>\n<li>{anchor('ob-lead-d1-1')}领取电脑。</li>\n"
        f"<li>{anchor('ob-lead-d1-2')}阅读制度。</li>\n</ul>\n"
        f"{heading(3, '第一周', 'week1')}\n<ul>\n<li>{anchor('ob-lead-w1-1')}参加一次每周检查。</li>\n</ul>\n"
        f"{heading(3, '第一个月', 'month1')}\n<ul>\n<li>{anchor('ob-lead-m1-1')}独立完成每周检查。</li>\n</ul>\n"
        f"{heading(2, '问谁', 'contacts')}\n"
        '<table><thead><tr><th>岗位</th><th>什么事</th></tr></thead>'
        '<tbody><tr><td><a href="../../roles/lead/">组长</a></td><td>工作安排</td></tr></tbody></table>', "../../"),
    "glossary/index.html": html(f"术语表 - {SITE_NAME}", "术语表",
                                f"{TERM_TMALL}{heading(2, '归档', 'archive')}\n<p>把记录存入档案。</p>", "../"),
}


@pytest.fixture(scope="module")
def sample_handbook(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    data = tmp_path_factory.mktemp("sample") / "data"
    for name, text in SAMPLE_DATA.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(text, encoding="utf-8")
    checked = pipeline.check(data)
    assert checked.ok, checked.problems
    return checked.handbook


def write_site(folder: Path, pages: dict[str, str]) -> Path:
    for path, text in pages.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def replaced(page: str, old: str, new: str) -> Callable[[dict[str, str]], None]:
    def edit(pages: dict[str, str]) -> None:
        assert old in pages[page], (page, old)
        pages[page] = pages[page].replace(old, new, 1)
    return edit


def appended(page: str, snippet: str) -> Callable[[dict[str, str]], None]:
    return replaced(page, "\n</article>", f"\n{snippet}\n</article>")


def removed_page(page: str) -> Callable[[dict[str, str]], None]:
    return lambda pages: pages.pop(page)


PROCEDURE, ROLE, REGULATION = "procedures/weekly-check/index.html", "roles/lead/index.html", "regulation/index.html"
ONBOARDING, GLOSSARY = "onboarding/lead/index.html", "glossary/index.html"
CHECKLIST, ROLES = "checklists/weekly-list/index.html", "roles/index.html"


class Break(NamedTuple):
    edit: Callable[[dict[str, str]], None]
    kind: str
    page: str
    says: str
    """A piece of the problem's message."""


BREAKS = {
    # One list of N items, in data order, on the page where the data puts it.
    "steps collapse into one item": Break(
        replaced(PROCEDURE, f"</li>\n<li>{anchor('weekly-check-2')}", f"\n2. {anchor('weekly-check-2')}"),
        "list", PROCEDURE, "steps of 每周检查: expected one list of 2 items in data order; the <ol> has 1 item"),
    "a step's details fall out of its item": Break(
        replaced(PROCEDURE, STEP_2, STEP_2.replace("\n<p>", "</li>\n<p>").replace("</p></li>", "</p>")),
        "list", PROCEDURE, "step 2 lacks 检查记录, lead-plan-2-2"),
    "duties of a group in a paragraph (制度)": Break(
        replaced(REGULATION, REGULATION_PEOPLE, f"<p>{anchor('lead-people')}<strong>人员:</strong>\n"
                                                f"1. {anchor('lead-people-1')}安排组员分工。</p>\n"),
        "list", REGULATION, "lead-people-1 is in <p>, not a list item"),
    "a group title inside its list": Break(
        replaced(ROLE, f"{heading(3, '人员', 'lead-people')}\n<ol>\n", f"<ol>\n<li>{anchor('lead-people')}人员</li>\n"),
        "list", ROLE, "the title '人员' is inside the list of its duties"),
    "sub-duties outside their duty": Break(
        replaced(ROLE, "检查计划执行:<ul>", "检查计划执行:</li></ol><ul>"),
        "list", ROLE, "the list is not inside the item it belongs to"),
    "a sub-duty missing": Break(
        replaced(ROLE, f"<li>{anchor('lead-plan-2-2')}记录检查结果。</li>\n", ""),
        "list", ROLE, "lead-plan-2-2 is not on the page; the <ul> has 1 item"),
    "items out of order": Break(
        replaced(CHECKLIST, CHECK_ITEMS, "".join(reversed(CHECK_ITEMS.splitlines(True)))),
        "list", CHECKLIST, "items out of data order (positions [2, 1])"),
    "clause items as paragraphs": Break(
        replaced(REGULATION, SCOPE_ITEMS, SCOPE_ITEMS.replace("<ol>", "").replace("</ol>", "")
                 .replace("<li>", "<p>").replace("</li>", "</p>")),
        "list", REGULATION, "general-scope-1 is in <p>, not a list item"),
    "参与的流程 as a paragraph": Break(
        replaced(ROLE, LEAD_PROCEDURES, '<p><a href="../../procedures/weekly-check/">每周检查</a></p>'),
        "list", ROLE, "参与的流程 of 组长: expected one list of 1 item in data order; 每周检查 is linked from <p>"),
    "先读这些 collapsed": Break(
        replaced(ONBOARDING, '</li>\n<li><a href="../../procedures/', '1. <a href="../../procedures/'),
        "list", ONBOARDING, "the <ol> has 1 item; general, weekly-check share one item"),
    "a contact missing from 问谁": Break(
        replaced(ONBOARDING, "<td>工作安排</td>", "<td></td>"), "list", ONBOARDING, "工作安排 is not there"),
    "a list page that misses a record": Break(
        replaced(ROLES, '<a href="lead/">组长</a>', "组长"), "list", ROLES, "lead is not linked there"),
    "clauses merged into one paragraph": Break(
        replaced(REGULATION, "</p>\n<p>" + anchor("general-scope"), "\n" + anchor("general-scope")),
        "merged", REGULATION, "general-purpose and general-scope are merged into one <p>"),
    # Titles and headings.
    "<title> is not the h1": Break(
        replaced(REGULATION, f"<title>样例管理制度 - {SITE_NAME}", f"<title>制度 - {SITE_NAME}"),
        "title", REGULATION, "<title> is '制度 - 样例手册', expected '样例管理制度 - 样例手册'"),
    "a second h1 (a leaked comment)": Break(
        replaced(ROLES, "</h1>", "</h1>\n" + heading(1, "Search ranking")),
        "title", ROLES, "expected exactly one h1, found 2"),
    "a page titled Index": Break(
        replaced(ROLES, f"<title>岗位 - {SITE_NAME}", f"<title>Index - {SITE_NAME}"),
        "index-title", ROLES, "titled 'Index' in <title>"),
    "a menu entry named Index": Break(
        replaced(CHECKLIST, ">岗位</a></li></ul></nav>", ">Index</a></li></ul></nav>"),
        "index-title", CHECKLIST, "titled 'Index' in navigation/footer text"),
    "a heading skips a level": Break(
        replaced(GLOSSARY, heading(2, "检查表", "checklist-term"), heading(3, "检查表", "checklist-term")),
        "heading", GLOSSARY, "h3 '检查表' follows h1"),
    # The glossary.
    "又称 and the definition in one paragraph": Break(
        replaced(GLOSSARY, "<p>又称:核对表</p>\n<p>", "<p>又称:核对表\n"),
        "glossary", GLOSSARY, "its aliases and its definition share one <p>"),
    "a definition missing": Break(
        replaced(GLOSSARY, "<p>把记录存入档案。</p>", ""), "glossary", GLOSSARY, "its definition is not shown"),
    # Pages and ids.
    "a page missing": Break(removed_page(CHECKLIST), "missing-page", CHECKLIST, "the data has this page"),
    "an id used twice": Break(appended(ROLE, anchor("lead-plan-1")), "duplicate-id", ROLE, "lead-plan-1"),
}
LEAKED = {
    "---": "<p>---</p>",
    "attribute list": "<p>人员 { #lead-people }</p>",
    "bold markers": "<p>**输出:**检查记录</p>",
    "front matter": "<p>search:\n  boost: 0.5</p>",
    "double-escaped entity": "<p>快递&amp;#40;发货&amp;#41;</p>",
    "double-escaped entity in a label": '<a href="#" aria-label="下一页: 仓库&amp;#40;发货&amp;#41;">下一页</a>',
    "permalink Markdown": '<p>检查 [¶](#weekly-check-1){ .hb-permalink }</p>',
    "Markdown link": "<p>[组长](../roles/lead.md)</p>",
    "Jinja": "<p>{{ r.title }}</p>",
    "admonition": '<p>!!! draft "草案"</p>',
    "numbered marker": "<p>依据:组长 职责1\n2. 记录结果并归档。</p>",
    "bullet marker": "<p>- 中差评处理</p>",
}


def test_the_hand_written_sample_passes(tmp_path: Path, sample_handbook: Handbook) -> None:
    site = write_site(tmp_path, dict(SAMPLE_SITE))
    assert check_site(site, sample_handbook, SITE_NAME) == []


@pytest.mark.parametrize("name", BREAKS)
def test_each_break_of_the_sample_is_reported(tmp_path: Path, sample_handbook: Handbook, name: str) -> None:
    broken = BREAKS[name]
    pages = dict(SAMPLE_SITE)
    broken.edit(pages)
    problems = find_problems(write_site(tmp_path, pages), sample_handbook, SITE_NAME)
    assert any(p.kind == broken.kind and p.page == broken.page and broken.says in p.message for p in problems), (
        _listed(problems))


@pytest.mark.parametrize("name", LEAKED)
def test_markdown_or_yaml_in_the_text_is_reported_but_not_in_code(tmp_path: Path, sample_handbook: Handbook,
                                                                  name: str) -> None:
    pages = dict(SAMPLE_SITE)
    appended(GLOSSARY, LEAKED[name])(pages)
    appended(ROLE, f"<pre><code>{LEAKED[name]}</code></pre><div class=\"mermaid\">{LEAKED[name]}</div>")(pages)
    problems = find_problems(write_site(tmp_path, pages), sample_handbook, SITE_NAME)
    assert problems and {(p.kind, p.page) for p in problems} == {("leak", GLOSSARY)}, _listed(problems)


def _listed(problems: list[Problem]) -> str:
    return "\n".join(map(str, problems)) or "no problems"
