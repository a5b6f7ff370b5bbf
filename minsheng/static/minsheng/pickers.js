// Pickers that search (issue 12): every <select data-pick-url> becomes a Tom Select type-ahead over the API.
// Without JavaScript (or Tom Select) the plain <select> with the form's choices stays and works.
(function () {
  "use strict";

  function pickFor(el) {
    // "record:{seat}" reads the current value of the form's field "seat".
    return (el.dataset.pickFor || "").replace(/\{(\w+)\}/g, function (_m, name) {
      var other = el.form && el.form.elements[name];
      return other && other.value ? other.value : "";
    });
  }

  function init(el) {
    if (el.tomselect || typeof window.TomSelect === "undefined") return;
    // The chosen options stay; the others come from the endpoint, the likely ones first.
    Array.prototype.slice.call(el.options).forEach(function (option) {
      if (!option.selected && option.value !== "") option.remove();
    });
    // Tom Select points the field's label at its own input; the original select (kept, visually hidden, for the
    // form) keeps the label's words as its name, so a screen reader never meets a nameless field.
    var label = el.labels && el.labels.length ? el.labels[0].textContent.replace(/\s+/g, " ").trim() : "";
    var shown = new Set();
    var settings = {
      valueField: "id",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      preload: "focus",
      loadThrottle: 250,
      placeholder: el.dataset.pickPlaceholder || "",
      hidePlaceholder: false,
      closeAfterSelect: !el.multiple,
      plugins: el.multiple ? ["remove_button"] : [],
      // After a choice the typed text goes, so the next name can be typed at once; the list closes (typing
      // opens it again).
      onItemAdd: function () {
        this.setTextboxValue("");
        if (el.multiple) this.close();
      },
      // Back in an empty picker: the likely choices again.
      onFocus: function () {
        if (!this.inputValue() && this.wrapper.classList.contains("preloaded")) {
          delete this.loadedSearches[""];
          this.load("");
        }
      },
      shouldLoad: function () {
        return true;
      },
      // The server matches pinyin and orders the likely choices first: keep its answer and its order.
      score: function () {
        return function (item) {
          return shown.has(String(item.id)) ? 1 : 0;
        };
      },
      load: function (query, callback) {
        var self = this;
        var url = new URL(el.dataset.pickUrl, window.location.href);
        url.searchParams.set("q", query);
        var context = pickFor(el);
        if (context) url.searchParams.set("for", context);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : [];
          })
          .then(function (options) {
            if (query !== self.inputValue()) {
              callback(); // an answer to what was typed before: the newer one follows
              return;
            }
            shown = new Set(options.map(function (o) { return String(o.id); }));
            self.clearOptions();
            callback(options);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        option: function (data, escape) {
          var hint = data.hint ? ' <small class="text-muted">' + escape(data.hint) + "</small>" : "";
          return '<div data-testid="pick-option">' + escape(data.text) + hint + "</div>";
        },
        item: function (data, escape) {
          return "<div>" + escape(data.text) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + (el.dataset.pickEmpty || "") + "</div>";
        },
      },
    };
    var ts = new window.TomSelect(el, settings);
    if (label && !el.hasAttribute("aria-label")) el.setAttribute("aria-label", label);
    // Another field the context reads changed (the seat of a case form): forget what was loaded.
    if (el.form && /\{\w+\}/.test(el.dataset.pickFor || "")) {
      el.form.addEventListener("change", function (event) {
        if (event.target !== el && event.target.name && (el.dataset.pickFor || "").indexOf("{" + event.target.name + "}") >= 0) {
          ts.clearOptions();
          ts.wrapper.classList.remove("preloaded");
        }
      });
    }
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-pick-url]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
    // A search box that only narrows a long list for pages without JavaScript gives way to the type-ahead.
    if (typeof window.TomSelect !== "undefined") {
      document.querySelectorAll("[data-without-pickers]").forEach(function (el) {
        el.hidden = true;
      });
    }
  });
  // A block a page added from its <template> (the reception form's 「再加一项」) gets its pickers too.
  document.addEventListener("minsheng:content-added", function (event) {
    initAll(event.target);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (target && target.tomselect) {
      // htmx replaced a picker's options (the places of another seat): take the new selection.
      target.tomselect.clearOptions();
      target.tomselect.sync();
      target.tomselect.wrapper.classList.remove("preloaded");
      return;
    }
    initAll(target);
  });
})();
