/* Charts of the 企业创新服务 dashboard; data from the page's json_script (no inline script: CSP). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var el = document.getElementById("innovation-data");
  if (!el) { return; }
  var data = JSON.parse(el.textContent);
  var BLUE = "#1f4e8c", GREEN = "#2e8b57", AMBER = "#d39b2a";
  var charts = [];
  function make(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    var chart = echarts.init(node, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }
  var status = make("chart-status");
  if (status) {
    status.setOption({
      color: [BLUE], grid: { left: 70, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: "axis", formatter: "{b}：{c} 项" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.status.map(function (s) { return s.name; }) },
      series: [{ type: "bar", data: data.status.map(function (s) { return s.value; }), label: { show: true, position: "right" } }]
    });
  }
  var field = make("chart-field");
  if (field) {
    field.setOption({
      tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["40%", "65%"], center: ["50%", "42%"], data: data.field, label: { formatter: "{c}" } }]
    });
  }
  var units = make("chart-units");
  if (units) {
    units.setOption({
      color: [BLUE, AMBER, GREEN], tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 60 },
      xAxis: { type: "category", data: data.units.names, axisLabel: { interval: 0, rotate: window.innerWidth < 576 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "走访", type: "bar", data: data.units.visits },
        { name: "技术需求", type: "bar", data: data.units.demands },
        { name: "特派员服务人次", type: "bar", data: data.units.person_times }
      ]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
