/* espoo-network: labels that never overlap, shared by the HTML map and the explorer.
   In order (`labelOrder`: route, highlights, our side, then by size), a label is kept when its box
   touches no kept label and no other node; the others are shown on hover only. */
var EspooLabels = (function () {
  "use strict";
  function boxOfNode(n) {
    var w = (n.shape.width || 2 * (n.shape.radius || 5)) / 2, h = (n.shape.height || 2 * (n.shape.radius || 5)) / 2;
    return { l: n.x - w, t: n.y - h, r: n.x + w, b: n.y + h };
  }
  function overlaps(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // Place the labels of a drawn network (call after its first drawing); returns the ids kept.
  // Hovering an entity whose label was left out shows it.
  // `must`: ids whose labels are kept whatever nodes they cover (the route, the focus, the hubs).
  function place(network, nodes, labelOrder, threshold, must) {
    var st = network.espooLabels;  // one state per network, so placing again replaces the last placing
    if (!st) {
      st = network.espooLabels = { full: {}, hidden: {} };
      network.on("hoverNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: st.full[p.node] }); });
      network.on("blurNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: "" }); });
    }
    st.hidden = {};
    var body = network.body, kept = [], changes = [], CELL = 200, grid = {}, fullLabel = st.full, hidden = st.hidden;
    function cells(bx, add) {
      var out = [];
      for (var i = Math.floor(bx.l / CELL); i <= Math.floor(bx.r / CELL); i++)
        for (var j = Math.floor(bx.t / CELL); j <= Math.floor(bx.b / CELL); j++) {
          var key = i + ":" + j;
          if (add) (grid[key] = grid[key] || []).push(add); else if (grid[key]) out = out.concat(grid[key]);
        }
      return out;
    }
    nodes.getIds().forEach(function (id) { var n = body.nodes[id]; if (n) cells(boxOfNode(n), { box: boxOfNode(n), id: id }); });
    labelOrder.forEach(function (id) {
      var n = body.nodes[id], sz = n && n.labelModule.size;
      if (!n || !n.options.label || !sz || !sz.width) return;
      var pad = 2, bx = { l: sz.left - pad, t: sz.top - pad, r: sz.left + sz.width + pad, b: sz.top + sz.height + pad };
      // A label that must show may cover nodes, never another label.
      var overNodes = !!(must && must[id]);
      var clash = cells(bx).some(function (o) {
        return o.id !== id && (!overNodes || String(o.id).indexOf("label:") === 0) && overlaps(bx, o.box);
      });
      if (clash) {
        fullLabel[id] = n.options.label;
        hidden[id] = true;
        changes.push({ id: id, label: "" });
      } else {
        cells(bx, { box: bx, id: "label:" + id });
        kept.push(id);
      }
    });
    network.setOptions({ nodes: { scaling: { label: { drawThreshold: threshold } } } });
    if (changes.length) nodes.update(changes);
    return kept;
  }

  // Place the labels again with `first` ahead of the usual order (a highlighted route; with
  // `keepFirst`, their labels are kept whatever nodes they cover): every label is restored and
  // measured on the next drawing, then placed; `done(kept)` after.
  function placeAgain(network, nodes, first, labelOrder, threshold, done, keepFirst) {
    var st = network.espooLabels || { full: {} };
    var restore = Object.keys(st.full).map(function (id) { return { id: id, label: st.full[id] }; });
    network.setOptions({ nodes: { scaling: { label: { drawThreshold: 0 } } } });
    if (restore.length) nodes.update(restore);
    var seen = {}, order = first.concat(labelOrder).filter(function (id) { return !seen[id] && (seen[id] = true); });
    network.once("afterDrawing", function () {
      var must = {};
      if (keepFirst) first.forEach(function (id) { must[id] = true; });
      var kept = place(network, nodes, order, threshold, must);
      if (done) done(kept);
    });
    network.redraw();
  }
  return { place: place, placeAgain: placeAgain };
})();
