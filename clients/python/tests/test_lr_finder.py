"""The LR finder from Python against the real service: a stepwise.LRRangeTest stepped with the golden
file's synthetic losses (src/test/resources/lrfinder/golden.json, Lightning's and fastai's code
transcribed and run on real torch) answers the same curve and suggestions through `lr_finder()`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable

import pytest

from stepwise_client import StepwiseClient, StepwiseError

GOLDEN = Path(__file__).resolve().parents[3] / "src" / "test" / "resources" / "lrfinder" / "golden.json"


def number(value: float | str) -> float:
    return float(value)


def test_a_range_test_gives_lightnings_curve_and_both_suggestions(
    client: StepwiseClient, new_id: Callable[[str], str]
) -> None:
    case = json.loads(GOLDEN.read_text())["range_tests"][0]
    run = new_id("lr-find")
    start = client.register([{"lr": 0.1}], case["scheduler"], id=run)
    assert start["param_groups"][0]["lr"] == case["states"][0]["lr"]
    answers = [client.step(run, epoch=epoch, metric=loss) for epoch, loss in enumerate(case["metrics"], start=1)]
    assert [a["param_groups"][0]["lr"] for a in answers] == [s["lr"] for s in case["states"][1:]]
    # the step that finishes the test says so, the others do not
    assert answers[-1].get("finished") is True
    assert not any(a.get("finished") for a in answers[:-1])
    with pytest.raises(StepwiseError) as refused:
        client.step(run, epoch=len(answers) + 1, metric=1.0)
    assert refused.value.status == 409 and "the range test finished" in (refused.value.detail or "")

    finder = client.lr_finder(run)
    assert finder["finished"] is True and finder["finished_at"] == len(answers)
    assert finder["curve"]["lr"] == case["curve"]["lr"]
    assert [number(v) for v in finder["curve"]["loss"]] == [number(v) for v in case["curve"]["loss"]]
    steepest = case["suggestions"]["steepest"][0]["index"]
    valley = case["suggestions"]["valley"]["index"]
    assert finder["suggestions"]["steepest"]["index"] == steepest
    assert finder["suggestions"]["steepest"]["lr"] == case["curve"]["lr"][steepest]
    assert finder["suggestions"]["valley"]["index"] == valley
    assert finder["suggestions"]["valley"]["lr"] == case["curve"]["lr"][valley]
    other = client.lr_finder(run, skip_begin=3, skip_end=4)
    assert other["suggestions"]["steepest"]["index"] == case["suggestions"]["steepest"][2]["index"]


def test_too_few_points_and_bad_parameters(client: StepwiseClient, new_id: Callable[[str], str]) -> None:
    run = new_id("lr-find-short")
    client.register([{"lr": 0.1}], {"type": "stepwise.LRRangeTest", "num_steps": 50}, id=run)
    for epoch in range(1, 4):
        client.step(run, epoch=epoch, metric=2.0 - epoch / 10)
    finder = client.lr_finder(run)
    assert finder["finished"] is False and finder["points"] == 3
    assert finder["suggestions"]["steepest"]["lr"] is None
    assert "fewer than 2 finite points" in (finder["suggestions"]["steepest"]["reason"] or "")
    assert math.isclose(client.lr_finder(run, beta=0.0)["curve"]["loss"][0], 1.9)
    with pytest.raises(StepwiseError) as bad:
        client.lr_finder(run, skip_end=0)
    assert bad.value.status == 422 and bad.value.errors[0]["field"] == "skip_end"
