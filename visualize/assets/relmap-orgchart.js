/*
 * relmap org chart: the political map as the customer's org chart (top executives at the top),
 * our people in a lane beside it with their relationship lines, influence as an overlay.
 *
 * Layout: d3-hierarchy's tidy tree (vendored d3-hierarchy.min.js, window.d3), recomputed on
 * every expand/collapse over the cards shown. A manager whose shown reports are all leaves
 * gets them as a vertical stack (handed to d3.tree as a chain), so wide teams stay readable.
 * Drawing: one absolutely positioned DOM card per contact (text via textContent only, never
 * HTML), reporting lines as one SVG path under them, with our people's lines
 * (relmap-orglane.js) and the influence overlay.
 *
 * Cards are drawn at their real size at zoom 1 (the default), so every shown label is legible;
 * the chart scrolls instead of shrinking. For tests and tools: window.relmapOrgChart =
 * {cards(), ours(), links(), expandAll(), showKeyPaths(), find(q), zoom(f), readyMs} (our
 * people's lane and lines: relmap-orglane.js);
 * <html data-relmap-ready="true"> once drawn. Started by relmap-map.js (the page's mode switch)
 * through window.RelmapOrgChart.start(data).
 */
(function () {
  "use strict";

  var CARD_W = 224;
  var CARD_H = 92;
  var GAP_X = 30;
  var GAP_Y = 46;
  var MARGIN = 40;
  var MIN_LEGIBLE = 0.85;  // the smallest card text (13 px at zoom 1) stays >= 11 px
  var SVGNS = "http://www.w3.org/2000/svg";

  /* The page's words (data.org.strings, in the reader's language), English as the fallback;
   * {n} and {m} are filled in. */
  var WORDS = {};
  function tt(key, fallback, n, m) {
    var text = WORDS[key] || fallback;
    return text.replace("{n}", n === undefined ? "" : n).replace("{m}", m === undefined ? "" : m);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null && text !== "") {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  /* setStatus(text) and renderTip(tip) -> Element come from relmap-map.js (one tooltip look). */
  function start(data, setStatus, renderTip) {
    var org = data.org;
    WORDS = org.strings || {};
    var canvas = document.getElementById("relmap-org");
    var lane = document.getElementById("relmap-ours");
    var t0 = performance.now();

    var tips = {};  // tooltips travel once, on the network view's nodes
    data.nodes.forEach(function (n) { tips[n.id] = n.tip; });
    var cards = {};
    var kids = {};
    var contacts = [];
    var thirds = [];
    org.cards.forEach(function (c) {
      cards[c.id] = c;
      c.kind = c.type;
      c.tip = tips[c.id];
      if (c.kind === "third_party") {
        thirds.push(c);
      } else {
        contacts.push(c);
      }
    });
    var root = { id: org.root.id, name: org.root.name, kind: "account", size: org.root.size };
    cards[root.id] = root;
    contacts.forEach(function (c) {
      var p = c.parent && cards[c.parent] ? c.parent : root.id;
      c.up = p;
      (kids[p] = kids[p] || []).push(c.id);
    });
    Object.keys(kids).forEach(function (p) {  // departments together, key contacts first
      kids[p].sort(function (a, b) {
        var x = cards[a];
        var y = cards[b];
        return (x.dept < y.dept ? -1 : x.dept > y.dept ? 1 : 0) ||
          ((y.key ? 1 : 0) - (x.key ? 1 : 0)) || ((x.rank || 1e9) - (y.rank || 1e9)) ||
          (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
      });
    });
    var size = {};  // descendants per card
    (function count(id) {
      var n = 0;
      (kids[id] || []).forEach(function (k) { n += 1 + count(k); });
      size[id] = n;
      return n;
    })(root.id);

    var shown = {};
    var scale = 1;
    var placed = {};  // id -> {x, y} (stage coordinates, top-left) of the cards drawn now
    var nodes = {};  // id -> card element (created on first show)
    var hits = {};
    var stage = el("div", "org-stage");
    var sizer = el("div", "org-sizer");
    var lines = svg("svg", { "class": "org-tree-lines" });
    var treePath = svg("path", { "class": "org-reports" });
    var influenceGroup = svg("g", { "class": "org-influence" });
    var ourGroup = svg("g", { "class": "org-ours" });
    lines.appendChild(treePath);
    lines.appendChild(ourGroup);
    lines.appendChild(influenceGroup);
    stage.appendChild(lines);
    sizer.appendChild(stage);
    canvas.appendChild(sizer);
    var tip = el("div", "org-tip");
    tip.hidden = true;
    document.body.appendChild(tip);
    var thirdHeading = el("div", "org-group-heading",
      tt("third_parties", "Third parties ({n})", thirds.length));
    stage.appendChild(thirdHeading);

    function showKeyPaths() {
      shown = {};
      shown[root.id] = true;
      if (org.open) {
        org.open.forEach(function (id) { shown[id] = true; });
      } else {
        contacts.forEach(function (c) { shown[c.id] = true; });
      }
      thirds.forEach(function (c) { shown[c.id] = true; });
    }

    function showUp(id) {
      for (var n = id; n && cards[n]; n = cards[n].up) {
        shown[n] = true;
      }
    }

    function hideBelow(id) {
      (kids[id] || []).forEach(function (k) {
        shown[k] = false;
        hideBelow(k);
      });
    }

    /* "+N": the next level that is hidden below a card (its reports, or theirs, ...). */
    function openLevel(id) {
      var ks = kids[id] || [];
      if (ks.some(function (k) { return !shown[k]; })) {
        ks.forEach(function (k) { shown[k] = true; });
      } else {
        ks.forEach(openLevel);
      }
    }

    function shownKids(id) {
      return (kids[id] || []).filter(function (k) { return shown[k]; });
    }

    function hiddenBelow(id) {
      var n = 0;
      (kids[id] || []).forEach(function (k) {
        n += shown[k] ? hiddenBelow(k) : 1 + size[k];
      });
      return n;
    }

    /* The shown tree as d3 input; an all-leaf team becomes a chain, drawn as a stack. */
    function treeData(id) {
      var item = { id: id, children: [] };
      var ks = shownKids(id);
      var stack = ks.length >= 2 && ks.every(function (k) { return shownKids(k).length === 0; });
      if (stack) {
        var at = item;
        ks.forEach(function (k) {
          var next = { id: k, children: [], stackOf: id };
          at.children.push(next);
          at = next;
        });
      } else {
        ks.forEach(function (k) { item.children.push(treeData(k)); });
      }
      return item;
    }

    function cardElement(c) {
      if (nodes[c.id]) {
        return nodes[c.id];
      }
      var box = el("div", "org-card");
      box.setAttribute("data-id", c.id);
      if (c.kind === "account") {
        box.classList.add("account");
        box.appendChild(el("div", "org-name", c.name));
        box.appendChild(el("div", "org-title", tt("org_size", "{n} people in the org chart", c.size)));
      } else {
        var stripe = el("div", "org-stripe");
        stripe.style.background = c.colour;
        box.appendChild(stripe);
        var top = el("div", "org-top");
        var icon = el("span", "org-icon", c.icon);
        icon.title = c.role;
        top.appendChild(icon);
        top.appendChild(el("span", "org-name", c.name));
        if (c.key) {
          top.appendChild(el("span", "org-badge key", tt("key", "KEY {n}", c.rank)));
        } else if (c.rank) {
          top.appendChild(el("span", "org-rank", "#" + c.rank));
        }
        box.appendChild(top);
        box.appendChild(el("div", "org-title", c.title || "—"));
        box.appendChild(el("div", "org-dept", c.dept + " · " + c.stance));
        if (c.key) {
          box.classList.add("key");
        }
        if (c.kind === "third_party") {
          box.classList.add("third");
        }
        if (c.uncovered) {
          box.classList.add("uncovered");
          box.appendChild(el("div", "org-flag", tt("nobody", "✕ Nobody of ours")));
        }
      }
      var toggles = el("span", "org-toggles");
      ["org-less", "org-more"].forEach(function (cls) {
        var button = el("button", cls, cls === "org-less" ? "−" : "");
        button.type = "button";
        button.hidden = true;
        toggles.appendChild(button);
      });
      box.appendChild(toggles);
      stage.appendChild(box);
      nodes[c.id] = box;
      return box;
    }

    function layout() {
      var h = d3.hierarchy(treeData(root.id));
      d3.tree().nodeSize([CARD_W + GAP_X, CARD_H + GAP_Y])
        .separation(function (a, b) { return a.parent === b.parent ? 1 : 1.15; })(h);
      var minX = Infinity;
      var maxX = -Infinity;
      var maxY = 0;
      h.each(function (n) {
        minX = Math.min(minX, n.x);
        maxX = Math.max(maxX, n.x);
        maxY = Math.max(maxY, n.y);
      });
      var ox = MARGIN - minX + CARD_W / 2;
      var treeW = maxX - minX + CARD_W;
      placed = {};
      var d = "";
      h.each(function (n) {
        var x = n.x + ox - CARD_W / 2;
        placed[n.data.id] = { x: x, y: n.y + MARGIN };
      });
      h.each(function (n) {
        if (!n.parent) {
          return;
        }
        var me = placed[n.data.id];
        if (n.data.stackOf) {  // a bus down the left side of the stack
          var boss = placed[n.data.stackOf];
          var bx = boss.x - 12;
          d += "M" + (boss.x + 16) + "," + (boss.y + CARD_H) + "V" + (boss.y + CARD_H + 14) +
            "H" + bx + "V" + (me.y + CARD_H / 2) + "H" + me.x;
        } else {
          var up = placed[n.parent.data.id];
          var mid = up.y + CARD_H + GAP_Y / 2;
          d += "M" + (up.x + CARD_W / 2) + "," + (up.y + CARD_H) + "V" + mid +
            "H" + (me.x + CARD_W / 2) + "V" + me.y;
        }
      });
      treePath.setAttribute("d", d);
      // third parties: a group of their own, in rows under the chart
      var perRow = Math.max(4, Math.floor((treeW + GAP_X) / (CARD_W + GAP_X)));
      var top = maxY + MARGIN + CARD_H + 70;
      // centred under the top of the org, where the chart opens
      var gridW = Math.min(thirds.length, perRow) * (CARD_W + GAP_X) - GAP_X;
      var gridX = Math.max(MARGIN, Math.min(placed[root.id].x + CARD_W / 2 - gridW / 2,
        MARGIN + treeW - gridW));
      thirdHeading.hidden = thirds.length === 0;
      thirdHeading.style.left = gridX + "px";
      thirdHeading.style.top = (top - 34) + "px";
      thirds.forEach(function (c, i) {
        placed[c.id] = {
          x: gridX + (i % perRow) * (CARD_W + GAP_X),
          y: top + Math.floor(i / perRow) * (CARD_H + 24)
        };
      });
      var width = Math.max(treeW, thirds.length ? Math.min(thirds.length, perRow) *
        (CARD_W + GAP_X) : 0) + 2 * MARGIN;
      var height = (thirds.length ? top + Math.ceil(thirds.length / perRow) * (CARD_H + 24)
        : maxY + MARGIN + CARD_H) + MARGIN;
      Object.keys(nodes).forEach(function (id) {
        nodes[id].hidden = !placed[id];
      });
      Object.keys(placed).forEach(function (id) {
        var box = cardElement(cards[id]);
        box.hidden = false;
        box.style.left = placed[id].x + "px";
        box.style.top = placed[id].y + "px";
        box.classList.toggle("hit", Boolean(hits[id]));
        var more = box.querySelector(".org-more");
        var less = box.querySelector(".org-less");
        var hidden = hiddenBelow(id);
        more.hidden = !hidden;
        more.textContent = "+" + hidden;
        more.title = tt("more", "{n} more below: open the next level", hidden);
        less.hidden = shownKids(id).length === 0;
        less.title = tt("less", "Collapse this team");
      });
      stage.style.width = width + "px";
      stage.style.height = height + "px";
      lines.setAttribute("width", width);
      lines.setAttribute("height", height);
      stage.dataset.w = width;
      stage.dataset.h = height;
      applyScale();
      drawInfluence();
      scheduleLinks();
    }

    function applyScale() {
      stage.style.transform = "scale(" + scale + ")";
      sizer.style.width = Math.ceil(stage.dataset.w * scale) + "px";
      sizer.style.height = Math.ceil(stage.dataset.h * scale) + "px";
    }

    /* ---------------------------------------------------------------- overlays */

    function drawInfluence() {
      while (influenceGroup.firstChild) {
        influenceGroup.removeChild(influenceGroup.firstChild);
      }
      var box = document.getElementById("o-influence");
      if (!box || !box.checked) {
        return;
      }
      org.influences.forEach(function (e) {
        var a = placed[e.from];
        var b = placed[e.to];
        if (!a || !b) {
          return;
        }
        var x1 = a.x + CARD_W / 2;
        var y1 = a.y + CARD_H / 2;
        var x2 = b.x + CARD_W / 2;
        var y2 = b.y + CARD_H / 2;
        var bend = Math.max(40, Math.abs(x2 - x1) / 4);
        var p = svg("path", {
          d: "M" + x1 + "," + y1 + "C" + x1 + "," + (y1 - bend) + " " + x2 + "," + (y2 - bend) +
            " " + x2 + "," + y2,
          "stroke-width": e.width,
          "marker-end": "url(#org-arrow)"
        });
        influenceGroup.appendChild(p);
      });
    }

    var defs = svg("defs");
    var marker = svg("marker", { id: "org-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5",
      markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M0,0L10,5L0,10z", "class": "org-arrow" }));
    defs.appendChild(marker);
    lines.appendChild(defs);

    var ourLane = window.RelmapOrgLane.create({
      org: org, lane: lane, canvas: canvas, group: ourGroup, el: el, svg: svg,
      cardH: CARD_H,
      where: function (id) { return placed[id]; },
      scale: function () { return scale; },
      cards: function () { return nodes; }
    });
    var scheduleLinks = ourLane.schedule;
    var highlight = ourLane.highlight;

    /* ---------------------------------------------------------------- interaction */

    function keepInPlace(id, change) {
      var before = placed[id];
      change();
      layout();
      var after = placed[id];
      if (before && after) {
        canvas.scrollLeft += (after.x - before.x) * scale;
        canvas.scrollTop += (after.y - before.y) * scale;
      }
    }

    function scrollToCard(id) {
      var p = placed[id];
      if (p) {
        canvas.scrollLeft = (p.x + CARD_W / 2) * scale - canvas.clientWidth / 2;
        canvas.scrollTop = Math.max(0, (p.y + CARD_H / 2) * scale - canvas.clientHeight / 2);
      }
    }

    canvas.addEventListener("click", function (ev) {
      var button = ev.target.closest(".org-more, .org-less");
      if (!button) {
        return;
      }
      var id = button.closest(".org-card").getAttribute("data-id");
      keepInPlace(id, function () {
        if (button.classList.contains("org-more")) {
          openLevel(id);
        } else {
          hideBelow(id);
        }
      });
    });

    function showTip(ev, content) {
      tip.replaceChildren(renderTip(content));
      tip.hidden = false;
      var x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
      var y = Math.min(ev.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
      tip.style.left = Math.max(4, x) + "px";
      tip.style.top = Math.max(4, y) + "px";
    }

    function hover(container, list) {
      container.addEventListener("mouseover", function (ev) {
        var box = ev.target.closest("[data-id]");
        var c = box && list[box.getAttribute("data-id")];
        if (c && c.tip) {
          showTip(ev, c.tip);
          highlight(c.id);
        }
      });
      container.addEventListener("mouseout", function (ev) {
        if (!ev.relatedTarget || !container.contains(ev.relatedTarget) ||
            ev.relatedTarget.closest("[data-id]") !== ev.target.closest("[data-id]")) {
          tip.hidden = true;
          highlight(null);
        }
      });
    }
    var ourById = {};
    org.ours.forEach(function (o) {
      o.tip = tips[o.id];
      ourById[o.id] = o;
    });
    hover(canvas, cards);
    hover(lane, ourById);
    canvas.addEventListener("scroll", scheduleLinks);
    lane.addEventListener("scroll", scheduleLinks);
    window.addEventListener("resize", scheduleLinks);

    function find(q) {
      q = String(q || "").trim().toLowerCase();
      hits = {};
      if (!q) {
        layout();
        return 0;
      }
      var found = org.cards.filter(function (c) {
        return c.name.toLowerCase().indexOf(q) !== -1 ||
          (c.title || "").toLowerCase().indexOf(q) !== -1;
      });
      found.forEach(function (c) {
        hits[c.id] = true;
        showUp(c.id);
      });
      layout();
      if (found.length) {
        scrollToCard(found[0].id);
        setStatus(tt("matches", "{n} match(es) for the search, highlighted.", found.length));
      } else {
        setStatus(tt("no_match", "Nobody on this map matches the search."));
      }
      return found.length;
    }

    function zoom(factor) {
      var cx = (canvas.scrollLeft + canvas.clientWidth / 2) / scale;
      var cy = (canvas.scrollTop + canvas.clientHeight / 2) / scale;
      scale = Math.max(0.3, Math.min(1.6, scale * factor));
      applyScale();
      canvas.scrollLeft = cx * scale - canvas.clientWidth / 2;
      canvas.scrollTop = cy * scale - canvas.clientHeight / 2;
      scheduleLinks();
    }

    function wire(id, event, fn) {
      var node = document.getElementById(id);
      if (node) {
        node.addEventListener(event, fn);
      }
    }
    wire("relmap-org-controls", "submit", function (ev) { ev.preventDefault(); });
    wire("o-find", "change", function (ev) { find(ev.target.value); });
    function shownStatus() {
      setStatus(tt("shown", "{n} of {m} people shown.", Object.keys(placed).length - 1,
        org.cards.length));
    }
    wire("o-key", "click", function () {
      hits = {};
      keepInPlace(root.id, showKeyPaths);
      shownStatus();
    });
    wire("o-all", "click", function () {
      keepInPlace(root.id, function () {
        contacts.forEach(function (c) { shown[c.id] = true; });
      });
      shownStatus();
    });
    wire("o-influence", "change", drawInfluence);
    wire("o-zoom-in", "click", function () { zoom(1.25); });
    wire("o-zoom-out", "click", function () { zoom(0.8); });

    /* ---------------------------------------------------------------- for tests */

    function rectOf(node) {
      var r = node.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    }

    var api = {
      readyMs: null,
      cards: function () {
        return Object.keys(placed).map(function (id) {
          var box = nodes[id];
          var name = box.querySelector(".org-name");
          var r = rectOf(box);
          var px = parseFloat(getComputedStyle(name).fontSize) * scale;
          return {
            id: id, kind: cards[id].kind, parent: cards[id].up || null, label: name.textContent,
            x: r.x, y: r.y, w: r.w, h: r.h, labelPx: px,
            visible: name.textContent.length > 0 && px >= 11 && name.getBoundingClientRect().width > 0,
            uncovered: Boolean(cards[id].uncovered), key: Boolean(cards[id].key),
            more: box.querySelector(".org-more").hidden ? "" :
              box.querySelector(".org-more").textContent
          };
        });
      },
      ours: ourLane.ours,
      links: ourLane.links,
      influences: function () { return influenceGroup.childNodes.length; },
      expandAll: function () { wireClick("o-all"); },
      showKeyPaths: function () { wireClick("o-key"); },
      find: find,
      zoom: zoom,
      refresh: function () { layout(); }
    };
    function wireClick(id) {
      document.getElementById(id).click();
    }
    window.relmapOrgChart = api;

    showKeyPaths();
    layout();
    // open as wide as the window allows, but never below the scale that keeps labels >= 11 px
    scale = Math.max(MIN_LEGIBLE, Math.min(1, canvas.clientWidth / stage.dataset.w));
    applyScale();
    scrollToCard(root.id);
    canvas.scrollTop = 0;
    requestAnimationFrame(function () {
      ourLane.draw();
      api.readyMs = Math.round(performance.now());
      var shownCount = Object.keys(placed).length - 1;
      setStatus(tt("drawn", "Org chart: {n} of {m} people shown. +N opens a team; hover for " +
        "details.", shownCount, org.cards.length));
      document.documentElement.setAttribute("data-relmap-ready", "true");
    });
    return api;
  }

  window.RelmapOrgChart = { start: start };
})();
