"""jieba 0.42.1 (2020) imports pkg_resources, which setuptools is removing: the segmentation the search relies on
must keep working without it (jieba then reads its dictionary beside its own file)."""
from __future__ import annotations

import json
import subprocess
import sys

SEGMENT = r"""
import json, sys
sys.modules["pkg_resources"] = None  # as on a Python whose setuptools no longer ships it
import jieba
from generator.adapter.jieba import is_word, load_into_jieba
load_into_jieba(["电商客服", "计算机病毒", "淘宝客"])
print(json.dumps({"cut": jieba.lcut("电商客服查杀计算机病毒并回复淘宝客"),
                  "words": [w for w in ("电商", "客服", "病毒", "淘宝客") if is_word()(w)]}, ensure_ascii=False))
"""


def test_segmentation_works_without_pkg_resources() -> None:
    result = subprocess.run([sys.executable, "-c", SEGMENT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # Compounds of real words are split so that their parts are index tokens; a word jieba would break into
    # meaningless pieces stays whole.
    assert found["cut"] == ["电商", "客服", "查杀", "计算机", "病毒", "并", "回复", "淘宝客"]
    assert found["words"] == ["电商", "客服", "病毒", "淘宝客"]
