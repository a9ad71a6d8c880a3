// kg view: a small force-directed graph on a canvas. No libraries, no network.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var COLORS = DATA.colors;
  var nodes = DATA.nodes, edges = DATA.edges;
  var byId = {};
  nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; n.degree = 0; });
  edges.forEach(function (e) {
    e.s = byId[e.source]; e.t = byId[e.target];
    e.s.degree++; e.t.degree++;
  });
  // Parallel edges between the same pair get different curvatures.
  var pairs = {};
  edges.forEach(function (e) {
    var key = e.s.index < e.t.index ? e.s.index + "-" + e.t.index : e.t.index + "-" + e.s.index;
    pairs[key] = (pairs[key] || 0) + 1;
    e.bend = (pairs[key] - 1) * 28 * (e.s.index < e.t.index ? 1 : -1);
  });

  var canvas = document.getElementById("graph");
  var ctx = canvas.getContext("2d");
  var view = { x: 0, y: 0, k: 1 };
  var selected = null, matches = null;

  function radius(n) { return (6 + Math.min(10, Math.sqrt(n.degree) * 2.5)) / Math.sqrt(Math.max(view.k, 0.25)); }
  function color(n) { return COLORS[n.type] || "#999999"; }

  // -- layout ------------------------------------------------------------------------------
  function layout() {
    var n = nodes.length, i, j;
    nodes.forEach(function (node, k) {
      var angle = 2 * Math.PI * k / Math.max(1, n), r = 40 * Math.sqrt(n);
      node.x = r * Math.cos(angle); node.y = r * Math.sin(angle); node.vx = 0; node.vy = 0;
    });
    var iterations = n > 1500 ? 60 : n > 400 ? 150 : 300;
    for (var it = 0; it < iterations; it++) {
      var cool = 1 - it / iterations;
      for (i = 0; i < n; i++) {
        var a = nodes[i];
        for (j = i + 1; j < n; j++) {
          var b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
          if (d2 > 250000) continue;
          var f = 2500 / d2;
          a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
        }
      }
      edges.forEach(function (e) {
        var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var f = (d - 110) * 0.04 / d;
        e.s.vx += dx * f; e.s.vy += dy * f; e.t.vx -= dx * f; e.t.vy -= dy * f;
      });
      nodes.forEach(function (node) {
        node.vx -= node.x * 0.01; node.vy -= node.y * 0.01;
        var v = Math.sqrt(node.vx * node.vx + node.vy * node.vy), max = 30 * cool + 1;
        if (v > max) { node.vx *= max / v; node.vy *= max / v; }
        node.x += node.vx; node.y += node.vy; node.vx *= 0.5; node.vy *= 0.5;
      });
    }
  }

  function fit() {
    if (!nodes.length) { view = { x: canvas.width / 2, y: canvas.height / 2, k: 1 }; return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    var w = canvas.width, h = canvas.height;
    var k = Math.min(2, 0.9 * Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80)));
    view = { k: k, x: w / 2 - k * (minX + maxX) / 2, y: h / 2 - k * (minY + maxY) / 2 };
  }

  // -- drawing -----------------------------------------------------------------------------
  function control(e) {
    var mx = (e.s.x + e.t.x) / 2, my = (e.s.y + e.t.y) / 2;
    var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    return { x: mx - dy / d * e.bend, y: my + dx / d * e.bend };
  }

  // Text keeps a readable size on screen whatever the zoom.
  function px(size) { return (size / Math.max(view.k, 0.25)).toFixed(1) + "px system-ui, sans-serif"; }

  function faded(n) { return matches && !matches[n.id]; }

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(view.k, 0, 0, view.k, view.x, view.y);
    ctx.font = px(9);
    edges.forEach(drawEdge);
    nodes.forEach(drawNode);
  }

  function drawEdge(e) {
    var c = control(e), on = selected === e;
    ctx.globalAlpha = faded(e.s) && faded(e.t) ? 0.15 : 1;
    ctx.strokeStyle = on ? "#d62728" : "#9aa1ac";
    ctx.lineWidth = (on ? 3 : 1 + Math.min(3, e.articles - 1)) / Math.sqrt(view.k);
    ctx.beginPath(); ctx.moveTo(e.s.x, e.s.y); ctx.quadraticCurveTo(c.x, c.y, e.t.x, e.t.y); ctx.stroke();
    var angle = Math.atan2(e.t.y - c.y, e.t.x - c.x), r = radius(e.t);
    var tipX = e.t.x - Math.cos(angle) * r, tipY = e.t.y - Math.sin(angle) * r;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.beginPath(); ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - 8 * Math.cos(angle - 0.4), tipY - 8 * Math.sin(angle - 0.4));
    ctx.lineTo(tipX - 8 * Math.cos(angle + 0.4), tipY - 8 * Math.sin(angle + 0.4));
    ctx.fill();
    var lx = (e.s.x + 2 * c.x + e.t.x) / 4, ly = (e.s.y + 2 * c.y + e.t.y) / 4;
    ctx.fillStyle = "#555555"; ctx.textAlign = "center";
    ctx.fillText(e.predicate.replace(/_/g, " "), lx, ly - 3);
    ctx.globalAlpha = 1;
  }

  function drawNode(n) {
    var r = radius(n);
    ctx.globalAlpha = faded(n) ? 0.2 : 1;
    ctx.fillStyle = color(n);
    ctx.beginPath(); ctx.arc(n.x, n.y, r, 0, 2 * Math.PI); ctx.fill();
    ctx.lineWidth = (selected === n || (matches && matches[n.id]) ? 3 : 1) / Math.sqrt(view.k);
    ctx.strokeStyle = selected === n ? "#d62728" : "#ffffff"; ctx.stroke();
    ctx.fillStyle = "#222222"; ctx.textAlign = "left";
    ctx.font = px(12);
    ctx.fillText(n.label, n.x + r + 3, n.y + 4);
    ctx.font = px(9);
    ctx.globalAlpha = 1;
  }

  // -- interaction -------------------------------------------------------------------------
  function toGraph(px, py) { return { x: (px - view.x) / view.k, y: (py - view.y) / view.k }; }

  function hit(px, py) {
    var p = toGraph(px, py), i;
    for (i = nodes.length - 1; i >= 0; i--) {
      var n = nodes[i], dx = n.x - p.x, dy = n.y - p.y, r = radius(n) + 2;
      if (dx * dx + dy * dy <= r * r) return n;
    }
    var best = null, bestD = 8 / view.k;
    edges.forEach(function (e) {
      var c = control(e);
      for (var t = 0; t <= 1; t += 0.05) {
        var x = (1 - t) * (1 - t) * e.s.x + 2 * (1 - t) * t * c.x + t * t * e.t.x;
        var y = (1 - t) * (1 - t) * e.s.y + 2 * (1 - t) * t * c.y + t * t * e.t.y;
        var d = Math.sqrt((x - p.x) * (x - p.x) + (y - p.y) * (y - p.y));
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
    return box;
  }

  function edgeFact(e) {
    return { subject: e.s.label, predicate: e.predicate, object: e.t.label, articles: e.articles, evidence: e.evidence };
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
      details.appendChild(el("div", item.type + " · " + item.id, "hint"));
      if (item.lat !== undefined) details.appendChild(el("div", "lat " + item.lat + ", lon " + item.lon, "hint"));
      (item.dates || []).forEach(function (d) {
        details.appendChild(factBlock({ subject: item.label, predicate: d.predicate, object: d.value,
          articles: d.articles, evidence: d.evidence }));
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
      nodes.forEach(function (n) { if (n.label.toLowerCase().indexOf(q) >= 0) matches[n.id] = true; });
    }
    draw();
  }

  function focus() {
    var hitNode = null;
    nodes.forEach(function (n) { if (!hitNode && matches && matches[n.id]) hitNode = n; });
    if (!hitNode) return;
    view.x = canvas.width / 2 - view.k * hitNode.x; view.y = canvas.height / 2 - view.k * hitNode.y;
    show(hitNode);
  }

  function resize() {
    canvas.width = Math.max(200, canvas.clientWidth);
    canvas.height = Math.max(200, canvas.clientHeight);
  }

  function legend() {
    var box = document.getElementById("legend"), seen = {};
    nodes.forEach(function (n) { seen[n.type] = true; });
    Object.keys(seen).sort().forEach(function (type) {
      var item = el("span"), dot = el("i");
      dot.style.background = COLORS[type] || "#999999";
      item.appendChild(dot); item.appendChild(document.createTextNode(type));
      box.appendChild(item);
    });
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
    var factor = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    view.x = ev.offsetX - (ev.offsetX - view.x) * factor;
    view.y = ev.offsetY - (ev.offsetY - view.y) * factor;
    view.k *= factor; draw();
  }, { passive: false });
  var input = document.getElementById("search");
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focus(); });
  window.addEventListener("resize", function () { resize(); fit(); draw(); });

  resize();
  layout();
  fit();
  legend();
  draw();
  // #select=ENTITY_ID (or #search=TEXT) in the address opens the page on that entity.
  var hash = "";
  try { hash = decodeURIComponent(window.location.hash.slice(1)); } catch (err) { hash = ""; }
  if (hash.indexOf("select=") === 0 && byId[hash.slice(7)]) show(byId[hash.slice(7)]);
  if (hash.indexOf("search=") === 0) { input.value = hash.slice(7); search(input.value); }
  document.getElementById("count").textContent = nodes.length + " entities, " + edges.length + " facts";
  document.body.setAttribute("data-nodes", String(nodes.length));
  document.body.setAttribute("data-edges", String(edges.length));
  document.body.setAttribute("data-ready", "1");
  window.kgView = { nodes: nodes, edges: edges, show: show, search: search };
})();
