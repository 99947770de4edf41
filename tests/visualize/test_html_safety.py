"""Every user string in a map or page is inert: escaped in HTML, \\u-escaped in embedded JSON,
and the documents reach nothing outside relmap."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from tests.support.map_samples import ACCOUNT_NAME, CHINESE_NAME, XSS_IMG, XSS_NAMES, XSS_SCRIPT
from visualize.coverage_map import build_coverage_map, render_coverage_map
from visualize.html import AssetMode, esc, render_document, script_json
from visualize.political_map import build_political_map, render_political_map

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="relmap-data">(.*?)</script>', re.DOTALL
)
EXTERNAL_REF = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


def embedded_data(html: str) -> dict:
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_script_json_cannot_close_the_script_element_and_round_trips() -> None:
    value = {"name": XSS_SCRIPT, "other": "<!-- & -->", "zh": CHINESE_NAME, "ls": "a\u2028b"}
    text = script_json(value)
    assert "</" not in text and "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert CHINESE_NAME in text  # readable UTF-8, not \\u escapes
    assert json.loads(text) == value


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert esc(None) == ""


def test_political_map_html_holds_no_raw_payload_but_keeps_the_names_as_data(small_account):
    g, ranking = small_account
    html = render_political_map(build_political_map(g, ranking=ranking))
    for payload in XSS_NAMES:
        assert payload not in html
    assert "<img" not in html.lower()
    # the data block and five served scripts (d3-hierarchy, the org chart's lane and chart,
    # vis-network, the map), nothing else
    assert html.lower().count("<script") == 6
    labels = {n["label"] for n in embedded_data(html)["nodes"]}
    assert set(XSS_NAMES) <= labels and CHINESE_NAME in labels


def test_headings_and_select_options_are_escaped(small_account):
    g, ranking = small_account
    html = render_political_map(build_political_map(g, ranking=ranking))
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in html  # the title, from the customer's name
    assert "<b>Acme</b>" not in html
    strategy = "&lt;i&gt;Strategy&lt;/i&gt;"
    assert f'<option value="{strategy}">{strategy}</option>' in html
    assert ACCOUNT_NAME not in html


def test_tooltips_are_structured_text_not_html(small_account):
    g, ranking = small_account
    data = build_political_map(g, ranking=ranking).to_data()
    for item in data["nodes"] + data["edges"]:
        assert "title" not in item  # vis would render a string title; ours are built as DOM
        tip = item["tip"]
        assert isinstance(tip["heading"], str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in tip["lines"])
    xss = next(n for n in data["nodes"] if n["label"] == XSS_IMG)
    assert xss["tip"]["heading"] == XSS_IMG


def test_the_map_script_builds_tooltips_with_text_content_only() -> None:
    from visualize.html import asset_text

    js = asset_text("relmap-map.js")
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js
    assert "eval(" not in js and "new Function" not in js and "document.write" not in js
    assert "textContent" in js


def test_served_map_loads_only_relmap_assets(small_account):
    g, ranking = small_account
    html = render_political_map(build_political_map(g, ranking=ranking))
    srcs = re.findall(r'<script src="([^"]+)"', html)
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert srcs == [
        "/static/d3-hierarchy.min.js",
        "/static/relmap-orglane.js",
        "/static/relmap-orgchart.js",
        "/static/vis-network.min.js",
        "/static/relmap-map.js",
    ]
    assert hrefs == ["/static/vis-network.css", "/static/relmap.css"]
    assert not EXTERNAL_REF.search(html)
    markup = DATA_BLOCK.sub("", html)  # the JSON block is data: its text is never markup
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", markup, re.IGNORECASE)  # no inline handlers


def test_inline_map_is_self_contained_with_a_hash_based_csp(small_account):
    g, ranking = small_account
    html = render_political_map(build_political_map(g, ranking=ranking), mode=AssetMode.INLINE)
    assert "<script src=" not in html and "<link " not in html
    assert not EXTERNAL_REF.search(html)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    for body in re.findall(r"<script>(.*?)</script>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_coverage_map_escapes_team_and_customer_names(book):
    org, coverages, gaps, conflicts = book
    html = render_coverage_map(
        build_coverage_map(org, coverages, gaps=gaps, conflicts=conflicts), mode=AssetMode.INLINE
    )
    for payload in (*XSS_NAMES, "<script>x</script>", "<b>North</b>", "<i>Lee</i>"):
        assert payload not in html
    assert not EXTERNAL_REF.search(html)
    labels = {n["label"] for n in embedded_data(html)["nodes"]}
    assert "华东大区 <script>x</script>" in labels


def test_render_document_escapes_the_title() -> None:
    html = render_document(title=XSS_SCRIPT, body="<p>ok</p>", scripts=())
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
