"""`python -m generator diff BASE [HEAD]` on a temporary git repository: exactly the changes made are listed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.commands.diff import handbook_at, render_diff
from generator.views.changes import ADDED, CHANGED, REMOVED, RENAMED, Change, FieldChange, diff_handbooks

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ committed once (base), then edited and committed again (head); a third edit left uncommitted."""
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "data", repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    data = repo / "data"
    # A duty reworded, one added; a checklist item retired; a step added; a procedure approved; a term added.
    edit(data / "roles/designer.yml", "配合网站编辑完成网站的设计和页面美化等工作;",
         "配合网站编辑完成网站和店铺的设计、页面美化等工作;")
    edit(data / "roles/designer.yml", "  - id: designer-16\n",
         "  - id: designer-17\n    text: 维护店铺素材库。\n    status: draft\n    basis:\n      - designer-13\n"
         "  - id: designer-16\n")
    edit(data / "checklists/publish-checklist.yml",
         "  - id: publish-8\n    text: 原稿和审批表已归档。\n    owner: editor\n    basis:\n      - editor-6\n", "")
    edit(data / "procedures/pc-setup.yml", "      - manager-9-1\n      - manager-7-3\n",
         "      - manager-9-1\n      - manager-7-3\n  - id: pc-setup-7\n    actor: manager\n"
         "    action: 一周后回访新员工,确认电脑和账号使用正常。\n    basis:\n      - manager-11\n")
    edit(data / "procedures/pc-setup.yml", "status: draft\n", "status: approved\n")
    edit(data / "glossary.yml", "terms:\n", "terms:\n  - id: spu\n    term: SPU\n    meaning: 标准化产品单元。\n")
    git(repo, "commit", "-q", "-am", "head")
    return repo


def test_cli_lists_exactly_the_changes_between_two_commits(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data", str(repo / "data"), "diff", "base", "main"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("## 手册变更:<code>base</code> → <code>main</code>\n")
    assert "共 4 个页面有变化。" in out
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings == [
        "### 岗位 · 设计师(<code>roles/designer.md</code>)",
        "### 流程 · 新员工电脑配备(<code>procedures/pc-setup.md</code>)",
        "### 清单 · 网站内容发布前检查清单(<code>checklists/publish-checklist.md</code>)",
        "### 术语表 · 术语表(<code>glossary.md</code>)",
    ]
    assert ("- **修改职责** 3 <code>designer-3</code>\n  - 内容\n    - 原文:配合网站编辑完成网站的设计和页面美化等工作;\n"
            "    - 新文:配合网站编辑完成网站和店铺的设计、页面美化等工作;\n") in out
    assert "- **新增职责** 16 <code>designer-17</code>\n  - 内容:维护店铺素材库。\n  - 状态:草案\n" in out
    assert "designer-16</code>" not in out  # renumbered by the insertion, not changed
    assert "- **删除检查项** 8 <code>publish-8</code>\n  - 内容(删除):~~原稿和审批表已归档。~~\n" in out
    assert "- **新增步骤** 7 <code>pc-setup-7</code>\n  - 执行岗位:manager\n  - 动作:一周后回访新员工,确认电脑和账号使用正常。\n" in out
    assert "- 状态:草案 → 现行\n" in out
    assert "- **新增术语** SPU <code>spu</code>\n  - 术语:SPU\n  - 释义:标准化产品单元。\n" in out


def test_structured_diff_has_nothing_more(repo: Path) -> None:
    old, new = handbook_at(repo / "data", "base"), handbook_at(repo / "data", "main")
    pages = {p.uri: p for p in diff_handbooks(old.handbook, new.handbook).pages}
    assert set(pages) == {"roles/designer.md", "procedures/pc-setup.md", "checklists/publish-checklist.md",
                          "glossary.md"}
    assert pages["procedures/pc-setup.md"].fields == (FieldChange("status", "draft", "approved"),)
    designer = pages["roles/designer.md"]
    assert designer.fields == ()
    assert [(c.action, c.id) for c in designer.changes] == [
        (CHANGED, "designer-3"), (ADDED, "designer-17")]
    assert [(c.action, c.id) for c in pages["checklists/publish-checklist.md"].changes] == [(REMOVED, "publish-8")]
    assert [(c.action, c.id) for c in pages["procedures/pc-setup.md"].changes] == [(ADDED, "pc-setup-7")]
    assert [(c.action, c.id) for c in pages["glossary.md"].changes] == [(ADDED, "spu")]


def test_working_tree_is_the_default_head_and_renames_follow_former_ids(repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True)
    data = work / "data"
    edit(data / "roles/designer.yml", "      - id: designer-16-1\n",
         "      - id: designer-extra-1\n        former_ids: [designer-16-1]\n")
    diff = diff_handbooks(handbook_at(data, "HEAD").handbook, handbook_at(data, None).handbook)
    assert [(p.uri, [(c.action, c.old_id, c.id) for c in p.changes]) for p in diff.pages] == [
        ("roles/designer.md", [(RENAMED, "designer-16-1", "designer-extra-1")])]
    assert "- **职责改 id** 17.1 <code>designer-16-1</code> → <code>designer-extra-1</code>\n" in render_diff(diff, "HEAD", None)


def test_a_revision_with_broken_data_is_reported_without_traceback(
        repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True)
    edit(work / "data/roles/designer.yml", "reports_to: manager", "reports_to: manger")
    git(work, "commit", "-q", "-am", "broken")
    code = main(["--data", str(work / "data"), "--lang", "en", "diff", "HEAD~1", "HEAD"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert "error: the handbook data of 'HEAD' has errors; no diff can be made:" in captured.err
    assert "HEAD:data/roles/designer.yml:" in captured.err and "'manger'" in captured.err
    assert "did you mean 'manager'?" in captured.err
    assert "Traceback" not in captured.err


def test_unknown_revision_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(repo / "data"), "--lang", "en", "diff", "no-such-tag"]) == 1
    err = capsys.readouterr().err
    assert "'no-such-tag' cannot be read" in err and "unknown revision 'no-such-tag'" in err


def test_identical_revisions_say_so(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(repo / "data"), "diff", "main", "main"]) == 0
    assert "两个版本的手册内容相同。" in capsys.readouterr().out


def test_markup_in_data_stays_literal(repo: Path) -> None:
    change = Change(ADDED, "duty", "x-1", "1", (FieldChange("text", None, "<script>x</script> *a* [l](u)"),))
    from generator.views.changes import HandbookDiff, PageDiff
    out = render_diff(HandbookDiff((PageDiff("roles/x.md", "role", "X", CHANGED, (), (change,)),)), "a", "b")
    assert "<script>" not in out and "&#60;script&#62;" in out and "&#42;a&#42;" in out and "&#91;l&#93;" in out
