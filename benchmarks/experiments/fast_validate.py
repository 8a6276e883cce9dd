"""Experiment: where validation time goes at scale, and what two changes in generator/ would gain.

    python benchmarks/synth.py 2000 build/bench/data-2000
    pip install --target build/bench/fjs fastjsonschema==2.22.3   # not a project dependency
    PYTHONPATH=build/bench/fjs python benchmarks/experiments/fast_validate.py build/bench/data-2000

A. load: generator.load walks PyYAML events in Python; yaml.compose with the C loader builds the node tree
   (every node keeps its start_mark, so line/column survive) and a small walk turns it into data + marks.
B. schema: jsonschema's iter_errors costs ~10 µs per node; a compiled validator (fastjsonschema) as a fast
   path, falling back to jsonschema's iter_errors only for the documents it rejects, keeps every message.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

from generator import build, load, schema

STR = "tag:yaml.org,2002:str"


def walk(node: yaml.Node, path: tuple, marks: dict) -> object:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return {k.value: walk(v, path + (k.value,), marks) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [walk(v, path + (i,), marks) for i, v in enumerate(node.value)]
    return node.value  # the real loader would resolve int/bool/null from node.tag here


def timed(label: str, fn):  # noqa: ANN001
    start = time.perf_counter()
    result = fn()
    print(f"{label:48s} {time.perf_counter() - start:6.2f} s")
    return result


def main(data: Path) -> None:
    texts = [f.read_text(encoding="utf-8") for f in sorted(data.rglob("*.yml"))]
    docs, _ = timed("A. load_sources (current)", lambda: load.load_sources(data))
    timed("A. yaml.compose(CSafeLoader) + walk with marks",
          lambda: [walk(yaml.compose(t, Loader=yaml.CSafeLoader), (), {}) for t in texts])
    problems = timed("B. jsonschema iter_errors (current)", lambda: schema.validate_docs(docs))
    assert not problems
    timed("   build_handbook (current)", lambda: build.build_handbook(docs))
    try:
        import fastjsonschema
    except ImportError:
        print("B. fastjsonschema not importable: see the docstring")
        return
    store = {f"{k}.json": schema.load_schema(k) for k in (*schema.KINDS, "common")}
    handlers = {"": lambda uri: store[uri.rsplit("/", 1)[-1]]}

    def compile_all() -> dict:
        out = {}
        for kind in schema.KINDS:
            s = {**store[f"{kind}.json"], "$id": f"{kind}.json"}
            s.pop("$schema", None)
            out[kind] = fastjsonschema.compile(s, handlers=handlers, use_default=False)
        return out
    validators = timed("B. fastjsonschema compile (once per process)", compile_all)

    def fast() -> int:
        rejected = 0
        for doc in docs:
            try:
                validators[doc.kind](doc.data)
            except fastjsonschema.JsonSchemaException:
                rejected += 1  # the real code would run jsonschema's iter_errors on this doc for the messages
        return rejected
    assert timed("B. fastjsonschema validate (fast path)", fast) == 0
    bad = {**docs[1].data, "id": "Not An Id"}
    try:
        validators[docs[1].kind](bad)
        raise AssertionError("a bad id passed the compiled validator")
    except fastjsonschema.JsonSchemaException as error:
        print(f"   sanity: a bad id is rejected ({error})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
