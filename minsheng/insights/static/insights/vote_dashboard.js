// The chart of the votes dashboard: turnout of each congress's latest vote (bars) and chosen of N (dots).
// Figures from <script type="application/json" id="dashboard-data">; the table carries the same figures for
// those without JavaScript. Drawn again after htmx refreshes the figures (every 15 s while a vote is open).
(function () {
  "use strict";
  var chart = null;

  function draw() {
    var source = document.getElementById("dashboard-data");
    var node = document.querySelector("[data-chart=turnout]");
    if (chart) { chart.dispose(); chart = null; }
    if (!source || !node || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      color: ["#2980b9", "#27ae60", "#7f8c8d"],
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 48, right: 48, top: 24, bottom: 72 },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 6 ? 30 : 0 } },
      yAxis: [
        { type: "value", name: data.labels.turnout, min: 0, max: 100 },
        { type: "value", name: data.labels.chosen, minInterval: 1 },
      ],
      series: [
        { name: data.labels.turnout, type: "bar", data: data.turnout },
        { name: data.labels.chosen, type: "line", yAxisIndex: 1, data: data.chosen, lineStyle: { width: 0 }, symbolSize: 11 },
        { name: data.labels.seats, type: "line", yAxisIndex: 1, data: data.seats, lineStyle: { width: 0 }, symbol: "diamond", symbolSize: 10 },
      ],
    });
  }

  window.addEventListener("resize", function () { if (chart) chart.resize(); });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "dashboard-figures") draw();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
