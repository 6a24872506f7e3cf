/* The campaign page's charts (campaigns/charts.py): reads the JSON the page embeds with json_script
   and draws each chart into #chart-<id> with the self-hosted ECharts (no inline script: CSP). */
(function () {
  "use strict";
  var data = document.getElementById("campaign-charts");
  if (!data || typeof echarts === "undefined") { return; }
  var COLORS = ["#1f4e8c", "#2e8b57", "#d39b2a", "#c0392b", "#7d5ba6", "#9bb4d6"];
  var charts = [];
  JSON.parse(data.textContent).forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    el.style.height = c.kind === "hbar" ? Math.max(180, 28 * c.categories.length + 40) + "px" : "260px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    var legend = c.series.length > 1 ? { bottom: 0 } : undefined;
    var option;
    if (c.kind === "pie") {
      option = {
        color: COLORS, tooltip: { trigger: "item", formatter: "{b}：{c}" + c.unit + "（{d}%）" }, legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
          data: c.categories.map(function (name, i) { return { name: name, value: c.series[0].data[i] }; }) }]
      };
    } else {
      var horizontal = c.kind === "hbar";
      var cat = { type: "category", data: c.categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 45 } };
      var val = { type: "value", name: c.unit, minInterval: 1 };
      option = {
        color: COLORS, tooltip: { trigger: "axis" }, legend: legend,
        grid: { left: 8, right: 16, top: 28, bottom: legend ? 56 : 8, containLabel: true },
        xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
        series: c.series.map(function (s) {
          var one = { name: s.name, type: c.kind === "line" ? "line" : "bar", data: s.data };
          if (horizontal) { one.label = { show: true, position: "right" }; }
          if (c.kind === "line") { one.step = false; one.smooth = false; one.symbolSize = 5; }
          return one;
        })
      };
      if (horizontal) { option.yAxis.inverse = true; }
    }
    chart.setOption(option);
  });
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
})();
