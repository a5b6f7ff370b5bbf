// The charts of the statistics page. The figures come from <script type="application/json" id="stats-data">
// (json_script); the tables of the page carry the same figures for those without JavaScript.
(function () {
  "use strict";

  var COLORS = ["#c0392b", "#e67e22", "#f1c40f", "#27ae60", "#2980b9", "#8e44ad", "#16a085", "#7f8c8d", "#d35400", "#2c3e50"];

  function pie(items, donut) {
    return {
      color: COLORS,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
      series: [{
        type: "pie",
        radius: donut ? ["32%", "60%"] : "60%",
        center: ["50%", "42%"],
        data: items,
        label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
        labelLayout: { hideOverlap: true },
      }],
    };
  }

  function counties(data, labels) {
    return {
      color: COLORS,
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 48, right: 48, top: 24, bottom: 64 },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 7 ? 30 : 0 } },
      yAxis: [
        { type: "value", name: labels.cases, minInterval: 1 },
        { type: "value", name: labels.rate_axis, min: 0, max: 100 },
      ],
      series: [
        { name: labels.cases, type: "bar", data: data.cases },
        { name: labels.overdue, type: "bar", data: data.overdue },
        // Rates are dots, not lines: counties are not a sequence.
        { name: labels.on_time_rate, type: "line", yAxisIndex: 1, data: data.on_time_rate, lineStyle: { width: 0 }, symbolSize: 11 },
        { name: labels.satisfaction_rate, type: "line", yAxisIndex: 1, data: data.satisfaction_rate, lineStyle: { width: 0 }, symbol: "diamond", symbolSize: 12 },
      ],
    };
  }

  function init() {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var name = node.getAttribute("data-chart");
      var option = null;
      if (name === "status") option = pie(data.status, true);
      else if (name === "kind") option = pie(data.kind, false);
      else if (name === "classes") option = pie(data.classes, true);
      else if (name === "counties") option = counties(data.counties, data.labels);
      if (!option) return;
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
