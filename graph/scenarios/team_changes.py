"""Scenario changes of teams: create, merge, split and dissolve a team, change a territory."""

from __future__ import annotations

from graph.model import (
    HolderKind,
    Membership,
    RecordKind,
    Team,
    TeamKind,
)
from graph.scenarios.resolve_context import ResolveContext, id_chunks
from graph.scenarios.spec import (
    ChangeTerritory,
    CreateTeam,
    DissolveTeam,
    MergeTeams,
    SplitTeam,
)


def create_team(ctx: ResolveContext, ch: CreateTeam) -> None:
    if ctx.ov.get(RecordKind.TEAM, ch.id) is not None:
        ctx.error("id", f"team {ch.id!r} exists already")
        return
    if ch.parent_id is not None and ctx.team("parent_id", ch.parent_id) is None:
        return
    ctx.ov.put(
        Team(
            id=ch.id,
            name=ch.name,
            team_kind=ch.team_kind,
            regions=ch.regions,
            industry=ch.industry,
            parent_id=ch.parent_id,
        )
    )


def _move_team_holdings(ctx: ResolveContext, source: Team, target: Team) -> None:
    """Members and team-held coverage of ``source`` pass to ``target``."""
    target_members = {m.employee_id for m in ctx.memberships(team=target.id)}
    for m in ctx.memberships(team=source.id):
        ctx.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
        if m.employee_id not in target_members:
            ctx.ov.put(Membership(employee_id=m.employee_id, team_id=target.id, role=m.role))
            target_members.add(m.employee_id)
    held = {c.customer_id for c in ctx.held_by(HolderKind.TEAM, target.id)}
    for cov in ctx.held_by(HolderKind.TEAM, source.id):
        ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
        if cov.customer_id not in held:
            ctx.ov.put(cov.model_copy(update={"holder_id": target.id}))
            held.add(cov.customer_id)


def _reparent_children(ctx: ResolveContext, team: Team, new_parent: str | None) -> None:
    for child in ctx.scan(RecordKind.TEAM, {"parent_id": team.id}):
        ctx.ov.put(child.model_copy(update={"parent_id": new_parent}))


def merge_teams(ctx: ResolveContext, ch: MergeTeams) -> None:
    into = ctx.team("into", ch.into)
    sources = [ctx.team("teams", t) for t in ch.teams]
    if into is None or any(s is None for s in sources):
        return
    if into.id in ch.teams:
        ctx.error("teams", f"team {into.id!r} cannot be merged into itself")
        return
    regions = list(into.regions)
    for src in sources:
        assert src is not None
        _move_team_holdings(ctx, src, into)
        if src.team_kind is TeamKind.REGIONAL and into.team_kind is TeamKind.REGIONAL:
            regions += [r for r in src.regions if r not in regions]
        elif src.team_kind is TeamKind.REGIONAL and src.regions:
            ctx.warn(f"regions of {src.id} are dropped: {into.id} is not a regional team")
        _reparent_children(ctx, src, into.id)
        current = ctx.ov.get(RecordKind.TEAM, into.id)
        assert isinstance(current, Team)
        if current.parent_id == src.id:
            current = current.model_copy(update={"parent_id": src.parent_id})
        ctx.ov.put(current.model_copy(update={"regions": tuple(regions)}))
        ctx.ov.delete(RecordKind.TEAM, src.id, src)


