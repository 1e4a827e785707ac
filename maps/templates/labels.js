/* espoo-network: labels that never overlap, shared by the HTML map and the explorer.
   In order (`labelOrder`: route, highlights, our side, then by size), each label is tried at
   PLACES around its node (below, above, right, left, then the corners, as on the slide image)
   and kept at the first place where its box touches no kept label and no other node; a label
   that must show (`must`: the route, the focus, the biggest hubs) and finds no such place takes
   the first place that touches no kept label, whatever nodes it covers. The others are shown
   on hover only, under their node. Placing draws nothing. Before a network is made (`prepare`),
   every label is sized as vis-network will size it (its value-scaled font, the text measured in
   it), the labels left out are blanked in the data, and once the network is made (`attach`) a
   label placed elsewhere than below is drawn there (`shift`): the network is drawn once, already
   labelled. Placing again on a drawn network (`place`, a route highlighted) uses those sizes
   and the nodes' current places, and hides, shows and moves labels in one update while drawing
   is held. Boxes are compared on a grid of CELL-unit squares. Deterministic: same data, same
   labels at the same places. */
var EspooLabels = (function () {
  "use strict";
  var CELL = 200, PAD = 2, GAP = 4;
  // The places tried, in order: the side (x, y) a label stands on, y upwards (1: right of or above
  // its node, -1: left of or below, 0: centred). The same list as maps/drawing.py's LABEL_PLACES
  // (a test checks it), with its CORNER: at a corner the label's own corner stands that share of
  // the node's half size (plus the gap) out on the diagonal.
  var PLACES = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]], CORNER = 0.7;

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
  // The box of label size `s` at place `p` around node `n` ({x, y, half, height}), PAD around it.
  // Below, it is where vis-network hangs a label, as it draws it; elsewhere GAP from the node.
  function labelBox(n, s, p) {
    var l, t, hw = n.half, hh = 0.5 * n.height;
    if (p[0] === 0 && p[1] === -1) {
      l = n.x - s.w / 2;
      t = n.y + hh + 0.5 * s.f + 4;
    } else {
      var k = p[0] && p[1] ? CORNER : 1;
      var dx = p[0] * k * (hw + GAP), dy = p[1] * k * (hh + GAP);
      l = p[0] > 0 ? n.x + dx : p[0] < 0 ? n.x + dx - s.w : n.x - s.w / 2;
      t = p[1] > 0 ? n.y - dy - s.h : p[1] < 0 ? n.y - dy : n.y - s.h / 2;
    }
    return { l: l - PAD, t: t - PAD, r: l + s.w + PAD, b: t + s.h + PAD };
  }

  // Draw node labels moved by `shift[id]` ([dx, dy] canvas units from where vis-network hangs
  // them); the others where it hangs them. vis-network works out a node's label box with its
  // label module's `calculateLabelSize(ctx, selected, hover, x, y, baseline)` and draws it with
  // `draw(ctx, x, y, ...)` (which works the box out again from the same x and y): moving x and y
  // in both (once: not again inside `draw`) moves the text, its background and its box (hover,
  // fit) alike; a label too small to be drawn keeps the box vis-network guesses for it (about
  // its node), moved by the same offset.
  function moveLabels(network, shift, before) {
    var nodes = network.body.nodes;
    Object.keys(before || {}).forEach(function (id) { if (nodes[id] && !shift[id]) nodes[id].labelModule.espooShift = null; });
    Object.keys(shift).forEach(function (id) {
      var n = nodes[id];
      if (!n) return;
      var lm = n.labelModule;
      if (!lm.espooMoves) {
        var draw = lm.draw, size = lm.calculateLabelSize;
        lm.espooMoves = true;
        lm.draw = function (ctx, x, y, selected, hover, baseline) {
          var d = this.espooShift;
          if (!d) return draw.call(this, ctx, x, y, selected, hover, baseline);
          this.espooDrawing = true;
          try {
            return draw.call(this, ctx, x + d[0], y + d[1], selected, hover, baseline);
          } finally {
            this.espooDrawing = false;
          }
        };
        lm.calculateLabelSize = function (ctx, selected, hover, x, y, baseline) {
          var d = this.espooDrawing ? null : this.espooShift;
          return d ? size.call(this, ctx, selected, hover, (x || 0) + d[0], (y || 0) + d[1], baseline)
                   : size.call(this, ctx, selected, hover, x, y, baseline);
        };
      }
      lm.espooShift = shift[id];
    });
  }

  function stateOf(network, nodes) {
    var st = network.espooLabels;  // one state per network, so placing again replaces the last placing
    if (!st) {
      st = network.espooLabels = { full: {}, hidden: {}, shift: {}, sizes: measure(network) };
      try { st.threshold = network.nodesHandler.options.scaling.label.drawThreshold; } catch (e) { st.threshold = null; }
      nodes.forEach(function (d) { if (st.sizes[d.id]) st.full[d.id] = d.label; });
      hover(network, nodes, st);
    }
    return st;
  }

  // The ids whose labels fit, in `labelOrder`, each at the first of PLACES where it fits, on a
  // grid of CELL-unit squares (each box is compared with the boxes of its own squares only).
  // `at(id)`: the node's {x, y, half, height} (half its width, its height) or null; `sizes[id]`:
  // its label's size. `must`: ids whose labels are kept whatever nodes they cover (the route, the
  // focus, the hubs) when no place is free of nodes. Returns {kept: ids, shift: {id: [dx, dy]}}
  // (how far each label kept elsewhere than below is moved from below).
  function choose(ids, at, sizes, labelOrder, must) {
    var kept = [], shift = {}, grid = {};
    function cells(bx, add) {
      var out = [];
      for (var i = Math.floor(bx.l / CELL); i <= Math.floor(bx.r / CELL); i++)
        for (var j = Math.floor(bx.t / CELL); j <= Math.floor(bx.b / CELL); j++) {
          var key = i + ":" + j;
          if (add) (grid[key] = grid[key] || []).push(add); else if (grid[key]) out.push.apply(out, grid[key]);
        }
      return out;
    }
    ids.forEach(function (id) {
      var n = at(id);
      if (!n) return;
      var bx = { l: n.x - n.half, t: n.y - 0.5 * n.height, r: n.x + n.half, b: n.y + 0.5 * n.height };
      cells(bx, { box: bx, id: id, label: false });
    });
    function free(id, bx, overNodes) {
      return !cells(bx).some(function (o) {
        return o.id !== id && (!overNodes || o.label) && overlaps(bx, o.box);
      });
    }
    var seen = {};
    labelOrder.forEach(function (id) {
      var n = at(id), s = sizes[id];
      if (!n || !s || seen[id]) return;
      seen[id] = true;
      var bx = null, i, b;
      for (i = 0; i < PLACES.length && !bx; i++) {
        b = labelBox(n, s, PLACES[i]);
        if (free(id, b, false)) bx = b;
      }
      // A label that must show may cover nodes, never another label.
      for (i = 0; must && must[id] && i < PLACES.length && !bx; i++) {
        b = labelBox(n, s, PLACES[i]);
        if (free(id, b, true)) bx = b;
      }
      if (!bx) return;
      cells(bx, { box: bx, id: id, label: true });
      kept.push(id);
      var below = labelBox(n, s, PLACES[0]);
      if (bx.l !== below.l || bx.t !== below.t) shift[id] = [bx.l - below.l, bx.t - below.t];
    });
    return { kept: kept, shift: shift };
  }
  function onNetwork(network) {
    var body = network.body;
    return function (id) {
      var n = body.nodes[id];
      if (!n) return null;
      var w = (n.shape.width || 2 * (n.shape.radius || 5)) / 2;
      return { x: n.x, y: n.y, half: w, height: n.shape.height || 2 * w };
    };
  }

  // Before a network is made: every label's size and every node's, worked out as vis-network
  // will (a node's `value` scales its size and its label's font between the options' min and max,
  // linearly from the smallest value to the largest; a label is as wide as its text measured in
  // that font, one font size high per line), then the labels that fit chosen. Returns the node
  // records to make the DataSet from (the labels left out blanked) and what `attach` needs.
  // Only for the shapes that hang their label under the node (all the map's shapes).
  function prepare(records, options, labelOrder, threshold, must) {
    var sc = options.nodes.scaling, lab = sc.label, face = String(options.nodes.font.face).replace(/"/g, "");
    var lo, hi;
    records.forEach(function (n) {
      if (n.value === undefined) return;
      lo = lo === undefined ? n.value : Math.min(lo, n.value);
      hi = hi === undefined ? n.value : Math.max(hi, n.value);
    });
    var ctx = document.createElement("canvas").getContext("2d"), sizes = {}, nodesAt = {}, full = {};
    records.forEach(function (n) {
      var k = n.value === undefined ? 0.5 : hi === lo ? 0.5 : Math.max(0, (n.value - lo) / (hi - lo));
      var f = lab.min + k * (lab.max - lab.min), half = sc.min + k * (sc.max - sc.min);
      nodesAt[n.id] = { x: n.x, y: n.y, half: half, height: 2 * half };
      if (!n.label) return;
      ctx.font = f + "px " + face;
      var lines = String(n.label).split("\n"), w = 0;
      lines.forEach(function (line) { w = Math.max(w, ctx.measureText(line).width); });
      sizes[n.id] = { w: w, h: f * lines.length, f: f };
      full[n.id] = n.label;
    });
    var chosen = choose(records.map(function (n) { return n.id; }), function (id) { return nodesAt[id] || null; },
                        sizes, labelOrder, must), kept = chosen.kept, keep = {}, hidden = {};
    kept.forEach(function (id) { keep[id] = true; });
    var out = records.map(function (n) {
      if (!full[n.id] || keep[n.id]) return n;
      hidden[n.id] = true;
      return Object.assign({}, n, { label: "" });
    });
    return { records: out, kept: kept,
             state: { full: full, hidden: hidden, shift: chosen.shift, sizes: sizes, threshold: threshold } };
  }

  // Hand a network made from `prepare`'s records its labels' state: the labels placed elsewhere
  // than below are drawn there, and hovering shows a label left out.
  function attach(network, nodes, prepared) {
    var st = network.espooLabels = prepared.state;
    moveLabels(network, st.shift, null);
    hover(network, nodes, st);
    return prepared.kept;
  }
  function hover(network, nodes, st) {
    network.on("hoverNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: st.full[p.node] }); });
    network.on("blurNode", function (p) { if (st.hidden[p.node]) nodes.update({ id: p.node, label: "" }); });
  }

  // Place the labels of a network (right after it is made: nothing needs to be drawn first);
  // returns the ids kept. Hovering an entity whose label was left out shows it.
  // `threshold`: on-screen pixels under which vis-network hides a label when zoomed out.
  // `also(kept)`: more updates to make in the same drawing (a route's colours).
  function place(network, nodes, labelOrder, threshold, must, also) {
    var st = stateOf(network, nodes);
    var chosen = choose(network.body.nodeIndices, onNetwork(network), st.sizes, labelOrder, must);
    var kept = chosen.kept, keep = {}, hidden = {}, changes = [], before = st.shift;
    kept.forEach(function (id) { keep[id] = true; });
    Object.keys(st.sizes).forEach(function (id) {
      var hide = !keep[id];
      if (hide) hidden[id] = true;
      if (hide !== !!st.hidden[id]) changes.push({ id: id, label: hide ? "" : st.full[id] });
    });
    st.hidden = hidden;
    st.shift = chosen.shift;
    batch(network, function () {
      moveLabels(network, st.shift, before);
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
  return { prepare: prepare, attach: attach, place: place, placeAgain: placeAgain, batch: batch };
})();
