// The summary editor: add, remove and move paragraphs; the form posts them in order.
(function () {
  var list = document.getElementById("blocks");
  if (!list) return;
  var template = document.getElementById("block-template");
  list.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-act]");
    if (!btn) return;
    var item = btn.closest(".sw-block");
    var act = btn.getAttribute("data-act");
    if (act === "remove") item.remove();
    if (act === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (act === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    if (act === "add") {
      var fresh = template.content.firstElementChild.cloneNode(true);
      item.after(fresh);
      fresh.querySelector("textarea").focus();
    }
  });
  document.getElementById("add-block").addEventListener("click", function () {
    var fresh = template.content.firstElementChild.cloneNode(true);
    list.appendChild(fresh);
    fresh.querySelector("textarea").focus();
  });
})();
document.querySelectorAll("[data-confirm]").forEach(function (el) {
  el.addEventListener("click", function (ev) { if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault(); });
});
