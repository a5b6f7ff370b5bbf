// The charts of the campaign dashboard (集中履职月). Figures from <script type="application/json"
// id="campaign-data">; the tables beside the charts carry the same figures for those without JavaScript.
(function () {
  "use strict";
  var charts = [];

  function chart(name, option) {
    var node = document.querySelector("[data-chart=" + name + "]");
    if (!node) return;
    var c = window.echarts.init(node, null, { renderer: "svg" });
    c.setOption(option);
    charts.push(c);
  }

  function draw() {
    var source = document.getElementById("campaign-data");
    if (!source || typeof window.echarts === "undefined") return;
    var d = JSON.parse(source.textContent);
    chart("levels", {
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.levels.names },
      yAxis: { type: "value", min: 0, max: 100, name: d.labels.participation },
      series: [{ type: "bar", data: d.levels.pct, itemStyle: { color: "#c0392b" } }],
    });
    chart("heat", {
      tooltip: { position: "top" },
      grid: { left: 120, right: 24, top: 16, bottom: 64 },
      xAxis: { type: "category", data: d.heat.levels },
      yAxis: { type: "category", data: d.heat.areas },
      visualMap: { min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ type: "heatmap", data: d.heat.cells, label: { show: true } }],
    });
    chart("disposals", { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: "65%", data: d.disposals }] });
    chart("kinds", {
      tooltip: { trigger: "axis" },
      grid: { left: 160, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.kinds.names },
      series: [{ type: "bar", data: d.kinds.values, name: d.labels.activities }],
    });
    chart("funds", {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      xAxis: { type: "category", data: d.funds.months },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: d.labels.month, data: d.funds.amounts },
        { type: "line", name: d.labels.running, data: d.funds.running },
      ],
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
