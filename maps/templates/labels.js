/* espoo-network: labels that never overlap, shared by the HTML map and the explorer.
   In order (`labelOrder`: route, highlights, our side, then by size), a label is kept when its box
   touches no kept label and no other node; the others are shown on hover only.
   Placing draws nothing: vis-network measures every label once without drawing (its own
   `_resizeNodes` pass, which `fit` uses too), the boxes are worked out from those sizes exactly as
   vis-network places a label under its node, and the labels left out are hidden in one update
   while drawing is held, so a map is drawn once, already labelled. */
var EspooLabels = (function () {
  "use strict";
  var CELL = 200, PAD = 2;

  function boxOfNode(n) {
    var w = (n.shape.width || 2 * (n.shape.radius || 5)) / 2, h = (n.shape.height || 2 * (n.shape.radius || 5)) / 2;
    return { l: n.x - w, t: n.y - h, r: n.x + w, b: n.y + h };
  }
  function overlaps(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // Run `work` with vis-network's drawing held, then ask for one drawing. Each DataSet update
  // or setOptions otherwise draws the whole network at once, there and then.
  function batch(network, work) {
    var renderer = network.renderer;
    network.body.emitter.emit("_blockRedraw");
    try {
      return work();
    } finally {
      renderer.allowRedraw = true;  // not "_allowRedraw": that would forget a drawing already asked for
      network.body.emitter.emit("_requestRedraw");
    }
  }

  // Every label's size (canvas units; vis-network's own measure, which does not change with the
  // zoom) and font size, measured once per network while every label is still shown.
  function measure(network) {
    var body = network.body, ctx = network.canvas.getContext(), sizes = {};
    body.emitter.emit("_resizeNodes");
    body.nodeIndices.forEach(function (id) {
      var n = body.nodes[id], lm = n.labelModule;
      if (!n.options.label || !lm.size.width) return;
      sizes[id] = { w: lm.size.width, h: lm.size.height, f: lm.fontOptions.size };
      // Where vis-network will put it (a label hangs under its node): set now, so a box read
      // before the label is drawn (zoomed out, below the threshold) is right too.
      lm.calculateLabelSize(ctx, false, false, n.x, n.y + 0.5 * n.shape.height + 0.5 * lm.size.height, "hanging");
    });
    return sizes;
  }
  function labelBox(n, s) {
    var top = n.y + 0.5 * n.shape.height + 0.5 * s.f + 4;  // vis-network's "hanging" label, as it draws it
    return { l: n.x - s.w / 2 - PAD, t: top - PAD, r: n.x + s.w / 2 + PAD, b: top + s.h + PAD };
  }

  function stateOf(network, nodes) {
    var st = network.espooLabels;  // one state per network, so placing again replaces the last placing
    if (!st) {
      st = network.espooLabels = { full: {}, hidden: {}, sizes: measure(network) };
      try { st.threshold = network.nodesHandler.options.scaling.label.drawThreshold; } catch (e) { st.threshold = null; }
      nodes.forEach(function (d) { if (st.sizes[d.id]) st.full[d.id] = d.label; });
      network.on("hoverNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: st.full[p.node] }); });
      network.on("blurNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: "" }); });
    }
    return st;
  }

  // The ids whose labels fit, in `labelOrder`, on a grid of CELL-unit squares (each box is
  // compared with the boxes of its own squares only).
  // `must`: ids whose labels are kept whatever nodes they cover (the route, the focus, the hubs).
  function choose(network, st, labelOrder, must) {
    var body = network.body, kept = [], grid = {};
    function cells(bx, add) {
      var out = [];
      for (var i = Math.floor(bx.l / CELL); i <= Math.floor(bx.r / CELL); i++)
        for (var j = Math.floor(bx.t / CELL); j <= Math.floor(bx.b / CELL); j++) {
          var key = i + ":" + j;
          if (add) (grid[key] = grid[key] || []).push(add); else if (grid[key]) out.push.apply(out, grid[key]);
        }
      return out;
    }
    body.nodeIndices.forEach(function (id) { var n = body.nodes[id]; cells(boxOfNode(n), { box: boxOfNode(n), id: id, label: false }); });
    var seen = {};
    labelOrder.forEach(function (id) {
      var n = body.nodes[id], s = st.sizes[id];
      if (!n || !s || seen[id]) return;
      seen[id] = true;
      var bx = labelBox(n, s);
      // A label that must show may cover nodes, never another label.
      var overNodes = !!(must && must[id]);
      var clash = cells(bx).some(function (o) {
        return o.id !== id && (!overNodes || o.label) && overlaps(bx, o.box);
      });
      if (!clash) {
        cells(bx, { box: bx, id: id, label: true });
        kept.push(id);
      }
    });
    return kept;
  }

  // Place the labels of a network (right after it is made: nothing needs to be drawn first);
  // returns the ids kept. Hovering an entity whose label was left out shows it.
  // `threshold`: on-screen pixels under which vis-network hides a label when zoomed out.
  // `also(kept)`: more updates to make in the same drawing (a route's colours).
  function place(network, nodes, labelOrder, threshold, must, also) {
    var st = stateOf(network, nodes);
    var kept = choose(network, st, labelOrder, must), keep = {}, hidden = {}, changes = [];
    kept.forEach(function (id) { keep[id] = true; });
    Object.keys(st.sizes).forEach(function (id) {
      var hide = !keep[id];
      if (hide) hidden[id] = true;
      if (hide !== !!st.hidden[id]) changes.push({ id: id, label: hide ? "" : st.full[id] });
    });
    st.hidden = hidden;
    batch(network, function () {
      if (st.threshold !== threshold) {
        network.setOptions({ nodes: { scaling: { label: { drawThreshold: threshold } } } });
        st.threshold = threshold;
      }
      if (changes.length) nodes.update(changes);
      if (also) also(kept);
    });
    return kept;
  }

  // Place the labels again with `first` ahead of the usual order (a highlighted route; with
  // `keepFirst`, their labels are kept whatever nodes they cover); `done(kept)` makes its own
  // updates in the same drawing. Synchronous: returns the ids kept.
  function placeAgain(network, nodes, first, labelOrder, threshold, done, keepFirst) {
    var must = {};
    if (keepFirst) first.forEach(function (id) { must[id] = true; });
    return place(network, nodes, first.concat(labelOrder), threshold, must, done);
  }
  return { place: place, placeAgain: placeAgain, batch: batch };
})();
