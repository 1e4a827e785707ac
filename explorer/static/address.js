/* espoo-network explorer: the page's question in its address, so an answer can be shared as a
   link and the browser's Back and Forward buttons step through the questions asked.

   The state is the fragment (after #), never sent to the server:
     entity=ID            the entity chosen: its panel and who can introduce us to it
                          (intro=ID is read as the same)
     routes=all           the weaker introduction routes shown too
     from=A&to=B&by=hops  "How are we connected?" (names, aliases or ids as typed; by: hops|strength)
     clusters=1&theme=T   the theme clusters (T a theme id; none: the whole network)
     as_of=YYYY-MM-DD     the day of every answer
     changes=YYYY-MM-DD   what changed since that day, or due=1: what is due
     show=intro|path, route=N   which answer's route the map highlights, and which route (1: the first)

   What comes from an address is untrusted text: `read` keeps only the known keys, drops values
   that are too long or malformed, and the page only ever puts them in form fields, in API
   parameters and in text nodes. */
(function () {
  "use strict";
  var MAX = 200;  // longer values are not a name, an id or a day
  var BY = ["hops", "strength"], SHOW = ["intro", "path"];

  function one(params, key) {
    var v = params.get(key);
    if (v === null) return null;
    v = v.trim();
    return v && v.length <= MAX ? v : null;
  }

  // The state in `hash` ("#entity=cbnu&as_of=2024-01-01"), each field checked; unknown keys ignored.
  function read(hash) {
    var params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    var s = { entity: one(params, "entity") || one(params, "intro"), routesAll: one(params, "routes") === "all",
              from: one(params, "from"), to: one(params, "to"), by: one(params, "by"),
              clusters: one(params, "clusters") === "1", theme: one(params, "theme"),
              asOf: one(params, "as_of"), changes: one(params, "changes"), due: one(params, "due") === "1",
              show: one(params, "show"), route: null };
    if (BY.indexOf(s.by) < 0) s.by = "hops";
    if (!(s.from && s.to)) s.from = s.to = null;
    if (SHOW.indexOf(s.show) < 0) s.show = null;
    var r = one(params, "route");
    if (r && /^[1-9][0-9]?$/.test(r)) s.route = +r;
    if (!s.clusters) s.theme = null;
    return s;
  }

  // The fragment for state `s` (the shape `read` returns), keys in a fixed order.
  function write(s) {
    var p = new URLSearchParams();
    if (s.entity) p.set("entity", s.entity);
    if (s.entity && s.routesAll) p.set("routes", "all");
    if (s.from && s.to) { p.set("from", s.from); p.set("to", s.to); if (s.by && s.by !== "hops") p.set("by", s.by); }
    if (s.clusters) { p.set("clusters", "1"); if (s.theme) p.set("theme", s.theme); }
    if (s.asOf) p.set("as_of", s.asOf);
    if (s.changes) p.set("changes", s.changes);
    else if (s.due) p.set("due", "1");
    if (s.show && s.entity && s.from && s.to) p.set("show", s.show);
    if (s.route && s.route > 1) p.set("route", String(s.route));
    var text = p.toString();
    return text ? "#" + text : "";
  }

  window.EspooAddress = { read: read, write: write, MAX: MAX };
})();
