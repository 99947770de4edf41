"""Precomputed, seeded node positions for maps too big to lay out in the browser.

Why: vis-network's physics needs many seconds (and burns the laptop fan) to settle a graph of
1,000+ nodes and never settles the same way twice. For big maps relmap computes positions once
in Python, grouped so the picture stays readable (one cluster per department), and the browser
only draws. Small maps keep vis's physics, which gives nicer local shapes.

The layout: each group is laid out on its own (a seeded force layout on the group's own
edges), scaled to a disc whose area grows with the group's size, and the discs are packed
row by row, biggest first. Deterministic for a given input.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

try:  # python-igraph is a dependency; without it groups are filled as plain spirals
    import igraph as _ig
except ImportError:  # pragma: no cover
    _ig = None

K = TypeVar("K", bound=Hashable)  # whatever identifies a node (a string in relmap)

NODE_SPACING = 70.0  # px between neighbours inside a group
GROUP_GAP = 140.0  # px between two groups' discs


def group_radius(size: int) -> float:
    """Radius of the disc a group of ``size`` nodes gets (area proportional to size)."""
    return NODE_SPACING * math.sqrt(max(size, 1)) * 0.75 + 30.0


def _local_layout(
    nodes: Sequence[K], edges: Iterable[tuple[K, K]], seed: int
) -> dict[K, tuple[float, float]]:
    """Positions inside a unit disc: a seeded Kamada-Kawai layout (igraph) of the
    group's own edges in the middle; a phyllotaxis spiral (an evenly filled ring) around it for
    the group's unconnected nodes."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {
        (min(index[u], index[v]), max(index[u], index[v]))
        for u, v in edges
        if u in index and v in index and u != v
    }
    degree = [0] * len(nodes)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    connected = [n for n in nodes if degree[index[n]] > 0] if _ig is not None else []
    loose = [n for n in nodes if n not in set(connected)]
    pos: dict[K, tuple[float, float]] = {}
    share = len(connected) / len(nodes)
    if connected:
        sub_index = {n: i for i, n in enumerate(connected)}
        sub_edges = [
            (sub_index[nodes[a]], sub_index[nodes[b]])
            for a, b in sorted(pairs)
            if nodes[a] in sub_index and nodes[b] in sub_index
        ]
        rnd = random.Random(seed)
        start = [[rnd.uniform(-1, 1), rnd.uniform(-1, 1)] for _ in connected]
        g = _ig.Graph(n=len(connected), edges=sub_edges)
        # deterministic from its seed; 20 sweeps per node settle a department well enough
        raw = g.layout_kamada_kawai(seed=start, maxiter=20 * len(connected)).coords
        cx = sum(p[0] for p in raw) / len(raw)
        cy = sum(p[1] for p in raw) / len(raw)
        radius = math.sqrt(share) if loose else 1.0
        span = max((math.hypot(x - cx, y - cy) for x, y in raw), default=1.0) or 1.0
        for n, (x, y) in zip(connected, raw, strict=True):
            pos[n] = ((x - cx) / span * radius, (y - cy) / span * radius)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    inner = math.sqrt(share) if connected else 0.0
    for i, n in enumerate(loose):
        # fill the ring between the connected core and the disc's edge
        ring = math.sqrt(inner**2 + (1.0 - inner**2) * (i + 0.5) / len(loose))
        angle = i * golden
        pos[n] = (ring * math.cos(angle), ring * math.sin(angle))
    return pos


