/*
 * relmap map client: draws the map whose data the page embeds as a JSON data block (a script
 * element of type application/json, id relmap-data) with the vendored vis-network.
 *
 * Safety: user data arrives only as JSON (parsed, never evaluated) and is put into the page
 * only through textContent, canvas text and vis labels (canvas). Tooltips are DOM elements
 * built here, so no string is ever interpreted as HTML. No inline handlers (strict CSP).
 *
 * Node data says what a node is in "kind", never in vis's "group": vis re-applies its default
 * group colours over a node's own colours whenever the node is updated (e.g. hidden by a filter).
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

    var shownGroups = null;  // department clusters with something shown (big maps)

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
        if (n.kind !== "employee") {
          visible[n.id] = contactVisible(n, f);
        }
      });
      var updates = data.nodes.map(function (n) {
        var show = visible[n.id];
        if (n.kind === "employee") {
          show = f.ours && (neighbours[n.id] || []).some(function (m) { return visible[m]; });
        }
        return { id: n.id, hidden: !show };
      });
      nodes.update(updates);
      shownGroups = {};
      data.nodes.forEach(function (n, i) {
        if (!updates[i].hidden && n.grp !== undefined) {
          shownGroups[n.grp] = true;
        }
      });
      var shownIds = updates.filter(function (u) { return !u.hidden; })
        .map(function (u) { return u.id; });
      setStatus(shownIds.length + " of " + updates.length + " nodes shown.");
      if (state.network && shownIds.length) {
        state.network.fit({ nodes: shownIds, animation: false });
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
      if (hierarchical) {
        nodes.update(data.nodes.map(function (n) {
          return { id: n.id, x: n.hx, y: n.hy };
        }));
      } else if (precomputed) {
        nodes.update(Object.keys(home).map(function (id) {
          return { id: id, x: home[id].x, y: home[id].y };
        }));
      }
      var physics = !hierarchical && !precomputed && data.nodes.length > 0;
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
          hideEdgesOnDrag: precomputed || hierarchical,
          hideEdgesOnZoom: precomputed || hierarchical,
          multiselect: true
        },
        layout: { improvedLayout: false, randomSeed: 7 },
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
      if (precomputed && !hierarchical && data.groups && data.groups.length) {  // department names
        network.on("beforeDrawing", function (ctx) {
          ctx.save();
          ctx.font = "bold " + Math.round(Math.max(40, 14 / network.getScale())) + "px sans-serif";
          ctx.fillStyle = "#555555";
          ctx.textAlign = "center";
          data.groups.forEach(function (g) {
            if (!shownGroups || shownGroups[g.name]) {
              ctx.fillText(g.name + " (" + g.size + ")", g.x, g.y);
            }
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
        network.redraw();  // a draw after the handler exists, even if vis drew already
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
    var opts = data.options || {};
    var nodes = new vis.DataSet(prepareItems(data.nodes));
    var edges = new vis.DataSet(prepareItems(data.edges));
    state.nodes = nodes;
    state.edges = edges;
    var info = {};
    data.nodes.forEach(function (n) {
      info[n.id] = n;
    });
    var statusWords = { gap: "gaps", conflict: "conflicts", misfit: "misfits" };

    function controls() {
      return {
        group: byId("f-group") ? byId("f-group").value : (opts.group_by || "region"),
        cluster: byId("f-cluster") ? byId("f-cluster").checked : Boolean(opts.cluster),
        problems: byId("f-problems") ? byId("f-problems").checked : false,
        tier: byId("f-tier") ? byId("f-tier").value : ""
      };
    }

    function customerShown(n, c) {
      return !(c.problems && n.status === "ok") && !(c.tier && n.tier !== c.tier);
    }

    function clusterTip(g, tally, shown) {
      var lines = [["Customers shown", String(shown)]];
      ["gap", "conflict", "misfit", "ok"].forEach(function (s) {
        if (tally[s]) {
          lines.push([s === "ok" ? "fine" : statusWords[s], String(tally[s])]);
        }
      });
      return renderTip({ heading: g.name, lines: lines, notes: ["Double-click to open."] });
    }

    function render() {
      var c = controls();
      if (state.network) {
        state.network.destroy();
        state.network = null;
      }
      state.ready = false;
      document.documentElement.removeAttribute("data-relmap-ready");
      var shownIds = {};
      var filtering = c.problems || Boolean(c.tier);
      data.nodes.forEach(function (n) {
        if (n.kind === "customer" && customerShown(n, c)) {
          shownIds[n.id] = true;
        }
      });
      if (filtering) {
        // our side: only the teams and people who hold a claim on a customer still shown
        data.edges.forEach(function (e) {
          if (shownIds[e.to] && e.kind !== "member") {
            shownIds[e.from] = true;
          }
        });
        data.edges.forEach(function (e) {
          if (e.kind === "member" && shownIds[e.from]) {
            shownIds[e.to] = true;
          }
        });
      }
      nodes.update(data.nodes.map(function (n) {
        var p = n.pos[c.group];
        var hidden = n.kind === "customer" ? !shownIds[n.id] : (filtering && !shownIds[n.id]);
        var item = { id: n.id, x: p[0], y: p[1], hidden: hidden };
        if (n.kind === "customer") {
          // the few customers a filter leaves are drawn big enough to read from afar
          var big = filtering && !c.cluster;
          item.size = big ? Math.max(1.6 * n.size, 20) : n.size;
          item.font = Object.assign({}, n.font, { size: big ? 30 : n.font.size });
        }
        return item;
      }));
      var visibleIds = Object.keys(shownIds);
      var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
        autoResize: true,
        physics: { enabled: false },
        layout: { improvedLayout: false },
        edges: { smooth: false, selectionWidth: 2 },
        nodes: { font: { face: "sans-serif" } },
        interaction: {
          hover: true, tooltipDelay: 120, hideEdgesOnDrag: true, hideEdgesOnZoom: true,
          multiselect: true
        }
      });
      state.network = network;
      var groups = (data.groups && data.groups[c.group]) || [];
      if (c.cluster) {
        groups.forEach(function (g, i) {
          var tally = { gap: 0, conflict: 0, misfit: 0, ok: 0 };
          var shown = 0;
          data.nodes.forEach(function (n) {
            if (n.kind === "customer" && n.grp[c.group] === g.name && customerShown(n, c)) {
              tally[n.status] += 1;
              shown += 1;
            }
          });
          if (shown < 2) {
            return;
          }
          var problems = ["gap", "conflict", "misfit"].filter(function (s) { return tally[s]; })
            .map(function (s) { return tally[s] + " " + statusWords[s]; });
          network.cluster({
            joinCondition: function (o) {
              var n = info[o.id];
              return Boolean(n) && n.kind === "customer" && n.grp[c.group] === g.name &&
                customerShown(n, c);
            },
            clusterNodeProperties: {
              id: "cluster:" + c.group + ":" + i,
              label: g.name + "\n" + shown + " customers" +
                (problems.length ? "\n" + problems.join(" · ") : ""),
              shape: "dot",
              size: Math.round(18 + 5 * Math.sqrt(shown)),
              x: g.cx,
              y: g.cy,
              borderWidth: tally.gap ? 5 : 3,
              color: {
                background: "#fdd49e",
                border: tally.gap ? "#d7191c" : (tally.conflict ? "#ff7f00" : "#8c6d31"),
                highlight: { background: "#fdbb84", border: "#000000" }
              },
              font: { size: 46, face: "sans-serif", color: "#222222", strokeWidth: 6,
                      strokeColor: "#ffffff" },
              title: clusterTip(g, tally, shown)
            },
            clusterEdgeProperties: { color: { color: "#9e9e9e", opacity: 0.5 }, dashes: false }
          });
        });
      } else {
        // group names just above the group's topmost shown customer
        var top = {};
        var count = {};
        data.nodes.forEach(function (n) {
          if (n.kind === "customer" && shownIds[n.id]) {
            var name = n.grp[c.group];
            top[name] = Math.min(top[name] === undefined ? Infinity : top[name], n.pos[c.group][1]);
            count[name] = (count[name] || 0) + 1;
          }
        });
        network.on("beforeDrawing", function (ctx) {
          ctx.save();
          ctx.font = "bold " + Math.round(Math.max(34, 15 / network.getScale())) + "px sans-serif";
          ctx.fillStyle = "#555555";
          ctx.textAlign = "center";
          groups.forEach(function (g) {
            if (count[g.name]) {
              ctx.fillText(g.name + " (" + count[g.name] + ")", g.x, top[g.name] - 40);
            }
          });
          ctx.restore();
        });
      }
      network.on("doubleClick", function (p) {
        if (p.nodes.length && network.isCluster(p.nodes[0])) {
          network.openCluster(p.nodes[0]);
          network.fit({ animation: false });
        }
      });
      network.once("afterDrawing", function () {
        if (filtering && !c.cluster && visibleIds.length) {
          network.fit({ nodes: visibleIds, animation: false });
        } else {
          network.fit({ animation: false });
        }
        markReady();
      });
      network.redraw();  // a draw after the handler exists, even if vis drew already
    }

    ["f-group", "f-cluster", "f-problems", "f-tier"].forEach(function (id) {
      if (byId(id)) {
        byId(id).addEventListener("change", render);
      }
    });
    wireCommon(nodes);
    render();
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
          var path = state.network.findNode(hits[0].id);
          path.slice(0, -1).forEach(function (clusterId) {
            if (state.network.isCluster(clusterId)) {
              state.network.openCluster(clusterId);
            }
          });
          state.network.selectNodes(hits.map(function (n) { return n.id; }).filter(function (id) {
            return state.network.findNode(id).length === 1;  // not inside a closed cluster
          }));
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

  /* ------------------------------------------------------------------ political map modes */

  /* The political map page has two modes: the org chart (relmap-orgchart.js, the default) and
   * the network (politicalMap above). The URL's hash (#org, #network) says which one is shown,
   * so the back button and a shared link keep the mode; each mode is drawn on first use. */
  function politicalPage() {
    var orgChart = data.org && data.org.cards && window.RelmapOrgChart && typeof d3 !== "undefined"
      ? window.RelmapOrgChart : null;
    var built = {};

    function wanted() {
      var hash = window.location.hash.replace("#", "");
      if (hash === "org" || hash === "network") {
        return orgChart ? hash : "network";
      }
      return orgChart && (data.options || {}).mode !== "network" ? "org" : "network";
    }

    function setMode(mode) {
      document.querySelectorAll("[data-mode]").forEach(function (node) {
        node.hidden = node.getAttribute("data-mode") !== mode;
      });
      document.querySelectorAll("[data-switch]").forEach(function (node) {
        node.setAttribute("aria-pressed", String(node.getAttribute("data-switch") === mode));
        node.hidden = !orgChart;
      });
      document.documentElement.setAttribute("data-relmap-mode", mode);
      if (!built[mode]) {
        built[mode] = true;
        document.documentElement.removeAttribute("data-relmap-ready");
        if (mode === "org") {
          orgChart.start(data, setStatus, renderTip);
        } else {
          politicalMap();
        }
      } else if (mode === "org") {
        window.relmapOrgChart.refresh();
      } else if (state.network) {
        state.network.redraw();
      }
    }

    document.querySelectorAll("[data-switch]").forEach(function (node) {
      node.addEventListener("click", function () {
        window.location.hash = node.getAttribute("data-switch");
      });
    });
    window.addEventListener("hashchange", function () { setMode(wanted()); });
    setMode(wanted());
    var printButton = document.getElementById("m-print");
    if (printButton) {
      // the browser's print dialog: "Save as PDF" keeps the current view as a PDF
      printButton.addEventListener("click", function () { window.print(); });
    }
  }

  if (data.kind === "coverage") {
    coverageMap();
  } else {
    politicalPage();
  }
})();
