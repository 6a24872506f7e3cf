/* The entry page: 不适用 disables its input; 采用 fills a suggested value; confirmations; 提交 and 保存草稿 wait for pending autosaves; upload progress. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("[data-na-for]")) return;
    var input = document.getElementById(box.getAttribute("data-na-for"));
    if (!input) return;
    input.disabled = box.checked;
    if (box.checked) input.value = "";
  });

  function busy() {
    return document.querySelector("#entry-form .htmx-request") !== null;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (form.dataset.confirmed === "1") return;
    if (question && !window.confirm(question)) { e.preventDefault(); return; }
    if (form.id === "submit-form" || form.id === "entry-form") {
      // A value typed just before pressing 提交 or 保存草稿 is still being saved, and its autosave moves the
      // version on: wait, then send the new version (sent at once, 保存草稿 was refused as "modified by
      // someone else" against the page's own autosave).
      e.preventDefault();
      form.dataset.confirmed = "1";
      var quiet = 0;
      var timer = window.setInterval(function () {
        quiet = busy() ? 0 : quiet + 1;
        if (quiet >= 3) {
          window.clearInterval(timer);
          var v = document.getElementById("report-version");
          if (v && form.id === "submit-form") document.getElementById("submit-version").value = v.value;
          form.submit();
        }
      }, 100);
    }
  }, true);

  // 采用 beside a suggested value: fill the input and let it save itself as if typed. When the input is
  // disabled (不适用 ticked) the button posts the form instead and the server fills the row.
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-suggest-for]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-suggest-for"));
    if (!input || input.disabled) return;
    e.preventDefault();
    input.value = button.getAttribute("data-suggest-value");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var box = button.closest(".sw-suggest");
    if (box) box.setAttribute("data-adopted", "1");
    button.disabled = true;
    if (button.getAttribute("data-adopted-text")) button.textContent = button.getAttribute("data-adopted-text");
  });

  document.body.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest ? e.target.closest(".sw-upload") : null;
    if (!form || !e.detail.lengthComputable) return;
    var bar = form.querySelector("progress");
    bar.classList.remove("d-none");
    bar.value = Math.round(e.detail.loaded * 100 / e.detail.total);
  });
})();
