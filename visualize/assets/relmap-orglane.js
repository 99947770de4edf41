/*
 * relmap org chart, our side: the lane of our people beside the chart and their relationship
 * lines to the contacts' cards (width = strength, grey and dashed = stale, the line's title says
 * level, desired level and last touch), drawn under the cards and redrawn on scroll and zoom. Only lines
 * to cards in view are drawn; each person's card says how many contacts they know in all.
 * Text goes in through textContent only. Used by relmap-orgchart.js (window.RelmapOrgLane).
 */
(function () {
  "use strict";

  /* opts: org (the map data's org part), lane, canvas (elements), group (an SVG g under the
   * cards, in chart coordinates), el, svg
   * (element builders), cardH, where(id) -> a shown card's stage position, scale() -> zoom,
   * cards() -> the card elements by id. */
  function create(opts) {
    var org = opts.org;
    var lane = opts.lane;
    var group = opts.group;
    var canvas = opts.canvas;
    var el = opts.el;
    var words = org.strings || {};
    function tt(key, fallback, n) {
      return (words[key] || fallback).replace("{n}", n === undefined ? "" : n);
    }
    var svg = opts.svg;
    var laneCards = {};
    var linkPaths = [];
    org.ours.forEach(function (o) {
      var card = el("div", "org-person");
      card.setAttribute("data-id", o.id);
      card.appendChild(el("div", "org-name", o.name));
      card.appendChild(el("div", "org-title", o.title || "—"));
      card.appendChild(el("div", "org-knows", o.knows ? tt("knows", "knows {n} here", o.knows) :
        tt("knows_nobody", "knows nobody here")));
      lane.appendChild(card);
      laneCards[o.id] = card;
    });
    if (!org.ours.length) {
      lane.appendChild(el("p", "muted",
        tt("no_ours", "Nobody of ours is recorded on this account.")));
    }
    var pending = false;
    function scheduleLinks() {
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () {
          pending = false;
          drawLinks();
        });
      }
    }

    /* Lines live in the chart's own SVG, under the cards, in chart coordinates: each starts at
     * the chart's left edge level with its person's lane card, so it is redrawn on scroll. */
    function drawLinks() {
      var view = canvas.getBoundingClientRect();
      var laneBox = lane.getBoundingClientRect();
      var scale = opts.scale();
      while (group.firstChild) {
        group.removeChild(group.firstChild);
      }
      linkPaths = [];
      var left = canvas.scrollLeft / scale;
      var right = (canvas.scrollLeft + canvas.clientWidth) / scale;
      var top = canvas.scrollTop / scale;
      var bottom = (canvas.scrollTop + canvas.clientHeight) / scale;
      var rows = {};
      Object.keys(laneCards).forEach(function (id) {
        var r = laneCards[id].getBoundingClientRect();
        var mid = r.top + r.height / 2;
        if (mid >= laneBox.top && mid <= laneBox.bottom) {  // not scrolled out of the lane
          rows[id] = (mid - view.top + canvas.scrollTop) / scale;
        }
      });
      org.links.forEach(function (l) {
        var to = opts.where(l.to);
        if (!to || rows[l.from] === undefined) {
          return;
        }
        var x1 = left;
        var y1 = rows[l.from];
        var x2 = to.x;
        var y2 = to.y + opts.cardH / 2;
        if (x2 < left || x2 > right || y2 < top || y2 > bottom) {
          return;  // only lines to cards in view: the lane card says how many there are
        }
        var dx = Math.max(60, (x2 - x1) / 2);
        var p = svg("path", {
          d: "M" + x1 + "," + y1 + "C" + (x1 + dx) + "," + y1 + " " + (x2 - dx) + "," + y2 + " " +
            x2 + "," + y2,
          "class": "org-link" + (l.stale ? " stale" : ""),
          "stroke-width": l.width,
          "data-from": l.from,
          "data-to": l.to
        });
        var title = svg("title");
        title.textContent = l.tip;
        p.appendChild(title);
        group.appendChild(p);
        linkPaths.push({
          link: l, path: p,
          x1: view.left + x1 * scale - canvas.scrollLeft, y1: view.top + y1 * scale - canvas.scrollTop,
          x2: view.left + x2 * scale - canvas.scrollLeft, y2: view.top + y2 * scale - canvas.scrollTop
        });
      });
    }

    function highlight(id) {
      group.classList.toggle("focus", Boolean(id));
      linkPaths.forEach(function (lp) {
        lp.path.classList.toggle("on", Boolean(id) && (lp.link.from === id || lp.link.to === id));
      });
      Object.keys(opts.cards()).forEach(function (n) {
        opts.cards()[n].classList.remove("known");
      });
      if (id && laneCards[id]) {
        org.links.forEach(function (l) {
          if (l.from === id && opts.cards()[l.to]) {
            opts.cards()[l.to].classList.add("known");
          }
        });
      }
    }


    function rectOf(node) {
      var r = node.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    }

    return {
      schedule: scheduleLinks,
      draw: drawLinks,
      highlight: highlight,
      ours: function () {
        return org.ours.map(function (o) {
          var r = rectOf(laneCards[o.id]);
          r.id = o.id;
          r.label = laneCards[o.id].querySelector(".org-name").textContent;
          r.knows = o.knows;
          return r;
        });
      },
      links: function () {
        return linkPaths.map(function (lp) {
          return { from: lp.link.from, to: lp.link.to, stale: lp.link.stale,
                   width: lp.link.width, x1: lp.x1, y1: lp.y1, x2: lp.x2, y2: lp.y2 };
        });
      }
    };
  }

  window.RelmapOrgLane = { create: create };
})();
