"""Stage 1: read data/**/*.yml into SourceDocs that remember where every value was written.

The YAML is parsed event by event (libyaml's C parser when installed) and composed here rather than by
PyYAML's constructors, so that duplicate keys, aliases and tags are reported instead of silently accepted
or executed, and so that every value keeps its line and column.

Only messages about problems need those lines and columns, so a clean file is read by a lean pass that keeps
none; the first time a later stage asks where a value was written, the file's text is parsed again with
marks. A file the lean pass does not accept is parsed with marks at once, and that pass words the problems.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .messages import Phrase, literal, phrase
from .problems import Problem

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # libyaml not installed: the pure-Python parser gives the same events
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
"""Real data files are a few KB; a bigger file is a mistake, and refusing it keeps parsing bounded."""

MAX_DEPTH = 32

KIND_BY_PLACE = {
    "handbook.yml": "handbook",
    "glossary.yml": "glossary",
    "register.yml": "register",
    "regulation": "chapter",
    "roles": "role",
    "procedures": "procedure",
    "checklists": "checklist",
    "onboarding": "onboarding",
    "people.yml": "people",
    "acks": "acknowledgements",
}

JsonPath = tuple[Any, ...]


@dataclass(frozen=True)
class Marks:
    """Where each value (and each mapping key) of a document was written, by JSON path."""

    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: JsonPath) -> tuple[int, int]:
        """Line and column of the value at path, or of its nearest written parent."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path: JsonPath) -> tuple[int, int]:
        """Line and column of the key whose value is at path (the value's own place for list items)."""
        path = tuple(path)
        return self.keys.get(path) or self.value(path)


@dataclass(frozen=True)
class SourceDoc:
    """One data file, parsed. `path` is as shown to editors (data/roles/x.yml); `rel` is relative to data/;
    `text` is the decoded file, from which `marks` are found when first needed."""

    kind: str
    path: str
    rel: str
    data: Any
    text: str

    @cached_property
    def marks(self) -> Marks:
        return parse(self.text, self.path)[1]


def load_sources(data_dir: Path) -> tuple[list[SourceDoc], list[Problem]]:
    """Parse every data file under data_dir. Files that cannot be read become Problems, not exceptions."""
    shown = _display(data_dir)
    if not data_dir.is_dir():
        if data_dir.exists():
            message = phrase("data folder '{folder}' is not a folder; expected a folder of YAML files "
                             "(see README.md), or pass --data DIR", folder=shown)
        else:
            message = phrase("data folder '{folder}' does not exist; expected a folder of YAML files "
                             "(see README.md), or pass --data DIR", folder=shown)
        return [], [Problem(shown, 0, 0, "data-missing", message)]
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(data_dir).as_posix()
        where = f"{shown}/{rel}"
        kind = kind_of(rel)
        if kind is None:
            if not _ignorable(rel):
                problems.append(Problem(where, 0, 0, "unknown-file", _unknown_file_message(rel)))
            continue
        doc, found = load_source(path, where, rel, kind)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs, problems


def kind_of(rel: str) -> str | None:
    """The kind of record a file holds, decided by where it lies under data/."""
    parts = rel.split("/")
    if not re.fullmatch(r"[^/]+\.ya?ml", parts[-1]):
        return None
    if len(parts) == 1:
        return KIND_BY_PLACE.get(parts[0].replace(".yaml", ".yml"))
    if len(parts) == 2 and parts[0] in KIND_BY_PLACE and not parts[0].endswith(".yml"):
        return KIND_BY_PLACE[parts[0]]
    return None


def _ignorable(rel: str) -> bool:
    """Hidden files and folders (.git, .DS_Store, editor backups) and read-me files are not data."""
    parts = rel.split("/")
    return any(part.startswith(".") for part in parts) or parts[-1].lower() in {"readme.md", "readme.txt"}


def _unknown_file_message(rel: str) -> Phrase:
    places = ", ".join(k if k.endswith(".yml") else f"{k}/*.yml" for k in KIND_BY_PLACE)
    return phrase("file '{file}' is not in a known place; expected one of: {places}", file=rel, places=places)


def load_source(path: Path, where: str, rel: str, kind: str) -> tuple[SourceDoc | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(where, 0, 0, "file-too-large",
                                  phrase("file is {size:,} bytes; a data file may hold at most {limit:,} bytes "
                                         "(split it into several files)", size=size, limit=MAX_FILE_BYTES))]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(where, 0, 0, "file-unreadable",
                              phrase("cannot read file: {reason}", reason=literal(error.strerror or str(error))))]
    text, problem = decode(raw, where)
    if problem:
        return None, [problem]
    data = clean_data(text)
    if data is NEEDS_MESSAGES:
        data, _, problems = parse(text, where)
        if problems:
            return None, problems
    return SourceDoc(kind, where, rel, data, text), []


