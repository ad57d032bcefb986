/* The producer's workspace: uploads with a progress bar, live validation progress, and
   forms that cannot be sent twice. Every form still works without this script. */
(function () {
  "use strict";

  function formatPercent(n) { return Math.round(n) + "%"; }

  function showErrors(form, errors) {
    var box = form.querySelector("[data-form-errors]") || document.querySelector("[data-form-errors]");
    if (!box) { return; }
    box.textContent = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    var list = document.createElement("ul");
    Object.keys(errors || {}).forEach(function (key) {
      [].concat(errors[key]).forEach(function (msg) {
        var item = document.createElement("li");
        item.textContent = typeof msg === "string" ? msg : JSON.stringify(msg);
        list.appendChild(item);
      });
    });
    alert.appendChild(list);
    box.appendChild(alert);
    alert.scrollIntoView({ block: "center" });
  }

  function enhanceUpload(form) {
    var input = form.querySelector("input[type=file]");
    var wrap = form.querySelector("[data-upload-progress]");
    if (!input || !wrap || !window.XMLHttpRequest || !window.FormData) { return; }
    var bar = wrap.querySelector("progress");
    var text = wrap.querySelector("[data-upload-text]");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) { return; }  // the server explains what is missing
      event.preventDefault();
      if (max && file.size > max) {
        showErrors(form, { file: [input.form.getAttribute("data-too-large") ||
          "Berkas terlalu besar (" + Math.round(file.size / 1048576) + " MB); batasnya " + Math.round(max / 1048576) + " MB."] });
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      wrap.hidden = false;
      if (button) { button.disabled = true; }
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var pct = 100 * e.loaded / e.total;
        bar.value = pct;
        text.textContent = formatPercent(pct) + " · " + Math.round(e.loaded / 1048576) + " / " + Math.round(e.total / 1048576) + " MB";
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        if (xhr.status < 400 && data && data.redirect) {
          text.textContent = "100% · memeriksa…";
          window.location.assign(data.redirect);
          return;
        }
        if (button) { button.disabled = false; }
        wrap.hidden = true;
        if (data && data.errors) { showErrors(form, data.errors); return; }
        var msg = xhr.status === 413 ? "Berkas melebihi batas ukuran unggahan." : "Unggahan gagal (" + xhr.status + "). Coba lagi.";
        showErrors(form, { file: [msg] });
      });
      xhr.addEventListener("error", function () {
        if (button) { button.disabled = false; }
        wrap.hidden = true;
        showErrors(form, { file: ["Koneksi terputus saat mengunggah. Periksa jaringan, lalu coba lagi."] });
      });
      xhr.send(new FormData(form));
    });
  }

  function pollValidation(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("[data-progress-bar]");
    var text = box.querySelector("[data-progress-text]");
    var delay = 800;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(tick, 3000); return; }
          if (data.status !== "pending" || data.finished) { window.location.reload(); return; }
          if (bar && typeof data.percent === "number") { bar.value = data.percent; }
          if (text && data.rows) {
            text.textContent = new Intl.NumberFormat("id-ID").format(data.rows) + " baris diperiksa (" + (data.percent || 0) + "%)";
          }
          delay = Math.min(delay * 1.3, 3000);
          setTimeout(tick, delay);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, delay);
  }

  function once(form) {
    form.addEventListener("submit", function (event) {
      var message = form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) { event.preventDefault(); return; }
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      var button = form.querySelector("button[type=submit]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  }

  document.querySelectorAll("form[data-upload-form]").forEach(enhanceUpload);
  document.querySelectorAll("[data-status-url]").forEach(pollValidation);
  document.querySelectorAll("form[data-once], form[data-confirm]").forEach(once);
})();
