"""`acks import`: a form export (CSV or .xlsx, from 企业微信, 钉钉 or 飞书) into one file of data/acks/.

The columns are found by their headers (工号, 姓名, 文件 or 文件编号, 版本, 确认时间 and the names these platforms
give them; `--column 工号=员工编号` names another), in the first rows of the sheet: an export may have a title row
above them. Every row is checked before anything is written, against the rules every acknowledgement keeps
(stages/people.py) and against the text of its version (the text hash, views/acknowledgements.py); a bad row is
reported by its row number and column, as the spreadsheet numbers them, and then nothing is written. A CSV may be
UTF-8 (with or without the BOM Excel writes), GBK/GB18030 or UTF-16.
"""
from __future__ import annotations

import argparse
import codecs
import csv
import html
import io
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import Phrase, language, literal, phrase, words
from ..stages.model import Acknowledgement, Handbook
from ..stages.pages import documents
from ..stages.people import acknowledgement, check_acknowledgements, parse_day
from ..stages.problems import Problem, Severity
from ..stages.render import environment
from ..stages.report import format_text
from ..stages.write import is_inside
from ..views.acknowledgements import acknowledgements as acknowledgement_view
from ..views.lifecycle import document_states

CHANNELS = ("纸质签收单", "企业微信", "钉钉", "飞书", "邮件")
FIELDS = ("staff_no", "name", "document", "version", "confirmed", "text_hash", "evidence")
REQUIRED = ("staff_no", "name", "document", "version", "confirmed")
FIELD_NAMES = {"工号": "staff_no", "姓名": "name", "文件": "document", "文件编号": "document", "版本": "version",
               "确认时间": "confirmed", "文本指纹": "text_hash", "凭证": "evidence", "记录编号": "evidence"}
"""The Chinese names of the fields, as `--column` accepts them beside the English ones."""
HEADERS = {
    "staff_no": ("工号", "员工工号", "员工编号", "人员编号"),
    "name": ("姓名", "员工姓名", "成员姓名", "名字", "提交人", "填写人", "提交者", "填写者", "成员"),
    "document": ("文件编号", "文件", "文件名称", "制度", "制度名称", "文档", "阅读文件", "签收文件"),
    "version": ("版本", "版本号", "文件版本"),
    "confirmed": ("确认时间", "确认日期", "签收时间", "签收日期", "阅读时间", "提交时间", "填写时间", "提交日期",
                  "完成时间"),
    "text_hash": ("文本指纹", "指纹"),
    "evidence": ("记录id", "记录编号", "提交id", "数据id", "序号", "编号"),
}
"""Headers recognised for each field, normalised (see _normal): the names form exports commonly give the columns
they add (提交人, 提交者, 提交时间, 记录 ID, 序号) and the names a hand-made sheet uses. The first column that matches
wins. A platform's account id (账号, userid) is not taken for the 工号: map it with --column when it is one."""
HEADER_ROWS = 10
"""How far down a sheet the header row may stand (exports put a title and a date above it)."""
FIELD_FOR = {"staff_no": "staff_no", "name": "name", "doc_no": "document", "version": "version",
             "confirmed": "confirmed", "text_hash": "text_hash"}
"""The column an acknowledgement's field comes from, for the rules' findings."""


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Table:
    """A sheet's header row and the rows below it, with the row numbers the spreadsheet shows (from 1)."""

    path: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


@dataclass(frozen=True)
class Request:
    file: Path
    channel: str
    columns: dict[str, str] = field(default_factory=dict)
    """Field (staff_no, … or 工号, …) -> header, for columns the built-in names do not find."""
    sheet: str | None = None
    evidence: str | None = None
    """Default: the file's name."""
    out: Path | None = None
    """Default: <data>/acks/<today>-<file's stem>.yml."""


@dataclass(frozen=True)
class Imported:
    """What an import writes, or the problems that keep it from writing anything."""

    problems: list[Problem]
    path: Path | None = None
    text: str = ""
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.path is not None and not any(p.severity == Severity.ERROR for p in self.problems)


