"""The swimlane diagram of a procedure, laid out when the handbook is built (Procedure.chart): geometry only,
drawn as SVG by templates/procedure.md.j2.

One lane (a column) per role that carries out steps, in order of first appearance, titled once at the top.
Every step has a row of its own, in the order of the data, so the numbers read from top to bottom; each end
(an outcome, drawn as a terminal) has a row just below the last step that leads to it, in that step's lane.
Arrows never pass through a node or a lane title: their horizontal runs lie in the gaps between rows, their
long vertical runs in the gutters beside the nodes, each on a track of its own, so that no two runs share a line.
A decision's answers label the first run of their arrows. Labels are wrapped to the node's width, never cut.

Text is measured the way CJK text sets: a full-width character is one em, anything else at most 0.6 em.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from .model import End, Procedure, Step

FONT = 14
"""Node text size in px: the diagram is never scaled down, so this is what a reader sees, on a phone too."""
LABEL_FONT = 12
LINE = 20
NODE_WIDTHS = {1: 170, 2: 170, 3: 150}
"""Node width by the number of lanes (more lanes, narrower nodes: 4 lanes still fit a desktop page)."""
NARROWEST = 140
NODE_PAD = 8
DIAMOND_TEXT = 0.72
"""A decision's text is wrapped to this share of the diamond's width."""
DIAMOND_SLACK = 1.15
"""How far the corners of a decision's text block may reach past the diamond's edges: its lines are centred,
so the corners are mostly blank."""
MIN_DIAMOND = 64
END_HEIGHT = 32
TITLE_HEIGHT = 36
ROW_GAP = 30
TRACK = 18
"""Distance between two parallel runs of arrows; a branch label (12 px) sits above its run."""
GUTTER = 10
HEAD_GAP = 16
MARGIN = 2
UNTITLED_END = 4


def _n(value: float) -> float:
    """A coordinate as the SVG shows it: a whole number where it is one, else one decimal."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass(frozen=True)
class Lane:
    role: str
    x: float
    width: float
    column: float
    """Left edge of the lane's nodes (the gutter lies on either side)."""
    column_width: float

    @property
    def centre(self) -> float:
        return _n(self.x + self.width / 2)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    """action, decision or end."""
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    number: int | None = None

    @property
    def cx(self) -> float:
        return _n(self.x + self.width / 2)

    @property
    def bottom(self) -> float:
        return _n(self.y + self.height)

    @property
    def points(self) -> str:
        """The diamond's corners (decisions)."""
        cy = _n(self.y + self.height / 2)
        return f"{self.cx},{self.y} {_n(self.x + self.width)},{cy} {self.cx},{self.bottom} {self.x},{cy}"

    @property
    def radius(self) -> float:
        """Corner radius of an end's terminal shape: its ends are half circles."""
        return _n(self.height / 2)

    @property
    def baselines(self) -> tuple[float, ...]:
        """Where each line of text sits, centred in the node (an untitled end has one line, worded by the
        template)."""
        count = len(self.lines) or 1
        first = self.y + (self.height - count * LINE) / 2 + LINE * 0.75
        return tuple(_n(first + n * LINE) for n in range(count))


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    anchor: str
    """SVG text-anchor: start or end."""
    width: float


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    label: Label | None = None
    back: bool = False

    @property
    def path(self) -> str:
        return "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in self.points)


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    title_height: float
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]

    @property
    def decisions(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind == "decision")

    @property
    def ends(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind == "end")


# -- text ------------------------------------------------------------------------------------------------------
NO_LINE_START = set(",.;:!?)]}、。,;:!?)】》」』”’%")
NO_LINE_END = set("([{(【《「『“‘")


def text_width(text: str, size: float = FONT) -> float:
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


