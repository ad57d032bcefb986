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

  /* Upload form, XLSX: read the chosen workbook once (nothing is stored) to offer its sheets
     as a list and show which row holds the column titles, with the rows above it. */
  function enhanceWorkbook(form) {
    var box = form.querySelector("[data-workbook-overview]");
    var input = form.querySelector("input[type=file]");
    var headerInput = form.querySelector("input[name=header_row]");
    if (!box || !input || !window.fetch || !window.FormData) { return; }
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var token = form.querySelector("input[name=csrf_token]");
    var pending = 0;

    function text(key, values) {
      var t = box.getAttribute("data-text-" + key) || "";
      Object.keys(values || {}).forEach(function (k) { t = t.split("{" + k + "}").join(values[k]); });
      return t;
    }
    function sheetField() { return form.querySelector("[name=sheet]"); }
    function offerSheets(names, chosen) {
      var current = sheetField();
      if (!current) { return; }
      var select = current;
      if (current.tagName !== "SELECT") {
        select = document.createElement("select");
        select.id = current.id;
        select.name = current.name;
        if (current.getAttribute("aria-describedby")) { select.setAttribute("aria-describedby", current.getAttribute("aria-describedby")); }
        current.parentNode.replaceChild(select, current);
        select.addEventListener("change", function () { read(); });
      }
      select.textContent = "";
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        option.textContent = name;
        if (name === chosen) { option.selected = true; }
        select.appendChild(option);
      });
    }
    function show(data) {
      box.textContent = "";
      var note = document.createElement("p");
      var headerRows = data.header_rows || [data.header_row];
      var span = headerRows.length > 1 ? headerRows[0] + "–" + headerRows[headerRows.length - 1] : data.header_row;
      note.textContent = text("found", { row: span, sheet: data.sheet });
      box.appendChild(note);
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var table = document.createElement("table");
      var caption = document.createElement("caption");
      caption.textContent = text("caption", { sheet: data.sheet });
      table.appendChild(caption);
      wrap.setAttribute("aria-label", caption.textContent);
      var body = document.createElement("tbody");
      data.rows.forEach(function (row) {
        var tr = document.createElement("tr");
        var inHeader = headerRows.indexOf(row.number) !== -1;
        if (inHeader) { tr.className = "header-found"; }
        else if (row.number < data.header_row) { tr.className = "above-header"; }
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = text("row") + " " + row.number + (inHeader ? " · " + text("header") : "");
        tr.appendChild(th);
        row.cells.forEach(function (cell) {
          var td = document.createElement("td");
          td.textContent = cell;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      box.appendChild(wrap);
      if (headerInput) { headerInput.placeholder = text("auto", { row: data.header_row }); }
    }
    function read() {
      var file = input.files && input.files[0];
      if (!file || !/\.xlsx$/i.test(file.name) || (max && file.size > max)) { box.hidden = true; return; }
      var body = new FormData();
      if (token) { body.append("csrf_token", token.value); }
      body.append("file", file);
      var sheet = sheetField();
      if (sheet && sheet.value) { body.append("sheet", sheet.value); }
      if (headerInput && headerInput.value) { body.append("header_row", headerInput.value); }
      var ticket = ++pending;
      box.hidden = false;
      box.textContent = text("reading");
      fetch(box.getAttribute("data-url"), { method: "POST", body: body, credentials: "same-origin",
                                            headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.json().catch(function () { return null; }); })
        .then(function (data) {
          if (ticket !== pending) { return; }  // a newer reading is on its way
          if (data && data.ok) { offerSheets(data.sheets, data.sheet); show(data); return; }
          var errors = data && data.errors ? data.errors : {};
          var first = Object.keys(errors).map(function (k) { return [].concat(errors[k])[0]; })[0];
          box.textContent = first || text("failed");
        })
        .catch(function () { if (ticket === pending) { box.textContent = text("failed"); } });
    }
    input.addEventListener("change", function () {
      var sheet = sheetField();
      if (sheet && sheet.tagName === "SELECT") { sheet.value = ""; }
      read();
    });
    if (headerInput) { headerInput.addEventListener("change", read); }
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
  document.querySelectorAll("form[data-upload-form]").forEach(enhanceWorkbook);
  document.querySelectorAll("[data-status-url]").forEach(pollValidation);
  document.querySelectorAll("form[data-once], form[data-confirm]").forEach(once);
})();
