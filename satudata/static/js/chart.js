/* Charts of numeric columns. Each <canvas data-chart="ID"> reads its spec from
   <script type="application/json" id="ID">: {type: "bar"|"line", labels: [...],
   series: [{name, label, values, color?}], stacked?, horizontal?, suffix?, max?}: ``stacked``
   stacks the bars, ``horizontal`` lays them along one row per label, ``suffix`` follows each
   number ("%"), ``max`` tops the value axis. Chart.js (satudata/static/vendor, from npm) draws it;
   the table of the same numbers stays on the page for screen readers and for when scripts
   or Chart.js are missing. Numbers use the page language's format (id: 1.234.567,8). */
(function () {
  "use strict";

  var PALETTE = ["#9f1228", "#1f5f8b", "#c77d02", "#2f7d4f", "#6b4ea2", "#4a5568"];

  function numberFormat() {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  }

  function draw(canvas) {
    var specEl = document.getElementById(canvas.getAttribute("data-chart"));
    if (!specEl) { return; }
    var spec;
    try { spec = JSON.parse(specEl.textContent); } catch (e) { return; }
    if (!spec || !spec.labels || !spec.series) { return; }
    var fmt = numberFormat();
    var line = spec.type === "line";
    var suffix = spec.suffix || "";
    var stacked = !!spec.stacked;
    var datasets = spec.series.map(function (s, i) {
      var color = s.color || PALETTE[i % PALETTE.length];
      return {
        label: s.label || s.name,
        data: s.values,
        backgroundColor: line ? color : color + "cc",
        borderColor: color,
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 3 : 0,
        tension: 0.2
      };
    });
    var wrap = canvas.closest("[data-chart-wrap]");
    if (wrap) { wrap.hidden = false; }
    var horizontal = !line && (spec.horizontal || (spec.labels.length > 12 && window.innerWidth < 700));
    if (spec.horizontal && wrap) {  /* one row per label: long names stay readable */
      wrap.style.height = Math.max(320, spec.labels.length * 26 + 90) + "px";
    }
    /* global Chart */
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        locale: document.documentElement.lang === "en" ? "en-GB" : "id-ID",
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = horizontal ? ctx.parsed.x : ctx.parsed.y;
                return ctx.dataset.label + ": " + (v === null ? "—" : fmt.format(v) + suffix);
              }
            }
          }
        },
        scales: {
          x: { stacked: stacked, max: horizontal ? spec.max : undefined,
               ticks: horizontal ? { callback: function (v) { return fmt.format(v) + suffix; } } : { autoSkip: true, maxRotation: 60 } },
          y: { stacked: stacked, beginAtZero: !line || spec.max !== undefined, max: horizontal ? undefined : spec.max,
               ticks: horizontal ? { autoSkip: false } : { callback: function (v) { return fmt.format(v) + suffix; } } }
        }
      }
    });
    var figure = canvas.closest("figure");
    var table = figure && figure.querySelector("details[data-chart-table]");
    if (table) { table.open = false; }
  }

  function init() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
