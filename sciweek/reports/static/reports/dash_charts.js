/* Charts of the statistics dashboard and the roll-up page. Reads its data from the JSON that the
   page embeds with json_script (no inline script: the CSP allows only self-hosted files). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var BLUE = "#1f4e8c", LIGHT = "#9bb4d6", GREEN = "#2e8b57", AMBER = "#d39b2a", RED = "#c0392b", GREY = "#b8c0cc";
  var charts = [];
  var narrow = function () { return window.innerWidth < 576; };

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function make(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }
  function short(text, n) { return text.length > n ? text.slice(0, n) + "…" : text; }
  function axis(v) {  // compact axis labels: 1,500 -> 1500, 20000 -> 2万, 100000 -> 10万
    if (v >= 10000) { return (v / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万"; }
    return String(v);
  }
  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  }

  function completeness(data) {
    var chart = make("chart-completeness");
    if (!chart) { return; }
    var colors = [GREEN, BLUE, AMBER, RED];
    chart.setOption({
      color: colors,
      tooltip: { trigger: "item", formatter: "{b}：{c} 家（{d}%）" },
      legend: { bottom: 0, icon: "circle" },
      series: [{
        type: "pie", radius: ["45%", "70%"], center: ["50%", "45%"], avoidLabelOverlap: true,
        label: { formatter: "{b}\n{c}", fontSize: 12 },
        data: data.completeness.filter(function (d) { return d.value > 0; })
      }]
    });
  }

  function funding(data) {
    var chart = make("chart-funding");
    if (!chart) { return; }
    var rows = data.rows.filter(function (r) { return r.money; });
    var series = [{ name: "本年", type: "bar", itemStyle: { color: BLUE }, barMaxWidth: 28,
                    label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
                    data: rows.map(function (r) { return data.totals[r.code] || 0; }) }];
    if (data.prev) {
      series.push({ name: data.prevYear + "年", type: "bar", itemStyle: { color: LIGHT }, barMaxWidth: 28,
                    data: rows.map(function (r) { return data.prev[r.code] || 0; }) });
      series[0].name = "本年";
    }
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v) + " 万元"; } },
      legend: { show: !!data.prev, top: 0 },
      grid: { left: 8, right: 48, top: data.prev ? 30 : 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "万元", nameLocation: "end", splitNumber: narrow() ? 3 : 5, axisLabel: { hideOverlap: true }, nameTextStyle: { align: "right", verticalAlign: "top", padding: [28, 0, 0, 0] } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return short(r.label.replace(/（.*$/, ""), narrow() ? 6 : 12); }) },
      series: series
    });
  }

  function units(data) {
    var chart = make("chart-units");
    var select = document.getElementById("unit-row");
    if (!chart) { return; }
    function draw(code) {
      var row = data.rows.filter(function (r) { return r.code === code; })[0] || data.rows[0];
      var list = data.units.map(function (u) { return { name: u.name, value: u.values[row.code] }; })
        .filter(function (u) { return u.value !== null && u.value !== undefined; })
        .sort(function (a, b) { return b.value - a.value; });
      var height = Math.max(160, list.length * 26 + 50);
      chart.getDom().style.height = height + "px";
      chart.resize();
      chart.setOption({
        title: list.length ? null : { text: "暂无已上报数据", left: "center", top: "middle", textStyle: { color: "#5b6675", fontSize: 14, fontWeight: "normal" } },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v) + " " + row.unit; } },
        grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "value", name: row.unit, nameLocation: "end", splitNumber: narrow() ? 3 : 5, axisLabel: { formatter: axis, hideOverlap: true },
                 nameTextStyle: { align: "right", verticalAlign: "top", padding: [28, 0, 0, 0] } },
        yAxis: { type: "category", inverse: true, data: list.map(function (u) { return short(u.name, narrow() ? 7 : 14); }), axisLabel: { interval: 0 } },
        series: [{ type: "bar", itemStyle: { color: BLUE }, barMaxWidth: 18,
                   label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
                   data: list.map(function (u) { return u.value; }) }]
      }, true);
    }
    draw(select ? select.value : data.rows[0].code);
    if (select) { select.addEventListener("change", function () { draw(select.value); }); }
  }

  function byRow(data) {
    var chart = make("chart-rows");
    if (!chart) { return; }
    var rows = data.rows.filter(function (r) { return !r.money; });
    function val(map, code) { var v = map ? map[code] : null; return v ? v : null; }  // log axis: 0 is not drawable
    var series = [{ name: "本年", type: "bar", itemStyle: { color: BLUE }, barMaxWidth: 16,
                    label: { show: !narrow(), position: "right", formatter: function (p) { return fmt(p.value); } },
                    data: rows.map(function (r) { return val(data.totals, r.code); }) }];
    if (data.prev) {
      series.push({ name: data.prevYear + "年", type: "bar", itemStyle: { color: LIGHT }, barMaxWidth: 16,
                    data: rows.map(function (r) { return val(data.prev, r.code); }) });
    }
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 formatter: function (ps) {
                   var r = rows[ps[0].dataIndex];
                   return r.label + "<br>" + ps.map(function (p) { return p.marker + p.seriesName + "：" + fmt(p.value) + " " + r.unit; }).join("<br>");
                 } },
      legend: { top: 0, data: series.map(function (s) { return s.name; }) },
      grid: { left: 8, right: 56, top: 30, bottom: 24, containLabel: true },
      xAxis: { type: "log", logBase: 10, min: 1, axisLabel: { formatter: axis, hideOverlap: true }, name: "对数刻度", nameLocation: "middle", nameGap: 22, nameTextStyle: { color: "#5b6675", fontSize: 11 } },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 },
               data: rows.map(function (r) { return short(r.label.replace(/^活动周期间/, ""), narrow() ? 7 : 14); }) },
      series: series
    });
  }

  function rollupChart(data) {
    var chart = make("chart-rollup");
    var select = document.getElementById("rollup-row");
    if (!chart) { return; }
    function draw(code) {
      var row = data.rows.filter(function (r) { return r.code === code; })[0] || data.rows[0];
      var list = data.children.map(function (c) { return { name: c.name, value: c.values[row.code] || 0 }; })
        .sort(function (a, b) { return b.value - a.value; });
      chart.getDom().style.height = Math.max(160, list.length * 26 + 50) + "px";
      chart.resize();
      chart.setOption({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v) + " " + row.unit; } },
        grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "value", name: row.unit, nameLocation: "end", splitNumber: narrow() ? 3 : 5, axisLabel: { formatter: axis, hideOverlap: true },
                 nameTextStyle: { align: "right", verticalAlign: "top", padding: [28, 0, 0, 0] } },
        yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: list.map(function (u) { return short(u.name, narrow() ? 7 : 14); }) },
        series: [{ type: "bar", itemStyle: { color: BLUE }, barMaxWidth: 18,
                   label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
                   data: list.map(function (u) { return u.value; }) }]
      }, true);
    }
    draw(select ? select.value : data.rows[0].code);
    if (select) { select.addEventListener("change", function () { draw(select.value); }); }
  }

  var dash = read("dash-data");
  if (dash) { completeness(dash); funding(dash); units(dash); byRow(dash); }
  var roll = read("rollup-data");
  if (roll && roll.children.length) { rollupChart(roll); }
  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
