/* eventwire: helpers shared by the page scripts.
   Data from articles is only ever put in the page with textContent or setAttribute, never as HTML. */
"use strict";

const ew = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const COOPERATIVE = new Set(["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"]);

  function setAttributes(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, String(value));
    }
  }

  function appendAll(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** An HTML element: el("a", {href: "/x", text: "label"}, child, "text"...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttributes(node, attrs);
    return appendAll(node, children);
  }

  /** An SVG element, same calling convention as el(). */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttributes(node, attrs);
    return appendAll(node, children);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  /** The JSON the server put in <script type="application/json" id="page-data">. */
  function pageData() {
    const node = document.getElementById("page-data");
    return node ? JSON.parse(node.textContent) : {};
  }

  function queryString(params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
    }
    const text = query.toString();
    return text ? "?" + text : "";
  }

  async function getJSON(path, params) {
    const response = await fetch(path + queryString(params), {headers: {Accept: "application/json"}});
    if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
    return response.json();
  }

  /** Only links to this site's own pages ("/..."), so no data can smuggle in a javascript: URL. */
  function localHref(href) {
    return typeof href === "string" && href.startsWith("/") && !href.startsWith("//") ? href : "#";
  }

  function isCooperative(event) {
    return COOPERATIVE.has(event.type) || event.quad_class === 1 || event.quad_class === 2;
  }

  /** The side the server gave the event (the graph's lists: by PLOVER type), else the one worked out here. */
  function sideOf(event) {
    return typeof event.cooperative === "boolean" ? event.cooperative : isCooperative(event);
  }

  function typeBadge(type, cooperative) {
    return el("span", {class: `badge type-${type} ${cooperative ? "coop" : "conflict"}`, text: type});
  }

  function actorLabel(name, country) {
    return el("span", {class: "who"}, name || "—", country ? " " : null,
              country ? el("span", {class: "iso", text: country}) : null);
  }

  function eventItem(event) {
    const meta = [event.date || "undated", event.modality].filter(Boolean).join(" · ");
    return el("li", {class: "event-item"},
      el("div", {class: "line"}, typeBadge(event.type, sideOf(event)), " ",
         actorLabel(event.source_name, event.source_country), " → ",
         actorLabel(event.target_name, event.target_country), " ", el("span", {class: "meta", text: meta})),
      el("a", {class: "evidence", href: localHref(event.link), text: event.sentence || event.trigger || "(article)"}));
  }

  /** Fill the "picked" panel beside a chart with a list of events. */
  function showEvents(title, events, total) {
    document.getElementById("picked-title").textContent = title;
    const more = total !== undefined && total > events.length ? ` (showing ${events.length} of ${total})` : "";
    showHint(events.length ? `${events.length} event${events.length === 1 ? "" : "s"}${more}` : "No events.");
    appendAll(clear(document.getElementById("picked-events")), events.map(eventItem));
  }

  function showHint(text) {
    document.getElementById("picked-hint").textContent = text;
  }

  function showEmpty(id, empty) {
    document.getElementById(id).classList.toggle("hidden", !empty);
  }

  function failed(error) {
    showHint(`Could not load the data: ${error.message}`);
  }

  return {el, svg, clear, pageData, queryString, getJSON, localHref, isCooperative, typeBadge, showEvents,
          showHint, showEmpty, failed, COOPERATIVE};
})();
