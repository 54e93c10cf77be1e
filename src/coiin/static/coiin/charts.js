// Draws every chart on the page from the Vega-Lite spec the server embedded beside it.
(function () {
  "use strict";
  // Month and day names in the page's language (Vega's own are English).
  var SPANISH = {
    dateTime: "%A, %e de %B de %Y, %X", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
    days: ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
    shortDays: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
    months: ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"],
    shortMonths: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov",
                  "dic"]
  };
  // What Vega itself tells screen readers each part of a chart is, in English: in Spanish the
  // chart's own word, and no word for the containers (each point says what it is).
  function spanishRoles(el) {
    var nodes = Array.prototype.slice.call(el.querySelectorAll("[aria-roledescription]"));
    if (el.hasAttribute("aria-roledescription")) nodes.push(el);  // Vega's own container
    nodes.forEach(function (node) {
      var role = node.getAttribute("aria-roledescription");
      if (role === "visualization") {
        node.setAttribute("aria-roledescription", "visualización");
      } else if (/ mark container$| mark$|^axis$|^legend$|^title$/.test(role)) {
        node.removeAttribute("aria-roledescription");
      }
    });
  }
  function spanish() {
    return (document.documentElement.lang || "").slice(0, 2) === "es";
  }
  function options() {
    var chosen = { actions: false, renderer: "svg" };
    if (spanish()) {
      chosen.timeFormatLocale = SPANISH;
    }
    return chosen;
  }
  function draw() {
    if (!window.vegaEmbed) return;
    document.querySelectorAll(".vega-chart[data-spec]").forEach(function (el) {
      var source = document.getElementById(el.dataset.spec);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      // A small multiple: the shared picture (data-spec) with its own data (data-values).
      if (el.dataset.values) {
        var values = document.getElementById(el.dataset.values);
        if (!values) return;
        spec.data = { values: JSON.parse(values.textContent) };
      }
      window.vegaEmbed(el, spec, options()).then(function () {
        // A layer with nothing to draw (no target, nothing off the scale) leaves Vega's
        // empty container, announced as a nameless graphic: hidden from screen readers.
        el.querySelectorAll("g[role=graphics-symbol]:empty").forEach(function (node) {
          node.setAttribute("aria-hidden", "true");
        });
        if (spanish()) spanishRoles(el);
        el.classList.add("is-drawn");
      }).catch(function (err) {
        el.textContent = "The chart could not be drawn (" + err.message + "); the table below has the data.";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
