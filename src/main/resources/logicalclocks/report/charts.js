// report.html's interactive charts: every <figure class="chart"> carries its data as JSON
// (written by InteractiveChart.java); this draws each with uPlot, inlined above (no network).
// Hover: each series' value in the legend; drag across: zoom in; double-click: zoom out;
// click a legend entry: hide or show that series.
(function () {
  "use strict";
  var WHOLE = [];
  for (var m = 1; m < 1e15; m *= 10) WHOLE.push(m, 2 * m, 5 * m);
  function fmt(v) {
    if (v == null) return "-";
    return Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Math.round(v * 1000) / 1000);
  }
  function draw(fig) {
    var host = fig.querySelector(".chart-host");
    var spec = JSON.parse(fig.querySelector(".chart-data").textContent);
    var width = Math.max(320, Math.min(1000, host.clientWidth || 1000));
    var series = [{
      label: spec.x,
      value: function (u, v) { return v == null ? "-" : spec.xTime ? v.toFixed(3) + " s" : String(v); }
    }];
    // Each VM's line its own dash too: two VMs with equal values stay visible, one over the other.
    var dashes = [[], [7, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 4]];
    spec.series.forEach(function (s, k) {
      var one = {
        label: s.label,
        stroke: s.color,
        width: 1.6,
        dash: spec.style === "points" ? [] : dashes[k % dashes.length],
        spanGaps: spec.style !== "points",
        value: function (u, v) { return fmt(v); }
      };
      if (spec.style === "step") one.paths = uPlot.paths.stepped({ align: 1 });
      if (spec.style === "points") {
        // counts per size, not a series over time: dots only, each VM's smaller than the one
        // before, so equal counts show as rings, none hiding another
        one.points = { show: true, size: Math.max(4, 13 - 3 * k), fill: s.color };
        one.paths = function () { return null; };
      }
      series.push(one);
    });
    var opts = {
      title: spec.title,
      width: width,
      height: spec.series.length > 8 ? 420 : 320,
      scales: { x: { time: false }, y: spec.log ? { distr: 3 } : {} },
      // whole-number quantities (jump sizes, queued messages): ticks on whole numbers only
      axes: [
        spec.xTime ? { label: spec.x } : { label: spec.x, incrs: WHOLE },
        spec.style === "step" ? { label: spec.y, size: 60, incrs: WHOLE } : { label: spec.y, size: 60 }
      ],
      series: series,
      cursor: { drag: { x: spec.xTime, y: false } },
      legend: { live: true }
    };
    var plot = new uPlot(opts, spec.data, host);
    fig.uplot = plot; // for tests and the curious: document.querySelector('#queue-chart').uplot
    var help = document.createElement("p");
    help.className = "chart-help";
    help.textContent = spec.help;
    fig.appendChild(help);
  }
  function drawAll() {
    document.querySelectorAll("figure.chart").forEach(draw);
    document.body.setAttribute("data-charts", "drawn");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
