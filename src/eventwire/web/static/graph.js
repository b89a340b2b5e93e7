/* The actor graph: nodes placed by a small deterministic force layout, edges as curved arrows (SVG). */
"use strict";

(() => {
  const WIDTH = 960, HEIGHT = 640, MARGIN_X = 90, MARGIN_Y = 30, GRAVITY = 1.0, LABEL_CHARS = 26;
  const data = ew.pageData();
  const root = document.getElementById("graph");
  root.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);

  function circleLayout(nodes) {
    const radius = Math.min(WIDTH, HEIGHT) / 2 - MARGIN_Y * 2;
    nodes.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / Math.max(nodes.length, 1);
      node.x = WIDTH / 2 + radius * Math.cos(angle);
      node.y = HEIGHT / 2 + radius * Math.sin(angle);
    });
  }

  /** Repulsion between every pair, springs along edges, a pull to the centre; a fixed number of steps. */
  function forceLayout(nodes, edges, steps = 250) {
    circleLayout(nodes);
    if (nodes.length < 3) return;
    const byId = new Map(nodes.map(n => [n.id, n]));
    const ideal = Math.sqrt((WIDTH * HEIGHT) / nodes.length) * 0.6;
    for (let step = 0; step < steps; step++) {
      const heat = 1 - step / steps;
      for (const n of nodes) { n.dx = 0; n.dy = 0; }
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i], b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          const d2 = Math.max(dx * dx + dy * dy, 1);
          const push = (ideal * ideal) / d2;
          a.dx += dx * push; a.dy += dy * push; b.dx -= dx * push; b.dy -= dy * push;
        }
      }
      for (const e of edges) {
        const a = byId.get(e.source), b = byId.get(e.target);
        if (!a || !b || a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.hypot(dx, dy), 1);
        const pull = d / ideal;
        a.dx -= dx * pull; a.dy -= dy * pull; b.dx += dx * pull; b.dy += dy * pull;
      }
      for (const n of nodes) {
        n.dx += (WIDTH / 2 - n.x) * GRAVITY; n.dy += (HEIGHT / 2 - n.y) * GRAVITY;
        const length = Math.max(Math.hypot(n.dx, n.dy), 1), move = Math.min(length, 30 * heat + 1);
        n.x = Math.min(WIDTH - MARGIN_X, Math.max(MARGIN_X, n.x + (n.dx / length) * move));
        n.y = Math.min(HEIGHT - MARGIN_Y, Math.max(MARGIN_Y, n.y + (n.dy / length) * move));
      }
    }
  }

  function nodeRadius(node) {
    return Math.min(24, 5 + 2 * Math.sqrt(node.events));
  }

  /** A curved path from a to b that stops at b's rim; opposite directions and tones bend apart. */
  function edgePath(a, b, tone) {
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1);
    const bend = tone === "cooperation" ? 22 : 48;
    const cx = (a.x + b.x) / 2 - (dy / d) * bend, cy = (a.y + b.y) / 2 + (dx / d) * bend;
    const tx = b.x - cx, ty = b.y - cy, td = Math.max(Math.hypot(tx, ty), 1), r = nodeRadius(b) + 3;
    const ex = b.x - (tx / td) * r, ey = b.y - (ty / td) * r;
    return `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
  }

  function arrowMarkers() {
    return ew.svg("defs", {}, ...["cooperation", "conflict"].map(tone =>
      ew.svg("marker", {id: `arrow-${tone}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 10,
                        markerHeight: 10, markerUnits: "userSpaceOnUse", orient: "auto",
                        class: `arrow tone-${tone}`},
             ew.svg("path", {d: "M0,0 L10,5 L0,10 z"}))));
  }

  function drawEdge(edge, byId) {
    const a = byId.get(edge.source), b = byId.get(edge.target);
    const d = edgePath(a, b, edge.tone);
    const group = ew.svg("g", {class: `edge tone-${edge.tone}`, tabindex: 0, role: "button",
                               "aria-label": `${a.label} to ${b.label}: ${edge.n} ${edge.tone} events`},
      ew.svg("title", {text: `${a.label} → ${b.label}: ${edge.n} ${edge.tone} event${edge.n === 1 ? "" : "s"}`}),
      ew.svg("path", {class: "edge-line", d, "stroke-width": (1.5 + 1.5 * Math.log2(edge.n + 1)).toFixed(1),
                      "marker-end": `url(#arrow-${edge.tone})`}),
      ew.svg("path", {class: "edge-hit", d}));
    const pick = () => pickEdge(edge, a, b, group);
    group.addEventListener("click", pick);
    group.addEventListener("keydown", event => { if (event.key === "Enter" || event.key === " ") pick(); });
    return group;
  }

  function shortLabel(label) {
    return label.length > LABEL_CHARS ? label.slice(0, LABEL_CHARS - 1) + "…" : label;
  }

  function drawNode(node) {
    return ew.svg("g", {class: "node", transform: `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`},
      ew.svg("title", {text: `${node.label}${node.country ? " (" + node.country + ")" : ""}: ${node.events} events`}),
      ew.svg("circle", {r: nodeRadius(node).toFixed(1)}));
  }

  /** Labels sit under the edges, so an arrow arriving from below is never hidden by a name. */
  function drawLabel(node) {
    return ew.svg("text", {class: "node-label", x: node.x.toFixed(1), y: (node.y + nodeRadius(node) + 12).toFixed(1),
                           "text-anchor": "middle", text: shortLabel(node.label)});
  }

  async function pickEdge(edge, a, b, group) {
    for (const other of root.querySelectorAll(".edge.selected")) other.classList.remove("selected");
    group.classList.add("selected");
    ew.showHint("Loading…");
    try {
      const params = {...data.filters, source: edge.source, target: edge.target, tone: edge.tone};
      const answer = await ew.getJSON("/api/graph/edge", params);
      ew.showEvents(`${a.label} → ${b.label} (${edge.tone})`, answer.items, edge.n);
    } catch (error) {
      ew.failed(error);
    }
  }

  function draw(graph) {
    ew.clear(root);
    ew.showEmpty("graph-empty", graph.edges.length === 0);
    const byId = new Map(graph.nodes.map(n => [n.id, n]));
    forceLayout(graph.nodes, graph.edges);
    const edges = ew.svg("g", {class: "edges"}, ...graph.edges.filter(e => e.source !== e.target).map(e => drawEdge(e, byId)));
    const labels = ew.svg("g", {class: "labels"}, ...graph.nodes.map(drawLabel));
    const nodes = ew.svg("g", {class: "nodes"}, ...graph.nodes.map(drawNode));
    root.append(arrowMarkers(), labels, edges, nodes);
    root.dataset.ready = "true";
  }

  ew.getJSON(data.api, data.filters).then(draw).catch(ew.failed);
})();
