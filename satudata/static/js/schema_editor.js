/* The Table Schema editor (templates/validation/_schema_editor.html), progressively enhanced.
   Without this script the form still works: it posts the rows shown, plus a few empty rows
   for new fields. With it:
   - "Tambah kolom" adds a field row (from the <template>), "Hapus" removes one;
   - the empty spare rows are dropped (one stays when there is no field yet);
   - the primary-key list follows the rows: new names appear, renamed ones change, removed
     ones go. Its option values are row numbers, so a renamed field stays in the key.
   Safe to load twice (each form is set up once). */
(function () {
  "use strict";

  function isBlank(row) {
    var filled = false;
    row.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.type === "checkbox") {
        if (el.checked) { filled = true; }
      } else if (el.value.trim() !== "" && el.value.trim() !== "{}") {
        filled = true;
      }
    });
    return !filled;
  }

  function setup(form) {
    if (form.hasAttribute("data-schema-ready")) { return; }
    form.setAttribute("data-schema-ready", "");
    var body = form.querySelector("[data-rows]");
    var template = document.getElementById(form.getAttribute("data-template"));
    var keySelect = form.querySelector("[data-primary-key]");
    var addButton = form.querySelector("[data-add-row]");
    var next = parseInt(form.getAttribute("data-next-row"), 10) || 0;
    if (!body || !template) { return; }

    function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.schema-row")); }

    function renumber() {
      rows().forEach(function (row, n) {
        var cell = row.querySelector(".schema-row-number");
        if (cell) { cell.textContent = String(n + 1); }
      });
    }

    function option(index) {
      if (!keySelect) { return null; }
      for (var i = 0; i < keySelect.options.length; i += 1) {
        if (keySelect.options[i].value === String(index)) { return keySelect.options[i]; }
      }
      return null;
    }

    function syncOption(row) {
      if (!keySelect) { return; }
      var index = row.getAttribute("data-row");
      var name = row.querySelector(".schema-name").value.trim();
      var opt = option(index);
      if (!name) {
        if (opt && !opt.selected) { opt.remove(); }
        return;
      }
      if (!opt) {
        opt = document.createElement("option");
        opt.value = index;
        keySelect.appendChild(opt);
      }
      opt.textContent = name;
    }

    function wire(row) {
      var remove = row.querySelector("[data-remove-row]");
      if (remove) {
        remove.hidden = false;
        remove.addEventListener("click", function () {
          var opt = option(row.getAttribute("data-row"));
          if (opt) { opt.remove(); }
          var focusTarget = row.nextElementSibling || row.previousElementSibling;
          row.remove();
          renumber();
          if (focusTarget) {
            var input = focusTarget.querySelector(".schema-name");
            if (input) { input.focus(); }
          } else if (addButton) {
            addButton.focus();
          }
        });
      }
      var name = row.querySelector(".schema-name");
      if (name) {
        name.addEventListener("input", function () { syncOption(row); });
      }
    }

    function addRow() {
      var html = template.innerHTML.replace(/__i__/g, String(next));
      next += 1;
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.querySelector("tr");
      body.appendChild(row);
      wire(row);
      renumber();
      return row;
    }

    var all = rows();
    var filled = all.filter(function (row) { return !isBlank(row); });
    all.forEach(function (row, n) {
      var spare = isBlank(row) && (filled.length > 0 || n > 0);
      if (spare && !row.querySelector("[aria-invalid]")) {
        row.remove();
      } else {
        wire(row);
      }
    });
    renumber();

    if (addButton) {
      addButton.hidden = false;
      addButton.addEventListener("click", function () {
        var row = addRow();
        var input = row.querySelector(".schema-name");
        if (input) { input.focus(); }
      });
    }
  }

  function ready() {
    document.querySelectorAll("form[data-schema-editor]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
