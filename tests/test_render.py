"""The render stage: escaping, Chinese numbers, Mermaid labels, glossary tooltips, the search dictionary, pages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import DATA
from generator import pipeline
from generator.adapter import jieba as jieba_words
from generator.views import words as dictionary
from generator.stages.model import Control, Glossary, Term
from generator.stages.render import GlossaryMarkup, chinese_number, escape_text, fingerprint, mermaid_text, render_site


def _glossary(*terms: tuple[str, tuple[str, ...], str]) -> Glossary:
    return Glossary("术语表", "draft", ("x",), Control("glossary.yml"),
                    tuple(Term(f"t{i}", t, a, m, "draft", ("x",)) for i, (t, a, m) in enumerate(terms)))


@pytest.mark.parametrize("number, text", [(1, "一"), (9, "九"), (10, "十"), (13, "十三"), (20, "二十"), (21, "二十一"),
                                          (99, "九十九")])
def test_chinese_number(number: int, text: str) -> None:
    assert chinese_number(number) == text


def test_escape_text_leaves_no_markup_and_no_list_marker() -> None:
    out = escape_text('<script>alert("x")</script> *a* [l](u) `c` | #')
    assert "<" not in out and ">" not in out and "`" not in out and "*" not in out and "[" not in out
    assert escape_text("- item").startswith("&#45;") and escape_text("1. x").startswith("&#49;")


def test_mermaid_text_cannot_end_the_label() -> None:
    out = re.sub(r"#\d+;", "", mermaid_text('a"]; click x call evil() %% <b>'))
    assert not set('"];<>()') & set(out), out


def test_fingerprint_changes_with_the_items() -> None:
    class I:
        def __init__(self, id: str, text: str) -> None:
            self.id, self.text = id, text
    assert fingerprint([I("a", "x")]) != fingerprint([I("a", "y")]) != fingerprint([I("b", "y")])


def test_gloss_marks_a_chinese_term_inside_a_chinese_sentence() -> None:
    gloss = GlossaryMarkup(_glossary(("旺旺", ("阿里旺旺",), "即时通讯工具"), ("宝贝", (), "商品"),
                                     ("宝贝描述", (), "详情页"), ("SKU", (), "规格")))
    out = gloss("通过阿里旺旺和旺旺接待买家,宝贝描述写清SKU,不是SKUS")
    assert isinstance(out, Markup)
    assert out == ('通过<abbr class="hb-term" title="即时通讯工具" tabindex="0">阿里旺旺</abbr>和'
                   '<abbr class="hb-term" title="即时通讯工具" tabindex="0">旺旺</abbr>接待买家,'
                   '<abbr class="hb-term" title="详情页" tabindex="0">宝贝描述</abbr>写清'
                   '<abbr class="hb-term" title="规格" tabindex="0">SKU</abbr>,不是SKUS')
    assert gloss("旺旺", skip="t0") == "旺旺"


def test_gloss_keeps_the_escaping_guarantee() -> None:
    gloss = GlossaryMarkup(_glossary(('旺<b>旺', (), '"><script>alert(1)</script>')))
    out = gloss('- <i>旺<b>旺</i> & *x*')
    assert "<script" not in out and "<i>" not in out and "<b>" not in out and "*x*" not in out
    assert out.startswith("&#45;") and 'title="&#34;&#62;&#60;script&#62;' in out
    assert str(out).count("<abbr") == 1 and str(out).count("</abbr>") == 1


def test_gloss_without_a_glossary_only_escapes() -> None:
    assert GlossaryMarkup(None)("a <b>") == "a &#60;b&#62;"


def test_best_split_prefers_real_words_and_the_finest_split() -> None:
    freq = {"计算机": 10, "计算": 5, "病毒": 8, "计算机病毒": 3, "查杀": 2, "淘宝": 9, "电商": 4, "客服": 4}
    vocabulary = set(freq)
    assert dictionary.best_split("计算机病毒查杀", vocabulary, freq) == ("计算机", "病毒", "查杀")
    assert dictionary.best_split("淘宝客", vocabulary, freq) == ("淘宝", "客")


def test_plan_entries_splits_compounds_and_keeps_fragments_whole() -> None:
    freq = {"计算机": 10, "病毒": 8, "计算机病毒": 3, "查杀": 2, "淘宝": 9, "电商": 4, "客服": 4}
    entries = dictionary.plan_entries(["电商客服", "淘宝客", "计算机病毒查杀", "七天无理由退货"], freq)
    assert dictionary.DictEntry("电商客服", ("电商", "客服")) in entries
    assert dictionary.DictEntry("淘宝客") in entries
    assert dictionary.DictEntry("计算机病毒", ("计算机", "病毒")) in entries  # inner dictionary word split too
    assert dictionary.DictEntry("计算机病毒查杀", ("计算机", "病毒", "查杀")) in entries
    assert not any(e.word == "七天无理由退货" for e in entries)  # a long phrase is left to jieba
    text = dictionary.format_user_dictionary(entries, freq)
    assert "计算机病毒 0\n" in text and "淘宝客 1000\n" in text


def test_jieba_learns_the_handbook_words() -> None:
    import jieba
    checked = pipeline.check(DATA)
    jieba_words.load_into_jieba(dictionary.domain_words(checked.handbook))
    assert jieba.lcut("预防并及时查杀计算机病毒") [-2:] == ["计算机", "病毒"]
    assert jieba.lcut("配合电商客服完成") == ["配合", "电商", "客服", "完成"]
    assert "淘宝客" in jieba.lcut("淘宝客推广")


def test_pages_produced_for_every_record() -> None:
    checked = pipeline.check(DATA)
    site = render_site(checked.handbook)
    uris = {page.uri for page in site.pages}
    hb = checked.handbook
    assert {f"roles/{r.id}.md" for r in hb.roles} <= uris
    assert {f"procedures/{p.id}.md" for p in hb.procedures} <= uris
    assert {f"checklists/{c.id}.md" for c in hb.checklists} <= uris
    assert {"index.md", "regulation.md", "org.md", "glossary.md", "revisions.md"} <= uris
    assert "电商客服" in site.search_words and "旺旺" in site.search_words
    role = next(p for p in site.pages if p.uri == "roles/cs.md").markdown
    assert '<abbr class="hb-term"' in role and "员工签字" in role and "生效日期" in role
    assert not any("<abbr" in line for line in role.splitlines() if line.startswith("#"))


def test_compiled_templates_are_reused_but_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    import shutil

    from generator.stages.render import TEMPLATES_DIR
    handbook = pipeline.check(DATA).handbook
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    glossary = templates / "glossary.md.j2"
    first = {p.uri: p.markdown for p in render_site(handbook, templates_dir=templates).pages}
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n已修改的模板\n", encoding="utf-8")
    second = {p.uri: p.markdown for p in render_site(handbook, templates_dir=templates).pages}
    assert "已修改的模板" not in first["glossary.md"] and "已修改的模板" in second["glossary.md"]
    assert {uri: text for uri, text in first.items() if uri != "glossary.md"} == \
           {uri: text for uri, text in second.items() if uri != "glossary.md"}
