/* espoo-network explorer: asks the server's /api/ and draws the answers.
   Data reaches the page only as text (textContent, createElement) and as vis-network string
   titles (shown as text); links are made only for http(s) addresses. Fields are read
   defensively: what a newer query adds (a band, a per-hop strength, notes) shows when present. */
(function () {
  "use strict";
  // shown: which answer's route the map highlights ("intro" or "path"), route: which (1: the first).
  var state = { asOf: "", entity: null, entityName: "", intro: false, introAll: false, path: null, clusters: null,
                upkeep: null, shown: null, route: 1, version: null, mapLimit: 2500, entities: 0 };
  var X = window.explorer = { state: state, network: null, nodes: null, edges: null, highlighted: null,
                              firstDrawMs: null, firstDrawAt: null, answered: 0, mapKey: null };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function num(x, digits) { return typeof x === "number" ? x.toFixed(digits) : ""; }

  function api(name, params) {
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (v === null || v === undefined || v === "" || v === false) return;
      (Array.isArray(v) ? v : [v]).forEach(function (x) { q.append(k, x === true ? "1" : String(x)); });
    });
    return fetch("/api/" + name + "?" + q.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body && body.error ? body.error : "HTTP " + r.status);
          X.answered++;
          return body;
        });
      });
  }
  function dated(params) { params.as_of = state.asOf; return params; }
  // An answer to an older question (another entity or date, asked before) is dropped.
  function current(entity, day) { return state.entity === entity && state.asOf === day; }
  function showError(box, err) { clear(box).appendChild(el("p", "error", err.message)); }

  // A link only to an http(s) address, opening in a new tab without a way back to this page.
  function link(url, text) {
    if (!/^https?:\/\//i.test(String(url))) return el("span", null, text || url);
    var a = el("a", null, text || url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function sourceList(sources) {
    var ul = el("ul", "sources");
    (sources || []).forEach(function (s) {
      var li = el("li");
      li.appendChild(link(s.url));
      if (s.seen) li.appendChild(el("span", "muted", " (seen " + s.seen + ")"));
      ul.appendChild(li);
    });
    return ul;
  }
  function nameButton(id, name) {
    var b = el("button", "name", name || id);
    b.type = "button";
    b.addEventListener("click", function (ev) { ev.stopPropagation(); select(id, name); });
    return b;
  }
  // A tie's dates as words come with it from the API (graph.durations.tie_dates: the one form
  // `show` and the map pages print), and its status on the view's day (graph.model.status_on).
  function dateSpan(r) {
    var span = r.dates || "undated";
    var now = r.status_now && r.status_now !== r.status ? " (now " + r.status_now + ")" : "";
    return span + (r.status && r.status !== "active" ? " · " + r.status : "") + now;
  }

  // --- search -------------------------------------------------------------------------------
  // listed: the hits the list shows and the text they answer (Enter picks the first at once).
  var search = $("search"), results = $("results"), pending = null, listed = { q: null, hits: [] };
  function showHits(hits, q) {
    listed = { q: hits.length ? q : null, hits: hits };
    clear(results);
    results.hidden = !hits.length;
    hits.forEach(function (h) {
      var li = el("li"), b = el("button", null);
      b.type = "button";
      b.appendChild(el("span", null, h.name));
      b.appendChild(el("span", "kind", [h.kind, h.country].filter(Boolean).join(" · ")));
      b.addEventListener("click", function () { pick(h); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }
  function pick(h) {
    clearTimeout(pending);  // a search still waiting to be asked would open the list again
    results.hidden = true;
    search.value = h.name;
    select(h.id, h.name);
  }
  function lookup() {
    var q = search.value.trim();
    if (!q) { showHits([]); return Promise.resolve([]); }
    return api("search", { q: q, limit: 8 }).then(function (r) {
      if (search.value.trim() === q) showHits(r.results, q);
      return r.results;
    }, function () { showHits([]); return []; });
  }
  search.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(lookup, 120); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { if (ev.key === "Escape") results.hidden = true; return; }
    // The list already answers the text typed: its first hit, without asking the server again.
    if (listed.q !== null && listed.q === search.value.trim()) { pick(listed.hits[0]); return; }
    lookup().then(function (hits) { if (hits.length) pick(hits[0]); });
  });

  // --- one entity ---------------------------------------------------------------------------
  function select(id, name, allRoutes) {
    state.entity = id;
    state.entityName = name || id;
    state.intro = false;
    state.shown = "intro";
    state.route = 1;
    startOver(name);
    clear($("intro-out"));
    introButton();
    if (!restoring) $("path-to").value = state.entityName;
    showEntity();
    routesFirst(showIntro(allRoutes === true));
    note();
    if (!restoring) drawMap().then(function () { if (!X.highlighted) focusNode(id); });  // restore draws once
  }
  // The map waits for the routes asked just before it (MAP_WAIT ms at most): the one server
  // works its answers out in turn, sharing one processor, so asked together both arrive when
  // both are done; asked in turn, the routes come first and the map no later, drawn once with
  // the first route highlighted (rather than drawn, then every entity and tie restyled).
  var MAP_WAIT = 500, before = null;
  function routesFirst(answered) {
    before = Promise.race([answered.then(null, function () {}),
                           new Promise(function (done) { setTimeout(done, MAP_WAIT); })]);
  }
  function introButton() {
    var go = $("intro-go");
    go.disabled = !state.entity;
    go.textContent = state.entity ? "Who can introduce us to " + state.entityName + "?" : "Choose an entity first";
  }
  // Back to no entity chosen (an address without one).
  function unselect() {
    state.entity = null;
    state.entityName = "";
    state.intro = state.introAll = false;
    dropRoute("intro");
    search.value = "";
    if (!state.path) $("path-to").value = "";
    clear($("entity")).appendChild(el("p", "hint", "Who do you want to reach? Type a company, university, city or person above, or click one on the map: the page shows who on our side can introduce you, and the route."));
    clear($("intro-out"));
    introButton();
    title();
  }
  function field(dl, label, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (label === "website") dd.appendChild(link(value));
    else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    dl.appendChild(dd);
  }
  function showEntity() {
    var box = $("entity");
    if (!state.entity) return Promise.resolve();
    var asked = [state.entity, state.asOf];
    return api("entity", dated({ id: state.entity })).then(function (d) {
      if (!current(asked[0], asked[1])) return;
      var e = d.entity || {};
      state.entityName = e.name || state.entity;
      if (!search.value && document.activeElement !== search) search.value = state.entityName;
      if (!$("path-to").value) $("path-to").value = state.entityName;
      introButton();
      title();
      clear(box);
      box.appendChild(el("h3", null, e.name));
      box.appendChild(el("div", "kind", [e.kind, "id " + e.id].join(" · ")));
      var dl = el("dl", "fields");
      [["aliases", e.aliases], ["country", e.country], ["city", e.city], ["role", e.role], ["website", e.website],
       ["themes", e.themes], ["about", e.description]].forEach(function (f) { field(dl, f[0], f[1]); });
      box.appendChild(dl);
      if (e.sources && e.sources.length) { box.appendChild(el("h4", null, "Sources")); box.appendChild(sourceList(e.sources)); }
      var all = el("details", "relations"), count = 0;
      box.appendChild(all);
      (d.relations || []).forEach(function (g) {
        count += g.relations.length;
        all.appendChild(el("h4", null, (g.label || g.kind) + " (" + g.relations.length + ")"));
        var ul = el("ul", "rels");
        g.relations.forEach(function (r) {
          var li = el("li");
          li.appendChild(el("span", null, r.direction === "in" ? "← " : "→ "));
          li.appendChild(nameButton(r.other, r.other_name));
          li.appendChild(el("span", "dates", dateSpan(r)));
          if (r.note) li.appendChild(el("div", "note", r.note));
          li.appendChild(sourceList(r.sources));
          ul.appendChild(li);
        });
        all.appendChild(ul);
      });
      all.insertBefore(el("summary", null, count ? "Relations (" + count + ")" : "No relations on this date"), all.firstChild);
    }, function (err) { if (current(asked[0], asked[1])) showError(box, err); });  // a late error of an older question is dropped too
  }

  // --- routes: introductions and paths share one rendering ----------------------------------
  // The ties that carry a hop (queries.explain.hop): its one `tie`, or the two `ties` of a step
  // through a shared activity; and their sources, each once (queries.explain.hop_sources).
  function hopTies(h) { return (Array.isArray(h.ties) ? h.ties : [h.tie]).filter(function (t) { return t; }); }
  function hopSources(h) {
    var out = [], seen = {};
    hopTies(h).forEach(function (t) {
      (t.sources || []).forEach(function (s) {
        var key = JSON.stringify(s);
        if (!seen[key]) { seen[key] = true; out.push(s); }
      });
    });
    return out;
  }
  function routeItem(r, i, head) {
    var li = el("li", "route");
    li.appendChild(head);
    var through = (r.names || []).slice(1, -1);
    li.appendChild(el("div", "through", (r.names || []).join(" → ")));
    var ol = el("ol", "hops");
    (r.hops || []).forEach(function (h, j) {
      var item = el("li");
      var line = String((r.explanation || [])[j] || (h.from + " → " + h.to));
      var sources = hopSources(h);
      // The line ends with its source in brackets; the sources are listed as links below it.
      if (sources.length) line = line.replace(/ \[https?:\/\/[^\]]*\]$/, "");
      // The explanation already says the hop's band, strength and note (queries.explain).
      item.appendChild(el("span", null, line));
      item.appendChild(sourceList(sources));
      ol.appendChild(item);
    });
    li.appendChild(ol);
    (Array.isArray(r.notes) ? r.notes : r.note ? [r.note] : []).forEach(function (n) {
      li.appendChild(el("div", "note", typeof n === "string" ? n : JSON.stringify(n)));
    });
    li.setAttribute("data-through", through.join(" → "));
    return li;
  }
  // kind: "intro" or "path". The map highlights the route of the answer the page shows last
  // (state.shown; the address names it), the first route unless another was clicked (state.route).
  function routeList(box, routes, makeHead, kind) {
    var ol = el("ol", "routes");
    routes.forEach(function (r, i) {
      var li = routeItem(r, i, makeHead(r, i));
      li.addEventListener("click", function () {
        highlight(r, li);
        state.shown = kind;
        state.route = i + 1;
        note(true);
      });
      ol.appendChild(li);
    });
    box.appendChild(ol);
    if (routes.length && (!state.shown || state.shown === kind || !X.route)) {
      var i = Math.min(state.shown === kind ? state.route || 1 : 1, routes.length) - 1;
      highlight(routes[i], ol.children[i]);
    }
  }

  // Who to ask on a route, and why (queries.contacts): "Ask X (reason)", as the CLI says it.
  function askLine(r) {
    var why = r.contact_reason ? " (" + r.contact_reason + ")" : "";
    if (!r.contact_name) return el("div", "ask", "Nobody to ask on record" + why);
    var line = el("div", "ask");
    line.appendChild(el("span", "muted", "Ask "));
    line.appendChild(el("strong", "ask-name", r.contact_name));
    if (why) line.appendChild(el("span", "ask-reason", why));
    return line;
  }

  function showIntro(allRoutes) {
    var box = $("intro-out");
    if (!state.entity) return Promise.resolve();
    state.intro = true;
    allRoutes = allRoutes === true;
    state.introAll = allRoutes;
    if (state.shown === "intro") unhighlight();
    clear(box).appendChild(el("p", "muted", "Looking for routes…"));
    var asked = [state.entity, state.asOf];
    return api("intro", dated({ target: state.entity, all_routes: allRoutes })).then(function (d) {
      if (!current(asked[0], asked[1])) return;
      clear(box);
      var when = d.as_of ? "as of " + d.as_of : "today";
      box.appendChild(el("p", null, "Introductions to " + d.target_name + ", " + when + ", within " + d.max_hops + " hops"));
      (Array.isArray(d.notes) ? d.notes : []).forEach(function (n) {
        box.appendChild(el("p", "note intro-note", "Note: " + (typeof n === "string" ? n : JSON.stringify(n)) + "."));
      });
      var present = (d.present || []).map(function (p) { return p.name + (p.relation ? " (" + p.relation + ")" : ""); }).join("; ");
      if (!d.routes || !d.routes.length) {
        if (present) {
          box.appendChild(el("p", null, "Our side works in " + d.target_name + ": " + present + "."));
          box.appendChild(el("p", "warning", "But none of our side has a tie to " + d.target_name + " itself that a route could use."));
        } else {
          box.appendChild(el("p", "warning", "No route from our side reaches it."));
        }
        if (d.nearest && d.nearest.length) {
          box.appendChild(el("h4", null, "Nearest reachable entities sharing its themes or country"));
          var ul = el("ul", "rels");
          d.nearest.forEach(function (n) {
            var li = el("li");
            li.appendChild(nameButton(n.id, n.name));
            li.appendChild(el("span", "dates", "score " + num(n.score, 3) + " · " + n.hops + " hops"));
            ul.appendChild(li);
          });
          box.appendChild(ul);
        }
        return;
      }
      if (present) box.appendChild(el("p", "muted", "Our side in " + d.target_name + ": " + present));
      routeList(box, d.routes, function (r, i) {
        var head = el("div", "route-head");
        head.appendChild(el("span", null, (i + 1) + ". " + (r.introducer_name || r.introducer)));
        if (r.band) head.appendChild(el("span", "band " + r.band, r.band));
        head.appendChild(el("span", "score", "score " + num(r.score, 3) + " · " + r.length + " hop" + (r.length === 1 ? "" : "s")));
        var wrap = el("div");
        wrap.appendChild(head);
        wrap.appendChild(askLine(r));
        return wrap;
      }, "intro");
      if (d.hidden) {
        var more = el("p", "muted hidden-routes", d.hidden + " weaker route" + (d.hidden === 1 ? "" : "s")
          + " (score below " + d.shown_from + ") not shown. ");
        var show = el("button", "link", "Show them");
        show.type = "button";
        show.addEventListener("click", function () { showIntro(true); note(); });
        more.appendChild(show);
        box.appendChild(more);
      }
      if (d.single_threaded) {
        var who = d.routes.filter(function (r) { return r.introducer === d.single_thread; })[0];
        var name = who ? who.introducer_name : d.single_thread;
        box.appendChild(el("p", "warning", "All routes within " + d.max_hops + " hops go through " + name
          + ": if " + name + " cannot help, there is no other way in."));
      }
    }, function (err) { if (current(asked[0], asked[1])) showError(box, err); });
  }
  $("intro-go").addEventListener("click", function () {
    state.shown = "intro";
    state.route = 1;
    showIntro(false);
    note();
  });

  function showPath() {
    var box = $("path-out"), from = $("path-from").value.trim(), to = $("path-to").value.trim();
    if (!from || !to) { showError(box, new Error("Give both ends: a name, an alias or an id.")); return Promise.resolve(); }
    state.path = { source: from, target: to, by: $("path-by").value };
    if (state.shown === "path") unhighlight();
    clear(box).appendChild(el("p", "muted", "Looking for routes…"));
    var asked = JSON.stringify([state.path, state.asOf]);
    return api("path", dated(Object.assign({}, state.path))).then(function (d) {
      if (JSON.stringify([state.path, state.asOf]) !== asked) return;  // another question since
      clear(box);
      (Array.isArray(d.notes) ? d.notes : []).forEach(function (n) {  // which entity a shared name answered for
        box.appendChild(el("p", "note path-note", "Note: " + String(n) + "."));
      });
      routeList(box, d.routes || [], function (p, i) {
        var head = el("div", "route-head");
        head.appendChild(el("span", null, "Route " + (i + 1)));
        head.appendChild(el("span", "score", p.length + " hop" + (p.length === 1 ? "" : "s") + " · strength " + num(p.strength, 3)));
        return head;
      }, "path");
    }, function (err) { if (JSON.stringify([state.path, state.asOf]) === asked) showError(box, err); });  // not an older question's late error
  }
  function askPath() {
    state.shown = "path";
    state.route = 1;
    showPath();
    note();
  }
  $("path-go").addEventListener("click", askPath);
  ["path-from", "path-to"].forEach(function (id) {
    $(id).addEventListener("keydown", function (ev) { if (ev.key === "Enter") askPath(); });
  });

  // --- clusters -----------------------------------------------------------------------------
  // Entities as buttons in a line, a comma between two (read and copied as a list).
  function names(box, ids, labels) {
    ids.forEach(function (m, j) {
      if (j) box.appendChild(el("span", "sep", ", "));
      box.appendChild(nameButton(m, (labels || [])[j]));
    });
  }
  function showClusters() {
    var box = $("clusters-out");
    state.clusters = { theme: $("cluster-theme").value };
    clear(box).appendChild(el("p", "muted", "Finding clusters…"));
    if (!restoring) drawMap();
    var asked = JSON.stringify([state.clusters, state.asOf]);
    return api("clusters", dated({ theme: state.clusters.theme })).then(function (d) {
      if (JSON.stringify([state.clusters, state.asOf]) !== asked) return;  // another question since
      clear(box);
      box.appendChild(el("p", null, (d.clusters || []).length + " clusters, " + d.entities + " entities, modularity " + num(d.modularity, 3)));
      var ol = el("ol", "clusters");
      (d.clusters || []).forEach(function (c) {
        var li = el("li");
        // Its name (the query's, as the map's legend and the command line say it: no two alike).
        if (c.label) li.appendChild(el("div", "cluster-name", c.label));
        li.appendChild(el("div", null, c.size + " members · " + (c.themes || []).join(", ") + (c.countries && c.countries.length ? " · " + c.countries.join(", ") : "")));
        var members = el("div", "members");
        names(members, (c.members || []).slice(0, 6), c.names);
        if ((c.members || []).length > 6) members.appendChild(el("span", "muted", " +" + (c.members.length - 6) + " more"));
        li.appendChild(members);
        if (c.bridges && c.bridges.length) {
          var b = el("div", "bridges");
          b.appendChild(el("span", "muted", "Bridges: "));
          names(b, c.bridges, c.bridge_names);
          li.appendChild(b);
        }
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }, function (err) { if (JSON.stringify([state.clusters, state.asOf]) === asked) showError(box, err); });
  }
  $("clusters-go").addEventListener("click", function () { showClusters(); note(); });

  // --- what changed, what is due (the `changes` and `due` commands) ----------------------------
  // Each list as the `changes` table shows it (the API's `groups`: queries.timeline.grouped):
  // by group, newest first; an agreement or an event is one line with its parties.
  var SHOWN = 12;
  function tieLine(r, what) {
    var li = el("li");
    li.appendChild(el("span", "dates", (r.date || "undated") + " · " + r.kind + " · "));
    li.appendChild(nameButton(r.source, r.source_name));
    li.appendChild(el("span", "muted", " — "));
    li.appendChild(nameButton(r.target, r.target_name));
    if (what) li.appendChild(el("span", "muted", " · " + what));
    return li;
  }
  function activityLines(rows, at) {  // one line per agreement or event: its parties together
    var order = [], by = {};
    at.forEach(function (i) {
      var r = rows[i];
      if (!r) return;
      if (!by[r.target]) { by[r.target] = { first: r, parties: [] }; order.push(r.target); }
      by[r.target].parties.push(r.source_name || r.source);
    });
    return order.map(function (t) {
      var a = by[t], li = el("li");
      li.appendChild(el("span", "dates", (a.first.date || "undated") + " · "));
      li.appendChild(nameButton(a.first.target, a.first.target_name));
      li.appendChild(el("span", "muted", " · " + a.parties.slice().sort().join(", ") + (a.first.what ? " · " + a.first.what : "")));
      return li;
    });
  }
  function tieRows(title, rows, groups) {
    var box = el("div", "upkeep-group");
    box.appendChild(el("h3", null, title + " (" + rows.length + ")"));
    (groups || []).forEach(function (g) {
      var at = Array.isArray(g.rows) ? g.rows : [];
      var perActivity = g.group === "agreements" || g.group === "events";
      var lines = perActivity ? activityLines(rows, at) : at.map(function (i) { return rows[i]; }).filter(Boolean)
        .map(function (r) { return tieLine(r, r.what); });
      box.appendChild(el("h4", null, (g.title || g.group) + " (" + lines.length + ")"));
      var ol = el("ol", "ties");
      lines.slice(0, SHOWN).forEach(function (li) { ol.appendChild(li); });
      box.appendChild(ol);
      if (lines.length > SHOWN) box.appendChild(el("p", "muted", "+" + (lines.length - SHOWN) + " more (espoo-net changes)"));
    });
    return box;
  }
  function showChanges() {
    var box = $("upkeep-out"), since = sinceField.get();
    if (!since) { showError(box, new Error("Give the day to look from (YYYY-MM-DD).")); return Promise.resolve(); }
    state.upkeep = { ask: showChanges, since: since };
    clear(box).appendChild(el("p", "muted", "Looking…"));
    var asked = JSON.stringify([state.upkeep, state.asOf]);
    return api("changes", dated({ since: since })).then(function (d) {
      if (JSON.stringify([state.upkeep, state.asOf]) !== asked) return;
      clear(box).appendChild(el("p", null, "From " + d.since + " to " + d.until + " (newest first in each group)"));
      var groups = d.groups || {};
      [["began", "Began"], ["ended", "Ended"], ["happened", "Happened"], ["changed", "Changed"]].forEach(function (l) {
        box.appendChild(tieRows(l[1], d[l[0]] || [], groups[l[0]]));
      });
    }, function (err) { if (JSON.stringify([state.upkeep, state.asOf]) === asked) showError(box, err); });
  }
  function showDue() {
    var box = $("upkeep-out");
    state.upkeep = { ask: showDue, due: true };
    clear(box).appendChild(el("p", "muted", "Looking…"));
    var asked = JSON.stringify([state.upkeep, state.asOf]);
    return api("due", dated({ within: "6m" })).then(function (d) {
      if (JSON.stringify([state.upkeep, state.asOf]) !== asked) return;
      clear(box).appendChild(el("p", null, (d.items || []).length + " items due from " + d.on + " to " + d.until));
      var ol = el("ol", "ties");
      (d.items || []).slice(0, 20).forEach(function (it) {
        var li = el("li");
        li.appendChild(el("span", "dates", it.reason + (it.date ? " · " + it.date : "") + " · "));
        // An agreement is an entity to open; an overdue planned tie is a relation, shown as text.
        li.appendChild(it.kind === "agreement" ? nameButton(it.id, it.name) : el("span", null, it.name));
        if (it.holders && it.holders.length) li.appendChild(el("span", "muted", " · our side: " + it.holders.join(", ")));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }, function (err) { if (JSON.stringify([state.upkeep, state.asOf]) === asked) showError(box, err); });
  }
  var sinceField = EspooDates.attach($("changes-since"), { message: $("changes-since-problem"), apply: function () {} });
  $("changes-go").addEventListener("click", function () { if (sinceField.commit()) { showChanges(); note(); } });
  $("changes-since").addEventListener("keydown", function (ev) { if (ev.key === "Enter") $("changes-go").click(); });
  $("due-go").addEventListener("click", function () { showDue(); note(); });

  // --- the map: the view `espoo-net map` draws, as data ---------------------------------------
  var mapData = null;
  function nodeTitle(n, page) {
    var lines = [n.name || n.label, (page.kindLabels[n.group] || n.group) + (n.place ? " · " + n.place : "")];
    if (n.own) lines.push("Themes: " + n.own.map(function (t) { return page.themeLabels[t] || t; }).join(", "));
    if (n.role) lines.push("Role: " + n.role);
    if (n.about) lines.push(n.about);
    return lines.join("\n");
  }
  function edgeTitle(e, page, names) {
    var rel = page.relationLabels[e.kind] || [e.kind, false];
    var lines = [names[e.from] + (rel[1] ? " → " : " — ") + rel[0] + (rel[1] ? " → " : " — ") + names[e.to], dateSpan(e)];
    if (e.note) lines.push(e.note);
    return lines.join("\n");
  }
  function mapParams() {
    var p = dated({});
    if (state.clusters) { p.clusters = true; p.theme = state.clusters.theme; }
    // The route an introduction or a path takes is highlighted here, from its answer
    // (`highlight`): the map is asked for without it, so it is not searched for twice.
    if (state.entities > state.mapLimit) p.focus = state.entity;
    return p;
  }
  function drawMap() {
    var box = $("map"), p = mapParams(), key = JSON.stringify(p), wait = before || Promise.resolve();
    before = null;
    if (key === X.mapKey && X.network) return Promise.resolve();
    if (state.entities > state.mapLimit && !state.entity) {
      clear(box).appendChild(el("p", "empty", "The network has " + state.entities.toLocaleString("en") +
        " entities: find one above to map its neighbourhood."));
      return Promise.resolve();
    }
    X.mapKey = key;
    X.asking = key;  // a route answered meanwhile is drawn into this map, not into the one on screen
    return wait.then(function () { return X.mapKey === key ? api("map", p) : null; }).then(function (d) {
      if (X.asking === key) X.asking = null;
      if (!d || X.mapKey !== key) return;
      var answeredAt = performance.now();
      mapData = d;
      var page = d.page, names = {};
      d.nodes.forEach(function (n) { names[n.id] = n.name || n.label; n.title = nodeTitle(n, page); });
      var edges = d.edges.map(function (e) {
        return Object.assign({}, page.edgeStyles[e.kind], e, { title: edgeTitle(e, page, names) });
      });
      if (X.network) X.network.destroy();
      clear(box);
      X.original = { nodes: d.nodes.map(function (n) { return Object.assign({}, n); }), edges: edges };
      // A route already chosen (its answer came first) is drawn in from the start: styled here,
      // in the data, rather than by updating every entity and tie of a drawn network.
      var started = performance.now();
      var styled = X.route ? routeLook(X.route, d) : null;
      // Labels are placed before the network is made (labels.js; a route's entities named first
      // and always), and it is made with the zoom threshold under which small labels hide: it is
      // drawn once, labelled (and highlighted).
      var must = {};
      if (styled) styled.shown.forEach(function (id) { must[id] = true; });
      d.options.nodes.scaling.label.drawThreshold = page.labelThreshold;
      var labelled = EspooLabels.prepare(styled ? d.nodes.map(function (n) { return Object.assign({}, n, styled.node(n)); }) : d.nodes,
                                         d.options, styled ? styled.shown.concat(page.labelOrder) : page.labelOrder,
                                         page.labelThreshold, must);
      var placed = performance.now();
      X.nodes = new vis.DataSet(labelled.records);
      X.edges = new vis.DataSet(styled ? edges.map(function (e) { return Object.assign({}, e, styled.edge(e)); }) : edges);
      X.network = new vis.Network(box, { nodes: X.nodes, edges: X.edges }, d.options);
      X.labelled = EspooLabels.attach(X.network, X.nodes, labelled);
      X.drawnRoute = styled ? styled.shown : null;  // the route drawn in from the first frame, if any
      var made = performance.now();
      // The first drawing's time and its parts (ms; the bench reads them): tooltips and records,
      // labels placed, vis-network made, its first frame.
      X.network.once("afterDrawing", function () {
        X.firstDrawAt = performance.now();
        X.firstDrawMs = X.firstDrawAt - started;
        X.drawParts = { records: started - answeredAt, labels: placed - started, made: made - placed, frame: X.firstDrawAt - made };
      });
      X.network.on("click", function (ev) {
        if (ev.nodes.length) select(ev.nodes[0], names[ev.nodes[0]]);
      });
      X.highlighted = null;
      $("map-title").textContent = page.subtitle || "";
      $("map-footer").textContent = page.footer || "";
      legend(page);
      X.network.fit({ animation: false });
      // A geographic view of some countries opens on all of them (page.extent, as `espoo-net map`).
      var ext = page.extent;
      if (ext && ext.length === 4) {
        var rect = box.getBoundingClientRect();
        X.network.moveTo({ position: { x: (ext[0] + ext[2]) / 2, y: (ext[1] + ext[3]) / 2 }, animation: false,
                           scale: 0.95 * Math.min(rect.width / Math.max(ext[2] - ext[0], 1), rect.height / Math.max(ext[3] - ext[1], 1)) });
      } else if (!styled && !state.entity && !state.path && !state.clusters) openOnHome(page, d.options);
      if (styled) {
        X.highlighted = styled.highlighted;
        fitRoute(X.network, styled.shown, d.options);
      }
    }, function (err) {
      if (X.asking === key) X.asking = null;
      X.mapKey = null;
      clear(box).appendChild(el("p", "empty error", err.message));
    });
  }
  // A route's entities fitted to the map, but no closer than where the map's largest label reads
  // ROUTE_LABEL_PX on screen: labels are sized for the whole map's zoom (maps.html), so a route
  // fitted closer would show its labels shouting.
  var ROUTE_LABEL_PX = 18;
  function fitRoute(network, shown, options) {
    if (!shown.length) return;
    network.fit({ nodes: shown, animation: false, maxZoomLevel: Math.min(1.2, ROUTE_LABEL_PX / options.nodes.scaling.label.max) });
  }
  // No route's item in the lists marked as the one on the map.
  function unmarkRoutes() {
    Array.prototype.forEach.call(document.querySelectorAll("li.route.on"), function (li) { li.classList.remove("on"); });
  }
  // No question yet: a whole network that fits the map is a pile whose labels are too small to
  // show, so the map opens on our own side's hub (labelOrder's first) at a scale where it and its
  // partners around it are named; scrolling zooms out to the whole.
  function openOnHome(page, options) {
    var hub = page.labelOrder[0], readable = page.labelThreshold / options.nodes.scaling.label.min;
    if (!hub || !X.nodes.get(hub) || X.network.getScale() >= readable) return;
    X.network.moveTo({ position: X.network.getPositions([hub])[hub], scale: Math.max(1, readable * 1.2), animation: false });
  }
  function legend(page) {
    var box = clear($("legend"));
    var rows = page.clusters && page.clusters.length ? page.clusters : (page.legend.kinds || []);
    rows.forEach(function (k) {
      var item = el("span", "item"), sw = el("span", "sw");
      sw.style.background = k.colour;
      item.appendChild(sw);
      item.appendChild(el("span", null, (k.label || k.kind) + " (" + (k.count !== undefined ? k.count : k.size) + ")"));
      box.appendChild(item);
    });
  }
  function focusNode(id) {
    if (!X.network || !X.nodes || !X.nodes.get(id)) return;
    X.network.selectNodes([id]);
    X.network.focus(id, { scale: Math.max(X.network.getScale(), 0.8), animation: false });
  }

  // How a route (an introduction or a path) looks on the map `d`: its entities and relations in
  // the highlight colour, the rest faded. `node(n)`, `edge(e)`: the fields to change.
  function routeLook(route, d) {
    var hl = d.page.highlight, on = {}, ties = {}, groups = d.options.groups || {};
    var order = [];  // the route's entities in route order, with the activities it passes through
    // A hop through a shared activity (an MoU, a project) names it (`via`) and its two ties.
    (route.hops || []).forEach(function (h, i) {
      if (!h) return;
      hopTies(h).forEach(function (t) { if (t.id) ties[t.id] = true; });
      if (i === 0) order.push(h.from);
      if (h.via) order.push(h.via);
      order.push(h.to);
    });
    if (!order.length) order = (route.nodes || []).slice();
    order.forEach(function (n) { on[n] = true; });
    var present = {}, linked = {};
    d.nodes.forEach(function (n) { present[n.id] = true; });
    d.edges.forEach(function (e) { if (ties[e.id]) linked[e.id] = true; });
    var shown = order.filter(function (n) { return present[n]; });
    return {
      shown: shown,
      highlighted: { nodes: shown, edges: Object.keys(ties).filter(function (k) { return linked[k]; }) },
      node: function (n) {
        var own = n.color || (groups[n.group] || {}).color || {};
        if (on[n.id]) return { id: n.id, opacity: 1, borderWidth: 5, color: { background: own.background, border: hl } };
        return { id: n.id, opacity: 0.25, borderWidth: n.borderWidth || 1, color: own };
      },
      edge: function (e) {
        if (ties[e.id]) return { id: e.id, width: 5, dashes: false, color: { color: hl, highlight: hl, hover: hl, opacity: 1 } };
        return { id: e.id, color: Object.assign({}, e.color || {}, { opacity: 0.12 }) };
      }
    };
  }

  // Highlight a route on the map drawn: the route's entities are named first and always, the
  // other labels fit around them; the colours change in the same drawing.
  function highlight(route, item) {
    unmarkRoutes();
    if (item) item.classList.add("on");
    X.route = route;
    if (!X.network || !mapData || X.asking) return;  // the map asked for is drawn with the route from the start
    var look = routeLook(route, mapData), network = X.network;
    X.labelled = EspooLabels.placeAgain(network, X.nodes, look.shown, mapData.page.labelOrder, mapData.page.labelThreshold, function () {
      X.nodes.update(X.original.nodes.map(look.node));
      X.edges.update(X.original.edges.map(look.edge));
      X.highlighted = look.highlighted;
      fitRoute(network, look.shown, mapData.options);
    }, true);
  }

  // A new question (another entity) starts here: nothing of the question before stays on the page,
  // neither its route on the map (an answer highlights its own route when it comes) nor its name
  // in the search and "To" boxes; they read as for a link opened afresh (the name once known).
  function startOver(name) {
    unhighlight();
    clearTimeout(pending);
    results.hidden = true;
    search.value = name || "";
    if (!(restoring && state.path)) $("path-to").value = name || "";  // a link's path keeps its own ends
  }
  // No route on the map: the one highlighted (if any) leaves it, every entity and tie in its own
  // look again, in place (the map is not asked for again).
  function unhighlight() {
    unmarkRoutes();
    X.route = null;
    if (!X.highlighted || !X.network || !mapData) { X.highlighted = null; return; }
    var network = X.network, groups = mapData.options.groups || {};
    X.highlighted = null;
    X.labelled = EspooLabels.placeAgain(network, X.nodes, [], mapData.page.labelOrder, mapData.page.labelThreshold, function () {
      X.nodes.update(X.original.nodes.map(function (n) {
        return { id: n.id, opacity: n.opacity === undefined ? 1 : n.opacity, borderWidth: n.borderWidth || 1,
                 color: n.color || (groups[n.group] || {}).color || {} };
      }));
      X.edges.update(X.original.edges.map(function (e) {
        return { id: e.id, width: e.width || 1, dashes: e.dashes || false, color: Object.assign({ opacity: 1 }, e.color || {}) };
      }));
    }, true);
  }

  // --- the date: every answer again, as of that day -------------------------------------------
  function refresh() {
    var work = [showEntity()];
    if (state.intro) { work.push(showIntro(state.introAll)); routesFirst(work[1]); }
    work.push(drawMap());
    if (state.path) work.push(showPath());
    if (state.clusters) work.push(showClusters());
    if (state.upkeep) work.push(state.upkeep.ask());
    return Promise.all(work);
  }
  // The day is typed and shown as YYYY-MM-DD (dates.js), whatever the browser's locale.
  var dateField = EspooDates.attach($("date"), {
    message: $("date-problem"), picker: { button: $("date-pick"), input: $("date-picker") },
    apply: function (day) { setDay(day); note(); }
  });
  function setDay(day) { state.asOf = day; X.mapKey = null; return refresh(); }
  $("today").addEventListener("click", function () {
    if (!state.asOf) { dateField.set(""); return; }
    dateField.set("");
    setDay("");
    note();
  });

  // --- the address: the question asked, as a link (address.js) ----------------------------------
  var restoring = false;
  function addressState() {
    return { entity: state.entity, routesAll: state.introAll, from: state.path && state.path.source,
             to: state.path && state.path.target, by: state.path && state.path.by, clusters: !!state.clusters,
             theme: state.clusters && state.clusters.theme, asOf: state.asOf,
             changes: state.upkeep && state.upkeep.since, due: !!(state.upkeep && state.upkeep.due),
             show: state.shown, route: state.route };
  }
  // Record the question now on the page in the address: a new history entry (Back returns to the
  // question before), or in place (`replace`: another route of the same answer clicked).
  function note(replace) {
    if (restoring) return;
    var hash = EspooAddress.write(addressState());
    if (hash === location.hash) return;
    history[replace ? "replaceState" : "pushState"](null, "", location.pathname + hash);
  }
  function title() {
    document.title = (state.entity ? "Who can introduce us to " + state.entityName + "? · " : "") + "Espoo network explorer";
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  // The answer of `kind` ("intro" or "path") is gone from the page: its route leaves the map (drawn
  // again, plain), and the other answer's route, if it is on the page, is highlighted instead.
  function dropRoute(kind) {
    if (state.shown !== kind && X.route) return;  // the map shows the other answer's route
    X.route = null;
    X.mapKey = null;
    var other = document.querySelector((kind === "intro" ? "#path-out" : "#intro-out") + " li.route");
    if (other) other.click();
  }
  function chooseTheme(theme) {
    var box = $("cluster-theme");
    box.value = theme;
    if (box.value !== theme) {  // not a theme of this network: shown as asked, the answer says so
      var o = el("option", null, theme);
      o.value = theme;
      box.appendChild(o);
      box.value = theme;
    }
  }
  // Answer the question an address asks (a link opened, Back or Forward): only what differs from
  // what the page shows is asked again; every answer as of the address's day.
  function restore(s) {
    restoring = true;
    try {
      var day = s.asOf ? EspooDates.parse(s.asOf) : { day: "" };
      var newDay = !day.error && day.day !== state.asOf;
      if (day.error) dateField.say("The link's day is not used: " + day.error);
      else { state.asOf = day.day; dateField.set(day.day); }
      if (newDay) X.mapKey = null;
      var clusters = s.clusters ? { theme: s.theme || "" } : null;
      if (clusters && (newDay || !same(clusters, state.clusters))) { chooseTheme(clusters.theme); showClusters(); }
      else if (!clusters && state.clusters) { state.clusters = null; clear($("clusters-out")); $("cluster-theme").value = ""; }
      var path = s.from ? { source: s.from, target: s.to, by: s.by } : null;
      if (path && (newDay || !same(path, state.path))) {
        $("path-from").value = s.from; $("path-to").value = s.to; $("path-by").value = s.by;
        showPath();
      } else if (!path && state.path) {  // the path question is gone, its ends from the boxes too
        state.path = null; clear($("path-out")); dropRoute("path");
        $("path-from").value = ""; $("path-to").value = state.entity ? state.entityName : "";
      }
      if (s.entity && (newDay || s.entity !== state.entity || s.routesAll !== state.introAll)) {
        if (s.entity !== state.entity) select(s.entity, null, s.routesAll);
        else { showEntity(); showIntro(s.routesAll); }
      } else if (!s.entity && state.entity) unselect();
      var upkeep = s.changes ? "changes" : s.due ? "due" : null;
      var had = state.upkeep ? (state.upkeep.since ? "changes" : "due") : null;
      if (upkeep === "changes") {
        var since = EspooDates.parse(s.changes);
        if (since.error) sinceField.say("The link's day is not used: " + since.error);
        else if (newDay || had !== "changes" || since.day !== state.upkeep.since) { sinceField.set(since.day); showChanges(); }
      } else if (upkeep === "due" && (newDay || had !== "due")) showDue();
      else if (!upkeep && had) { state.upkeep = null; clear($("upkeep-out")); }
      state.shown = s.show || (path && !s.entity ? "path" : "intro");
      state.route = s.route || 1;
      title();
      // One map for the whole question (select and showClusters leave it to here).
      drawMap().then(function () { if (state.entity && !X.highlighted) focusNode(state.entity); });
    } finally {
      restoring = false;
    }
  }
  // The question of the address now: its fragment, else its query string (?entity=… is read too).
  function asked() { return EspooAddress.read(location.hash || location.search); }
  window.addEventListener("popstate", function () { restore(asked()); });
  window.addEventListener("hashchange", function () {  // an address edited by hand
    if (EspooAddress.write(addressState()) !== location.hash) restore(asked());
  });

  // --- the network: loaded, and reloaded when its files change ---------------------------------
  function meta() {
    return api("meta", {}).then(function (m) {
      $("info").textContent = m.entities.toLocaleString("en") + " entities · " + m.relations.toLocaleString("en")
        + " relations · " + m.backend + (m.pushed ? " (push " + m.pushed.version + ", " + m.pushed.pushed_at + ")" : "")
        + (m.reloading ? " · reading the new data…" : "");
      var problem = $("problem");
      problem.hidden = !m.problem;
      problem.textContent = !m.problem ? "" : (m.backend === "neo4j" ? "Still showing the data pulled earlier.\n"
        : "The data files changed but do not validate; still showing the last good data.\n") + m.problem;
      var changed = state.version !== null && m.version !== state.version;
      state.version = m.version;
      state.entities = m.entities;
      state.mapLimit = m.map_limit;
      if (changed) { X.mapKey = null; refresh(); }
    });
  }
  var themes = api("themes", {}).then(function (t) {
    (t.themes || []).forEach(function (th) {
      var o = el("option", null, th.label + " (" + th.entities + ")");
      o.value = th.id;
      $("cluster-theme").appendChild(o);
    });
  }, function () {});
  // A link opened: its question is answered once the themes and the network's size are known.
  Promise.all([meta(), themes]).then(function () {
    restore(asked());
    X.restored = true;
  });
  setInterval(meta, 5000);
})();
