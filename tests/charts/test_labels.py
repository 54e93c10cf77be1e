"""Team codes on a funnel plot never overlap one another nor a point, however crowded."""

from __future__ import annotations

import itertools
import math

from coiin.charts.labels import GAP, POINT_RADIUS, Box, place_labels, text_size
from coiin.charts.vega import FUNNEL_PLOT, funnel_labels, funnel_spec


def _no_overlaps(points, boxes):
    for a, b in itertools.combinations(boxes, 2):
        assert not a.intersects(b), (a, b)
    for box in boxes:
        for x, y in points:
            marker = Box(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS)
            assert not box.intersects(marker)


def test_a_lone_label_sits_just_right_of_its_point():
    [box] = place_labels([(100.0, 50.0)], [text_size("GA")], 520, 260)
    assert (box.left, box.top + box.height / 2) == (100.0 + GAP, 50.0)


def test_thirty_labels_crowded_on_one_spot_fan_out_without_overlapping():
    points = [(200 + (i % 5) * 3.0, 120 + (i // 5) * 2.0) for i in range(30)]
    sizes = [text_size(code) for code in ["GA", "TX", "AL", "MS", "LA", "NYC"] * 5]
    boxes = place_labels(points, sizes, 520, 260)
    _no_overlaps(points, boxes)
    assert all(b.inside(520, 260) for b in boxes)
    assert all(math.dist((b.left, b.top), p) < 120 for b, p in zip(boxes, points, strict=True))


def test_a_crowded_funnel_spec_carries_labels_that_do_not_collide():
    # Twelve states with near-equal denominators and values (as in a pilot's first months).
    teams = [{"team": f"State {i}", "code": code, "value": 60 + (i % 4) * 0.3,
              "n": 100 + i, "where": "Within the limits"}
             for i, code in enumerate(["GA", "TX", "AL", "MS", "LA", "KY", "TN", "NC",
                                       "SC", "FL", "AR", "OK"])]
    curve = [{"n": n, "lower_95": 50.0, "upper_95": 70.0, "lower_99.8": 45.0,
              "upper_99.8": 75.0} for n in (80, 150)]
    spec = funnel_spec(teams, curve, target=60, unit="%", title="crowded")
    labels = spec["datasets"]["teams"]
    assert [lab["code"] for lab in labels] == [t["code"] for t in teams]
    assert any(lab["moved"] for lab in labels)
    # Back to pixels as the plot draws them (log x, linear y, the spec's fixed domains).
    xs = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    ys = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    width, height = FUNNEL_PLOT

    def px(n, v):
        return (width * math.log(n / xs[0]) / math.log(xs[1] / xs[0]),
                height * (ys[1] - v) / (ys[1] - ys[0]))

    points = [px(t["n"], t["value"]) for t in teams]
    boxes = []
    for lab in labels:
        left, mid = px(lab["label_n"], lab["label_value"])
        w, h = text_size(lab["code"])
        boxes.append(Box(left, mid - h / 2, w, h))
    _no_overlaps(points, boxes)
    assert [{k: t[k] for k in ("label_n", "label_value", "moved")} for t in labels] == [
        {k: t[k] for k in ("label_n", "label_value", "moved")}
        for t in funnel_labels(teams, tuple(xs), tuple(ys))]
