"""Where everything lives on the site: every page's address, and the list of documents under control.

The one place that knows page paths (.md paths in the docs tree, as MkDocs and the templates link to them).
Build uses the addresses for the targets of ids; render, the views and the commands use them and `documents`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Control, Handbook, Status

HOME = "index.md"
REGULATION = "regulation.md"
ORG = "org.md"
GLOSSARY = "glossary.md"
REVISIONS = "revisions.md"
REVIEW = "review.md"
SCHEMA_REFERENCE = "editing/schema.md"
ACKNOWLEDGEMENTS = "acknowledgements.md"
"""签收情况: who has confirmed which document in force, department-wide (only with data/people.yml)."""

ROLES = "roles"
PROCEDURES = "procedures"
CHECKLISTS = "checklists"
ONBOARDING = "onboarding"
LISTED = (ROLES, PROCEDURES, CHECKLISTS, ONBOARDING)
"""The folders with a page per record and an index page each, in menu order."""


def index_page(folder: str) -> str:
    return f"{folder}/index.md"


def record_page(folder: str, ident: str) -> str:
    """The page of one role, procedure or checklist (by id) or onboarding (by role id)."""
    return f"{folder}/{ident}.md"


def role_page(role_id: str) -> str:
    return record_page(ROLES, role_id)


def procedure_page(procedure_id: str) -> str:
    return record_page(PROCEDURES, procedure_id)


def checklist_page(checklist_id: str) -> str:
    return record_page(CHECKLISTS, checklist_id)


def onboarding_page(role_id: str) -> str:
    return record_page(ONBOARDING, role_id)


def signoff_page(doc_no: str, version: str) -> str:
    """The printable 签收单 of one version, beside the version's own page (editions/<文件编号>/<版本>.md)."""
    return f"editions/{doc_no}/{version}/signoff.md"


def acknowledgements_page(doc_no: str) -> str:
    """Who has confirmed one document's version in force (and the version pending, if any)."""
    return f"editions/{doc_no}/acknowledgements.md"


class DocumentKind(StrEnum):
    REGULATION = "regulation"
    CHAPTER = "chapter"
    ROLE = "role"
    PROCEDURE = "procedure"
    CHECKLIST = "checklist"
    ONBOARDING = "onboarding"
    GLOSSARY = "glossary"


@dataclass(frozen=True)
class Document:
    """One data file under document control, and where the site shows it."""

    kind: DocumentKind
    id: str
    title: str
    page: str
    """Its page (.md path), with an anchor for a chapter, e.g. regulation.md#general."""
    control: Control
    status: Status


def documents(hb: Handbook) -> tuple[Document, ...]:
    """Every document of the handbook, in site order: the regulation (with its chapters, which are sections of
    it under document control of their own), the job descriptions, procedures, checklists, onboarding guides and
    the glossary."""
    titles = {role.id: role.title for role in hb.roles}
    found = [Document(DocumentKind.REGULATION, "regulation", hb.document.title, REGULATION, hb.document.control,
                      Status(hb.document.status))]
    found += [Document(DocumentKind.CHAPTER, c.id, c.title, f"{REGULATION}#{c.id}", c.control, c.status)
              for c in hb.chapters]
    found += [Document(DocumentKind.ROLE, r.id, r.title, role_page(r.id), r.control, r.status) for r in hb.roles]
    found += [Document(DocumentKind.PROCEDURE, p.id, p.title, procedure_page(p.id), p.control, p.status)
              for p in hb.procedures]
    found += [Document(DocumentKind.CHECKLIST, c.id, c.title, checklist_page(c.id), c.control, c.status)
              for c in hb.checklists]
    found += [Document(DocumentKind.ONBOARDING, o.id, titles.get(o.role, o.role), onboarding_page(o.role),
                       o.control, o.status) for o in hb.onboardings]
    if hb.glossary:
        found.append(Document(DocumentKind.GLOSSARY, "glossary", hb.glossary.title, GLOSSARY,
                              hb.glossary.control, hb.glossary.status))
    return tuple(found)