def _tokens(text: str) -> list[str]:
    """Units that are never split: one CJK character, or a run of Latin letters and digits."""
    tokens: list[str] = []
    for char in " ".join(text.split()):
        if tokens and char.isascii() and char.isalnum() and tokens[-1][-1:].isascii() and tokens[-1][-1:].isalnum():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width: float, size: float = FONT) -> tuple[str, ...]:
    """Lines no wider than `width` (a closing mark may hang past it), broken where CJK text may break."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        fits = text_width(line + token, size) <= width
        if line and not fits and token not in NO_LINE_START:
            keep = line[-1] if line[-1] in NO_LINE_END else ""
            lines.append(line[:-1] if keep else line)
            line = keep + token.lstrip()
        else:
            line += token
    return tuple(filter(None, [*lines, line.strip()]))


# -- layout ----------------------------------------------------------------------------------------------------
@dataclass
class _Item:
    """A node being placed: its row, lane and size."""

    id: str
    kind: str
    lane: int
    lines: tuple[str, ...]
    width: float
    height: float
    number: int | None = None
    row: int = 0


@dataclass
class _Route:
    source: str
    target: str
    label: str | None
    back: bool
    tracks: dict[str, int] = field(default_factory=dict)
    """Track number of each run: 'out' (gap below the source), 'in' (gap above the target), 'up' (gutter)."""
    gutter: tuple[int, str] | None = None
    """(lane, 'left' or 'right') of the long vertical run, if the arrow has one."""


def layout(procedure: Procedure) -> Chart:
    """The diagram of `procedure`."""
    lanes = list(procedure.actors)
    column = NODE_WIDTHS.get(len(lanes), NARROWEST)
    items = _items(procedure, lanes, column)
    rows = {item.id: item for item in items}
    routes = [_Route(step.id, b.to, b.when, b.back) for step in procedure.steps for b in step.branches
              if b.to in rows]
    _assign_gutters(routes, rows)
    gutters = _gutter_tracks(routes, rows)
    lane_boxes = _lanes(lanes, gutters, column)
    gaps = _gap_tracks(routes, rows, lane_boxes, gutters)
    tops = _row_tops(items, gaps)
    nodes = {item.id: _node(item, lane_boxes, gutters, tops) for item in items}
    by_row = {item.row: nodes[item.id] for item in items}
    arrows = tuple(_arrow(route, nodes, rows, lane_boxes, gutters, by_row) for route in routes)
    width = _n(lane_boxes[-1].x + lane_boxes[-1].width + MARGIN)
    height = _n(max(node.bottom for node in nodes.values()) + ROW_GAP)
    return Chart(width, height, TITLE_HEIGHT, tuple(lane_boxes), tuple(nodes.values()), arrows)


def _items(procedure: Procedure, lanes: list[str], column: float) -> list[_Item]:
    items = []
    for step in procedure.steps:
        text = f"{step.number}. {step.action}"
        lines, height = _diamond(text, column) if step.decision else _box(text, column)
        items.append(_Item(step.id, "decision" if step.decision else "action", lanes.index(step.actor), lines,
                           column, height, step.number))
    for end in procedure.ends:
        _place_end(items, procedure, end, column)
    for row, item in enumerate(items):
        item.row = row
    return items


def _box(text: str, width: float) -> tuple[tuple[str, ...], float]:
    lines = wrap(text, width - 2 * NODE_PAD)
    return lines, len(lines) * LINE + 2 * NODE_PAD


def _diamond(text: str, width: float) -> tuple[tuple[str, ...], float]:
    """A diamond as wide as the lane's nodes and tall enough for its text: a w x h block fits inside a diamond
    of W x H when w / W + h / H <= 1 (DIAMOND_SLACK here)."""
    lines = wrap(text, width * DIAMOND_TEXT)
    wide = max(text_width(line) for line in lines)
    return lines, math.ceil(max(MIN_DIAMOND, (len(lines) * LINE + NODE_PAD) / (DIAMOND_SLACK - wide / width)))


def _place_end(items: list[_Item], procedure: Procedure, end: End, column: float) -> None:
    """An end goes right below the last step that leads to it, in the lane of the first one. The template words
    an end without a title (the default end) in at most UNTITLED_END characters."""
    sources = [n for n, item in enumerate(items) if _leads_to(procedure, item.id, end.id)]
    if not sources:
        return
    lane = items[sources[0]].lane
    lines = wrap(end.title, column - 2 * NODE_PAD - END_HEIGHT / 2) if end.title else ()
    text = max((text_width(line) for line in lines), default=UNTITLED_END * FONT)
    width = math.ceil(min(column, text + 2 * NODE_PAD + END_HEIGHT / 2))
    height = max(END_HEIGHT, len(lines) * LINE + NODE_PAD)
    at = max(sources) + 1
    while at < len(items) and items[at].kind == "end":
        at += 1
    items.insert(at, _Item(end.id, "end", lane, lines, width, height))


def _leads_to(procedure: Procedure, source: str, target: str) -> bool:
    step = procedure.nodes.get(source)
    return isinstance(step, Step) and any(b.to == target for b in step.branches)


def _assign_gutters(routes: list[_Route], rows: dict[str, _Item]) -> None:
    """An arrow that skips rows or goes back runs down (or up) a gutter of the target's lane, on the side the
    source lies (the right side within one lane)."""
    for route in routes:
        source, target = rows[route.source], rows[route.target]
        if target.row == source.row + 1:
            continue
        side = "left" if source.lane < target.lane else "right"
        route.gutter = (target.lane, side)


def _first_free(taken: list[tuple[float, float, int]], low: float, high: float) -> int:
    used = {track for a, b, track in taken if a < high and low < b}
    return next(n for n in range(len(taken) + 1) if n not in used)


def _gutter_tracks(routes: list[_Route], rows: dict[str, _Item]) -> dict[tuple[int, str], int]:
    """Tracks of the long vertical runs, per gutter (interval colouring of their row spans)."""
    taken: dict[tuple[int, str], list[tuple[float, float, int]]] = {}
    spans = [(route, sorted((rows[route.source].row, rows[route.target].row))) for route in routes if route.gutter]
    for route, (low, high) in sorted(spans, key=lambda item: item[1][1] - item[1][0]):
        occupied = taken.setdefault(route.gutter, [])
        track = _first_free(occupied, low - 0.5, high + 0.5)
        occupied.append((low - 0.5, high + 0.5, track))
        route.tracks["up"] = track
    return {gutter: 1 + max(t for *_, t in spans) for gutter, spans in taken.items()}


def _lanes(roles: list[str], gutters: dict[tuple[int, str], int], column: float) -> list[Lane]:
    lanes, x = [], MARGIN
    for n, role in enumerate(roles):
        left, right = (GUTTER + TRACK * gutters.get((n, side), 0) for side in ("left", "right"))
        lanes.append(Lane(role, x, left + column + right, x + left, column))
        x += left + column + right
    return lanes


def _node_x(lane: Lane, item: _Item) -> float:
    return lane.column + (lane.column_width - item.width) / 2


def _gutter_x(lanes: list[Lane], gutters: dict[tuple[int, str], int], gutter: tuple[int, str], track: int) -> float:
    lane_index, side = gutter
    lane = lanes[lane_index]
    if side == "left":
        return lane.x + GUTTER / 2 + TRACK * (gutters[gutter] - track - 0.5)
    return lane.x + lane.width - GUTTER / 2 - TRACK * (gutters[gutter] - track - 0.5)


def _gap_tracks(routes: list[_Route], rows: dict[str, _Item], lanes: list[Lane],
                gutters: dict[tuple[int, str], int]) -> dict[int, int]:
    """Tracks of the horizontal runs in each gap (gap r lies below row r; gap -1 below the lane titles).

    The runs leaving the node above a gap come first; the runs into the node below lie deeper, so that an
    arrow's last drop into a node never continues the line leaving the node above it."""
    taken: dict[int, list[tuple[float, float, int]]] = {}

    def centre(item: _Item) -> float:
        return _node_x(lanes[item.lane], item) + item.width / 2

    runs: list[tuple[_Route, str, int, float, float]] = []
    for route in routes:
        source, target = rows[route.source], rows[route.target]
        turn = _gutter_x(lanes, gutters, route.gutter, route.tracks["up"]) if route.gutter else centre(target)
        runs.append((route, "out", source.row, centre(source), turn))
        if route.gutter:
            runs.append((route, "in", target.row - 1, turn, centre(target)))
    floors: dict[int, int] = {}
    for name in ("out", "in"):
        if name == "in":
            floors = {gap: 1 + max(t for *_, t in spans) for gap, spans in taken.items()}
        for route, kind, gap, a, b in runs:
            if kind != name:
                continue
            low, high = sorted((a, b))
            if kind == "out" and route.label:
                width = text_width(route.label, LABEL_FONT) + 8
                low, high = (min(low, a - width), high) if b < a else (low, max(high, a + width))
            if kind == "out" and not route.label and low == high:
                continue  # straight down to the next row: no run to keep apart
            occupied = taken.setdefault(gap, [])
            floor = floors.get(gap, 0)
            track = max(floor, _first_free([o for o in occupied if o[2] >= floor], low - 4, high + 4))
            occupied.append((low - 4, high + 4, track))
            route.tracks[kind] = track
    return {gap: 1 + max(t for *_, t in spans) for gap, spans in taken.items()}