def decode(raw: bytes, where: str) -> tuple[str, Problem | None]:
    """UTF-8 text with line ends normalised, or a Problem naming the encoding the editor should switch from."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        return "", Problem(where, 1, 1, "encoding",
                           phrase("file is saved as UTF-16; save it as UTF-8 (in Notepad: Save As → Encoding UTF-8)"))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        guess = _legacy_encoding(raw)
        if guess:
            message = phrase("file is not valid UTF-8 (it looks like {encoding}, as saved by some Windows editors); "
                             "save it as UTF-8", encoding=guess)
        else:
            message = phrase("file is not valid UTF-8; save it as UTF-8")
        return "", Problem(where, line, column, "encoding", message)
    if "\x00" in text:
        return "", Problem(where, 1, 1, "encoding", phrase("file contains NUL bytes; save it as UTF-8 text"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def _legacy_encoding(raw: bytes) -> str | None:
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


_RESOLVER = yaml.resolver.Resolver()
_PLAIN_TYPES = {
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:bool": lambda v: v.lower() in {"true", "yes", "on"},
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0) if v.lstrip("+-")[:2] in {"0x", "0o"}
    else int(v.replace("_", "")),
    "tag:yaml.org,2002:float": lambda v: float(v.replace("_", "")) if "." in v or "e" in v.lower() else v,
}


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Plain scalars become null/bool/int/float as YAML 1.1 says; dates and everything quoted stay text."""
    if event.style is not None and event.style != "":
        return event.value
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    try:
        return _PLAIN_TYPES.get(tag, lambda v: v)(event.value)
    except ValueError:
        return event.value


NEEDS_MESSAGES = object()
"""What clean_data returns for a file it does not accept: parse() must find and word the problems."""

_MAPPING_START, _SEQUENCE_START, _SCALAR = yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_MAYBE_TYPED = re.compile("|".join(sorted({f"(?:{pattern.pattern})" for resolvers in
                                           _RESOLVER.yaml_implicit_resolvers.values()
                                           for _, pattern in resolvers})), re.X)
"""Matches every plain scalar the resolver may turn into something other than text (any of its patterns)."""


def _explicit_tag(tag: str | None, implicit: bool) -> bool:
    """A tag written in the file (e.g. '!!python/object'); '!' only forces a scalar to stay text."""
    return tag is not None and not implicit and tag != "!"


def clean_data(text: str) -> Any:
    """The values of a file that holds exactly what data files may hold, without marks; NEEDS_MESSAGES as soon
    as anything else shows (syntax error, alias, anchor, tag, duplicate or complex key, too deep, not exactly
    one document). The same values as parse() gives, which tests check on every real and mutated file."""
    loader = _Loader(text)
    containers: list[Any] = []
    keys: list[Any] = []  # per open container: the mapping key waiting for its value, or None
    root: Any = NEEDS_MESSAGES
    documents = 0
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None or _explicit_tag(event.tag, event.implicit[0]):
                    return NEEDS_MESSAGES
                value = event.value
                if not event.style and (not value or _MAYBE_TYPED.match(value)):
                    value = _scalar(event)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None or _explicit_tag(event.tag, event.implicit) \
                        or len(containers) >= MAX_DEPTH:
                    return NEEDS_MESSAGES
                value = {} if kind is _MAPPING_START else []
            elif kind in _ENDS:
                containers.pop()
                keys.pop()
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return NEEDS_MESSAGES
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.AliasEvent:
                return NEEDS_MESSAGES
            else:
                continue
            if not containers:
                root = value
            else:
                container = containers[-1]
                if type(container) is list:
                    container.append(value)
                elif keys[-1] is None:
                    if kind is not _SCALAR:
                        return NEEDS_MESSAGES
                    key = value if isinstance(value, str) else str(value) if value is not None else "null"
                    if key in container:
                        return NEEDS_MESSAGES
                    keys[-1] = key
                    continue
                else:
                    container[keys[-1]] = value
                    keys[-1] = None
            if kind is not _SCALAR:
                containers.append(value)
                keys.append(None)
    except yaml.YAMLError:
        return NEEDS_MESSAGES
    finally:
        loader.dispose()
    return root if documents == 1 else NEEDS_MESSAGES


