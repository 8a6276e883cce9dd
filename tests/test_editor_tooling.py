"""Editor tooling: the JSON Schemas as an editor uses them (validation and Chinese hover help), VS Code settings,
pre-commit, yamllint. The CI recipes are tests/test_ci_recipes.py.

The schemas are loaded here straight from their files, resolving `common.json` relative to each file as the
YAML language server does, without generator/schema.py: what VS Code underlines is what is tested.
"""
from __future__ import annotations

import copy
import fnmatch
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import referencing
import yaml

from generator.stages.load import KIND_BY_PLACE

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "generator" / "schemas"
DATA = ROOT / "data"


def _registry() -> referencing.Registry:
    resources = [(path.as_uri(), referencing.Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
                 for path in SCHEMAS.glob("*.json")]
    return referencing.Registry().with_resources(resources)


REGISTRY = _registry()


def editor_errors(schema_file: Path, data: object) -> list[str]:
    validator = jsonschema.Draft202012Validator({"$ref": schema_file.as_uri()}, registry=REGISTRY)
    return [error.message for error in validator.iter_errors(data)]


def vscode_map() -> dict[str, list[str]]:
    return json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]


def schema_for(rel: str) -> Path:
    """The schema VS Code applies to data/<rel>; exactly one glob must match."""
    matches = [schema for schema, globs in vscode_map().items() for glob in globs
               if fnmatch.fnmatchcase(f"data/{rel}", glob) and "/" not in f"data/{rel}"[len(glob.rsplit("/", 1)[0]) + 1:]]
    assert len(matches) == 1, (rel, matches)
    return (ROOT / matches[0]).resolve()


def data_files() -> list[str]:
    return sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yml"))


def load(rel: str) -> dict:
    return yaml.safe_load((DATA / rel).read_text(encoding="utf-8"))


def test_schemas_are_valid_draft_2020_12() -> None:
    for path in SCHEMAS.glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_vscode_maps_every_data_folder_to_its_schema() -> None:
    mapping = vscode_map()
    for schema in mapping:
        assert (ROOT / schema).is_file(), schema
    expected = {f"./generator/schemas/{kind}.json": [place if place.endswith(".yml") else f"data/{place}/*.yml"]
                for place, kind in KIND_BY_PLACE.items()}
    expected = {k: [v if v.startswith("data/") else f"data/{v}" for v in vs] for k, vs in expected.items()}
    assert mapping == expected


@pytest.mark.parametrize("rel", data_files())
def test_schema_accepts_the_real_data(rel: str) -> None:
    assert editor_errors(schema_for(rel), load(rel)) == []


def _set(doc: dict, path: tuple, value: object) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path
    target = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


DELETE = object()
BROKEN = [
    # (file, path, new value, words the editor shows)
    ("roles/designer.yml", ("resposibilities",), ["x"], "Additional properties are not allowed"),
    ("roles/designer.yml", ("status",), "aproved", "is not one of ['approved', 'draft']"),
    ("roles/designer.yml", ("duties", 0, "id"), "Designer_1", "does not match"),
    ("roles/designer.yml", ("duties", 0, "text"), 42, "is not of type 'string'"),
    ("roles/designer.yml", ("title",), DELETE, "'title' is a required property"),
    ("roles/cs.yml", ("duties",), [{"id": "cs-x", "text": "x"}], "should not be valid"),
    ("procedures/pc-setup.yml", ("steps", 0, "actor"), DELETE, "'actor' is a required property"),
    ("procedures/pc-setup.yml", ("review_by",), "2027/06/30", "does not match"),
    ("checklists/publish-checklist.yml", ("items",), [], "should be non-empty"),
    ("checklists/publish-checklist.yml", ("items", 0, "owner"), DELETE, "'owner' is a required property"),
    ("onboarding/cs.yml", ("day1",), "read the handbook", "is not of type 'array'"),
    ("glossary.yml", ("terms", 0, "meaning"), "", "should be non-empty"),
    ("register.yml", ("documents", 0, "releases", 0, "version"), "v1", "does not match"),
    ("regulation/01-general.yml", ("clauses", 0, "role"), "manager", "Additional properties are not allowed"),
    ("regulation/02-duties.yml", ("clauses", 0, "role"), True, "is not of type 'string'"),
]


@pytest.mark.parametrize("rel, path, value, words", BROKEN, ids=[f"{b[0]}:{b[1]}" for b in BROKEN])
def test_schema_rejects_each_broken_example(rel: str, path: tuple, value: object, words: str) -> None:
    errors = editor_errors(schema_for(rel), _set(load(rel), path, value))
    assert any(words in message for message in errors), errors


# -- what the editor shows: hover and completion help ---------------------------------------------------------
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]{2,}[,;:.]? +[A-Za-z]{2,}\b")
"""Two English words in a row: a sentence in English, not a field name or value quoted in Chinese text."""


