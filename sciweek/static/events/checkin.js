/* sciweek check-in at the door: camera (getUserMedia → canvas → jsQR) or a typed code.
 * Every scan gets a UUID made here and goes into a queue in localStorage first; the queue is sent
 * to the server whenever the network allows. The server stores each UUID once, so sending a scan
 * twice (a retry after a dropped connection) never counts anyone twice. */
(function () {
  "use strict";
  var app = document.getElementById("checkin-app");
  if (!app) return;
  var syncUrl = app.dataset.syncUrl;
  var QKEY = "sciweek.checkin.queue." + app.dataset.event;
  var HKEY = "sciweek.checkin.history." + app.dataset.event;
  var resultBox = document.getElementById("result");
  var queueState = document.getElementById("queue-state");
  var history = document.getElementById("history");
  var csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { csrf = ""; }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) {
      try { return crypto.randomUUID(); } catch (e) { /* insecure context: fall through */ }
    }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full: keep going */ }
  }

  function renderQueue() {
    var n = load(QKEY).length;
    queueState.textContent = n ? n + " " + queueState.dataset.pending : queueState.dataset.empty;
    queueState.className = "small mt-2 " + (n ? "text-warning-emphasis fw-semibold" : "sw-muted");
  }
  function kind(r) {
    if (r.result === "ok") return "ok";
    if (r.result === "duplicate") return "dup";
    return "bad";
  }
  function show(r) {
    resultBox.className = "sw-result mt-3 sw-result-" + kind(r);
    resultBox.textContent = r.message;
    var items = load(HKEY);
    items.unshift({ message: r.message, kind: kind(r), at: r.time || new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" }) });  // the server's time (the demo clock's in demo mode)
    store(HKEY, items.slice(0, 30));
    renderHistory();
    if (navigator.vibrate) navigator.vibrate(r.result === "ok" ? 80 : [60, 60, 60]);
  }
  function renderHistory() {
    history.textContent = "";
    load(HKEY).forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between gap-2 sw-h-" + item.kind;
      var m = document.createElement("span"); m.textContent = item.message;
      var t = document.createElement("span"); t.className = "sw-muted"; t.textContent = item.at;
      li.appendChild(m); li.appendChild(t); history.appendChild(li);
    });
  }

  var syncing = false;
  function sync() {
    if (syncing) return;
    var queue = load(QKEY);
    if (!queue.length) { renderQueue(); return; }
    syncing = true;
    var batch = queue.slice(0, 100);
    fetch(syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      body: JSON.stringify({ scans: batch })
    }).then(function (resp) {
      if (resp.status === 400) {  // malformed: never going to succeed, drop it so the rest can go
        var bad = {}; batch.forEach(function (s) { bad[s.uuid] = 1; });
        store(QKEY, load(QKEY).filter(function (s) { return !bad[s.uuid]; }));
        show({ result: "invalid", message: "扫码记录格式错误，已丢弃" });
        return null;
      }
      if (resp.status === 403 || resp.status === 401 || resp.redirected) {
        show({ result: "invalid", message: "登录已过期：请重新登录，扫码记录仍保存在本机，登录后自动同步" });
        return null;
      }
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    }).then(function (data) {
      if (!data) return;
      var done = {};
      data.results.forEach(function (r) { done[r.uuid] = 1; });
      store(QKEY, load(QKEY).filter(function (s) { return !done[s.uuid]; }));
      data.results.forEach(show);
      document.body.dispatchEvent(new Event("sw-refresh"));
    }).catch(function () {
      /* offline or server unreachable: the queue stays in localStorage */
    }).then(function () {
      syncing = false;
      renderQueue();
      if (load(QKEY).length && navigator.onLine !== false) setTimeout(sync, 4000);
    });
  }

  function enqueue(code) {
    code = (code || "").trim();
    if (!code) return;
    var queue = load(QKEY);
    queue.push({ uuid: uuid4(), code: code, scanned_at: new Date().toISOString() });
    store(QKEY, queue);
    if (navigator.onLine === false) {
      show({ result: "duplicate", message: "已保存在本机（离线），网络恢复后自动同步" });
    }
    renderQueue();
    sync();
  }

  document.getElementById("typed").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = document.getElementById("typed-code");
    enqueue(input.value);
    input.value = "";
    input.focus();
  });

  // Camera scanning
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });
  var toggle = document.getElementById("camera-toggle");
  var hint = document.getElementById("camera-hint");
  var stream = null, last = "", lastAt = 0, pausedUntil = 0;

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && Date.now() > pausedUntil) {
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.floor(video.videoWidth * scale);
      canvas.height = Math.floor(video.videoHeight * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR ? jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" }) : null;
      if (code && code.data && (code.data !== last || Date.now() - lastAt > 4000)) {
        last = code.data; lastAt = Date.now(); pausedUntil = Date.now() + 1200;
        enqueue(code.data);
      }
    }
    requestAnimationFrame(tick);
  }
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; video.srcObject = null;
    toggle.textContent = "开始扫码"; hint.hidden = false;
  }
  toggle.addEventListener("click", function () {
    if (stream) { stop(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      hint.textContent = "此浏览器或连接（非 HTTPS）不能使用摄像头，请改用下方“输入票码”。";
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.play(); hint.hidden = true; toggle.textContent = "停止扫码";
      requestAnimationFrame(tick);
    }).catch(function () {
      hint.textContent = "无法打开摄像头（可能未授权），请改用下方“输入票码”。";
    });
  });

  window.addEventListener("online", sync);
  setInterval(sync, 15000);
  renderHistory();
  renderQueue();
  sync();
})();
