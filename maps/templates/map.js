/* espoo-network map: legend, search and theme filter, all offline.
   Text reaches the page only through textContent and vis-network's string titles (shown as
   text), never as markup. */
(function () {
  "use strict";
  var D = MAP_DATA, page = D.page;
  var edgeStyles = page.edgeStyles;

  // Tooltips: plain text put together from the whitelisted fields; vis-network shows a string
  // title as text. Sources come from one shared table.
  function themeNames(ids) {
    return ids.map(function (t) { return page.themeLabels[t] || t; }).join(", ");
  }
  function sourceLines(refs) {
    if (!refs || !refs.length) return [];
    var lines = ["Sources:"];
    refs.slice(0, page.maxSources).forEach(function (i) {
      lines.push("• " + page.sources[i][0] + " (seen " + page.sources[i][1] + ")");
    });
    if (refs.length > page.maxSources) lines.push("  and " + (refs.length - page.maxSources) + " more");
    return lines;
  }
  function nodeTitle(n) {
    var lines = [n.name || n.label, page.kindLabels[n.group] + (n.place ? " · " + n.place : "")];
    if (n.own) lines.push("Themes: " + themeNames(n.own));
    if (n.role) lines.push("Role: " + n.role);
    if (n.aliases) lines.push("Also: " + n.aliases.join(", "));
    if (n.about) lines.push(n.about);
    return lines.concat(sourceLines(n.src)).join("\n");
  }
  var names = {};
  D.nodes.forEach(function (n) { names[n.id] = n.name || n.label; });
  function dates(e) {
    // The dates as words come with the edge (graph.durations.tie_dates: one form everywhere).
    return (e.dates || "undated") + " · " + (e.status || "active");
  }
  function edgeTitle(e) {
    if (e.via) {
      var shared = [names[e.from] + " — " + e.name + " — " + names[e.to], dates(e)];
      if (e.themes) shared.push("Themes: " + themeNames(e.themes));
      if (e.note) shared.push(e.note);
      return shared.concat(sourceLines(e.src)).join("\n");
    }
    var rel = page.relationLabels[e.kind];
    var joint = rel[1] ? " → " + rel[0] + " → " : " — " + rel[0] + " — ";
    var lines = [names[e.from] + joint + names[e.to], dates(e)];
    if (e.themes) lines.push("Themes: " + themeNames(e.themes));
    if (e.note) lines.push(e.note);
    if (e.confidence) lines.push("Confidence: " + e.confidence);
    return lines.concat(sourceLines(e.src)).join("\n");
  }

  D.nodes.forEach(function (n) { n.title = nodeTitle(n); });
  var started = performance.now();
  // Labels that never overlap (labels.js): sized as vis-network will size them, then in the
  // order Python chose (route, highlights, our side, then by size) a label is kept when its box
  // touches no kept label and no other node; the others are blank, shown on hover only. All
  // before the network is made, which is made with the zoom threshold under which small labels
  // hide: it is drawn once, labelled.
  var must = {};
  page.labelMust.forEach(function (id) { must[id] = true; });
  D.options.nodes.scaling.label.drawThreshold = page.labelThreshold;
  var labelled = EspooLabels.prepare(D.nodes, D.options, page.labelOrder, page.labelThreshold, must);
  var nodes = new vis.DataSet(labelled.records);
  var edges = new vis.DataSet(D.edges.map(function (e) {
    return Object.assign({}, edgeStyles[e.kind], e, { title: edgeTitle(e) });
  }));
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, D.options);
  var state = { kindsOff: {}, relationsOff: {}, theme: "" };
  var api = window.espooMap = { network: network, nodes: nodes, edges: edges, state: state, firstDrawMs: null };

  // The basemap of the geographic view: country outlines drawn under everything, offline.
  if (page.basemap.length) {
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.fillStyle = page.land[0];
      ctx.strokeStyle = page.land[1];
      ctx.lineWidth = 1 / network.getScale();
      page.basemap.forEach(function (r) {
        ctx.beginPath();
        ctx.moveTo(r[0], r[1]);
        for (var i = 2; i < r.length; i += 2) ctx.lineTo(r[i], r[i + 1]);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    });
  }

  api.labelled = EspooLabels.attach(network, nodes, labelled);
  document.body.setAttribute("data-labels", String(api.labelled.length));
  // The caption says how many entities have no label (no room for one), as the slide image's does.
  var unnamed = D.nodes.length - api.labelled.length, foot = document.getElementById("footer");
  if (unnamed > 0 && foot) {
    foot.appendChild(document.createTextNode(" " + unnamed + " of " + D.nodes.length +
      " entities not labelled (no room): hover one to see its name."));
  }
  network.once("afterDrawing", function () {
    api.firstDrawMs = performance.now() - started;
    document.body.setAttribute("data-drawn", "1");
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Folding as graph/lookup.py does: case, accents and a few letters NFD does not split.
  var FOLD = { "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "œ": "oe", "þ": "th", "ð": "d" };
  function fold(s) {
    return String(s).toLowerCase().replace(/[øæßđłıœþð]/g, function (c) { return FOLD[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[\s\-_.,'’`"\/&()]+/g, " ").trim();
  }

  // Visibility: a node shows when its kind is on and it carries the chosen theme.
  function applyFilters() {
    var changes = [], shown = 0;
    nodes.forEach(function (n) {
      var hide = !!state.kindsOff[n.group] || (state.theme !== "" && (n.themes || []).indexOf(state.theme) < 0);
      if (!hide) shown++;
      if (!!n.hidden !== hide) changes.push({ id: n.id, hidden: hide });
    });
    var edgeChanges = [];
    edges.forEach(function (e) {
      var hide = !!state.relationsOff[e.family];
      if (!!e.hidden !== hide) edgeChanges.push({ id: e.id, hidden: hide });
    });
    if (changes.length || edgeChanges.length) {
      EspooLabels.batch(network, function () {  // one drawing for both updates
        if (changes.length) nodes.update(changes);
        if (edgeChanges.length) edges.update(edgeChanges);
      });
    }
    api.shown = shown;
    // Counted among the map's own entities; what the selection left off the map (entities without
    // ties...) is said below it (#offmap), in the caption's words (maps.actors.off_map_note).
    document.getElementById("status").textContent = shown + " of " + nodes.length + " entities on the map shown";
  }
  document.getElementById("offmap").textContent = page.offMap || "";

  // The theme filter.
  var select = document.getElementById("theme");
  page.themes.forEach(function (t) {
    var o = el("option", null, t[1] + " (" + t[2] + ")");
    o.value = t[0];
    select.appendChild(o);
  });
  select.addEventListener("change", function () { state.theme = select.value; applyFilters(); });
  if (page.theme) { select.value = page.theme; state.theme = select.value; }  // opens as the command asked

  // The search box: names and aliases, accent- and case-insensitive; Enter takes the first hit.
  var index = D.nodes.map(function (n) {
    var shown = n.name || n.label;
    return { id: n.id, label: shown, kind: page.kindLabels[n.group], keys: [n.label, shown].concat(n.aliases || []).map(fold) };
  });
  var input = document.getElementById("search"), results = document.getElementById("results");
  function matches(q) {
    var key = fold(q), starts = [], contains = [];
    if (!key) return [];
    index.forEach(function (it) {
      if (it.keys.some(function (k) { return k.indexOf(key) === 0 || k.indexOf(" " + key) >= 0; })) starts.push(it);
      else if (it.keys.some(function (k) { return k.indexOf(key) >= 0; })) contains.push(it);
    });
    return starts.concat(contains).slice(0, 8);
  }
  function choose(id) {
    var n = nodes.get(id);
    if (n && n.hidden) {  // bring a filtered-out hit back into view
      state.kindsOff = {}; state.theme = ""; select.value = "";
      legendButtons.forEach(function (b) { b.classList.remove("off"); });
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    api.found = id;
    document.getElementById("status").textContent = "Found: " + (n ? n.label : id);
  }
  function showResults() {
    while (results.firstChild) results.removeChild(results.firstChild);
    matches(input.value).forEach(function (it) {
      var li = el("li"), b = el("button", null, it.label);
      b.type = "button";
      b.appendChild(el("span", "kind", it.kind));
      b.addEventListener("click", function () { choose(it.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hit = matches(input.value)[0]; if (hit) choose(hit.id); }
  });

  // The legend: entity kinds and relation kinds, each a switch; clusters and the route as keys.
  var legend = document.getElementById("legend"), legendButtons = [];
  function section(title) { legend.appendChild(el("h2", null, title)); }
  function switchRow(swatch, label, count, off, key) {
    var b = el("button");
    b.type = "button";
    b.setAttribute("data-key", key);
    b.appendChild(swatch);
    b.appendChild(el("span", null, label));
    b.appendChild(el("span", "count", String(count)));
    b.addEventListener("click", function () {
      off[key] = !off[key];
      b.classList.toggle("off", !!off[key]);
      applyFilters();
    });
    legendButtons.push(b);
    legend.appendChild(b);
  }
  section(page.clusters.length ? "Entities (shape)" : "Entities");
  page.legend.kinds.forEach(function (k) {
    var sw = el("span", "sw " + k.shape);
    sw.style.background = page.clusters.length ? "#888888" : k.colour;
    switchRow(sw, k.label, k.count, state.kindsOff, k.kind);
  });
  if (page.clusters.length) {
    section("Clusters (colour)");
    page.clusters.forEach(function (c) {
      var row = el("div", "row"), sw = el("span", "sw dot");
      sw.style.background = c.colour;
      row.appendChild(sw);
      row.appendChild(el("span", null, c.label));
      row.appendChild(el("span", "count", String(c.size)));
      legend.appendChild(row);
    });
  }
  section("Relations");
  page.legend.relations.forEach(function (r) {
    var sw = el("span", "line" + (r.dashes ? (r.dashes[0] <= 2 ? " dotted" : " dashed") : ""));
    sw.style.borderTopColor = r.colour;
    switchRow(sw, r.label, r.count, state.relationsOff, r.kind);
    // Each dash pattern the family is drawn in, named by its kinds (a line style is a kind, not "weaker").
    (r.styles || []).forEach(function (st) {
      var row = el("div", "stylerow"), sw = el("span", "dashline");
      // The dash pattern (canvas pixels, as the map draws it at zoom 1) as stripes of a gradient.
      var stops = [], at = 0, parts = st.dashes || [];
      for (var i = 0; i < parts.length; i++) {
        var len = parts[i], paint = i % 2 === 0 ? r.colour : "transparent";
        stops.push(paint + " " + at + "px " + (at + len) + "px");
        at += len;
      }
      sw.style.background = stops.length ? "repeating-linear-gradient(to right, " + stops.join(", ") + ")" : r.colour;
      row.appendChild(sw);
      row.appendChild(el("span", null, st.label));
      row.appendChild(el("span", "count", String(st.count)));
      legend.appendChild(row);
    });
  });
  if (page.route) {
    section("Highlighted");
    var row = el("div", "row"), sw = el("span", "line");
    sw.style.borderTopColor = page.highlight;
    row.appendChild(sw);
    row.appendChild(el("span", null, page.route));
    legend.appendChild(row);
  }

  applyFilters();
  network.fit({ animation: false });
  // A view of some countries opens on all of them, not only on its nodes (page.extent, as the slide image).
  if (page.extent && page.extent.length === 4) {
    var box = page.extent, rect = container.getBoundingClientRect();
    network.moveTo({ position: { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 }, animation: false,
                     scale: 0.95 * Math.min(rect.width / Math.max(box[2] - box[0], 1), rect.height / Math.max(box[3] - box[1], 1)) });
  }
})();