def split_team(ctx: ResolveContext, ch: SplitTeam) -> None:
    team = ctx.team("team", ch.team)
    if team is None:
        return
    seen: set[str] = set()
    for j, part in enumerate(ch.parts):
        if ctx.ov.get(RecordKind.TEAM, part.id) is not None:
            ctx.error(f"parts.{j}.id", f"team {part.id!r} exists already")
        overlap = seen.intersection(part.values)
        if overlap:
            ctx.error(f"parts.{j}.values", f"{', '.join(sorted(overlap))} given twice")
        seen.update(part.values)
    members = {m.employee_id: m for m in ctx.memberships(team=team.id)}
    for j, part in enumerate(ch.parts):
        for e in part.members:
            if e not in members:
                ctx.error(f"parts.{j}.members", f"employee {e!r} is not a member of {team.id}")
    if ch.by == "region" and team.team_kind is TeamKind.REGIONAL:
        unknown = seen - set(team.regions)
        if unknown:
            ctx.error("parts", f"{', '.join(sorted(unknown))} not in {team.id}'s regions")
    if ctx.errors and ctx.errors[-1]["change"] == ctx.index:
        return
    part_of = {v: part for part in ch.parts for v in part.values}
    for part in ch.parts:
        regional_split = ch.by == "region" and team.team_kind is TeamKind.REGIONAL
        ctx.ov.put(
            Team(
                id=part.id,
                name=part.name,
                team_kind=team.team_kind,
                regions=part.values if regional_split else (),
                industry=part.values[0]
                if ch.by == "industry" and len(part.values) == 1
                else team.industry,
                parent_id=team.parent_id,
            )
        )
        for e in part.members:
            m = members[e]
            ctx.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
            ctx.ov.put(Membership(employee_id=e, team_id=part.id, role=m.role))
    held = ctx.held_by(HolderKind.TEAM, team.id)
    customers = {
        c.id: c
        for chunk in id_chunks(sorted({c.customer_id for c in held}))
        for c in ctx.scan(RecordKind.CUSTOMER, {"id": chunk})
    }
    moved = 0
    for cov in held:
        cust = customers.get(cov.customer_id)
        value = getattr(cust, ch.by, "") if cust is not None else ""
        target = part_of.get(value)
        if target is not None:
            ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            ctx.ov.put(cov.model_copy(update={"holder_id": target.id}))
            moved += 1
    if ch.by == "region" and team.team_kind is TeamKind.REGIONAL:
        rest = tuple(r for r in team.regions if r not in part_of)
        current = ctx.ov.get(RecordKind.TEAM, team.id)
        assert isinstance(current, Team)
        ctx.ov.put(current.model_copy(update={"regions": rest}))
    ctx.count = moved


def dissolve_team(ctx: ResolveContext, ch: DissolveTeam) -> None:
    team = ctx.team("team", ch.team)
    members_to = ctx.team("members_to", ch.members_to)
    customers_to = ctx.team("customers_to", ch.customers_to)
    if (
        team is None
        or (ch.members_to and members_to is None)
        or (ch.customers_to and customers_to is None)
    ):
        return
    if ch.team in (ch.members_to, ch.customers_to):
        ctx.error("team", "a dissolved team cannot receive its own members or customers")
        return
    target_members = (
        {m.employee_id for m in ctx.memberships(team=members_to.id)} if members_to else set()
    )
    for m in ctx.memberships(team=team.id):
        ctx.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
        if members_to is not None and m.employee_id not in target_members:
            ctx.ov.put(Membership(employee_id=m.employee_id, team_id=members_to.id, role=m.role))
    held = (
        {c.customer_id for c in ctx.held_by(HolderKind.TEAM, customers_to.id)}
        if customers_to
        else set()
    )
    for cov in ctx.held_by(HolderKind.TEAM, team.id):
        ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
        if customers_to is not None and cov.customer_id not in held:
            ctx.ov.put(cov.model_copy(update={"holder_id": customers_to.id}))
    _reparent_children(ctx, team, team.parent_id)
    ctx.ov.delete(RecordKind.TEAM, team.id, team)


def change_territory(ctx: ResolveContext, ch: ChangeTerritory) -> None:
    team = ctx.team("team", ch.team)
    if team is None:
        return
    if team.team_kind is not TeamKind.REGIONAL:
        ctx.error("team", f"team {team.id!r} is {team.team_kind.value}, not regional")
        return
    regions = list(ch.regions) if ch.regions is not None else list(team.regions)
    regions += [r for r in ch.add if r not in regions]
    missing = [r for r in ch.remove if r not in regions]
    if missing:
        ctx.warn(f"{team.id} does not cover {', '.join(missing)}")
    regions = [r for r in regions if r not in ch.remove]
    ctx.ov.put(team.model_copy(update={"regions": tuple(regions)}))
