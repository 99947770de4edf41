"""Precomputed layouts: deterministic, nobody on top of anybody, trees below their managers,
groups apart, items toward where they point."""

from __future__ import annotations

import math
import random

from visualize.layout import (
    circle_positions,
    grouped_positions,
    ring_discs,
    spiral_positions,
    tree_positions,
)


def org(n: int, seed: int = 1) -> dict[str, str]:
    """A random reporting tree of n people: person i reports to someone before them."""
    rnd = random.Random(seed)
    return {f"p{i}": f"p{rnd.randrange(i)}" for i in range(1, n)}


def test_tree_puts_everyone_below_their_manager_and_nobody_on_anybody():
    managers = org(400)
    nodes = ["p0", *managers, "alone1", "alone2"]
    pos = tree_positions(nodes, managers)
    assert set(pos) == set(nodes)
    for person, boss in managers.items():
        assert pos[person][1] > pos[boss][1]
    assert len(set(pos.values())) == len(nodes)
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    height = max(y for _, y in pos.values()) - min(y for _, y in pos.values())
    assert width < 6 * height  # wide subtrees wrap into bands instead of one endless row


def test_tree_survives_a_manager_loop_and_unknown_managers():
    pos = tree_positions(["a", "b", "c"], {"a": "b", "b": "a", "c": "nobody"})
    assert set(pos) == {"a", "b", "c"}


def test_grouped_positions_are_deterministic_and_groups_do_not_overlap():
    rnd = random.Random(4)
    groups = {f"d{g}": [f"n{g}-{i}" for i in range(rnd.randrange(1, 60))] for g in range(12)}
    edges = [(ms[i], ms[0]) for ms in groups.values() for i in range(1, len(ms))]
    first, discs = grouped_positions(groups, edges, seed=3)
    again, _ = grouped_positions(groups, edges, seed=3)
    assert first == again
    names = sorted(discs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (ax, ay, ar), (bx, by, br) = discs[a], discs[b]
            assert math.dist((ax, ay), (bx, by)) >= ar + br
    for name, members in groups.items():
        cx, cy, r = discs[name]
        assert all(math.dist(first[m], (cx, cy)) <= r + 1 for m in members)


def test_ring_discs_keep_apart_and_outside_the_hub():
    discs = ring_discs({f"r{i}": 10 + 20 * i for i in range(9)}, inner_radius=500)
    for name, (x, y, r) in discs.items():
        assert math.hypot(x, y) - r >= 500
        for other, (ox, oy, orr) in discs.items():
            if other != name:
                assert math.dist((x, y), (ox, oy)) >= r + orr


def test_circle_positions_land_near_their_preferred_angle():
    preferred = {"east": 0.0, "north": math.pi / 2, "west": math.pi, "south": -math.pi / 2}
    pos = circle_positions(preferred, 100)
    for name, angle in preferred.items():
        x, y = pos[name]
        assert math.isclose(math.atan2(y, x) % math.tau, angle % math.tau, abs_tol=0.3)


def test_spiral_puts_the_first_in_the_middle_and_all_inside():
    pos = spiral_positions([f"c{i}" for i in range(50)], (10.0, 20.0), 100.0)
    assert math.dist(pos["c0"], (10, 20)) < 20
    assert all(math.dist(p, (10, 20)) <= 100.1 for p in pos.values())
