"""One page of each kind of the handbook: what the axe run checks and what `make screenshots` shows."""
from __future__ import annotations

from typing import NamedTuple


class PageKind(NamedTuple):
    path: str | None
    """Below the site's root; None for a missing address (the 404 page)."""
    caption: str
    """What the README says under its screenshot."""


MISSING_PAGE = "roles/no-such-role/"

PAGE_KINDS = {
    "home": PageKind("", "首页"),
    "regulation": PageKind("regulation/", "制度(条款与职责的固定链接)"),
    "role": PageKind("roles/cs/", "岗位说明书(电商客服)"),
    "procedure": PageKind("procedures/virus-scan/", "流程(计算机病毒查杀:判断、分支与结果,每个岗位一条泳道)"),
    "checklist": PageKind("checklists/new-hire-pc-checklist/", "清单(勾选进度保存在本机浏览器)"),
    "onboarding": PageKind("onboarding/cs/", "入职指引(电商客服)"),
    "roles-index": PageKind("roles/", "岗位一览"),
    "procedures-index": PageKind("procedures/", "流程一览"),
    "checklists-index": PageKind("checklists/", "清单一览"),
    "onboarding-index": PageKind("onboarding/", "入职一览"),
    "org": PageKind("org/", "组织架构"),
    "glossary": PageKind("glossary/", "术语表"),
    "revisions": PageKind("revisions/", "修订记录"),
    "review": PageKind("review/", "待复审"),
    "editing": PageKind("editing/", "编辑指南"),
    "acknowledgements": PageKind("acknowledgements/", "签收情况(每份现行文件谁已确认、谁待确认)"),
    "document-acknowledgements": PageKind("editions/WL-GW-002/acknowledgements/", "一份文件的签收明细(电商客服岗位说明书)"),
    "signoff": PageKind("editions/WL-ZD-001/1.0/signoff/", "签收单(打印为 A4,已列出待确认的人员)"),
    "404": PageKind(None, "页面不存在(404)"),
}
