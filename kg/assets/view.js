// kg view: the graph on a canvas, laid out by kg (kg/layout.py). No libraries, no network.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var COLORS = DATA.colors;
  var nodes = DATA.nodes, edges = DATA.edges;
  var byId = {};
  nodes.forEach(function (n, i) {
    n.index = i; byId[n.id] = n; n.degree = 0;
    if (typeof n.x !== "number") { n.x = 40 * Math.cos(i); n.y = 40 * Math.sin(i); }
    if (typeof n.rank !== "number") n.rank = i;
  });
  edges.forEach(function (e) {
    e.s = byId[e.source]; e.t = byId[e.target];
    e.s.degree++; e.t.degree++;
  });
  // Parallel edges between the same pair get different curvatures.
  var pairs = {};
  edges.forEach(function (e) {
    var key = e.s.index < e.t.index ? e.s.index + "-" + e.t.index : e.t.index + "-" + e.s.index;
    pairs[key] = (pairs[key] || 0) + 1;
    e.bend = (pairs[key] - 1) * 14 * (e.s.index < e.t.index ? 1 : -1);
  });
  var byRank = nodes.slice().sort(function (a, b) { return a.rank - b.rank; });

  var canvas = document.getElementById("graph");
  var ctx = canvas.getContext("2d");
  var view = { x: 0, y: 0, k: 1 }, fitK = 1;
  var selected = null, matches = null;
  var hiddenTypes = {}, hiddenPredicates = {};
  var labelsDrawn = 0, shown = 0, edgeLabels = [];
  var dense = edges.length > 1500;

  // Sizes are in screen pixels: a node keeps its size on screen whatever the zoom.
  // Neighbours sit DATA.spacing apart (kg/layout.py): a node never grows past half of that,
  // so a dense graph seen whole shows dots that do not cover each other.
  var SPACING = DATA.spacing || 28;
  function radius(n) {
    var room = 0.5 * SPACING * view.k * (n.rank < 12 ? 1.6 : 1);
    return Math.max(1.5, Math.min(3 + Math.min(9, Math.sqrt(n.degree) * 1.6), room));
  }
  function color(n) { return COLORS[n.type] || "#999999"; }
  function zoom() { return view.k / fitK; }

  // -- filters -----------------------------------------------------------------------------
  function edgeOn(e) { return !hiddenPredicates[e.predicate] && !hiddenTypes[e.s.type] && !hiddenTypes[e.t.type]; }
  var anyPredicateHidden = false;
  function refreshVisibility() {
    anyPredicateHidden = Object.keys(hiddenPredicates).some(function (p) { return hiddenPredicates[p]; });
    nodes.forEach(function (n) { n.linked = false; });
    edges.forEach(function (e) { e.on = edgeOn(e); if (e.on) { e.s.linked = true; e.t.linked = true; } });
    shown = 0;
    nodes.forEach(function (n) {
      n.on = !hiddenTypes[n.type] && (!anyPredicateHidden || n.linked);
      if (n.on) shown++;
    });
  }

  // -- drawing -----------------------------------------------------------------------------
  function fit() {
    var visible = nodes.filter(function (n) { return n.on; });
    if (!visible.length) visible = nodes;
    if (!visible.length) { view = { x: canvas.width / 2, y: canvas.height / 2, k: 1 }; fitK = 1; return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    visible.forEach(function (n) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    var w = canvas.width, h = canvas.height;
    var k = Math.min(2, 0.92 * Math.min(w / (maxX - minX + 60), h / (maxY - minY + 60)));
    view = { k: k, x: w / 2 - k * (minX + maxX) / 2, y: h / 2 - k * (minY + maxY) / 2 };
    fitK = k;
  }

  function screen(n) { return { x: n.x * view.k + view.x, y: n.y * view.k + view.y }; }

  function control(e) {
    var a = screen(e.s), b = screen(e.t);
    var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    return { a: a, b: b, x: mx - dy / d * e.bend, y: my + dx / d * e.bend };
  }

  function faded(n) { return (matches && !matches[n.id]) || (selected && !near(n)); }
  function near(n) {
    if (!selected) return true;
    if (selected.s) return n === selected.s || n === selected.t;
    return n === selected || n.neighbours[selected.id];
  }
  nodes.forEach(function (n) { n.neighbours = {}; });
  edges.forEach(function (e) { e.s.neighbours[e.t.id] = true; e.t.neighbours[e.s.id] = true; });

  function inside(p, margin) {
    return p.x > -margin && p.y > -margin && p.x < canvas.width + margin && p.y < canvas.height + margin;
  }

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    edgeLabels = [];
    edges.forEach(function (e) { if (e.on) drawEdge(e); });
    nodes.forEach(function (n) { if (n.on) drawNode(n); });
    drawLabels();
    document.body.setAttribute("data-labels", String(labelsDrawn));
    document.body.setAttribute("data-shown", String(shown));
  }

  function edgeHighlighted(e) {
    return selected === e || (selected && !selected.s && (e.s === selected || e.t === selected));
  }

  function drawEdge(e) {
    var c = control(e), on = edgeHighlighted(e);
    if (!inside(c.a, 0) && !inside(c.b, 0) && !inside(c, 200)) return;
    var dim = (matches && !matches[e.s.id] && !matches[e.t.id]) || (selected && !on);
    ctx.globalAlpha = dim ? 0.08 : on ? 1 : dense ? 0.35 : 0.6;
    ctx.strokeStyle = on ? "#d62728" : "#8a93a0";
    ctx.lineWidth = on ? 2.5 : 0.8 + Math.min(2, (e.articles - 1) * 0.5);
    ctx.beginPath(); ctx.moveTo(c.a.x, c.a.y); ctx.quadraticCurveTo(c.x, c.y, c.b.x, c.b.y); ctx.stroke();
    if (zoom() > 1.6 || on) {
      var angle = Math.atan2(c.b.y - c.y, c.b.x - c.x), r = radius(e.t);
      var tipX = c.b.x - Math.cos(angle) * r, tipY = c.b.y - Math.sin(angle) * r;
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath(); ctx.moveTo(tipX, tipY);
      ctx.lineTo(tipX - 7 * Math.cos(angle - 0.4), tipY - 7 * Math.sin(angle - 0.4));
      ctx.lineTo(tipX - 7 * Math.cos(angle + 0.4), tipY - 7 * Math.sin(angle + 0.4));
      ctx.fill();
    }
    // Relation names only when there is room for them: zoomed in, or on the selection.
    if ((zoom() > 3 && !dim) || (on && (selected.s || selected.degree <= 30 || zoom() > 3))) {
      edgeLabels.push({ x: (c.a.x + 2 * c.x + c.b.x) / 4, y: (c.a.y + 2 * c.y + c.b.y) / 4 - 3, on: on,
                        text: e.predicate.replace(/_/g, " ") });
    }
    ctx.globalAlpha = 1;
  }

  function drawNode(n) {
    var p = screen(n), r = radius(n);
    if (!inside(p, r + 2)) return;
    ctx.globalAlpha = faded(n) ? 0.18 : 1;
    ctx.fillStyle = color(n);
    ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI); ctx.fill();
    ctx.lineWidth = selected === n || (matches && matches[n.id]) ? 3 : 1;
    ctx.strokeStyle = selected === n ? "#d62728" : matches && matches[n.id] ? "#222222" : "#ffffff";
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  // Labels in order of importance (each cluster's hub first, then by degree), as many as
  // the zoom allows, skipping any that would overlap one already drawn.
  function drawLabels() {
    var budget = Math.round(20 * zoom() * zoom() + 10), boxes = [], cell = 64, grid = {};
    labelsDrawn = 0;
    window.kgView && (window.kgView.labelBoxes = boxes);
    ctx.textAlign = "left";
    function clashes(box) {
      for (var gx = Math.floor(box.x0 / cell); gx <= Math.floor(box.x1 / cell); gx++) {
        for (var gy = Math.floor(box.y0 / cell); gy <= Math.floor(box.y1 / cell); gy++) {
          var list = grid[gx + ":" + gy] || [];
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (box.x0 < o.x1 && box.x1 > o.x0 && box.y0 < o.y1 && box.y1 > o.y0) return true;
          }
        }
      }
      return false;
    }
    function keep(box) {
      for (var gx = Math.floor(box.x0 / cell); gx <= Math.floor(box.x1 / cell); gx++) {
        for (var gy = Math.floor(box.y0 / cell); gy <= Math.floor(box.y1 / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
        }
      }
      boxes.push(box);
    }
    var wanted = [];
    if (selected && !selected.s) wanted.push(selected);
    if (selected && selected.s) { wanted.push(selected.s); wanted.push(selected.t); }
    if (matches) nodes.forEach(function (n) { if (matches[n.id]) wanted.push(n); });
    var tried = 0, done = {};
    var order = wanted.concat(byRank);
    // budget: names drawn; tried: places looked at (crowded middles give way to the edges).
    for (var i = 0; i < order.length && ((labelsDrawn < budget && tried < 6 * budget) || i < wanted.length); i++) {
      var n = order[i];
      if (done[n.id] || !n.on || (faded(n) && wanted.indexOf(n) < 0)) continue;
      done[n.id] = true;
      var p = screen(n), r = radius(n);
      if (!inside(p, 0)) continue;
      tried++;
      var important = n.rank < 12 || wanted.indexOf(n) >= 0;
      ctx.font = (important ? "600 13px" : "12px") + " system-ui, sans-serif";
      var w = ctx.measureText(n.label).width + 4;
      // Right of the node, else left, above or below: the first place that is free and on screen.
      var places = [[p.x + r + 2, p.y - 9], [p.x - r - 2 - w, p.y - 9], [p.x - w / 2, p.y - r - 18], [p.x - w / 2, p.y + r + 1]];
      var box = null;
      for (var j = 0; j < places.length && !box; j++) {
        var b = { x0: places[j][0], y0: places[j][1], x1: places[j][0] + w, y1: places[j][1] + 16, id: n.id };
        if (b.x0 >= 0 && b.y0 >= 0 && b.x1 <= canvas.width && b.y1 <= canvas.height && !clashes(b)) box = b;
      }
      if (!box) continue;
      keep(box);
      ctx.fillStyle = "rgba(255,255,255,0.8)";
      ctx.fillRect(box.x0, box.y0 + 1, box.x1 - box.x0, box.y1 - box.y0);
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(n.label, box.x0 + 2, box.y0 + 13);
      labelsDrawn++;
    }
    // Relation names where they do not cover a name or another relation name.
    ctx.font = "10px system-ui, sans-serif";
    edgeLabels.forEach(function (label) {
      var w = ctx.measureText(label.text).width;
      var box = { x0: label.x - w / 2 - 1, y0: label.y - 10, x1: label.x + w / 2 + 1, y1: label.y + 2 };
      if (clashes(box)) return;
      keep(box);
      ctx.fillStyle = label.on ? "#b01e1e" : "#555555";
      ctx.textAlign = "center";
      ctx.fillText(label.text, label.x, label.y);
      ctx.textAlign = "left";
    });
  }

  // -- interaction -------------------------------------------------------------------------
  function hit(px, py) {
    var i, best = null, bestD = Infinity;
    for (i = nodes.length - 1; i >= 0; i--) {
      var n = nodes[i];
      if (!n.on) continue;
      var p = screen(n), dx = p.x - px, dy = p.y - py, r = radius(n) + 3, d = dx * dx + dy * dy;
      if (d <= r * r && d < bestD) { bestD = d; best = n; }
    }
    if (best) return best;
    bestD = 6;
    edges.forEach(function (e) {
      if (!e.on) return;
      var c = control(e);
      for (var t = 0; t <= 1; t += 0.05) {
        var x = (1 - t) * (1 - t) * c.a.x + 2 * (1 - t) * t * c.x + t * t * c.b.x;
        var y = (1 - t) * (1 - t) * c.a.y + 2 * (1 - t) * t * c.y + t * t * c.b.y;
        var d = Math.sqrt((x - px) * (x - px) + (y - py) * (y - py));
        if (d < bestD) { bestD = d; best = e; }
      }
    });
    return best;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function factBlock(fact) {
    var box = el("div", undefined, "fact");
    var head = el("div");
    head.appendChild(el("b", fact.subject));
    head.appendChild(document.createTextNode(" " + fact.predicate.replace(/_/g, " ") + " "));
    head.appendChild(el("b", fact.object));
    head.appendChild(el("small", "  (" + fact.articles + " article" + (fact.articles === 1 ? "" : "s") + ")"));
    box.appendChild(head);
    fact.evidence.forEach(function (ev) {
      var line = el("div", undefined, "ev");
      line.appendChild(el("q", ev.sentence));
      line.appendChild(el("small", [ev.date || "undated", "article " + ev.article, ev.rule,
        "confidence " + ev.confidence.toFixed(2)].join(" · ")));
      box.appendChild(line);
    });
    if (fact.more) {
      box.appendChild(el("div", "… and " + fact.more + " more sentence" + (fact.more === 1 ? "" : "s") +
        ": kg query evidence \"" + fact.subject + "\" " + fact.predicate + " \"" + fact.object + "\"", "ev hint"));
    }
    return box;
  }

  function edgeFact(e) {
    return { subject: e.s.label, predicate: e.predicate, object: e.t.label, articles: e.articles, evidence: e.evidence,
             more: e.more };
  }

  function show(item) {
    var details = document.getElementById("details");
    details.textContent = "";
    selected = item;
    if (!item) { draw(); return; }
    if (item.s) {
      details.appendChild(el("h3", item.s.label + " → " + item.t.label));
      details.appendChild(factBlock(edgeFact(item)));
    } else {
      details.appendChild(el("h3", item.label));
      details.appendChild(el("div", item.type + " · " + item.id + " · " + item.degree + " fact" +
        (item.degree === 1 ? "" : "s"), "hint"));
      if (item.lat !== undefined) details.appendChild(el("div", "lat " + item.lat + ", lon " + item.lon, "hint"));
      (item.dates || []).forEach(function (d) {
        details.appendChild(factBlock({ subject: item.label, predicate: d.predicate, object: d.value,
          articles: d.articles, evidence: d.evidence, more: d.more }));
      });
      edges.forEach(function (e) { if (e.s === item || e.t === item) details.appendChild(factBlock(edgeFact(e))); });
    }
    draw();
  }

  function search(text) {
    var q = text.trim().toLowerCase();
    matches = null;
    if (q) {
      matches = {};
      nodes.forEach(function (n) { if (n.on && n.label.toLowerCase().indexOf(q) >= 0) matches[n.id] = true; });
    }
    draw();
  }

  function centreOn(n, k) {
    if (k) view.k = k;
    view.x = canvas.width / 2 - view.k * n.x; view.y = canvas.height / 2 - view.k * n.y;
  }

  function focus() {
    var found = null;
    byRank.forEach(function (n) { if (!found && matches && matches[n.id]) found = n; });
    if (!found) return;
    centreOn(found, Math.max(view.k, fitK * 3));
    show(found);
  }

  function resize() {
    canvas.width = Math.max(200, canvas.clientWidth);
    canvas.height = Math.max(200, canvas.clientHeight);
  }

  function checkbox(parent, label, count, swatch, onChange) {
    var item = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { onChange(!box.checked); });
    item.appendChild(box);
    if (swatch) { var dot = el("i"); dot.style.background = swatch; item.appendChild(dot); }
    item.appendChild(document.createTextNode(label + " "));
    item.appendChild(el("small", "(" + count + ")"));
    parent.appendChild(item);
    return box;
  }

  var typeBoxes = {}, predicateBoxes = {};
  function legend() {
    var types = {}, predicates = {};
    nodes.forEach(function (n) { types[n.type] = (types[n.type] || 0) + 1; });
    edges.forEach(function (e) { predicates[e.predicate] = (predicates[e.predicate] || 0) + 1; });
    Object.keys(types).sort().forEach(function (type) {
      typeBoxes[type] = checkbox(document.getElementById("legend"), type, types[type], COLORS[type] || "#999999",
        function (hidden) { hiddenTypes[type] = hidden; refreshVisibility(); draw(); });
    });
    Object.keys(predicates).sort().forEach(function (p) {
      predicateBoxes[p] = checkbox(document.getElementById("predicates"), p.replace(/_/g, " "), predicates[p], null,
        function (hidden) { hiddenPredicates[p] = hidden; refreshVisibility(); draw(); });
    });
  }

  // Keep only these types / relations (as the address's #types=A,B or #predicates=p,q do).
  function only(boxes, hidden, names) {
    Object.keys(boxes).forEach(function (name) {
      hidden[name] = names.indexOf(name) < 0; boxes[name].checked = !hidden[name];
    });
    refreshVisibility();
  }

  var drag = null;
  canvas.addEventListener("mousedown", function (ev) {
    drag = { x: ev.offsetX, y: ev.offsetY, vx: view.x, vy: view.y, moved: false };
  });
  canvas.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    view.x = drag.vx + dx; view.y = drag.vy + dy; draw();
  });
  canvas.addEventListener("mouseup", function (ev) {
    if (drag && !drag.moved) show(hit(ev.offsetX, ev.offsetY));
    drag = null;
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var factor = ev.deltaY < 0 ? 1.2 : 1 / 1.2;
    view.x = ev.offsetX - (ev.offsetX - view.x) * factor;
    view.y = ev.offsetY - (ev.offsetY - view.y) * factor;
    view.k *= factor; draw();
  }, { passive: false });
  var input = document.getElementById("search");
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focus(); });
  document.getElementById("fit").addEventListener("click", function () { fit(); draw(); });
  // A new window size keeps what is in the middle of the view (and the zoom) where it was.
  window.addEventListener("resize", function () {
    var cx = (canvas.width / 2 - view.x) / view.k, cy = (canvas.height / 2 - view.y) / view.k, k = view.k / fitK;
    resize(); fit();
    view.k = fitK * k; view.x = canvas.width / 2 - view.k * cx; view.y = canvas.height / 2 - view.k * cy;
    draw();
  });

  window.kgView = { nodes: nodes, edges: edges, show: show, search: search, labelBoxes: [] };
  resize();
  legend();
  refreshVisibility();
  fit();
  // The address can open the page on a view: #select=ENTITY_ID, #search=TEXT, #types=A,B,
  // #predicates=p,q, #zoom=K (times the whole-graph zoom, around the selection); joined by &.
  var hash = "";
  try { hash = decodeURIComponent(window.location.hash.slice(1)); } catch (err) { hash = ""; }
  var wanted = {};
  hash.split("&").forEach(function (part) {
    var at = part.indexOf("=");
    if (at > 0) wanted[part.slice(0, at)] = part.slice(at + 1);
  });
  if (wanted.types) only(typeBoxes, hiddenTypes, wanted.types.split(","));
  if (wanted.predicates) only(predicateBoxes, hiddenPredicates, wanted.predicates.split(","));
  if (wanted.types || wanted.predicates) fit();
  if (wanted.select && byId[wanted.select]) {
    if (wanted.zoom) centreOn(byId[wanted.select], fitK * parseFloat(wanted.zoom));
    show(byId[wanted.select]);
  } else if (wanted.zoom) {
    var k = fitK * parseFloat(wanted.zoom), cx = (canvas.width / 2 - view.x) / view.k, cy = (canvas.height / 2 - view.y) / view.k;
    view.k = k; view.x = canvas.width / 2 - k * cx; view.y = canvas.height / 2 - k * cy;
  }
  if (wanted.search) { input.value = wanted.search; search(input.value); }
  draw();
  document.getElementById("count").textContent = nodes.length + " entities, " + edges.length + " facts";
  document.body.setAttribute("data-nodes", String(nodes.length));
  document.body.setAttribute("data-edges", String(edges.length));
  document.body.setAttribute("data-boxes", JSON.stringify(window.kgView.labelBoxes.map(function (b) {
    return [Math.round(b.x0), Math.round(b.y0), Math.round(b.x1), Math.round(b.y1)];
  })));
  document.body.setAttribute("data-ready", "1");
})();
