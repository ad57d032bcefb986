// A running harvest's page reloads itself every few seconds, until it finishes or the reader
// stops it (WCAG 2.2.2: content that updates by itself can be paused).
(function () {
  "use strict";
  var box = document.querySelector("[data-refresh]");
  if (!box) { return; }
  var seconds = parseInt(box.getAttribute("data-refresh"), 10) || 5;
  var timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  var stop = box.querySelector("[data-refresh-stop]");
  if (stop) {
    stop.hidden = false;
    stop.addEventListener("click", function () {
      window.clearTimeout(timer);
      stop.hidden = true;
    });
  }
})();
