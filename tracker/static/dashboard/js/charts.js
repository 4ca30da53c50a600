/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID">, with Chart.js.
 * The data is rendered by the server (json_script), so the page needs no API call and
 * the numbers in the chart are the numbers in the table beside it. */
(function () {
  "use strict";

  function statusChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.series.map(function (s) { return s.label; }),
        datasets: [{
          label: "",
          data: data.counts,
          backgroundColor: data.series.map(function (s) { return s.colour; }),
        }],
      },
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var share = data.total ? (100 * ctx.parsed.x / data.total).toFixed(1) : "0.0";
                return ctx.parsed.x + " (" + share + "%)";
              },
            },
          },
        },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function stackedChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: data.values[i], backgroundColor: s.colour, stack: "verdicts", maxBarThickness: 36 };
        }),
      },
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + ctx.parsed.x + (data.shares ? "%" : ""); },
            },
          },
        },
        scales: {
          x: { stacked: true, beginAtZero: true, max: data.shares ? 100 : undefined, ticks: { precision: 0 } },
          y: { stacked: true },
        },
      },
    });
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var chart = data.kind === "status" ? statusChart(canvas, data) : stackedChart(canvas, data);
      canvas.dataset.rendered = "true";
      return chart;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