def grouped_positions(
    groups: Mapping[str, Sequence[K]],
    edges: Iterable[tuple[K, K]],
    *,
    seed: int = 7,
) -> tuple[dict[K, tuple[float, float]], dict[str, tuple[float, float, float]]]:
    """Positions for every node, each group in its own disc.

    Returns ``(positions, discs)``: node -> (x, y) in px, and group -> (centre x, centre y,
    radius) so the caller can label the groups.
    """
    edge_list = list(edges)
    order = sorted(groups, key=lambda k: (-len(groups[k]), k))
    radii = {k: group_radius(len(groups[k])) for k in order}
    total_area = sum((2 * r + GROUP_GAP) ** 2 for r in radii.values())
    row_width = max(math.sqrt(total_area) * 1.3, max((2 * r for r in radii.values()), default=0))

    positions: dict[K, tuple[float, float]] = {}
    discs: dict[str, tuple[float, float, float]] = {}
    x = y = 0.0
    row_height = 0.0
    for i, key in enumerate(order):
        r = radii[key]
        cell = 2 * r + GROUP_GAP
        if x > 0 and x + cell > row_width:
            x, y = 0.0, y + row_height
            row_height = 0.0
        cx, cy = x + cell / 2, y + cell / 2
        discs[key] = (cx, cy, r)
        local = _local_layout(list(groups[key]), edge_list, seed + i)
        for n, (lx, ly) in local.items():
            positions[n] = (round(cx + lx * r, 1), round(cy + ly * r, 1))
        x += cell
        row_height = max(row_height, cell)
    return positions, discs


def spiral_positions(
    nodes: Sequence[K], centre: tuple[float, float], radius: float
) -> dict[K, tuple[float, float]]:
    """An evenly filled disc (phyllotaxis), first node in the middle: put what matters first."""
    golden = math.pi * (3.0 - math.sqrt(5.0))
    cx, cy = centre
    out: dict[K, tuple[float, float]] = {}
    n = max(len(nodes), 1)
    for i, node in enumerate(nodes):
        r = radius * math.sqrt((i + 0.5) / n) if len(nodes) > 1 else 0.0
        a = i * golden
        out[node] = (round(cx + r * math.cos(a), 1), round(cy + r * math.sin(a), 1))
    return out


def ring_discs(
    sizes: Mapping[str, int], *, inner_radius: float
) -> dict[str, tuple[float, float, float]]:
    """Discs for groups placed on a ring around a hub of ``inner_radius``: group -> (x, y, r).

    Why a ring: on the coverage map our teams sit in the hub and every line runs outward to
    the region or industry it covers, instead of crossing the whole picture. The groups are
    evenly spaced in angle (name order), so a small region gets as much room for its label
    as a big one; the ring is as small as keeps neighbouring discs apart.
    """
    order = sorted(sizes)
    n = len(order)
    if n == 0:
        return {}
    radii = {k: group_radius(sizes[k]) for k in order}
    ring = inner_radius + GROUP_GAP + max(radii.values())
    if n > 1:
        half = math.sin(math.pi / n)
        for i, k in enumerate(order):
            nxt = order[(i + 1) % n]
            ring = max(ring, (radii[k] + radii[nxt] + GROUP_GAP) / (2 * half))
    discs: dict[str, tuple[float, float, float]] = {}
    for i, k in enumerate(order):
        angle = math.tau * i / n - math.pi / 2
        discs[k] = (round(ring * math.cos(angle), 1), round(ring * math.sin(angle), 1), radii[k])
    return discs


def circle_positions(preferred: Mapping[K, float], radius: float) -> dict[K, tuple[float, float]]:
    """Points on a circle, each item as near its preferred angle (radians) as a minimum spacing
    allows, so an item lands where it points (a regional team toward its region)."""
    order = sorted(preferred, key=lambda k: (preferred[k] % (2 * math.pi), str(k)))
    n = len(order)
    if n == 0:
        return {}
    gap = min(2 * math.pi / n, 0.45)
    angles = [preferred[k] % (2 * math.pi) for k in order]
    for _ in range(3):  # push apart forward, then re-centre on the preferences
        for i in range(1, n):
            angles[i] = max(angles[i], angles[i - 1] + gap)
        shift = sum(a - preferred[k] % (2 * math.pi) for a, k in zip(angles, order, strict=True))
        angles = [a - shift / n for a in angles]
    return {
        k: (round(radius * math.cos(a), 1), round(radius * math.sin(a), 1))
        for k, a in zip(order, angles, strict=True)
    }


def _bands(items: Sequence[K], width: Mapping[K, float], limit: float) -> list[list[K]]:
    """Split side-by-side subtrees into rows no wider than ``limit`` (at least one per row)."""
    rows: list[list[K]] = []
    used = 0.0
    for item in items:
        if rows and used + width[item] <= limit:
            rows[-1].append(item)
            used += width[item]
        else:
            rows.append([item])
            used = width[item]
    return rows


