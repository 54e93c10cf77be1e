// Draws every chart on the page from the Vega-Lite spec the server embedded beside it.
(function () {
  "use strict";
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
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function () {
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
