// The public voting page: ask for a code, then vote for the chosen candidates, through the public API.
(function () {
  "use strict";
  var form = document.getElementById("vote-form");
  if (!form || !document.getElementById("vote-send")) return;
  var api = form.dataset.api, max = parseInt(form.dataset.max, 10);
  var msg = document.getElementById("vote-msg");
  function say(text, ok) { msg.textContent = text; msg.className = "small mt-2 " + (ok ? "text-success" : "text-danger"); }
  function detail(body) {
    var d = body && body.detail;
    if (typeof d === "string") return d;
    if (d && typeof d === "object") return Object.keys(d).map(function (k) { return [].concat(d[k]).join(""); }).join("；");
    return "请求失败，请稍后再试。";
  }
  function post(path, body) {
    return fetch(api + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); });
  }
  var send = document.getElementById("vote-send");
  var box = document.getElementById("vote-captcha"), captchaId = "";
  function askCaptcha(c) {
    captchaId = c.id;
    box.hidden = false;
    document.getElementById("vote-captcha-img").src = c.image;
    document.getElementById("vote-captcha-answer").value = "";
    document.getElementById("vote-captcha-answer").focus();
  }
  send.addEventListener("click", function () {
    var phone = document.getElementById("vote-phone").value.trim();
    if (!/^1\d{10}$/.test(phone)) { say("请填写11位手机号码。"); return; }
    send.disabled = true;
    var body = { phone: phone };
    if (captchaId) { body.captcha_id = captchaId; body.captcha_answer = document.getElementById("vote-captcha-answer").value.trim(); }
    post("/vote-codes", body).then(function (r) {
      if (r.status === 429 && r.body.captcha) { say(detail(r.body)); askCaptcha(r.body.captcha); send.disabled = false; return; }
      captchaId = ""; box.hidden = true;
      if (r.status === 202) {
        say(detail(r.body), true);
        var left = 60;
        var t = setInterval(function () {
          send.textContent = left + " 秒后可重新获取";
          if (--left < 0) { clearInterval(t); send.disabled = false; send.textContent = "获取验证码"; }
        }, 1000);
      } else { say(detail(r.body)); send.disabled = false; }
    });
  });
  form.addEventListener("change", function (e) {
    if (e.target.name !== "candidate") return;
    var chosen = form.querySelectorAll("input[name=candidate]:checked");
    if (chosen.length > max) { e.target.checked = false; say("每天最多为" + max + "位候选人投票。"); }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var ids = Array.prototype.map.call(form.querySelectorAll("input[name=candidate]:checked"), function (i) { return parseInt(i.value, 10); });
    if (!ids.length) { say("请至少选择一位候选人。"); return; }
    post("/votes", { phone: document.getElementById("vote-phone").value.trim(), code: document.getElementById("vote-code").value.trim(), candidate_ids: ids })
      .then(function (r) {
        if (r.status !== 201) { say(detail(r.body)); return; }
        say("投票成功，感谢参与！", true);
        r.body.counted.forEach(function (id) {
          var el = form.querySelector("[data-votes='" + id + "']");
          if (el) el.textContent = String(parseInt(el.textContent, 10) + 1);
        });
      });
  });
})();
