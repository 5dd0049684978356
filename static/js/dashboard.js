// Dashboard: the filters apply on change, and the charts are drawn from the data the page passes with
// json_script (#dashboard-charts). Every chart has its table next to it; clicking a bar opens the same
// drill-down as the number in the table. No inline scripts (CSP).
(function () {
  "use strict";

  var form = document.getElementById("dashboard-filters");
  if (form) {
    form.addEventListener("change", function () {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  }

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var Chart = window.Chart;
  var charts = JSON.parse(source.textContent);
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;
  var numbers = new Intl.NumberFormat(english ? "en-GB" : "vi-VN", { maximumFractionDigits: 1 });
  var QUARTER_COLOURS = ["#9cc3e4", "#4f8fc0", "#0b4f8a", "#062a4a"];
  var PART_COLOURS = { on_time: "#198754", late: "#e0a800", missing: "#adb5bd" };

  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function format(value, unit) {
    if (value === null || value === undefined) { return "–"; }
    return numbers.format(value) + (unit === "%" ? "%" : unit ? " " + unit : "");
  }

  // A click on a bar follows its link (the drill-down listing the submissions behind the number).
  function follow(event, elements, chart) {
    if (!elements.length) { return; }
    var hit = elements[0];
    var links = chart.data.datasets[hit.datasetIndex].links;
    if (links && links[hit.index]) { window.location.assign(links[hit.index]); }
  }

  function hover(event, elements, chart) {
    var linked = elements.length && chart.data.datasets[elements[0].datasetIndex].links;
    chart.canvas.style.cursor = linked ? "pointer" : "default";
  }

  // A goal or floor drawn as a short horizontal mark over each bar group.
  function marks(spec, colour) {
    return {
      type: "line", label: spec.label, data: spec.data, showLine: false, pointStyle: "line",
      pointRadius: 14, pointHoverRadius: 16, borderWidth: 3, borderColor: colour, backgroundColor: colour, order: 0, clip: false
    };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return null; }
    config.options = Object.assign(
      { responsive: true, onClick: follow, onHover: hover, layout: { padding: { top: 10 } } }, config.options || {}
    );
    return new Chart(canvas, config);
  }

  var drawn = [];
  var t = charts.targets;
  if (t) {
    var datasets = t.datasets.map(function (d, i) {
      var colour = QUARTER_COLOURS[(QUARTER_COLOURS.length - t.datasets.length + i) % QUARTER_COLOURS.length];
      return { label: d.label, data: d.data, links: d.links, backgroundColor: colour, order: 1 };
    });
    datasets.push(marks(t.goal, "#c0392b"));
    drawn.push(draw("chart-targets", {
      type: "bar",
      data: { labels: t.labels, datasets: datasets },
      options: {
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return format(v, "%"); } } } },
        plugins: {
          tooltip: {
            callbacks: {
              title: function (items) {
                var name = t.titles[items[0].dataIndex] || "";
                return t.labels[items[0].dataIndex] + (name ? ": " + (name.length > 60 ? name.slice(0, 57) + "…" : name) : "");
              },
              label: function (item) { return item.dataset.label + ": " + format(item.raw, "%"); }
            }
          }
        }
      }
    }));
  }

  var c = charts.compliance;
  if (c) {
    drawn.push(draw("chart-compliance", {
      type: "bar",
      data: {
        labels: c.labels,
        datasets: c.datasets.map(function (d) {
          return { label: d.label, data: d.data, links: d.links, backgroundColor: PART_COLOURS[d.key] };
        })
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.raw, ""); } } } }
      }
    }));
  }

  var b = charts.budget;
  if (b) {
    var budgetSets = b.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, links: d.links, backgroundColor: i ? "#4f8fc0" : "#0b4f8a", order: 1 };
    });
    budgetSets.push(marks(b.floors[0], "#c0392b"));
    budgetSets.push(marks(b.floors[1], "#e67e22"));
    drawn.push(draw("chart-budget", {
      type: "bar",
      data: { labels: b.labels, datasets: budgetSets },
      options: {
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return format(v, ""); } } } },
        plugins: { tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.raw, b.unit); } } } }
      }
    }));
  }

  // Printing: redraw at the printed width.
  window.addEventListener("beforeprint", function () {
    drawn.forEach(function (chart) { if (chart) { chart.resize(); } });
  });
})();
