// The overview's live part: follows /ui/live (one summary a second) and draws the last two minutes.
"use strict";
(() => {
  const fmt = new Intl.NumberFormat("en");
  const pct = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%");
  const data = { t: [], completed: [], failed: [], p50: [], p95: [] };
  let throughput = null;
  let latency = null;

  function width(el) { return Math.max(280, el.clientWidth - 4); }

  function charts() {
    const t = document.getElementById("chart-throughput");
    const l = document.getElementById("chart-latency");
    const axes = [{ stroke: "#8a94a3", grid: { stroke: "rgba(128,128,128,.15)" } },
                  { stroke: "#8a94a3", grid: { stroke: "rgba(128,128,128,.15)" } }];
    throughput = new uPlot({ width: width(t), height: 220, axes, scales: { x: { time: true } },
      series: [{}, { label: "completed/s", stroke: "#1e9e4a", width: 2, fill: "rgba(30,158,74,.12)" },
                   { label: "failed/s", stroke: "#d4392f", width: 2 }] },
      [data.t, data.completed, data.failed], t);
    latency = new uPlot({ width: width(l), height: 220, axes, scales: { x: { time: true } },
      series: [{}, { label: "p50 ms", stroke: "#2f5bd3", width: 2, spanGaps: true },
                   { label: "p95 ms", stroke: "#c47f00", width: 2, spanGaps: true }] },
      [data.t, data.p50, data.p95], l);
    window.addEventListener("resize", () => {
      throughput.setSize({ width: width(t), height: 220 });
      latency.setSize({ width: width(l), height: 220 });
    });
  }

  function add(point) {
    data.t.push(point.second);
    data.completed.push(point.completed);
    data.failed.push(point.failed);
    data.p50.push(point.p50_ms ?? null);
    data.p95.push(point.p95_ms ?? null);
    while (data.t.length > 120) Object.values(data).forEach((a) => a.shift());
  }

  function redraw() {
    throughput.setData([data.t, data.completed, data.failed]);
    latency.setData([data.t, data.p50, data.p95]);
  }

  function set(key, text) {
    const el = document.querySelector('[data-stat="' + key + '"]');
    if (el && el.textContent !== text) el.textContent = text;
  }

  /** Rebuilds a "since start" table from the summary (cells as text: nothing here is parsed as HTML). */
  function ends(key, rows) {
    const body = document.querySelector('tbody[data-ends="' + key + '"]');
    if (!body || !rows || Object.keys(rows).length === 0) return;
    const trs = Object.entries(rows).map(([name, e]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      tr.appendChild(th);
      const finished = e.completed + e.failed;
      [fmt.format(e.submitted), fmt.format(e.completed), fmt.format(e.failed), fmt.format(e.cancelled),
       finished === 0 ? "—" : pct(e.failed / finished)].forEach((text) => {
        const td = document.createElement("td");
        td.className = "num";
        td.textContent = text;
        tr.appendChild(td);
      });
      return tr;
    });
    body.replaceChildren(...trs);
  }

  function summary(s) {
    set("total", fmt.format(s.total));
    set("active", fmt.format(s.active));
    Object.entries(s.counts).forEach(([status, n]) => set(status, fmt.format(n)));
    set("completion_rate", pct(s.completion_rate));
    set("failure_rate", pct(s.failure_rate));
    if (s.point) { add(s.point); redraw(); }
    ends("type", s.by_type);
    ends("scope", s.by_scope);
    document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
  }

  function connect() {
    const state = document.getElementById("live-state");
    const source = new EventSource("/ui/live");
    source.addEventListener("history", (e) => { JSON.parse(e.data).forEach(add); redraw(); });
    source.addEventListener("summary", (e) => {
      summary(JSON.parse(e.data));
      state.textContent = "Live · updated " + new Date().toLocaleTimeString();
    });
    source.onerror = () => { state.textContent = "Reconnecting…"; };
  }

  document.addEventListener("DOMContentLoaded", () => { charts(); connect(); });
})();
