/* PPID pages: print the receipt, confirm a withdrawal. The pages work without this script. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  /* While the applicant describes the information, published datasets that may already hold it
     are suggested (the catalogue's own search, through the REST API). */
  document.querySelectorAll("[data-ppid-suggest]").forEach(function (box) {
    var input = document.getElementById("information");
    var list = box.querySelector("ul");
    if (!input || !list || !window.fetch) { return; }
    var timer = null, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 6 || q === last) { return; }
        last = q;
        var datasets = fetch(box.getAttribute("data-url") + "?per_page=5&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (body) {
            return ((body && body.data) || []).map(function (d) {
              return { href: d.web_url, title: d.title, holder: d.organization && d.organization.name };
            });
          })
          .catch(function () { return []; });
        var dip = box.getAttribute("data-dip-url") ? fetch(box.getAttribute("data-dip-url") + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (body) {
            return ((body && body.data) || []).map(function (d) { return { href: d.url, title: d.title, holder: d.holder }; });
          })
          .catch(function () { return []; }) : Promise.resolve([]);
        Promise.all([datasets, dip]).then(function (found) {
          if (q !== last) { return; }
          list.textContent = "";
          var items = found[0].concat(found[1]);
          items.forEach(function (d) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = d.href;
            a.textContent = d.title;
            a.target = "_blank";
            a.rel = "noopener";
            li.appendChild(a);
            if (d.holder) { li.appendChild(document.createTextNode(" · " + d.holder)); }
            list.appendChild(li);
          });
          box.hidden = items.length === 0;
        });
      }, 400);
    });
  });
})();
