/* sciweek picker: turns every <select multiple data-picker> into a searchable checkbox list grouped by
   the select's <optgroup>s (unit kinds), with the chosen ones shown as removable tags. The select stays
   in the form (hidden) and is kept in step, so the server sees exactly what it saw before; without
   JavaScript the plain select (with its groups) still works. Also: [data-check-all="name"] ticks or
   clears every checkbox of that name (the completeness matrix). */
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var box = el("div", "sw-picker border rounded p-2");
    var tags = el("div", "sw-picker-tags d-flex flex-wrap gap-1 mb-2");
    var bar = el("div", "d-flex gap-2 mb-2");
    var search = el("input", "form-control form-control-sm");
    search.type = "search";
    search.placeholder = select.dataset.searchPlaceholder || "搜索单位名称";
    search.setAttribute("aria-label", search.placeholder);
    var count = el("span", "small text-secondary align-self-center text-nowrap");
    bar.appendChild(search);
    bar.appendChild(count);
    var list = el("div", "sw-picker-list");
    var boxes = [];
    var uid = select.id || ("p" + Math.random().toString(36).slice(2));
    function group(label, options) {
      var fs = el("fieldset", "sw-picker-group mb-1");
      var head = el("div", "d-flex justify-content-between align-items-center");
      var legend = el("legend", "small fw-semibold mb-0 float-none w-auto", label || "");
      var all = el("button", "btn btn-link btn-sm p-0 small", "全选本组");
      all.type = "button";
      head.appendChild(legend);
      if (label) head.appendChild(all);
      fs.appendChild(head);
      var mine = [];
      options.forEach(function (opt, i) {
        var id = uid + "_pk_" + opt.value;
        var wrap = el("div", "form-check form-check-inline sw-picker-item");
        var cb = el("input", "form-check-input");
        cb.type = "checkbox"; cb.id = id; cb.checked = opt.selected; cb.value = opt.value;
        var lab = el("label", "form-check-label", opt.textContent);
        lab.htmlFor = id;
        wrap.appendChild(cb); wrap.appendChild(lab);
        cb.addEventListener("change", function () { opt.selected = cb.checked; refresh(); });
        boxes.push({ cb: cb, opt: opt, wrap: wrap, text: opt.textContent.toLowerCase() });
        mine.push(cb);
        fs.appendChild(wrap);
      });
      all.addEventListener("click", function () {
        var visible = mine.filter(function (cb) { return cb.parentNode.style.display !== "none"; });
        var to = visible.some(function (cb) { return !cb.checked; });
        visible.forEach(function (cb) { cb.checked = to; cb.dispatchEvent(new Event("change")); });
      });
      list.appendChild(fs);
    }
    var groups = select.querySelectorAll("optgroup");
    if (groups.length) {
      groups.forEach(function (g) { group(g.label, Array.prototype.slice.call(g.querySelectorAll("option"))); });
    } else {
      group("", Array.prototype.slice.call(select.options));
    }
    function refresh() {
      tags.textContent = "";
      var n = 0;
      boxes.forEach(function (b) {
        if (!b.opt.selected) return;
        n += 1;
        var t = el("button", "btn btn-sm btn-outline-primary py-0 sw-picker-tag", b.opt.textContent + " ×");
        t.type = "button";
        t.title = "移除";
        t.addEventListener("click", function () { b.cb.checked = false; b.opt.selected = false; refresh(); });
        tags.appendChild(t);
      });
      count.textContent = "已选 " + n + " 家";
      if (!n) tags.appendChild(el("span", "small text-secondary", select.dataset.emptyText || "尚未选择"));
    }
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      boxes.forEach(function (b) { b.wrap.style.display = !q || b.text.indexOf(q) >= 0 ? "" : "none"; });
      list.querySelectorAll("fieldset").forEach(function (fs) {
        var any = Array.prototype.some.call(fs.querySelectorAll(".sw-picker-item"), function (w) { return w.style.display !== "none"; });
        fs.style.display = any ? "" : "none";
      });
    });
    box.appendChild(tags); box.appendChild(bar); box.appendChild(list);
    select.style.display = "none";
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(box, select.nextSibling);
    refresh();
  }
  function init() {
    document.querySelectorAll("select[multiple][data-picker]").forEach(enhance);
    document.querySelectorAll("[data-check-all]").forEach(function (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll('input[type=checkbox][name="' + all.dataset.checkAll + '"]').forEach(function (b) { b.checked = all.checked; });
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (ev) {
        var test = f.dataset.confirmIf ? f.querySelector(f.dataset.confirmIf) : f;
        if (!test) return;
        if (!window.confirm(f.dataset.confirm)) { ev.preventDefault(); return; }
        var yes = f.querySelector("input[name=confirmed]") || el("input");
        yes.type = "hidden"; yes.name = "confirmed"; yes.value = "1";
        f.appendChild(yes);  // the server asks again without it
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
