// Live character counts under the textareas that carry data-count (简要事迹 ≤ 300, 主要事迹 ≤ 1500).
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-count]").forEach(function (area) {
    var max = parseInt(area.dataset.count, 10);
    var out = document.createElement("div");
    out.className = "form-text";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    function show() {
      var n = Array.from(area.value).length;
      out.textContent = "已写 " + n + " / " + max + " 字" + (n > max ? "，超出 " + (n - max) + " 字" : "");
      out.classList.toggle("text-danger", n > max);
    }
    area.addEventListener("input", show);
    show();
  });
})();
