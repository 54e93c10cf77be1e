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
  // The chart's title, as Vega-Lite takes it (text, lines, or {text: ...}); a chart drawn
  // without one keeps its title in its description, which Vega names the chart after.
  function titleOf(spec) {
    var title = spec.title && spec.title.text !== undefined ? spec.title.text : spec.title;
    if (!title) title = spec.description;
    if (Array.isArray(title)) title = title.join(" ");
    return typeof title === "string" ? title.trim() : "";
  }
  var described = 0;
  // Vega names the drawn chart after its own description (and takes away the wrapper's role
  // and label). A chart is read once: its short name (what a screen reader says when moving
  // among graphics), then its sentence as its description, then its table on demand.
  // The page either points at the sentence it shows (aria-describedby on the wrapper, the
  // sentence itself hidden from screen readers so that it is not read a second time) and
  // may name the chart (data-name), or writes the sentence as the wrapper's label, which is
  // kept as the description in an element screen readers do not read as text.
  function nameAndDescribe(el, title, sentence, sentenceId) {
    var name = (el.dataset.name || "").trim() || title;
    if (sentenceId && document.getElementById(sentenceId)) {
      el.setAttribute("aria-label", name || sentence || "");
      el.setAttribute("aria-describedby", sentenceId);
      return;
    }
    if (!sentence || !name || name === sentence) {
      el.setAttribute("aria-label", name || sentence || "");
      el.removeAttribute("aria-describedby");
      return;
    }
    el.setAttribute("aria-label", name);
    var id = el.id ? el.id + "-sentence" : "chart-sentence-" + (++described);
    var hidden = document.getElementById(id);
    if (!hidden) {
      hidden = document.createElement("span");
      hidden.id = id;
      hidden.className = "chart-sentence";
      hidden.hidden = true;
      el.parentNode.insertBefore(hidden, el.nextSibling);
    }
    hidden.textContent = sentence;
    el.setAttribute("aria-describedby", id);
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
      var sentence = (el.getAttribute("aria-label") || "").trim();
      var sentenceId = el.getAttribute("aria-describedby");
      window.vegaEmbed(el, spec, options()).then(function () {
        nameAndDescribe(el, titleOf(spec), sentence, sentenceId);
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
