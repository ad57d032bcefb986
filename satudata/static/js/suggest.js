/* Suggestions while typing in the dataset search boxes (an ARIA 1.2 combobox with a listbox).

   Enhances every <input data-suggest-url="..."> inside a form. Without this script, or when
   the suggestion service is down, the box is a plain search form.
   - fetches {url}?q=... 150 ms after the last keystroke; a newer keystroke aborts the older
     request, and an answer for older text is never shown
   - Down/Up move through the suggestions (Alt+Down opens them), Enter opens the chosen
     dataset (or submits the form when none is chosen), Escape closes the list (and clears
     the box when the list is already closed), Tab and clicks elsewhere close it
   - the number of suggestions is announced through a polite live region
   Text is only ever inserted with textContent: titles are data, never markup. */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 2;
  var MAX_CACHE = 50;
  var english = document.documentElement.lang === "en";
  var TEXT = english ? {
    list: "Dataset suggestions",
    none: "No suggestions",
    count: function (n) { return n === 1 ? "1 suggestion available, use the arrow keys to choose" :
                                             n + " suggestions available, use the arrow keys to choose"; }
  } : {
    list: "Saran dataset",
    none: "Tidak ada saran",
    count: function (n) { return n + " saran tersedia, gunakan tombol panah untuk memilih"; }
  };
  var counter = 0;

  function Suggest(input) {
    this.input = input;
    this.form = input.form;
    this.url = input.getAttribute("data-suggest-url");
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.latest = "";
    this.cache = new Map();
    this.build();
    this.bind();
  }

  Suggest.prototype.build = function () {
    counter += 1;
    var base = (this.input.id || "suggest") + "-saran-" + counter;
    var wrap = document.createElement("div");
    wrap.className = "suggest";
    this.input.parentNode.insertBefore(wrap, this.input);
    wrap.appendChild(this.input);

    this.list = document.createElement("ul");
    this.list.id = base + "-list";
    this.list.className = "suggest-list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", TEXT.list);
    this.list.hidden = true;
    wrap.appendChild(this.list);

    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    wrap.appendChild(this.status);

    this.idPrefix = base + "-opsi-";
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("autocomplete", "off");
  };

  Suggest.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () { self.close(); });
    // Keep the focus in the box while an option is pressed, so blur does not close the list
    // before the click arrives.
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
  };

  Suggest.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var text = this.input.value.replace(/\s+/g, " ").trim();
    if (text === this.latest) { return; }
    this.latest = text;  // an answer for any other text is stale from now on
    this.abort();
    if (text.length < MIN_CHARS) {
      this.render([]);
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(text); }, DELAY_MS);
  };

  Suggest.prototype.abort = function () {
    if (this.request) {
      this.request.abort();
      this.request = null;
    }
  };

  Suggest.prototype.fetch = function (text) {
    var self = this;
    if (this.cache.has(text)) {
      this.render(this.cache.get(text));
      return;
    }
    this.abort();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    this.request = controller;
    var address = this.url + (this.url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(text);
    window.fetch(address, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      var found = Array.isArray(body.suggestions) ? body.suggestions : [];
      if (body.available !== false) { self.remember(text, found); }
      if (text !== self.latest) { return; }  // the box changed meanwhile
      if (self.request === controller) { self.request = null; }
      self.render(found);
    }).catch(function () {
      // Aborted, offline or refused: the form still works; show nothing.
      if (text === self.latest) { self.render([]); }
    });
  };

  Suggest.prototype.remember = function (text, found) {
    if (this.cache.size >= MAX_CACHE) {
      this.cache.delete(this.cache.keys().next().value);
    }
    this.cache.set(text, found);
  };

  Suggest.prototype.render = function (found) {
    var self = this;
    this.items = found.filter(function (s) { return s && typeof s.title === "string" && typeof s.url === "string"; });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (this.list.firstChild) { this.list.removeChild(this.list.firstChild); }
    this.items.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = self.idPrefix + index;
      li.className = "suggest-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(index));
      li.textContent = item.title;
      self.list.appendChild(li);
    });
    this.list.setAttribute("data-suggest-for", this.latest);  // which text these answer
    var focused = document.activeElement === this.input;
    if (this.items.length && focused) {
      this.open();
      this.status.textContent = TEXT.count(this.items.length);
    } else {
      this.close();
      this.status.textContent = focused && this.latest.length >= MIN_CHARS ? TEXT.none : "";
    }
  };

  Suggest.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Suggest.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Suggest.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Suggest.prototype.setActive = function (index) {
    var options = this.list.children;
    for (var i = 0; i < options.length; i++) {
      var on = i === index;
      options[i].setAttribute("aria-selected", on ? "true" : "false");
      options[i].classList.toggle("is-active", on);
    }
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      var option = options[index];
      if (option.offsetTop < this.list.scrollTop) {
        this.list.scrollTop = option.offsetTop;
      } else if (option.offsetTop + option.offsetHeight > this.list.scrollTop + this.list.clientHeight) {
        this.list.scrollTop = option.offsetTop + option.offsetHeight - this.list.clientHeight;
      }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Suggest.prototype.move = function (step) {
    var n = this.items.length;
    if (!n) { return; }
    if (!this.isOpen()) {
      this.open();
    }
    var next = this.active + step;
    if (next >= n) { next = -1; }        // past the last: back to the text box
    if (next < -1) { next = n - 1; }     // above the text box: to the last
    this.setActive(next);
  };

  Suggest.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    this.input.value = item.title;
    this.close();
    window.location.assign(item.url);
  };

  Suggest.prototype.onKey = function (event) {
    if (event.isComposing) { return; }
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        if (this.items.length) {
          event.preventDefault();
          if (event.altKey) { this.open(); } else { this.move(1); }
        }
        break;
      case "ArrowUp":
      case "Up":
        if (this.isOpen()) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          window.clearTimeout(this.timer);
          this.abort();
          this.close();  // the form submits as usual
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.latest = "";
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function ready() {
    if (!window.fetch || !window.Map) { return; }
    document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
      if (input.form && !input.hasAttribute("data-suggest-ready")) {
        input.setAttribute("data-suggest-ready", "");
        new Suggest(input);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