def _row_tops(items: list[_Item], gaps: dict[int, int]) -> dict[int, float]:
    tops, y = {}, TITLE_HEIGHT + HEAD_GAP + TRACK * gaps.get(-1, 0)
    for item in items:
        tops[item.row] = y
        y += item.height + ROW_GAP + TRACK * gaps.get(item.row, 0)
    return tops


def _node(item: _Item, lanes: list[Lane], gutters: dict[tuple[int, str], int], tops: dict[int, float]) -> Node:
    x = _node_x(lanes[item.lane], item)
    return Node(item.id, item.kind, _n(x), _n(tops[item.row]), _n(item.width), _n(item.height), item.lines,
                item.number)


def _track_y(nodes_by_row: dict[int, Node], gap: int, track: int) -> float:
    """The height of run `track` in the gap below row `gap` (below the lane titles for -1)."""
    if gap < 0:
        return TITLE_HEIGHT + 10 + TRACK * track
    return nodes_by_row[gap].bottom + 18 + TRACK * track


def _arrow(route: _Route, nodes: dict[str, Node], rows: dict[str, _Item], lanes: list[Lane],
           gutters: dict[tuple[int, str], int], by_row: dict[int, Node]) -> Arrow:
    source, target = nodes[route.source], nodes[route.target]
    start, end = (source.cx, source.bottom), (target.cx, target.y)
    if "out" not in route.tracks:
        return Arrow(route.source, route.target, (start, end), None, route.back)
    y_out = _track_y(by_row, rows[route.source].row, route.tracks["out"])
    label = _label(route.label, source.cx, y_out, route, lanes, gutters, target) if route.label else None
    if route.gutter is None:
        points = (start, (source.cx, y_out), (target.cx, y_out), end)
        if source.cx == target.cx:
            points = (start, end)
        return Arrow(route.source, route.target, points, label, route.back)
    x = _gutter_x(lanes, gutters, route.gutter, route.tracks["up"])
    y_in = _track_y(by_row, rows[route.target].row - 1, route.tracks["in"])
    points = (start, (source.cx, y_out), (x, y_out), (x, y_in), (target.cx, y_in), end)
    return Arrow(route.source, route.target, points, label, route.back)


def _label(text: str, x: float, y: float, route: _Route, lanes: list[Lane], gutters: dict[tuple[int, str], int],
           target: Node) -> Label:
    turn = _gutter_x(lanes, gutters, route.gutter, route.tracks["up"]) if route.gutter else target.cx
    width = text_width(text, LABEL_FONT)
    if turn < x:
        return Label(text, _n(x - 5), _n(y - 4), "end", width)
    return Label(text, _n(x + 5), _n(y - 4), "start", width)