# -- reading a sheet ---------------------------------------------------------------------------------------------
def read_table(path: Path, sheet: str | None = None) -> list[tuple[int, tuple[Any, ...]]]:
    """Every row of a CSV or .xlsx file with its row number; a file that cannot be read raises ImportRefused."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_rows(path, sheet)
        return _csv_rows(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as failure:
        reason = failure.strerror if isinstance(failure, OSError) and failure.strerror else str(failure)
        raise ImportRefused([Problem(str(path), 0, 0, "acks-import-unreadable",
                                     phrase("cannot read {file}: {reason}", file=str(path),
                                            reason=literal(reason)))]) from None


def _csv_rows(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    text = decode_csv(path.read_bytes())
    if text is None:
        raise ImportRefused([Problem(str(path), 1, 1, "acks-import-encoding", phrase(
            "{file} is neither UTF-8 nor GBK text; save it from Excel as CSV UTF-8, or import the .xlsx",
            file=str(path)))])
    sample = "\n".join(text.splitlines()[:HEADER_ROWS])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [(n, tuple(row)) for n, row in enumerate(reader, start=1)]


def decode_csv(raw: bytes) -> str | None:
    """The text of a CSV as Excel and the platforms save it: UTF-16 with its BOM, UTF-8 with or without a BOM,
    else GB18030 (which reads GBK); None for anything else."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook  # only an import of a workbook needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as failure:
        raise ValueError(str(failure)) from None
    try:
        pages = book[sheet] if sheet else book.worksheets[0]
        return [(n, tuple(row)) for n, row in enumerate(pages.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _normal(header: Any) -> str:
    """A header as compared: no spaces, no required-field marks, no bracketed hints, lower case."""
    text = re.sub(r"[\s\u3000*＊]", "", str(header or "")).lower()
    return re.sub(r"[(（【\[].*?[)）】\]]$", "", text)


def find_table(path: str, rows: list[tuple[int, tuple[Any, ...]]], given: dict[str, str] | None = None
               ) -> Table | None:
    """The header row (the first of the first rows that holds a column of 工号) and the rows under it. `given`:
    field -> header, as --column names them."""
    staff = {_normal(h) for h in HEADERS["staff_no"]}
    staff |= {_normal(header) for name, header in (given or {}).items() if FIELD_NAMES.get(name, name) == "staff_no"}
    for index, (number, cells) in enumerate(rows[:HEADER_ROWS]):
        if any(_normal(cell) in staff for cell in cells):
            return Table(path, number, tuple(str(c or "").strip() for c in cells), tuple(rows[index + 1:]))
    return None


def map_columns(table: Table, given: dict[str, str]) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column index (from 0). `given`: field -> header, which wins over the built-in names."""
    found: dict[str, int] = {}
    problems = []
    normal = [_normal(h) for h in table.headers]
    for name, header in given.items():
        key = FIELD_NAMES.get(name, name)
        if key not in FIELDS:
            problems.append(Problem(table.path, table.header_row, 1, "acks-import-no-column", phrase(
                "'{name}' is no field to import; expected one of: {fields}", name=name,
                fields=", ".join(FIELDS + tuple(FIELD_NAMES)))))
        elif _normal(header) in normal:
            found[key] = normal.index(_normal(header))
        else:
            problems.append(_no_column(table, key, header))
    for key in FIELDS:
        if key not in found:
            column = next((normal.index(_normal(h)) for h in HEADERS[key] if _normal(h) in normal), None)
            if column is not None:
                found[key] = column
            elif key in REQUIRED and key not in given and key not in {FIELD_NAMES.get(g, g) for g in given}:
                problems.append(_no_column(table, key, "/".join(HEADERS[key][:3])))
    return found, problems


def _no_column(table: Table, key: str, header: str) -> Problem:
    return Problem(table.path, table.header_row, 1, "acks-import-no-column", phrase(
        "no column '{header}' for {field} in the header row; its columns: {columns}; name the column with "
        "--column {field}=HEADER", header=header, field=key, columns=", ".join(h for h in table.headers if h)))


# -- one row -----------------------------------------------------------------------------------------------------
@dataclass
class _Row:
    number: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell as text: a whole number without '.0', a date or time as written in the data."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_TIME = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?")


def parse_time(text: str) -> str | None:
    """'2026-11-28 10:05' from 2026-11-28 10:05:33, 2026/11/28 10:05, 2026年11月28日 10时05分 or 2026-11-28."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, _ = match.groups()
    try:
        day_of = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return day_of.isoformat()
    if int(hour) > 23 or int(minute) > 59:
        return None
    return f"{day_of.isoformat()} {int(hour):02d}:{int(minute):02d}"


def parse_version(text: str) -> str | None:
    """'1.0' from 1.0, V1.0, v1.0, 1.0版, or 1 (what Excel keeps of a 1.0 typed into a number cell)."""
    match = re.fullmatch(r"[vV]?\s*(\d+)(\.\d+)?\s*版?", text.strip())
    return match.group(1) + (match.group(2) or ".0") if match else None


class _Rows:
    """Reads the rows of a table into acknowledgements, each cell checked where it stands."""

    def __init__(self, table: Table, columns: dict[str, int], hb: Handbook, hashes: dict[tuple[str, str], str | None],
                 today: date) -> None:
        self.table, self.columns, self.hb, self.hashes, self.today = table, columns, hb, hashes, today
        self.documents = _document_names(hb)

    def flag(self, row: _Row, key: str, code: str, message: Phrase) -> None:
        row.problems.append(Problem(self.table.path, row.number, self.columns.get(key, 0) + 1, code, message))

    def read(self, number: int, cells: tuple[Any, ...]) -> _Row | None:
        values = {key: cell_text(cells[column]) if column < len(cells) else "" for key, column in self.columns.items()}
        if not any(values.values()):
            return None  # an empty row, as exports end with
        row = _Row(number, values)
        for key in REQUIRED:
            if not values.get(key):
                self.flag(row, key, "acks-import-empty", phrase("the cell of {field} ({header}) is empty",
                                                                     field=key, header=self.header(key)))
        if not row.problems:
            self.normalise(row)
        return row

    def header(self, key: str) -> str:
        return self.table.headers[self.columns[key]] if key in self.columns else key

    def normalise(self, row: _Row) -> None:
        values = row.values
        doc_no = self.documents.get(_normal(values["document"]))
        if doc_no is None:
            self.flag(row, "document", "acks-import-unknown-document", phrase(
                "'{value}' names no document of the register; write its document number (e.g. WL-ZD-001) or its "
                "title", value=values["document"]))
        version = parse_version(values["version"])
        if version is None:
            self.flag(row, "version", "acks-import-bad-version",
                         phrase("'{value}' is no version; write it as 1.0", value=values["version"]))
        confirmed = parse_time(values["confirmed"])
        if confirmed is None:
            self.flag(row, "confirmed", "acks-import-bad-time", phrase(
                "'{value}' is no date and time; write it as 2026-11-28 10:05", value=values["confirmed"]))
        elif parse_day(confirmed) > self.today:
            self.flag(row, "confirmed", "acks-import-future",
                         phrase("{value} is after today ({today})", value=confirmed, today=self.today.isoformat()))
        if row.problems:
            return
        values.update(doc_no=doc_no, version=version, confirmed=confirmed)
        if values.get("evidence"):  # the form's own record: its column and value, e.g. 记录ID rec8Kx2
            values["evidence"] = f"{self.header('evidence')} {values['evidence']}"
        self.text_hash(row)

    def text_hash(self, row: _Row) -> None:
        values = row.values
        key = (values["doc_no"], values["version"])
        values.setdefault("text_hash", "")
        if key not in self.hashes:
            return  # a version never released: the rules of every acknowledgement say so
        expected = self.hashes[key]
        if expected is None:
            self.flag(row, "version", "acks-import-no-text", phrase(
                "the text of {doc_no} {version} is not kept (it has no release tag), so no text hash can be "
                "recorded for it", doc_no=key[0], version=key[1]))
        elif values.get("text_hash") and values["text_hash"].lower() != expected:
            self.flag(row, "text_hash", "ack-hash-mismatch", phrase(
                "text hash {given} is not that of {doc_no} {version}, whose text hashes to {expected}: the record is "
                "of another text; check the sheet or form, or release the changed text as a new version",
                given=values["text_hash"], doc_no=key[0], version=key[1], expected=expected))
        values["text_hash"] = expected or ""


def _document_names(hb: Handbook) -> dict[str, str]:
    """Every way a row may name a registered document (normalised) -> its 文件编号: the number, the id, the title,
    the title with 岗位说明书 or 入职指引, in 《》 or not."""
    numbers = {entry.document: entry.doc_no for entry in hb.register.documents}
    names: dict[str, str] = {}
    for document in documents(hb):
        doc_no = numbers.get(document.id)
        if doc_no is None:
            continue
        titles = [document.title]
        if document.kind == "role":
            titles.append(document.title + "岗位说明书")
        if document.kind == "onboarding":
            titles.append(document.title + "入职指引")
        if document.kind == "regulation":
            titles.append(hb.document.body_title)
        for name in (doc_no, document.id, *titles, *(f"《{t}》" for t in titles)):
            names.setdefault(_normal(name), doc_no)
    return names


# -- the whole import --------------------------------------------------------------------------------------------
def plan(data_dir: Path, request: Request, today: date | None = None) -> Imported:
    """Read and check every row; the YAML to write, or every problem (then nothing may be written)."""
    today = today or build_day()
    checked = pipeline.check(data_dir)
    if not checked.ok or checked.handbook is None:
        return Imported(checked.problems or [Problem(str(data_dir), 0, 0, "acks-import-unreadable", phrase(
            "cannot read {file}: {reason}", file=str(data_dir), reason=literal("no handbook")))])
    hb = checked.handbook
    try:
        rows = read_table(request.file, request.sheet)
    except ImportRefused as refusal:
        return Imported(refusal.problems)
    table = find_table(str(request.file), rows, request.columns)
    if table is None:
        return Imported([Problem(str(request.file), 1, 1, "acks-import-no-column", phrase(
            "no header row with a column of the staff number ({header}) in the first {count} rows; name it with "
            "--column {header}=HEADER", header=HEADERS["staff_no"][0], count=HEADER_ROWS))])
    columns, problems = map_columns(table, request.columns)
    if problems:
        return Imported(problems)
    out = request.out or data_dir / "acks" / f"{today.isoformat()}-{_slug(request.file.stem)}.yml"
    return _plan_rows(data_dir, hb, table, columns, request, out, today)


def _plan_rows(data_dir: Path, hb: Handbook, table: Table, columns: dict[str, int], request: Request, out: Path,
               today: date) -> Imported:
    hashes = _version_hashes(data_dir, hb, today)
    reader = _Rows(table, columns, hb, hashes, today)
    rows = [row for number, cells in table.rows if (row := reader.read(number, cells)) is not None]
    problems = [p for row in rows for p in row.problems]
    if not rows:
        problems.append(Problem(table.path, table.header_row, 1, "acks-import-no-rows",
                                phrase("no rows under the header row; nothing to import")))
    good = [row for row in rows if not row.problems]
    evidence = request.evidence or request.file.name
    rel = out.resolve().relative_to(data_dir.resolve()).as_posix() if is_inside(out, data_dir) else out.name
    new = [acknowledgement(_record(row.values), request.channel, evidence, rel, n) for n, row in enumerate(good)]
    problems += _rule_problems(data_dir, hb, table, columns, good, new)
    if out.exists():
        problems.append(Problem(str(out), 0, 0, "acks-import-exists", phrase(
            "{file} already exists; give another --out, or remove it first", file=str(out))))
    if problems:
        return Imported(sorted(problems))
    text = _yaml(request, evidence, [_record(row.values) for row in good])
    return Imported(_check_with(data_dir, out, text), out, text, len(good))


def _version_hashes(data_dir: Path, hb: Handbook, today: date) -> dict[tuple[str, str], str | None]:
    view = acknowledgement_view(hb, document_states(hb, today), pipeline.load_editions(data_dir, hb), today)
    return {key: sheet.text_hash for key, sheet in view.sheets.items()}


def _record(values: dict[str, str]) -> dict[str, str]:
    record = {"staff_no": values["staff_no"], "name": values["name"], "doc_no": values["doc_no"],
              "version": values["version"], "text_hash": values["text_hash"], "confirmed": values["confirmed"]}
    if values.get("evidence"):
        record["evidence"] = values["evidence"]
    return record


def _rule_problems(data_dir: Path, hb: Handbook, table: Table, columns: dict[str, int], rows: list[_Row],
                   new: list[Acknowledgement]) -> list[Problem]:
    """The rules of every acknowledgement (stages/people.py) on the new rows, after those already recorded."""
    existing = list(hb.roster.acknowledgements)

    def where(index: int) -> str:
        if index < len(existing):
            return f"{data_dir.as_posix().rstrip('/')}/{existing[index].source}"
        return f"{table.path}:{rows[index - len(existing)].number}"

    found = []
    for finding in check_acknowledgements(existing + new, hb.roster.people, hb.register, where):
        if finding.index < len(existing):
            continue
        row = rows[finding.index - len(existing)]
        column = columns.get(FIELD_FOR.get(finding.field, finding.field), 0) + 1
        found.append(Problem(table.path, row.number, column, finding.code, finding.message, finding.severity))
    return found


def _yaml(request: Request, evidence: str, records: list[dict[str, str]]) -> str:
    heading = html.unescape(environment().get_template("acks/heading.txt.j2").render(
        source=request.file.name, channel=request.channel, count=len(records))).strip()
    body = yaml.safe_dump({"channel": request.channel, "evidence": evidence, "acknowledgements": records},
                          allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "".join(f"# {line}\n" for line in heading.splitlines()) + body


def _check_with(data_dir: Path, out: Path, text: str) -> list[Problem]:
    """The problems of the whole data with the new file in place (checked in a copy)."""
    if not is_inside(out, data_dir):
        return []
    rel = out.resolve().relative_to(data_dir.resolve())
    with tempfile.TemporaryDirectory(prefix="handbook-acks-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_text(text, encoding="utf-8")
        checked = pipeline.check(copy)
    return [Problem(p.path.replace(str(copy), str(data_dir), 1), p.line, p.column, p.code, p.phrase, p.severity)
            for p in checked.problems]


def apply(imported: Imported) -> Path:
    assert imported.ok and imported.path is not None
    imported.path.parent.mkdir(parents=True, exist_ok=True)
    imported.path.write_text(imported.text, encoding="utf-8")
    return imported.path


def _slug(stem: str) -> str:
    return re.sub(r"[^\w-]+", "-", stem).strip("-") or "import"


# The command line: wired into generator/__main__.py by `add_parser` and `run`.

def add_parser(subparsers: Any, say: Callable[[Phrase], str] = str, parents: Iterable[Any] = ()) -> Any:
    parser = subparsers.add_parser("acks", parents=list(parents),
                                   help=say(phrase("acknowledgements of the documents in force: import a form export")))
    actions = parser.add_subparsers(dest="acks_command", required=True)
    imports = actions.add_parser("import", parents=list(parents),
                                 help=say(phrase("check every row of a form export (CSV or .xlsx) and write it into "
                                                 "data/acks/ only when all rows pass")))
    imports.add_argument("file", type=Path, help=say(phrase("the export: .csv (UTF-8, GBK or UTF-16) or .xlsx")))
    imports.add_argument("--channel", required=True, choices=CHANNELS, help=say(phrase("how people confirmed")))
    imports.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                         help=say(phrase("the header of a column the usual names miss, e.g. {example} (fields: "
                                         "{fields}); repeatable", example="工号=员工编号",
                                         fields=", ".join(dict.fromkeys(FIELD_NAMES)))))
    imports.add_argument("--sheet", help=say(phrase("the sheet of a workbook (default: the first)")))
    imports.add_argument("--evidence",
                         help=say(phrase("the evidence recorded for the batch (default: the file's name)")))
    imports.add_argument("--out", type=Path,
                         help=say(phrase("the file to write (default: data/acks/<today>-<file name>.yml)")))
    imports.add_argument("--dry-run", action="store_true",
                         help=say(phrase("check and show the YAML, write nothing")))
    if not any(action.dest == "data" for action in imports._actions):
        imports.add_argument("--data", type=Path, default=Path("data"), help=say(phrase("folder of YAML data")))
    return parser


def run(args: argparse.Namespace, lang: str | None = None) -> int:
    lang = language(lang or getattr(args, "lang", None))
    columns = dict(item.split("=", 1) if "=" in item else (item, "") for item in args.column)
    request = Request(args.file, args.channel, columns, args.sheet, args.evidence, args.out)
    imported = plan(args.data, request)
    for problem in imported.problems:
        print(format_text(problem, lang), file=sys.stderr)
    if not imported.ok:
        print(words(phrase("nothing written: fix the rows above (row and column as the spreadsheet numbers them) "
                           "and import again"), lang), file=sys.stderr)
        return 1
    if args.dry_run:
        print(imported.text, end="")
        return 0
    path = apply(imported)
    print(words(phrase("wrote {file}: {count} acknowledgements ({channel})", file=str(path), count=imported.count,
                       channel=args.channel), lang))
    return 0
