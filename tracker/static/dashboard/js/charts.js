/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID">, with Chart.js.
 * The data is rendered by the server (json_script), so the page needs no API call and
 * the numbers in the chart are the numbers in the table beside it. */
(function () {
  "use strict";

  // Numbers written on the bars themselves, so a screenshot or an embed reads without hovering.
  // Chart.js has no built-in data labels; this small plugin draws each bar's label inside it
  // (or after it when the bar is too short), and skips empty segments.
  var dataLabels = {
    id: "trackerDataLabels",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "12px sans-serif";
      ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) { return; }
        meta.data.forEach(function (bar, j) {
          var value = dataset.data[j];
          if (!value) { return; }
          var text = options.format(value, i, j);
          var width = ctx.measureText(text).width;
          var inside = Math.abs(bar.x - bar.base) > width + 8;
          if (!inside && options.stacked) { return; }
          ctx.fillStyle = inside ? "#fff" : "#222";
          ctx.textAlign = inside ? "right" : "left";
          ctx.fillText(text, inside ? bar.x - 4 : bar.x + 4, bar.y);
        });
      });
      ctx.restore();
    },
  };

  function percent(value) { return value + "%"; }

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
      plugins: [dataLabels],
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          trackerDataLabels: {
            stacked: false,
            format: function (value, i, j) { return value + " (" + (100 * data.rows[j].share).toFixed(1) + "%)"; },
          },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.parsed.x + " (" + (100 * data.rows[ctx.dataIndex].share).toFixed(1) + "%)"; },
            },
          },
        },
        // Counts on the axis (the table beside it has the shares); each bar is labelled "count (share)".
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
      plugins: [dataLabels],
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: "bottom" },
          trackerDataLabels: {
            stacked: true,
            format: function (value) { return data.shares ? value + "%" : String(value); },
          },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + ctx.parsed.x + (data.shares ? "%" : ""); },
            },
          },
        },
        scales: {
          x: {
            stacked: true, beginAtZero: true, max: data.shares ? 100 : undefined,
            ticks: data.shares ? { callback: percent } : { precision: 0 },
          },
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