def tree_positions(
    nodes: Sequence[K],
    manager_of: Mapping[K, K],
    *,
    x_gap: float = 80.0,
    y_gap: float = 110.0,
    leaf_columns: int = 6,
    order: Mapping[K, str] | None = None,
) -> dict[K, tuple[float, float]]:
    """A compact top-down tree along reporting lines: everyone below their manager.

    Why not vis-network's hierarchical layout: it puts all people of one level in one row, so a
    manager with 40 reports makes the picture 40 nodes wide and a few rows high. Here a
    manager's reports who manage nobody are stacked in a block of ``leaf_columns`` columns
    right under them; managers' subtrees sit side by side, wrapped into several bands when they
    would make the picture much wider than a screen. People with neither manager nor reports
    fill a grid at the end. ``order`` (node -> sort text, e.g. department) orders siblings.
    """
    members = set(nodes)
    key = (lambda n: (order.get(n, ""), str(n))) if order else (lambda n: ("", str(n)))
    children: dict[K, list[K]] = {n: [] for n in nodes}
    for n in nodes:
        m = manager_of.get(n)
        if m is not None and m in members and m != n:
            children[m].append(n)
    for kids in children.values():
        kids.sort(key=key)
    limit = max(12.0, 3.5 * math.sqrt(len(nodes)))  # widest band, in node slots

    width: dict[K, float] = {}
    height: dict[K, int] = {}
    seen: set[K] = set()

    def split(n: K) -> tuple[list[K], list[K]]:
        kids = children[n]
        return [k for k in kids if not children[k]], [k for k in kids if children[k]]

    def measure(n: K) -> None:
        seen.add(n)
        leaves, inner = split(n)
        for k in leaves:
            seen.add(k)
            width[k], height[k] = 1.0, 1
        inner = [k for k in inner if k not in seen]
        for k in inner:
            measure(k)
        bands = _bands(inner, width, limit)
        cols = min(len(leaves), leaf_columns)
        width[n] = max([1.0, float(cols)] + [sum(width[k] for k in band) for band in bands])
        height[n] = (
            1
            + (math.ceil(len(leaves) / cols) if cols else 0)
            + sum(max(height[k] for k in band) for band in bands)
        )

    pos: dict[K, tuple[float, float]] = {}

    def place(n: K, left: float, depth: int) -> None:
        w = width[n]
        pos[n] = (round((left + w / 2) * x_gap, 1), round(depth * y_gap, 1))
        leaves, inner = split(n)
        leaves = [k for k in leaves if k not in pos]
        inner = [k for k in inner if k in width and k not in pos]
        cols = min(len(leaves), leaf_columns)
        start = left + (w - cols) / 2
        for i, leaf in enumerate(leaves):
            pos[leaf] = (
                round((start + i % cols + 0.5) * x_gap, 1),
                round((depth + 1 + i // cols) * y_gap, 1),
            )
        below = depth + 1 + (math.ceil(len(leaves) / cols) if cols else 0)
        for band in _bands(inner, width, limit):
            total = sum(width[k] for k in band)
            x = left + (w - total) / 2
            for k in band:
                place(k, x, below)
                x += width[k]
            below += max(height[k] for k in band)

    roots = sorted((n for n in nodes if manager_of.get(n) not in members), key=key)
    trees = [r for r in roots if children[r]]
    alone = [r for r in roots if not children[r]]
    for r in trees:
        measure(r)
    top = 0
    right = 0.0
    for band in _bands(trees, {r: width[r] + 1.0 for r in trees}, limit):
        left = 0.0
        for r in band:
            place(r, left, top)
            left += width[r] + 1.0
        right = max(right, left)
        top += max(height[r] for r in band) + 1
    cols = max(leaf_columns, int(right) or leaf_columns)
    rest = alone + [n for n in nodes if n not in pos and n not in alone]
    for i, n in enumerate(rest):
        pos[n] = (round((i % cols + 0.5) * x_gap, 1), round((top + 1 + i // cols) * y_gap, 1))
    return pos
