/* Events per day or week as stacked SVG bars by type; a click on a bar lists its events. */
"use strict";

(() => {
  const HEIGHT = 320, TOP = 16, BOTTOM = 48, LEFT = 44, RIGHT = 12, MAX_FILLED_PERIODS = 1500;
  const TYPE_ORDER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                      "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
  const data = ew.pageData();
  const root = document.getElementById("timeline");
  const stepDays = data.interval === "week" ? 7 : 1;

  function addDays(day, days) {
    const date = new Date(day + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  /** Every period from the first to the last, so gaps show as gaps (unless the span is huge). */
  function periodsOf(items) {
    const present = [...new Set(items.map(i => i.period))].sort();
    if (present.length < 2) return present;
    const out = [];
    for (let day = present[0]; day <= present[present.length - 1] && out.length <= MAX_FILLED_PERIODS; day = addDays(day, stepDays)) {
      out.push(day);
    }
    return out.length > MAX_FILLED_PERIODS || out[out.length - 1] !== present[present.length - 1] ? present : out;
  }

  function stacks(items) {
    const byPeriod = new Map();
    for (const item of items) {
      if (!byPeriod.has(item.period)) byPeriod.set(item.period, new Map());
      byPeriod.get(item.period).set(item.type, item.n);
    }
    return byPeriod;
  }

  function axis(max, plotHeight, width) {
    const group = ew.svg("g", {class: "axis"});
    for (const value of [0, Math.ceil(max / 2), max]) {
      const y = TOP + plotHeight - (value / max) * plotHeight;
      group.append(ew.svg("line", {x1: LEFT, x2: width - RIGHT, y1: y, y2: y, class: "gridline"}),
                   ew.svg("text", {x: LEFT - 6, y: y + 4, "text-anchor": "end", text: value}));
    }
    return group;
  }

  function bar(period, type, n, x, y, width, height) {
    const until = addDays(period, stepDays - 1);
    const label = `${type}: ${n} event${n === 1 ? "" : "s"}, ${stepDays === 1 ? period : period + " to " + until}`;
    const rect = ew.svg("rect", {class: `bar type-${type}`, x: x.toFixed(1), y: y.toFixed(1), width: width.toFixed(1),
                                 height: Math.max(height, 0.5).toFixed(1), tabindex: 0, role: "button", "aria-label": label},
                        ew.svg("title", {text: label}));
    const pick = () => pickBar(rect, period, until, type, label);
    rect.addEventListener("click", pick);
    rect.addEventListener("keydown", event => { if (event.key === "Enter" || event.key === " ") pick(); });
    return rect;
  }

  async function pickBar(rect, since, until, type, label) {
    for (const other of root.querySelectorAll(".bar.selected")) other.classList.remove("selected");
    rect.classList.add("selected");
    ew.showHint("Loading…");
    try {
      const answer = await ew.getJSON("/api/events", {...data.filters, type, since, until, limit: 100, sort: "date"});
      ew.showEvents(label, answer.items, answer.total);
    } catch (error) {
      ew.failed(error);
    }
  }

  function legend(types) {
    const box = ew.clear(document.getElementById("timeline-legend"));
    for (const type of types) box.append(ew.el("span", {class: "legend-item"}, ew.typeBadge(type, ew.COOPERATIVE.has(type))));
  }

  function draw(answer) {
    ew.clear(root);
    const items = answer.items;
    ew.showEmpty("timeline-empty", items.length === 0);
    if (!items.length) return;
    const periods = periodsOf(items), byPeriod = stacks(items);
    const slot = Math.max(4, Math.min(28, 900 / periods.length)), barWidth = Math.max(2, slot * 0.8);
    const width = LEFT + RIGHT + slot * periods.length, plotHeight = HEIGHT - TOP - BOTTOM;
    const max = Math.max(1, ...periods.map(p => [...(byPeriod.get(p) || new Map()).values()].reduce((a, b) => a + b, 0)));
    root.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
    root.setAttribute("width", width);
    root.setAttribute("height", HEIGHT);
    root.append(axis(max, plotHeight, width));
    const bars = ew.svg("g", {class: "bars"}), labels = ew.svg("g", {class: "axis"});
    const labelEvery = Math.ceil(60 / slot);
    periods.forEach((period, i) => {
      const x = LEFT + i * slot + (slot - barWidth) / 2;
      let y = TOP + plotHeight;
      const counts = byPeriod.get(period) || new Map();
      for (const type of TYPE_ORDER.filter(t => counts.has(t))) {
        const height = (counts.get(type) / max) * plotHeight;
        y -= height;
        bars.append(bar(period, type, counts.get(type), x, y, barWidth, height));
      }
      if (i % labelEvery === 0) {
        labels.append(ew.svg("text", {x: (x + barWidth / 2).toFixed(1), y: TOP + plotHeight + 16, "text-anchor": "middle", text: period}));
      }
    });
    root.append(bars, labels);
    legend(TYPE_ORDER.filter(t => items.some(i => i.type === t)));
    root.dataset.ready = "true";
  }

  ew.getJSON(data.api, {...data.filters, interval: data.interval}).then(draw).catch(ew.failed);
})();
