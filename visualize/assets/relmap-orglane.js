/*
 * relmap org chart, our side: the lane of our people beside the chart and their relationship
 * lines to the contacts' cards (width = strength, grey and dashed = stale, the line's title says
 * level, desired level and last touch), in an overlay SVG redrawn on scroll and zoom. Only lines
 * to cards in view are drawn; each person's card says how many contacts they know in all.
 * Text goes in through textContent only. Used by relmap-orgchart.js (window.RelmapOrgLane).
 */
(function () {
  "use strict";

  /* opts: org (the map data's org part), lane, overlay, main, canvas (elements), el, svg
   * (element builders), cardH, where(id) -> a shown card's stage position, scale() -> zoom,
   * cards() -> the card elements by id. */
  function create(opts) {
    var org = opts.org;
    var lane = opts.lane;
    var overlay = opts.overlay;
    var main = opts.main;
    var canvas = opts.canvas;
    var el = opts.el;
    var svg = opts.svg;
    var laneCards = {};
    var linkPaths = [];
    org.ours.forEach(function (o) {
      var card = el("div", "org-person");
      card.setAttribute("data-id", o.id);
      card.appendChild(el("div", "org-name", o.name));
      card.appendChild(el("div", "org-title", o.title || "—"));
      card.appendChild(el("div", "org-knows", o.knows ? "knows " + o.knows + " here" :
        "knows nobody here"));
      lane.appendChild(card);
      laneCards[o.id] = card;
    });
    if (!org.ours.length) {
      lane.appendChild(el("p", "muted", "Nobody of ours is recorded on this account."));
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

    function drawLinks() {
      var frame = main.getBoundingClientRect();
      var view = canvas.getBoundingClientRect();
      var laneBox = lane.getBoundingClientRect();
      overlay.setAttribute("width", Math.max(0, view.right - frame.left));
      overlay.setAttribute("height", frame.height);
      while (overlay.firstChild) {
        overlay.removeChild(overlay.firstChild);
      }
      linkPaths = [];
      var ox = view.left - frame.left - canvas.scrollLeft;
      var oy = view.top - frame.top - canvas.scrollTop;
      var rects = {};
      Object.keys(laneCards).forEach(function (id) {
        rects[id] = laneCards[id].getBoundingClientRect();
      });
      org.links.forEach(function (l) {
        var to = opts.where(l.to);
        var from = rects[l.from];
        if (!to || !from) {
          return;
        }
        var x1 = from.right - frame.left;
        var y1 = from.top + from.height / 2 - frame.top;
        if (y1 < laneBox.top - frame.top || y1 > laneBox.bottom - frame.top) {
          return;  // the person is scrolled out of the lane
        }
        var x2 = ox + to.x * opts.scale();
        var y2 = oy + (to.y + opts.cardH / 2) * opts.scale();
        if (x2 < view.left - frame.left || x2 > view.right - frame.left ||
            y2 < view.top - frame.top || y2 > view.bottom - frame.top) {
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
        overlay.appendChild(p);
        linkPaths.push({ link: l, path: p, x1: x1, y1: y1, x2: x2, y2: y2 });
      });
    }

    function highlight(id) {
      overlay.classList.toggle("focus", Boolean(id));
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
