"""The coverage map view: gaps, conflicts and misfits highlighted, one line per claim styled by
role, teams coloured by kind, groups summarised for the clustered overview, and a cap on the
number of customers drawn that never drops a problem."""

from __future__ import annotations

import math

import pytest

from visualize import style
from visualize.coverage_map import (
    CLUSTER_ABOVE,
    GROUPINGS,
    build_coverage_map,
    coverage_legend_html,
    render_coverage_map,
)


def test_customers_are_coloured_by_status_from_the_analyses(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    status = {n["id"][9:]: n["status"] for n in view.nodes if n["kind"] == "customer"}
    no_owner = {cc.customer.id for cc in coverages if not cc.owners}
    conflicted = {c.customer_id for c in conflicts.conflicts}
    assert no_owner and conflicted
    assert {c for c, s in status.items() if s == "gap"} == no_owner
    assert {c for c, s in status.items() if s == "conflict"} == conflicted - no_owner
    assert view.stats["misfit"] > 0
    for n in view.nodes:
        if n["kind"] == "customer":
            assert n["color"]["background"] == style.CUSTOMER_STATUS_COLOURS[n["status"]]


def test_conflicts_show_one_owner_line_per_owning_team(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    finding = conflicts.conflicts[0]
    owners = {
        e["from"]
        for e in view.edges
        if e["to"] == f"customer:{finding.customer_id}" and e["kind"] == "owner"
    }
    assert {f"team:{t}" for t in finding.teams} <= owners


def test_claim_lines_are_styled_by_role_and_territory_claims_are_grey(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    roles = {e["kind"] for e in view.edges}
    assert {"owner", "overlay", "member"} <= roles
    for e in view.edges:
        if e["kind"] in style.COVERAGE_ROLE_DASHES:
            dashes = style.COVERAGE_ROLE_DASHES[e["kind"]]
            assert e["dashes"] == (list(dashes) if dashes else False)
    colours = {e["color"]["color"] for e in view.edges if e["kind"] == "owner"}
    assert colours == {style.CLAIM_TERRITORY_COLOUR, style.CLAIM_EXPLICIT_COLOUR}


def test_teams_are_boxes_coloured_by_kind_and_named_people_dots(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    teams = [n for n in view.nodes if n["kind"] == "team"]
    assert len(teams) == len(org.teams)
    kinds = {t.id: t.team_kind.value for t in org.teams}
    for n in teams:
        assert n["shape"] == "box"
        assert n["color"]["background"] == style.TEAM_KIND_COLOURS[kinds[n["id"][5:]]]
    inactive = [
        n for n in view.nodes if n["kind"] == "employee" and n["color"]["background"] == "#ffffff"
    ]
    assert [n["label"] for n in inactive] == ["赵磊"]


def test_groups_summarise_each_region_and_industry_for_the_clusters(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    assert set(view.groups) == set(GROUPINGS)
    for grouping in GROUPINGS:
        groups = view.groups[grouping]
        assert sum(g["size"] for g in groups) == view.stats["customers"]
        assert sum(g["gap"] for g in groups) == view.stats["gap"]
        for n in view.nodes:
            assert len(n["pos"][grouping]) == 2
    west = next(g for g in view.groups["region"] if g["name"] == "西南")
    assert west["gap"] > 0  # the region no regional team covers
    assert view.options["cluster"] is (view.stats["customers"] > CLUSTER_ABOVE)


def test_group_discs_do_not_overlap(book):
    org, coverages, gaps, conflicts = book
    view = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    discs = view.groups["region"]
    for i, a in enumerate(discs):
        for b in discs[i + 1 :]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["r"] + b["r"]


def test_the_cap_drops_healthy_small_customers_never_problems(book):
    org, coverages, gaps, conflicts = book
    full = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts)
    capped = build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts, max_customers=120)
    assert capped.stats["customers"] == 120 and capped.stats["left_out"] == len(coverages) - 120
    for s in ("gap", "conflict", "misfit"):
        assert capped.stats[s] == full.stats[s]
    assert "healthy smaller ones left out" in capped.subtitle


def test_unknown_grouping_is_refused(book):
    org, coverages, gaps, conflicts = book
    with pytest.raises(ValueError):
        build_coverage_map(org, coverages, group_by="colour")


def test_coverage_legend_and_controls(book):
    org, coverages, gaps, conflicts = book
    html = render_coverage_map(build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts))
    legend = coverage_legend_html()
    for label in [*style.CUSTOMER_STATUS_LABELS.values(), *style.COVERAGE_ROLE_LABELS.values()]:
        assert label in legend
    for control in ('id="f-group"', 'id="f-cluster"', 'id="f-problems"', 'id="f-tier"'):
        assert control in html


def test_the_collector_keeps_problems_and_big_accounts_and_bounds_the_rest(book):
    from visualize.coverage_map import CoverageCollector

    org, coverages, gaps, conflicts = book
    collector = CoverageCollector(cap=50)
    for cc in coverages:
        collector.add(cc)
    kept = collector.coverages()
    ids = {cc.customer.id for cc in kept}
    assert {cc.customer.id for cc in coverages if len(cc.owners) != 1} <= ids
    healthy_small = [
        cc
        for cc in kept
        if len(cc.owners) == 1
        and cc.customer.tier.value in ("mid", "small")
        and not cc.inactive_account_managers
    ]
    assert len(healthy_small) == 50
    assert collector.dropped == len(coverages) - len(kept)
    view = build_coverage_map(
        org, kept, gaps=gaps, conflicts=conflicts, not_passed=collector.dropped
    )
    assert view.stats["left_out"] == collector.dropped
