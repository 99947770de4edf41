"""Compact in-memory indexes for checking millions of rows: 8 bytes per key.

Pass 1 of an import must know, for every row, whether its key repeats and whether the records
it refers to exist, without holding the rows. Python sets of strings cost 100+ bytes per key,
so a million customers with several million contacts and links would need gigabytes. Here a key
is its 64-bit hash in an ``array('q')``; arrays are sorted once at the end, membership is a
binary search, duplicates are neighbours. A hash collision can only make a row *look*
suspicious: the pipeline then re-reads the few rows concerned and compares the real keys.

``hierarchy_cycles`` finds cycles in child -> parent edges held the same way (two arrays), with
one byte of colour per edge for the depth-first search.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable


def key_hash(key: str) -> int:
    """The 64-bit hash of a key (stable within one process, which is all the index needs)."""
    return hash(key)


def new_hashes() -> array[int]:
    return array("q")


def sorted_hashes(values: Iterable[int]) -> array[int]:
    return array("q", sorted(values))


def contains(sorted_values: array[int] | None, h: int) -> bool:
    """Binary search in a sorted hash array."""
    if not sorted_values:
        return False
    i = bisect_left(sorted_values, h)
    return i < len(sorted_values) and sorted_values[i] == h


def repeated(sorted_values: array[int]) -> set[int]:
    """Hashes that occur more than once."""
    out: set[int] = set()
    previous: int | None = None
    for h in sorted_values:
        if h == previous:
            out.add(h)
        previous = h
    return out


def missing(sorted_values: array[int] | None, wanted: Iterable[int]) -> set[int]:
    """Those of ``wanted`` that are not in the sorted array."""
    return {h for h in wanted if not contains(sorted_values, h)}


def hierarchy_cycles(children: array[int], parents: array[int]) -> list[tuple[int, int, list[int]]]:
    """Cycles among child -> parent edges given as parallel hash arrays.

    Returns one ``(child, parent, path)`` per cycle found, where ``child -> parent`` is the edge
    that closes it and ``path`` the nodes around it (first == last)."""
    n = len(children)
    if n == 0:
        return []
    order = sorted(range(n), key=children.__getitem__)
    ch = array("q", (children[i] for i in order))
    pa = array("q", (parents[i] for i in order))
    del order
    white, grey, black = 0, 1, 2
    colour = bytearray(n)  # a node's colour lives at the first position of its edges
    out: list[tuple[int, int, list[int]]] = []

    def span(h: int) -> tuple[int, int] | None:
        lo = bisect_left(ch, h)
        if lo < n and ch[lo] == h:
            return lo, bisect_right(ch, h, lo)
        return None

    for start in range(n):
        if (start and ch[start] == ch[start - 1]) or colour[start] != white:
            continue
        colour[start] = grey
        stack: list[list[int]] = [[start, bisect_right(ch, ch[start], start), start]]
        while stack:
            top = stack[-1]
            lo, hi, pos = top
            if pos >= hi:
                colour[lo] = black
                stack.pop()
                continue
            top[2] = pos + 1
            parent = pa[pos]
            found = span(parent)
            if found is None:
                continue
            plo, phi = found
            state = colour[plo]
            if state == white:
                colour[plo] = grey
                stack.append([plo, phi, plo])
            elif state == grey:
                first = next(i for i, entry in enumerate(stack) if entry[0] == plo)
                path = [ch[entry[0]] for entry in stack[first:]] + [parent]
                out.append((ch[lo], parent, path))
    return out
