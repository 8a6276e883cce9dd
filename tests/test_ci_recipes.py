"""The CI recipes for GitLab (.gitlab-ci.yml) and GitHub (.github/workflows/handbook.yml), checked against what
each host publishes: each file against the host's own schema of its CI configuration, every command against the
Makefile and the generator's real command line, and the reports they hand the host (GitLab's Code Quality report,
GitHub's annotations) on a broken copy of the data, against the host's schema and documented format.

The hosts' schemas are vendored in tests/fixtures/ci/ (see its README for where each comes from).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.__main__ import _parser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ci"
BASE = ROOT / "tests" / "corpus" / "_base"
GITLAB = ROOT / ".gitlab-ci.yml"
GITHUB = ROOT / ".github" / "workflows" / "handbook.yml"


class HostLoader(yaml.SafeLoader):
    """YAML as the CI hosts read it (YAML 1.2 booleans): `on:` is a key, not true."""


HostLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
HostLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def recipe(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=HostLoader)


def host_schema(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# -- the files, as the hosts read them ---------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "schema"), [(GITLAB, "gitlab-ci.schema.json"), (GITHUB, "github-workflow.schema.json")],
                         ids=["gitlab", "github"])
def test_recipe_is_valid_for_its_host(path: Path, schema: str) -> None:
    validator = jsonschema.Draft7Validator(host_schema(schema))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(recipe(path))]
    assert errors == []


def test_host_schemas_reject_a_broken_recipe() -> None:
    """The vendored schemas do check: a misspelt key fails each."""
    gitlab = recipe(GITLAB)
    gitlab["check"]["artefacts"] = gitlab["check"].pop("artifacts")
    github = recipe(GITHUB)
    github["jobs"]["check-build-test"]["runs_on"] = github["jobs"]["check-build-test"].pop("runs-on")
    assert list(jsonschema.Draft7Validator(host_schema("gitlab-ci.schema.json")).iter_errors(gitlab))
    assert list(jsonschema.Draft7Validator(host_schema("github-workflow.schema.json")).iter_errors(github))


# -- every command is real ----------------------------------------------------------------------------------------
def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", text, re.M))


def scripts(path: Path) -> list[str]:
    """Every shell line the recipe runs."""
    data = recipe(path)
    if path == GITHUB:
        return [line for job in data["jobs"].values() for step in job.get("steps", []) if "run" in step
                for line in step["run"].splitlines()]
    jobs = [data.get("default", {})] + [job for name, job in data.items() if isinstance(job, dict) and "script" in job]
    return [line for job in jobs for key in ("before_script", "script", "after_script") for line in job.get(key, [])]


def commands(line: str) -> list[list[str]]:
    """The commands of a shell line, without redirections; CI variables stand in as placeholders."""
    line = re.sub(r"\$\{\{[^}]*\}\}|\$\{?\w+\}?", "X", line)
    found = []
    for part in re.split(r"&&|\|\||;|\|", line):
        words = shlex.split(part)
        cleaned, skip = [], False
        for word in words:
            if skip:
                skip = False
            elif re.fullmatch(r"\d?>>?", word):
                skip = True
            elif not re.match(r"\d?>>?", word):
                cleaned.append(word)
        if cleaned:
            found.append(cleaned)
    return found


SHELL = {"git", "cat", "echo", "rm", "mv", "apt-get", "true"}


def check_command(words: list[str]) -> None:
    if words[0] == "make":
        assert set(words[1:]) <= make_targets(), words
    elif words[:3] == [".venv/bin/python", "-m", "generator"]:
        _parser("en").parse_args(words[3:])  # argparse exits on an unknown command or option
    elif words[0] in ("sudo", "bash"):
        script = next(w for w in words if w.endswith(".sh"))
        assert (ROOT / script).is_file(), script
    else:
        assert words[0] in SHELL, words


@pytest.mark.parametrize("path", [GITLAB, GITHUB], ids=["gitlab", "github"])
def test_every_command_names_a_real_target_or_command(path: Path) -> None:
    lines = scripts(path)
    assert lines
    for line in lines:
        for words in commands(line):
            check_command(words)


@pytest.mark.parametrize("path", [GITLAB, GITHUB], ids=["gitlab", "github"])
def test_check_tests_and_build_all_run(path: Path) -> None:
    ran = [" ".join(words) for line in scripts(path) for words in commands(line)]
    assert "make test" in ran and "make build" in ran and "make install" in ran
    assert any(command.startswith(".venv/bin/python -m generator check --format") for command in ran)
    assert ".venv/bin/python -m generator codeowners --check" in ran


# -- GitLab: what each job hands the merge request -----------------------------------------------------------------
def test_gitlab_runs_on_merge_requests_and_the_default_branch() -> None:
    rules = [rule["if"] for rule in recipe(GITLAB)["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rules
    assert recipe(GITLAB)["variables"]["GIT_DEPTH"] == "0"  # history for 最后更新 and the diff


def test_gitlab_check_hands_its_code_quality_report_to_the_merge_request() -> None:
    check = recipe(GITLAB)["check"]
    report = check["artifacts"]["reports"]["codequality"]
    assert f".venv/bin/python -m generator check --format gitlab > {report}" in check["script"]
    assert check["artifacts"]["when"] == "always"  # above all when the check fails
    assert "rules" not in check  # every pipeline


def test_gitlab_changes_are_in_the_log_and_linked_from_the_merge_request() -> None:
    changes = recipe(GITLAB)["changes"]
    assert [rule["if"] for rule in changes["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    written = next(line for line in changes["script"] if " diff " in line).rsplit("> ", 1)[1]
    assert '"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" HEAD' in " ".join(changes["script"])
    assert f"cat {written}" in changes["script"]
    assert changes["artifacts"]["paths"] == [written] and changes["artifacts"]["expose_as"] == "手册变更"


def test_gitlab_offers_the_built_site_of_the_merge_request() -> None:
    site = recipe(GITLAB)["site"]
    assert [rule["if"] for rule in site["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert site["script"] == ["make build"] and site["artifacts"]["paths"] == ["site/"]
    assert site["artifacts"]["expose_as"] == "网站预览"
    assert site["environment"]["url"] == "$CI_JOB_URL/artifacts/file/site/index.html"
    assert site["variables"] == {"HANDBOOK_REPO_URL": "$CI_PROJECT_URL",
                                 "HANDBOOK_EDIT_URI": "-/edit/$CI_DEFAULT_BRANCH/docs/"}


def test_gitlab_publishes_pages_from_the_default_branch_only() -> None:
    data = recipe(GITLAB)
    pages = data["pages"]
    assert [rule["if"] for rule in pages["rules"]] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]
    assert pages["script"] == ["make build", "rm -rf public", "mv site public"]
    assert pages["artifacts"]["paths"] == ["public"]
    stages = data["stages"]
    assert stages.index(pages["stage"]) > max(stages.index(data[job]["stage"]) for job in ("check", "test"))
    assert pages["variables"]["HANDBOOK_REPO_URL"] == "$CI_PROJECT_URL"


# -- GitHub -------------------------------------------------------------------------------------------------------
def test_github_checks_builds_tests_and_publishes() -> None:
    workflow = recipe(GITHUB)
    assert "pull_request" in workflow["on"] and workflow["on"]["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["check-build-test"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    check = next(step for step in steps if step.get("id") == "check")
    assert check["run"] == ".venv/bin/python -m generator check --format github"
    summary = next(step for step in steps if "$GITHUB_STEP_SUMMARY" in step.get("run", "") and " diff " in step["run"])
    assert summary["if"] == "github.event_name == 'pull_request'"
    build = next(step for step in steps if step.get("run") == "make build")
    assert build["env"]["HANDBOOK_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site/"
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "check-build-test" and "main" in publish["if"]
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["steps"][0]["uses"].startswith("actions/deploy-pages")


# -- the reports on a broken copy of the data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base handbook with problems in three files, one of them about a whole file (no line)."""
    root = tmp_path_factory.mktemp("broken")
    data = root / "data"
    shutil.copytree(BASE, data)
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: 专员\nid: x\n", encoding="utf-8")
    (data / "glossary.yml").write_text("title: 术语表\nstatus: final\nterms: []\n", encoding="utf-8")
    (data / "procedures" / "notes.txt").write_text("x", encoding="utf-8")
    (data / "procedures.yml").write_text("id: x\n", encoding="utf-8")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HANDBOOK_DATA", "HANDBOOK_LANG")}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def text_problems(root: Path) -> list[tuple[str, int]]:
    lines = run(root, "check").stderr.splitlines()[:-1]
    return [(m.group(1), int(m.group(2) or 0)) for m in (re.match(r"(\S+?)(?::(\d+):\d+)?: ", line) for line in lines)]


