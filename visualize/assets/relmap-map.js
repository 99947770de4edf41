/*
 * relmap map client: draws the map whose data the page embeds in
 * <script type="application/json" id="relmap-data"> with the vendored vis-network.
 *
 * Safety: user data arrives only as JSON (parsed, never evaluated) and is put into the page
 * only through textContent, canvas text and vis labels (canvas). Tooltips are DOM elements
 * built here, so no string is ever interpreted as HTML. No inline handlers (strict CSP).
 *
 * For tests and tools the drawn network is exposed as window.relmap = {network, nodes, edges,
 * ready, readyMs}; <html data-relmap-ready="true"> is set once the map has settled.
 */
(function () {
  "use strict";

  var dataEl = document.getElementById("relmap-data");
  var container = document.getElementById("relmap-network");
  var statusEl = document.getElementById("relmap-status");
  if (!dataEl || !container || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(dataEl.textContent);
  var state = { network: null, nodes: null, edges: null, ready: false, readyMs: null };
  window.relmap = state;

  function byId(id) {
    return document.getElementById(id);
  }

  function setStatus(text) {
    if (statusEl) {
      statusEl.textContent = text;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /* Tooltip as DOM (vis shows an Element as-is; strings it would show as text anyway). */
  function renderTip(tip) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-heading", tip.heading));
    (tip.lines || []).forEach(function (line) {
      var row = el("div", "tip-line");
      row.appendChild(el("span", "tip-key", line[0]));
      row.appendChild(el("span", "tip-value", line[1]));
      box.appendChild(row);
    });
    (tip.notes || []).forEach(function (note) {
      box.appendChild(el("div", "tip-note", note));
    });
    return box;
  }

  function markReady() {
    if (state.ready) {
      return;
    }
    state.ready = true;
    state.readyMs = Math.round(performance.now());
    document.documentElement.setAttribute("data-relmap-ready", "true");
    var shown = state.nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    setStatus("Map drawn: " + shown + " of " + state.nodes.length + " nodes shown, settled in " +
      (state.readyMs / 1000).toFixed(1) + " s. Hover for details, scroll to zoom, drag to move.");
  }

  function prepareItems(list) {
    return list.map(function (item) {
      var copy = Object.assign({}, item);
      if (copy.tip) {
        copy.title = renderTip(copy.tip);
        delete copy.tip;
      }
      return copy;
    });
  }

  /* ------------------------------------------------------------------ political map */

  function politicalMap() {
    var opts = data.options || {};
    var nodes = new vis.DataSet(prepareItems(data.nodes));
    var edges = new vis.DataSet(prepareItems(data.edges));
    state.nodes = nodes;
    state.edges = edges;
    var home = {};
    data.nodes.forEach(function (n) {
      if (n.x !== undefined) {
        home[n.id] = { x: n.x, y: n.y };
      }
    });
    var neighbours = {};
    data.edges.forEach(function (e) {
      (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
      (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
    });

    function contactVisible(n, f) {
      return (!f.key || n.key) && (!f.uncovered || n.uncovered) && (!f.dept || n.dept === f.dept);
    }

    function applyFilters() {
      var f = {
        key: byId("f-key") && byId("f-key").checked,
        uncovered: byId("f-uncovered") && byId("f-uncovered").checked,
        ours: !byId("f-ours") || byId("f-ours").checked,
        dept: byId("f-dept") ? byId("f-dept").value : ""
      };
      var visible = {};
      data.nodes.forEach(function (n) {
        if (n.group !== "employee") {
          visible[n.id] = contactVisible(n, f);
        }
      });
      var updates = data.nodes.map(function (n) {
        var show = visible[n.id];
        if (n.group === "employee") {
          show = f.ours && (neighbours[n.id] || []).some(function (m) { return visible[m]; });
        }
        return { id: n.id, hidden: !show };
      });
      nodes.update(updates);
      var shown = updates.filter(function (u) { return !u.hidden; }).length;
      setStatus(shown + " of " + updates.length + " nodes shown.");
      if (state.network) {
        state.network.fit({ animation: false });
      }
    }

    function build(hierarchical) {
      if (state.network) {
        state.network.destroy();
        state.network = null;
      }
      state.ready = false;
      document.documentElement.removeAttribute("data-relmap-ready");
      var precomputed = !opts.physics;
      if (!hierarchical && precomputed) {
        nodes.update(Object.keys(home).map(function (id) {
          return { id: id, x: home[id].x, y: home[id].y };
        }));
      }
      var physics = !hierarchical && !precomputed;
      var options = {
        autoResize: true,
        nodes: { font: { face: "sans-serif" } },
        edges: {
          smooth: opts.smooth && !hierarchical ? { type: "continuous", roundness: 0.3 } : false,
          selectionWidth: 2
        },
        interaction: {
          hover: true,
          tooltipDelay: 120,
          hideEdgesOnDrag: precomputed,
          hideEdgesOnZoom: precomputed,
          multiselect: true
        },
        layout: hierarchical ? {
          hierarchical: {
            enabled: true, direction: "UD", sortMethod: "directed", shakeTowards: "roots",
            levelSeparation: 150, nodeSpacing: 120, treeSpacing: 160,
            blockShifting: true, edgeMinimization: data.nodes.length < 600, parentCentralization: true
          }
        } : { improvedLayout: false, randomSeed: 7 },
        physics: physics ? {
          enabled: true,
          solver: "barnesHut",
          barnesHut: {
            gravitationalConstant: -6000, centralGravity: 0.25, springLength: 130,
            springConstant: 0.03, damping: 0.35, avoidOverlap: 0.3
          },
          stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true },
          minVelocity: 1
        } : { enabled: false }
      };
      var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
      state.network = network;
      if (precomputed && !hierarchical && data.groups && data.groups.length) {
        network.on("beforeDrawing", function (ctx) {
          ctx.save();
          ctx.font = "bold 40px sans-serif";
          ctx.fillStyle = "#555555";
          ctx.textAlign = "center";
          data.groups.forEach(function (g) {
            ctx.fillText(g.name + " (" + g.size + ")", g.x, g.y);
          });
          ctx.restore();
        });
      }
      if (physics) {
        setStatus("Laying out " + data.nodes.length + " nodes…");
        network.once("stabilizationIterationsDone", function () {
          network.setOptions({ physics: { enabled: false } });
          network.fit({ animation: false });
          network.once("afterDrawing", markReady);
          network.redraw();
        });
      } else {
        network.once("afterDrawing", function () {
          network.fit({ animation: false });
          markReady();
        });
      }
    }

    ["f-key", "f-uncovered", "f-ours", "f-dept"].forEach(function (id) {
      if (byId(id)) {
        byId(id).addEventListener("change", applyFilters);
      }
    });
    if (byId("f-hier")) {
      byId("f-hier").addEventListener("change", function () {
        build(byId("f-hier").checked);
      });
    }
    wireCommon(nodes);
    applyFilters();
    build(Boolean(opts.hierarchical));
  }

  /* ------------------------------------------------------------------ coverage map */

  function coverageMap() {
    setStatus("coverage map: not yet");
  }

  /* ------------------------------------------------------------------ shared controls */

  function wireCommon(nodes) {
    var find = byId("f-find");
    if (find) {
      find.addEventListener("change", function () {
        var q = find.value.trim().toLowerCase();
        if (!q || !state.network) {
          return;
        }
        var hits = nodes.get({
          filter: function (n) {
            return !n.hidden && String(n.label || "").toLowerCase().indexOf(q) !== -1;
          }
        });
        if (hits.length) {
          state.network.selectNodes(hits.map(function (n) { return n.id; }));
          state.network.focus(hits[0].id, { scale: 1.2, animation: false });
          setStatus(hits.length + " match(es) for the search.");
        } else {
          setStatus("No visible node matches the search.");
        }
      });
    }
    var fit = byId("f-fit");
    if (fit) {
      fit.addEventListener("click", function () {
        if (state.network) {
          state.network.fit({ animation: false });
        }
      });
    }
    var form = byId("relmap-controls");
    if (form) {
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    }
  }

  if (data.kind === "coverage") {
    coverageMap();
  } else {
    politicalMap();
  }
})();