class _Parse:
    """Builds Python values from parser events, with marks, rejecting what data files must not hold."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.marks = Marks()
        self.problems: list[Problem] = []
        self.documents = 0

    def problem(self, mark: yaml.Mark, code: str, message: Phrase) -> None:
        self.problems.append(Problem(self.where, mark.line + 1, mark.column + 1, code, message))

    def run(self, text: str) -> Any:
        # Each stack frame: [container, path, pending key or None, key mark]
        stack: list[list[Any]] = []
        root: Any = None
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents == 2:
                    self.problem(event.start_mark, "multiple-documents",
                                 phrase("file holds more than one YAML document ('---'); expected one"))
                    return None
                continue
            if isinstance(event, yaml.AliasEvent):
                self.problem(event.start_mark, "yaml-alias",
                             phrase("aliases ('*{name}') are not allowed; write the value out in full",
                                    name=event.anchor))
                return None
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if not self.check_node(event):
                    return None
                if len(stack) >= MAX_DEPTH:
                    self.problem(event.start_mark, "too-deep",
                                 phrase("nesting deeper than {levels} levels", levels=MAX_DEPTH))
                    return None
                if isinstance(event, yaml.ScalarEvent):
                    value = _scalar(event)
                    if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                        self.take_key(stack[-1], value, event)
                        continue
                    if stack:
                        self.place(stack, value, event.start_mark)
                    else:
                        root = value
                        self.marks.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
                    continue
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    self.problem(event.start_mark, "complex-key",
                                 phrase("a key must be plain text, not a list or mapping"))
                    return None
                path = self.place(stack, container, event.start_mark) if stack else ()
                if not stack:
                    root = container
                    self.marks.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
                stack.append([container, path, None, None])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
        return root

    def check_node(self, event: Any) -> bool:
        if event.anchor is not None:
            self.problem(event.start_mark, "yaml-anchor",
                         phrase("anchors ('&{name}') are not allowed; write each value out in full",
                                name=event.anchor))
            return False
        implicit = event.implicit[0] if isinstance(event, yaml.ScalarEvent) else event.implicit
        if _explicit_tag(event.tag, implicit):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(event.start_mark, "yaml-tag",
                         phrase("YAML tags such as '{tag}' are not allowed; write a plain value", tag=tag))
            return False
        return True

    def take_key(self, frame: list[Any], key: Any, event: yaml.ScalarEvent) -> None:
        mapping, path = frame[0], frame[1]
        key = key if isinstance(key, str) else str(key) if key is not None else "null"
        if key in mapping or path + (key,) in self.marks.keys:
            first = self.marks.keys[path + (key,)]
            self.problem(event.start_mark, "duplicate-key",
                         phrase("duplicate key '{key}' (first written on line {line}); "
                                "keep one, YAML would silently drop the other", key=key, line=first[0]))
        frame[2] = key
        frame[3] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def place(self, stack: list[list[Any]], value: Any, mark: yaml.Mark) -> JsonPath:
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, dict):
            key = frame[2]
            path = frame[1] + (key,)
            self.marks.keys.setdefault(path, frame[3])
            container.setdefault(key, value)
            frame[2] = None
        else:
            path = frame[1] + (len(container),)
            container.append(value)
        self.marks.values.setdefault(path, (mark.line + 1, mark.column + 1))
        return path


def parse(text: str, where: str) -> tuple[Any, Marks, list[Problem]]:
    """Parse YAML text; syntax errors and forbidden constructs become Problems."""
    parser = _Parse(where)
    try:
        data = parser.run(text)
    except yaml.MarkedYAMLError as error:
        line, column, message = _syntax_problem(error, text)
        return None, parser.marks, parser.problems + [Problem(where, line, column, "yaml-syntax", message)]
    except yaml.YAMLError as error:
        return None, parser.marks, parser.problems + [
            Problem(where, 1, 1, "yaml-syntax", phrase("YAML error: {error}", error=literal(str(error))))]
    if not parser.problems and parser.documents == 0:
        parser.problems.append(Problem(where, 1, 1, "empty-file",
                                       phrase("file is empty (or holds only comments); expected a mapping of keys")))
    return data, parser.marks, parser.problems


_OPENERS = {"quoted scalar": phrase("the quote"), "flow sequence": phrase("the '['"),
            "flow mapping": phrase("the '{{'")}


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, Phrase]:
    """Line, column and advice for a parser error, pointing where an editor has to look."""
    problem = (error.problem or "invalid YAML").strip()
    context = (error.context or "").strip()
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    source = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
    if "\t" in source[: len(source) - len(source.lstrip())] or "'\\t'" in problem:
        return line, column, phrase("tab character in indentation; YAML must be indented with spaces")
    opener = next((words for kind, words in _OPENERS.items() if context.endswith(kind)), None)
    if opener and error.context_mark is not None:
        start = error.context_mark
        return (start.line + 1, start.column + 1,
                phrase("{opener} opened here is never closed ({problem} on line {line}); close it, "
                       "or write the value without it", opener=opener, problem=literal(problem), line=line))
    if problem.startswith("mapping values are not allowed"):
        return line, column, phrase("':' followed by a space inside a value; put the whole value in quotes "
                                    "('...'), or use the full-width '{colon}'", colon="\uff1a")
    if problem.startswith("found character that cannot start any token"):
        return line, column, phrase("a value cannot start with '{character}'; put the whole value in quotes ('...')",
                                    character=source[column - 1:column])
    if problem.startswith(("did not find expected key", "did not find expected '-'")):
        return line, column, phrase("indentation does not match the lines above; keys of one mapping and items "
                                    "of one list must start in the same column")
    if context:
        return line, column, phrase("YAML syntax error: {problem} ({context}); check the indentation and quoting "
                                    "on this line", problem=literal(problem), context=literal(context))
    return line, column, phrase("YAML syntax error: {problem}; check the indentation and quoting on this line",
                                problem=literal(problem))


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()
