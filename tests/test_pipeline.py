"""pipeline.py: the stages run with the cycle collector paused, and it is running again afterwards."""
from __future__ import annotations

import gc

import pytest

from conftest import DATA
from generator import pipeline


def test_stages_run_with_the_cycle_collector_paused_and_it_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    real = pipeline.load_sources
    monkeypatch.setattr(pipeline, "load_sources", lambda data_dir: (seen.append(gc.isenabled()), real(data_dir))[1])
    assert gc.isenabled()
    assert pipeline.render(DATA).site is not None
    assert seen == [False] and gc.isenabled()


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    try:
        with pipeline.cycle_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
