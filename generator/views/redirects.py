"""Stable URLs: old page addresses and old anchors of renamed records, from their `former_ids`.

`page_redirects` gives the map for mkdocs-redirects (`redirect_maps`, old page → new page): the generated
redirect page keeps the #fragment, so an old link to roles/old.md#duty lands on the new page. Anchors are
not seen by a server, so `anchor_aliases` lists, per page, the former ids of items (duties, clauses, terms)
whose new anchor is on that page: the page then carries an empty element with each old id, and a link to
page#old-id keeps working.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..stages.model import Handbook, Item
from ..stages import pages as site


@dataclass(frozen=True)
class AnchorAlias:
    page: str
    old: str
    """The former id, kept as an extra anchor."""
    new: str
    """The record's current id (its anchor on the page)."""


def page_redirects(hb: Handbook) -> dict[str, str]:
    """{old page uri: new page uri} for roles, procedures, checklists and onboardings with former_ids."""
    moves: dict[str, str] = {}
    listed = ((site.ROLES, hb.roles), (site.PROCEDURES, hb.procedures), (site.CHECKLISTS, hb.checklists))
    for folder, records in listed:
        for record in records:
            for former in record.control.former_ids:
                moves[site.record_page(folder, former)] = site.record_page(folder, record.id)
    role_moves = {former: role.id for role in hb.roles for former in role.control.former_ids}
    for onboarding in hb.onboardings:
        for former in (*onboarding.control.former_ids, *[r for r, new in role_moves.items() if new == onboarding.role]):
            old, new = site.onboarding_page(former), site.onboarding_page(onboarding.role)
            if old != new:
                moves[old] = new
    # A chapter is a section of regulation.md: its old id becomes an anchor alias, not a page.
    current = {site.record_page(folder, r.id) for folder, records in listed for r in records}
    return {old: new for old, new in sorted(moves.items()) if old not in current}


def _items(items: Iterable[Item]) -> Iterable[Item]:
    for item in items:
        yield item
        yield from _items(item.items)


def anchor_aliases(hb: Handbook) -> dict[str, tuple[AnchorAlias, ...]]:
    """{page uri: aliases} for every renamed item, chapter and term, on the page where the record now is."""
    found: list[AnchorAlias] = []
    for chapter in hb.chapters:
        found += [AnchorAlias(site.REGULATION, old, chapter.id) for old in chapter.control.former_ids]
        clause_items = [c.item for c in chapter.clauses if c.item]
        found += [AnchorAlias(site.REGULATION, old, i.id) for i in _items(clause_items) for old in i.former_ids]
    for role in hb.roles:
        found += [AnchorAlias(site.role_page(role.id), old, i.id) for i in _items(role.duties) for old in i.former_ids]
    if hb.glossary:
        found += [AnchorAlias(site.GLOSSARY, old, t.id) for t in hb.glossary.terms for old in t.former_ids]
    pages: dict[str, tuple[AnchorAlias, ...]] = {}
    for alias in found:
        pages[alias.page] = pages.get(alias.page, ()) + (alias,)
    return pages


def redirect_plugin_config(hb: Handbook) -> dict[str, dict[str, str]]:
    """The `redirect_maps` option of mkdocs-redirects, ready to merge into the plugin's config."""
    return {"redirect_maps": page_redirects(hb)}