def test_gitlab_report_matches_gitlabs_schemas(broken: Path) -> None:
    result = run(broken, "check", "--format", "gitlab")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(host_schema("gitlab-code-quality-report.schema.json")).validate(report)
    entry = jsonschema.Draft7Validator(host_schema("gitlab-codeclimate.schema.json"))
    for item in report:
        entry.validate(item)
    expected = text_problems(broken)
    assert len(report) == len(expected) >= 4  # one entry per problem
    assert [(e["location"]["path"], e["location"]["lines"]["begin"]) for e in report] == [
        (path, max(line, 1)) for path, line in expected]
    assert all((broken / e["location"]["path"]).is_file() for e in report)  # relative to the repository
    assert len({e["fingerprint"] for e in report}) == len(report)
    assert result.stderr.splitlines()[:-1] == run(broken, "check").stderr.splitlines()[:-1]  # the log, as text


def test_the_report_schemas_reject_what_gitlab_would() -> None:
    """The vendored report schema does check: no line, a made-up severity, an absolute path each fail."""
    good = {"description": "x", "check_name": "c", "fingerprint": "f", "severity": "major",
            "location": {"path": "data/x.yml", "lines": {"begin": 1}}}
    validator = jsonschema.Draft202012Validator(host_schema("gitlab-code-quality-report.schema.json"))
    assert validator.is_valid([good])
    for bad in ({**good, "severity": "error"}, {**good, "location": {"path": "data/x.yml"}},
                {**good, "location": {"path": "/abs/x.yml", "lines": {"begin": 1}}}):
        assert not validator.is_valid([bad]), bad


GITHUB_COMMAND = re.compile(r"::(error|warning) file=(?P<file>[^,:]+)(?:,line=(?P<line>\d+),col=\d+)?,"
                            r"title=[a-z0-9-]+::(?P<message>.+)")
"""GitHub's workflow command for an annotation (docs: workflow commands, 'Setting an error message')."""


def test_github_annotations_match_githubs_workflow_command(broken: Path) -> None:
    result = run(broken, "check", "--format", "github")
    annotations = result.stderr.splitlines()[:-1]
    matched = [GITHUB_COMMAND.fullmatch(line) for line in annotations]
    assert all(matched), annotations
    assert [(m["file"], int(m["line"] or 0)) for m in matched] == text_problems(broken)
    assert all("\n" not in m["message"] and "%0A" not in m["message"] for m in matched)
