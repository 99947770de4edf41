"""The scenarios an org designer keeps: the list, the upload form, and one scenario's page with
its evaluation and (for those with the right) apply and revert.

Plain HTML forms, no script: uploading posts the YAML file with the CSRF token; comparing is a
GET of the ticked scenarios; apply and revert post the token and the graph version the page
was drawn from, so a page left open while someone else changed the graph cannot apply blind.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from graph.i18n import Translator, translator
from graph.scenarios.service import StoredScenario
from visualize import shell
from visualize.html import AssetMode, esc

LIST_PATH = "/scenarios"


def scenario_href(scenario_id: str, suffix: str = "") -> str:
    return f"{LIST_PATH}/{quote(scenario_id, safe='')}{suffix}"


def _status(tr: Translator, status: str) -> str:
    words = {
        "draft": tr.gettext("draft"),
        "applied": tr.gettext("applied"),
        "reverted": tr.gettext("reverted"),
    }
    return words.get(status, status)


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrf_token" value="{esc(token)}">'


def render_scenario_list(
    scenarios: Sequence[StoredScenario],
    *,
    csrf_token: str,
    can_upload: bool,
    tr: Translator | None = None,
    message: str = "",
    errors: Sequence[str] = (),
    mode: AssetMode = AssetMode.SERVED,
) -> str:
    """The list with a compare form, and the upload form for those who may save scenarios."""
    tr = tr or translator()
    g = tr.gettext
    rows = []
    for s in scenarios:
        sc = s.scenario
        rows.append(
            f'<tr><td><input type="checkbox" name="ids" value="{esc(sc.id)}" '
            f'aria-label="{esc(g("compare {name}", name=sc.name))}"></td>'
            f'<td><a href="{esc(scenario_href(sc.id))}">{esc(sc.name)}</a>'
            f'<small class="muted"> {esc(sc.id)}</small></td>'
            f"<td>{esc(_status(tr, s.status))}</td>"
            f'<td class="num">{esc(tr.number(len(sc.changes)))}</td>'
            f"<td>{esc(s.created_by)}</td><td>{esc(s.updated_at[:16].replace('T', ' '))}</td>"
            f'<td class="actions"><a href="{esc(scenario_href(sc.id, "/map"))}">'
            f"{esc(g('Map'))}</a></td></tr>"
        )
    heads = ["", g("Scenario"), g("Status"), g("Changes"), g("By"), g("Updated"), g("Map")]
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    if rows:
        listing = (
            f'<form method="get" action="{LIST_PATH}/compare">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p><button type="submit">{esc(g("Compare the ticked scenarios"))}</button></p>'
            "</form>"
        )
    else:
        listing = f'<p class="muted">{esc(g("No scenarios yet: upload one below."))}</p>'
    notes = ""
    if message:
        notes += f'<p class="notice">{esc(message)}</p>'
    if errors:
        notes += '<ul class="errors">' + "".join(f"<li>{esc(e)}</li>" for e in errors) + "</ul>"
    upload = ""
    if can_upload:
        hint = g(
            "A scenario is a YAML file of changes (move customers, merge or split teams, "
            "change the policy...); see docs/scenarios.md. Saving it changes nothing live: "
            "you evaluate it, compare it, and only then apply it."
        )
        upload = (
            f"<h2>{esc(g('Upload a scenario'))}</h2><p>{esc(hint)}</p>"
            f'<form method="post" action="{LIST_PATH}" enctype="multipart/form-data">'
            f"{_csrf(csrf_token)}"
            f"<label>{esc(g('Scenario file (YAML)'))} "
            '<input type="file" name="file" accept=".yaml,.yml,.json" required></label> '
            f'<button type="submit">{esc(g("Upload and evaluate"))}</button></form>'
        )
    title = g("Scenarios")
    content = f"<h1>{esc(title)}</h1>{notes}{listing}{upload}"
    return shell.page(title, content, tr=tr, current=LIST_PATH, here=LIST_PATH, mode=mode)


def render_scenario_actions(
    stored: StoredScenario,
    *,
    version: int,
    csrf_token: str,
    can_apply: bool,
    tr: Translator | None = None,
) -> str:
    """The apply / revert form of one scenario page (empty for those without the right)."""
    tr = tr or translator()
    g = tr.gettext
    if not can_apply:
        return f'<p class="muted">{esc(g("Applying a scenario needs the apply right."))}</p>'
    sid = stored.scenario.id
    hidden = _csrf(csrf_token) + f'<input type="hidden" name="version" value="{esc(version)}">'
    if stored.status == "applied":
        warn = g("Revert restores the graph as it was before this scenario was applied.")
        return (
            f'<form method="post" action="{esc(scenario_href(sid, "/revert"))}">{hidden}'
            f'<p>{esc(warn)}</p><button type="submit">{esc(g("Revert"))}</button></form>'
        )
    warn = g(
        "Apply changes the live coverage model for everyone, in one step, and can be reverted. "
        "It is refused if the graph changed since this page was drawn."
    )
    return (
        f'<form method="post" action="{esc(scenario_href(sid, "/apply"))}">{hidden}'
        f'<p>{esc(warn)}</p><button type="submit" class="danger">'
        f"{esc(g('Apply to the live graph'))}</button></form>"
    )