def hover_texts(schema_file: Path) -> dict[str, list[str]]:
    """What the YAML extension shows for each field of a file (hover and completion): the title and description
    written beside a `$ref`, else those of the definition it points at, found through the same registry as
    editor_errors (references resolved relative to the schema file). Keyed by field path, e.g. duties[].text."""
    found: dict[str, list[str]] = {}
    resolver = REGISTRY.resolver(base_uri=schema_file.as_uri())

    def shown(node: dict, resolver: referencing._core.Resolver) -> tuple[list[str], dict, referencing._core.Resolver]:
        texts = [node[k] for k in ("title", "description", "markdownDescription") if k in node]
        while "$ref" in node:
            resolved = resolver.lookup(node["$ref"])
            node, resolver = resolved.contents, resolved.resolver
            texts = texts or [node[k] for k in ("title", "description", "markdownDescription") if k in node]
        return texts, node, resolver

    def walk(node: dict, resolver: referencing._core.Resolver, prefix: str) -> None:
        _, node, resolver = shown(node, resolver)
        for branch in ("then", "else"):
            if branch in node:
                walk(node[branch], resolver, prefix)
        for key, sub in node.get("properties", {}).items():
            texts, target, sub_resolver = shown(sub, resolver)
            found[f"{prefix}{key}"] = texts
            walk(sub, resolver, f"{prefix}{key}.")
            if "items" in target:
                found[f"{prefix}{key}[]"] = shown(target["items"], sub_resolver)[0]
                walk(target["items"], sub_resolver, f"{prefix}{key}[].")

    root = json.loads(schema_file.read_text(encoding="utf-8"))
    found[""] = [root[k] for k in ("title", "description") if k in root]
    walk(root, resolver, "")
    return found


def english_in(text: str) -> list[str]:
    return ENGLISH_PHRASE.findall(re.sub(r"data/[\w/*.-]+", "", text))


@pytest.mark.parametrize("schema_file", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_hover_help_is_chinese(schema_file: Path) -> None:
    """Every title and description an editor sees is Chinese: English is left to $comment and the catalogs."""
    texts = hover_texts(schema_file.resolve())
    assert len(texts) > 1 or schema_file.name == "common.json"
    for path, shown in texts.items():
        for text in shown:
            assert HAN.search(text) and not english_in(text), (schema_file.name, path, text)


def test_every_field_of_the_data_has_hover_help() -> None:
    for rel in data_files():
        texts = hover_texts(schema_for(rel))
        for key in load(rel):
            assert texts.get(key), (rel, key)


def test_hover_of_a_duty_text_is_the_words_of_the_missing_key_message() -> None:
    """The words VS Code shows on a duty's `text` are those `check` quotes when the field is missing."""
    role = hover_texts((SCHEMAS / "role.json").resolve())
    assert role["duty_groups[].duties[].text"] == role["duties[].text"] == ["职责原文;有子项时写到冒号为止。"]
    assert role[""] == ["岗位说明书(data/roles/*.yml)"]
    assert hover_texts((SCHEMAS / "common.json").resolve())[""] == ["共用定义"]


# -- pre-commit, workflow, yamllint ------------------------------------------------------------------------
def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", text, re.M))


def check_command(words: list[str]) -> None:
    """A command names a real make target, generator subcommand or repository script."""
    if words[0] == "make":
        assert set(words[1:]) <= make_targets(), words
    elif "generator" in words:
        sub = words[words.index("generator") + 1:]
        sub = [w for w in sub if not w.startswith("-") and not w.startswith('"')]
        assert sub and sub[0] in {"check", "render", "diff", "codeowners"}, words
    elif words[0] in ("sudo", "bash"):
        script = next(w for w in words if w.endswith(".sh"))
        assert (ROOT / script).is_file(), script
    else:
        raise AssertionError(f"unexpected command {words}")


def test_pre_commit_runs_yamllint_and_real_commands(capsys: pytest.CaptureFixture[str]) -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"yamllint", "handbook-check", "handbook-codeowners"} <= set(hooks)
    assert hooks["yamllint"]["args"][-1] == ".yamllint" and (ROOT / ".yamllint").is_file()
    for hook_id in ("handbook-check", "handbook-codeowners"):
        check_command(shlex.split(hooks[hook_id]["entry"]))
        assert re.search(hooks[hook_id]["files"], "data/roles/designer.yml")


def test_yamllint_config_passes_on_the_data() -> None:
    config = yaml.safe_load((ROOT / ".yamllint").read_text(encoding="utf-8"))
    assert config["extends"] == "default"
    yamllint_config = pytest.importorskip("yamllint.config")
    from yamllint import linter
    conf = yamllint_config.YamlLintConfig(file=str(ROOT / ".yamllint"))
    paths = [*DATA.rglob("*.yml"), ROOT / ".pre-commit-config.yaml", ROOT / ".github/workflows/handbook.yml",
             ROOT / ".gitlab-ci.yml"]
    problems = [f"{p}:{x.line}:{x.column} {x.message}" for p in paths
                for x in linter.run(p.read_text(encoding="utf-8"), conf, str(p))]
    assert problems == []
