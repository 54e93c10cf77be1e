// Adds a filter box above each tag picker (a plain <select multiple> that works without
// this script): typing hides the tags that do not match; chosen tags always stay visible.
(function () {
  "use strict";
  function setUp(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "tag-filter-box";
    box.placeholder = "Filter tags…";
    box.setAttribute("aria-label", "Filter the tags below");
    box.setAttribute("aria-controls", select.id);
    var count = document.createElement("p");
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    function chosen() {
      var n = select.selectedOptions.length;
      count.textContent = n ? n + " tag" + (n === 1 ? "" : "s") + " chosen: " +
        Array.prototype.map.call(select.selectedOptions, function (o) { return o.text; }).join("; ")
        : "No tags chosen.";
    }
    function filter() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("optgroup").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var text = (group.label + " " + option.text).toLowerCase();
          var match = option.selected || words.every(function (w) { return text.indexOf(w) >= 0; });
          option.hidden = !match;
          if (match) shown += 1;
        });
        group.hidden = shown === 0;
      });
    }
    box.addEventListener("input", filter);
    select.addEventListener("change", chosen);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(count, select.nextSibling);
    chosen();
  }
  document.querySelectorAll("select.tag-picker").forEach(setUp);
})();
