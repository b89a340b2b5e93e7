/* The actor graph: who acts on whom. A deterministic force layout in which every node takes the room of its
   circle and its name, then a pass that pushes apart whatever still overlaps, so no two names ever cover each
   other; names are drawn last, above the arrows, on a halo of the paper colour. */
"use strict";

(() => {
  const MIN_WIDTH = 560, MIN_HEIGHT = 520, GROUP_GAP = 28, SPREAD = 3, PAD = 4, LABEL_GAP = 3, MARGIN = 12, STEPS = 320, SEPARATION_ROUNDS = 400;
  const data = ew.pageData();
  const view = data.view || {by: "actor", top: 40};
  const root = document.getElementById("graph");

  function nodeRadius(node) {
    return Math.min(20, 5 + 1.6 * Math.sqrt(node.events));
  }

  /** Width and height of each name as the browser draws it: the layout makes room for exactly that. */
  function measureLabels(nodes, layer) {
    for (const node of nodes) {
      node.text = ew.svg("text", {class: "node-label", "text-anchor": "middle", text: node.label});
      layer.appendChild(node.text);
      const box = node.text.getBBox();
      node.labelWidth = box.width;
      node.labelHeight = box.height;
      node.labelAscent = -box.y;
    }
  }

  /** The room a node needs: its circle, and its name centred under it. Its centre is the circle's offset by dy. */
  function footprint(node) {
    node.r = nodeRadius(node);
    node.w = Math.max(2 * node.r, node.labelWidth) + 2 * PAD;
    node.h = 2 * node.r + LABEL_GAP + node.labelHeight + 2 * PAD;
    node.dy = node.h / 2 - node.r - PAD;          // from the circle's centre down to the box's centre
  }

  /** Start on a sunflower spiral, the busiest actors in the middle: the same picture on every load. */
  function seed(nodes, width, height) {
    nodes.forEach((node, i) => {
      const angle = i * 2.399963, radius = 18 * Math.sqrt(i + 0.5);
      node.x = width / 2 + radius * Math.cos(angle) * (width / height);
      node.y = height / 2 + radius * Math.sin(angle);
    });
  }

  /** The overlap of two nodes' boxes along x and y (positive when they overlap), with a margin between them. */
  function overlap(a, b) {
    const ox = (a.w + b.w) / 2 + MARGIN - Math.abs(a.x - b.x);
    const oy = (a.h + b.h) / 2 + MARGIN / 2 - Math.abs((a.y + a.dy) - (b.y + b.dy));
    return [ox, oy];
  }

  /** Push two overlapping boxes apart along the axis where they overlap least; `share` of the way each step. */
  function separate(a, b, share) {
    const [ox, oy] = overlap(a, b);
    if (ox <= 0 || oy <= 0) return false;
    if (ox < oy) {
      const sign = a.x < b.x || (a.x === b.x && a.index < b.index) ? -1 : 1;
      a.x += sign * ox * share; b.x -= sign * ox * share;
    } else {
      const sign = a.y + a.dy < b.y + b.dy || (a.y + a.dy === b.y + b.dy && a.index < b.index) ? -1 : 1;
      a.y += sign * oy * share; b.y -= sign * oy * share;
    }
    return true;
  }

  function keepInside(node, width) {
    node.x = Math.min(width - node.w / 2, Math.max(node.w / 2, node.x));
  }

  /** Repulsion between every pair, springs along edges, a pull to the middle, and boxes that push apart. */
  function forceLayout(nodes, edges, width, height) {
    seed(nodes, width, height);
    const byId = new Map(nodes.map(n => [n.id, n]));
    const room = nodes.reduce((sum, n) => sum + (n.w + MARGIN) * (n.h + MARGIN), 0);
    const ideal = Math.max(60, Math.sqrt(room / Math.max(nodes.length, 1)) * 1.1);
    for (let step = 0; step < STEPS; step++) {
      const heat = 1 - step / STEPS;
      for (const n of nodes) { n.fx = 0; n.fy = 0; }
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i], b = nodes[j];
          const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 1);
          const push = (ideal * ideal) / d2;
          a.fx += dx * push; a.fy += dy * push; b.fx -= dx * push; b.fy -= dy * push;
        }
      }
      for (const e of edges) {
        const a = byId.get(e.source), b = byId.get(e.target);
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.hypot(dx, dy), 1), pull = d / ideal;
        a.fx -= dx * pull; a.fy -= dy * pull; b.fx += dx * pull; b.fy += dy * pull;
      }
      for (const n of nodes) {
        n.fx += (width / 2 - n.x) * 0.6; n.fy += (height / 2 - n.y) * 0.9;
        const length = Math.max(Math.hypot(n.fx, n.fy), 1), move = Math.min(length, 24 * heat + 0.5);
        n.x += (n.fx / length) * move; n.y += (n.fy / length) * move;
        keepInside(n, width);
      }
      if (step > STEPS / 2) separateAll(nodes, width, 0.25);
    }
    for (let round = 0; round < SEPARATION_ROUNDS && separateAll(nodes, width, 0.5); round++);
  }

  /** One pass over every pair; true when some pair still overlapped. */
  function separateAll(nodes, width, share) {
    let moved = false;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        if (separate(nodes[i], nodes[j], share)) {
          moved = true;
          keepInside(nodes[i], width); keepInside(nodes[j], width);
        }
      }
    }
    return moved;
  }

  /** Actors linked to each other, the biggest group first: each group is laid out alone, then packed in rows. */
  function components(nodes, edges) {
    const parent = new Map(nodes.map(n => [n.id, n.id]));
    const find = id => {
      while (parent.get(id) !== id) id = parent.get(id);
      return id;
    };
    for (const e of edges) parent.set(find(e.source), find(e.target));
    const groups = new Map();
    for (const n of nodes) {
      const key = find(n.id);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(n);
    }
    const weight = group => group.reduce((sum, n) => sum + n.events, 0);
    return [...groups.values()].sort((a, b) => b.length - a.length || weight(b) - weight(a));
  }

  function bounds(nodes) {
    return {left: Math.min(...nodes.map(n => n.x - n.w / 2)), right: Math.max(...nodes.map(n => n.x + n.w / 2)),
            top: Math.min(...nodes.map(n => n.y + n.dy - n.h / 2)),
            bottom: Math.max(...nodes.map(n => n.y + n.dy + n.h / 2))};
  }

  function shift(nodes, dx, dy) {
    for (const n of nodes) { n.x += dx; n.y += dy; }
  }

  /** Lay out each group in a box its size needs, then pack the boxes in centred rows across the width. */
  function layoutGroups(nodes, edges, width) {
    const rows = [[]];
    let x = 0, y = 0, rowHeight = 0;
    const closeRow = () => {
      const row = rows[rows.length - 1];
      if (row.length) shift(row.flat(), (width - (x - GROUP_GAP)) / 2, 0);
    };
    for (const group of components(nodes, edges)) {
      const ids = new Set(group.map(n => n.id));
      const room = group.reduce((sum, n) => sum + (n.w + MARGIN) * (n.h + MARGIN), 0);
      const widest = Math.max(...group.map(n => n.w)) + 2 * MARGIN;
      const boxWidth = Math.min(width, Math.max(widest, Math.sqrt(SPREAD * room) * 1.4));
      forceLayout(group, edges.filter(e => ids.has(e.source)), boxWidth, Math.max((SPREAD * room) / boxWidth, 60));
      const b = bounds(group);
      shift(group, -b.left, -b.top);
      const w = b.right - b.left, h = b.bottom - b.top;
      if (x > 0 && x + w > width) {
        closeRow();
        rows.push([]);
        y += rowHeight + GROUP_GAP;
        x = 0; rowHeight = 0;
      }
      shift(group, x, y);
      rows[rows.length - 1].push(group);
      x += w + GROUP_GAP;
      rowHeight = Math.max(rowHeight, h);
    }
    closeRow();
  }

  /** A curve from a's rim to b's rim, as [start, control, end]; the two directions and sides of a pair bend apart. */
  function edgeCurve(a, b, tone) {
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1);
    const bend = Math.min(d / 5, tone === "cooperation" ? 18 : 36);
    const cx = (a.x + b.x) / 2 - (dy / d) * bend, cy = (a.y + b.y) / 2 + (dx / d) * bend;
    const rim = (node, extra) => {
      const tx = node.x - cx, ty = node.y - cy, td = Math.max(Math.hypot(tx, ty), 1);
      return [node.x - (tx / td) * (node.r + extra), node.y - (ty / td) * (node.r + extra)];
    };
    return [rim(a, 1), [cx, cy], rim(b, 3)];
  }

  function edgePath([[sx, sy], [cx, cy], [ex, ey]]) {
    return `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
  }

  /** Points along a curve, to tell which names an arrow runs under. */
  function samples([[sx, sy], [cx, cy], [ex, ey]], count = 24) {
    const out = [];
    for (let i = 1; i < count; i++) {
      const t = i / count, u = 1 - t;
      out.push([u * u * sx + 2 * u * t * cx + t * t * ex, u * u * sy + 2 * u * t * cy + t * t * ey]);
    }
    return out;
  }

  /** Where a name can go: under its circle (the room the layout kept), else above, right or left of it. */
  function labelBox(node, place) {
    const w = node.labelWidth, h = node.labelHeight, r = node.r + LABEL_GAP;
    const at = {below: [node.x - w / 2, node.y + r], above: [node.x - w / 2, node.y - r - h],
                right: [node.x + r, node.y - h / 2], left: [node.x - r - w, node.y - h / 2]}[place];
    return {x: at[0], y: at[1], w, h};
  }

  function intersects(a, b, gap = 0) {
    return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
  }

  function circleBox(node) {
    return {x: node.x - node.r, y: node.y - node.r, w: 2 * node.r, h: 2 * node.r};
  }

  function crossings(box, points) {
    return points.reduce((n, [x, y]) => n + (x > box.x - 2 && x < box.x + box.w + 2 && y > box.y - 2 && y < box.y + box.h + 2), 0);
  }

  /** Move a name off the arrows where another side of its circle is free of names, circles and arrows. */
  function placeLabels(nodes, points, width) {
    const circles = nodes.map(circleBox);
    for (const node of nodes) { node.place = "below"; node.box = labelBox(node, "below"); }
    for (const node of nodes) {
      let best = crossings(node.box, points);
      for (const place of ["above", "right", "left"]) {
        if (best === 0) break;
        const box = labelBox(node, place);
        if (box.x < 0 || box.x + box.w > width) continue;
        const blocked = nodes.some((other, i) => (other !== node && intersects(box, other.box, 3)) ||
                                                 (other !== node && intersects(box, circles[i], 3)));
        const crossed = crossings(box, points);
        if (!blocked && crossed < best) { best = crossed; node.place = place; node.box = box; }
      }
    }
  }

  function arrowMarkers() {
    return ew.svg("defs", {}, ...["cooperation", "conflict"].map(tone =>
      ew.svg("marker", {id: `arrow-${tone}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9,
                        markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto",
                        class: `arrow tone-${tone}`},
             ew.svg("path", {d: "M0,0 L10,5 L0,10 z"}))));
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  function activate(element, action) {
    element.addEventListener("click", action);
    element.addEventListener("keydown", event => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); action(); }
    });
  }

  function drawEdge(edge, byId) {
    const a = byId.get(edge.source), b = byId.get(edge.target);
    const d = edgePath(edge.curve);
    const said = `${a.label} → ${b.label}: ${plural(edge.n, edge.tone + " event")}`;
    const group = ew.svg("g", {class: `edge tone-${edge.tone}`, tabindex: 0, role: "button", "data-n": edge.n,
                               "data-source": edge.source, "data-target": edge.target,
                               "aria-label": `${a.label} to ${b.label}: ${plural(edge.n, edge.tone + " event")}`},
      ew.svg("title", {text: said}),
      ew.svg("path", {class: "edge-line", d, "stroke-width": (1.2 + 1.3 * Math.log2(edge.n + 1)).toFixed(1),
                      "marker-end": `url(#arrow-${edge.tone})`}),
      ew.svg("path", {class: "edge-hit", d}));
    activate(group, () => pick(group, `${a.label} → ${b.label} (${edge.tone})`, "/api/graph/edge",
                               {source: edge.source, target: edge.target, tone: edge.tone}, edge.n));
    return group;
  }

  function drawNode(node) {
    const group = ew.svg("g", {class: `node kind-${node.kind}`, transform: `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`,
                               tabindex: 0, role: "button", "data-id": node.id,
                               "aria-label": `${node.label}: ${plural(node.events, "event")}`},
      ew.svg("title", {text: `${node.label}: ${plural(node.events, "event")}`}),
      ew.svg("circle", {r: node.r.toFixed(1)}));
    const choose = () => pick(group, node.label, "/api/graph/node", {id: node.id}, node.events);
    activate(group, choose);
    node.text.addEventListener("click", choose);
    return group;
  }

  function placeLabel(node) {
    node.text.setAttribute("text-anchor", "start");
    node.text.setAttribute("x", node.box.x.toFixed(1));
    node.text.setAttribute("y", (node.box.y + node.labelAscent).toFixed(1));
    node.text.setAttribute("data-id", node.id);
    node.text.setAttribute("data-place", node.place);
  }

  async function pick(element, title, path, params, total) {
    for (const other of root.querySelectorAll(".selected")) other.classList.remove("selected");
    element.classList.add("selected");
    ew.showHint("Loading…");
    try {
      const answer = await ew.getJSON(path, {...data.filters, by: view.by, ...params});
      ew.showEvents(title, answer.items, answer.total ?? total);
    } catch (error) {
      ew.failed(error);
    }
  }

  function describe(graph) {
    const status = document.getElementById("graph-status");
    if (!status) return;
    const what = graph.by === "country" ? "countries" : "actors";
    status.textContent = graph.edges.length ? `The ${plural(graph.edges.length, "strongest link")} of ` +
      `${graph.edges_total}, between ${graph.nodes.length} of ${graph.nodes_total} ${what}.` : "";
  }

  /** Fit the picture: the width of the page's column, as tall as circles and names need. */
  function fit(nodes, width) {
    const top = Math.min(...nodes.map(n => Math.min(n.y - n.r, n.box.y))) - MARGIN;
    const bottom = Math.max(...nodes.map(n => Math.max(n.y + n.r, n.box.y + n.box.h))) + MARGIN;
    root.setAttribute("viewBox", `0 ${top.toFixed(1)} ${width} ${(bottom - top).toFixed(1)}`);
    root.setAttribute("width", width);
    root.setAttribute("height", (bottom - top).toFixed(0));
  }

  function draw(graph) {
    ew.clear(root);
    describe(graph);
    ew.showEmpty("graph-empty", graph.edges.length === 0);
    const width = Math.max(MIN_WIDTH, Math.floor(root.parentElement.clientWidth - 16));
    root.setAttribute("viewBox", `0 0 ${width} ${MIN_HEIGHT}`);
    const nodes = graph.nodes.map((n, index) => ({...n, index}));
    const byId = new Map(nodes.map(n => [n.id, n]));
    const labels = ew.svg("g", {class: "labels"});
    root.append(arrowMarkers(), labels);
    measureLabels(nodes, labels);
    nodes.forEach(footprint);
    if (nodes.length) layoutGroups(nodes, graph.edges, width);
    for (const edge of graph.edges) edge.curve = edgeCurve(byId.get(edge.source), byId.get(edge.target), edge.tone);
    placeLabels(nodes, graph.edges.flatMap(e => samples(e.curve)), width);
    if (nodes.length) fit(nodes, width);
    nodes.forEach(placeLabel);
    const edges = ew.svg("g", {class: "edges"}, ...graph.edges.map(e => drawEdge(e, byId)));
    const circles = ew.svg("g", {class: "nodes"}, ...nodes.map(drawNode));
    root.append(edges, circles, labels);          // names last: above every arrow and circle
    root.dataset.ready = "true";
  }

  /** The countries toggle applies at once, as a user expects of a switch. */
  const toggle = document.getElementById("graph-by-country");
  if (toggle) toggle.addEventListener("change", () => toggle.form.requestSubmit());

  ew.getJSON(data.api, {...data.filters, by: view.by, top: view.top}).then(draw).catch(ew.failed);
})();
