/* BPS statistical metadata forms (review/statistik): a field the form does not ask for the
   answers given so far (its skip rule, "Diisi jika ...") is hidden, and shown again as soon as
   the answer it depends on asks for it. Hidden fields keep their values and are still sent: the
   server ignores a field that is not asked. Without this script every field shows, each with
   its "Diisi jika ..." note, and the form works the same. */
(function () {
  "use strict";

  function answers(form, name) {
    var found = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { found.push(el.value); }
      } else if (el.value) {
        found.push(el.value);
      }
    });
    return found;
  }

  function wrapper(form, id) {
    var all = form.querySelectorAll("[data-ms-field]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-ms-field") === id) { return all[i]; }
    }
    return null;
  }

  // Parents come before the fields they ask for (in every form), so one pass in document order
  // sees each parent already decided.
  function update(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-when]"), function (field) {
      var parentId = field.getAttribute("data-when");
      var allowed = [];
      try { allowed = JSON.parse(field.getAttribute("data-when-values") || "[]"); } catch (err) { allowed = []; }
      var parent = wrapper(form, parentId);
      var asked = !!parent && !parent.hidden && answers(form, parentId).some(function (v) {
        return allowed.indexOf(v) !== -1;
      });
      field.hidden = !asked;
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-ms-group]"), function (group) {
      var fields = group.querySelectorAll("[data-ms-field]");
      group.hidden = fields.length > 0 && Array.prototype.every.call(fields, function (f) { return f.hidden; });
    });
  }

  function enhance(form) {
    if (!form.querySelector("[data-when]")) { return; }
    update(form);
    form.addEventListener("change", function () { update(form); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.ms-form"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
