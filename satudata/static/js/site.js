/* Small progressive enhancements for every page. The site works without them.
   - copy buttons for API examples (shown only when the Clipboard API exists)
   - sort selects that apply on change (their button is then hidden)
   - the filter panel starts collapsed on narrow screens */
(function () {
  "use strict";

  function copyButtons() {
    if (!navigator.clipboard) { return; }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) { return; }
      var label = button.textContent;
      var done = document.documentElement.lang === "en" ? "Copied" : "Tersalin";
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent).then(function () {
          button.textContent = done;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      if (!form) { return; }
      form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  function collapseOnNarrow() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 899px)").matches) { return; }
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      if (!details.querySelector(".is-active")) { details.open = false; }
    });
  }

  function ready() {
    copyButtons();
    autoSubmit();
    collapseOnNarrow();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
