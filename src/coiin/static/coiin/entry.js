// Shows each row's result (numerator / denominator × multiplier) as it is typed.
// A row without inputs (a read-only period, or a value only its sites enter) keeps the
// result the server wrote: there is nothing typed to compute it from.
(function () {
  "use strict";
  function number(input) {
    if (!input || input.value.trim() === "") return null;
    var n = Number(input.value.replace(/,/g, ""));
    return isFinite(n) ? n : null;
  }
  function update(row) {
    var out = row.querySelector("output.result");
    if (!out || !row.querySelector(".in-num, .in-den, .in-val")) return;
    var num = number(row.querySelector(".in-num"));
    var den = number(row.querySelector(".in-den"));
    var val = number(row.querySelector(".in-val"));
    var mult = Number(row.dataset.multiplier || "1");
    if (row.dataset.type === "ratio") {
      out.textContent = (num !== null && den) ? (num / den * mult).toFixed(2).replace(/\.?0+$/, "") : "";
    } else if (row.dataset.type === "count") {
      out.textContent = val !== null ? String(val) : "";
    }
  }
  document.querySelectorAll("table.entry tbody tr").forEach(function (row) {
    row.addEventListener("input", function () { update(row); });
    update(row);
  });
})();
