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
    if (!out || !row.querySelector(".in-num, .in-den, .in-val, .in-meas")) return;
    var num = number(row.querySelector(".in-num"));
    var den = number(row.querySelector(".in-den"));
    var val = number(row.querySelector(".in-val"));
    var mult = Number(row.dataset.multiplier || "1");
    var result = null;
    if (row.dataset.type === "ratio") {
      result = (num !== null && den) ? num / den * mult : null;
      out.textContent = result !== null ? result.toFixed(2).replace(/\.?0+$/, "") : "";
    } else if (row.dataset.type === "sampled") {
      // The mean of the measurements typed so far (nothing while one is not a number).
      var text = row.querySelector(".in-meas").value.trim();
      var items = text === "" ? [] : text.split(/[;,\s]+/).filter(Boolean).map(Number);
      var ok = items.length > 0 && items.every(isFinite);
      result = ok ? items.reduce(function (a, b) { return a + b; }, 0) / items.length : null;
      out.textContent = result !== null ? result.toFixed(2).replace(/\.?0+$/, "") : "";
    } else if (row.dataset.type === "count") {
      result = val;
      out.textContent = val !== null ? String(val) : "";
    }
    place(row.querySelector("svg.spark"), result);
  }
  // Where this period's result falls among the earlier ones (the sparkline's dot).
  function place(spark, result) {
    if (!spark) return;
    var dot = spark.querySelector("circle.now");
    var low = Number(spark.dataset.low), high = Number(spark.dataset.high);
    // Beyond these (the chart's latest limits, else the earlier results) the dot is marked.
    var outLow = Number(spark.dataset.outLow), outHigh = Number(spark.dataset.outHigh);
    if (result === null || !isFinite(result)) { dot.classList.add("none"); return; }
    var share = high === low ? 0.5 : (result - low) / (high - low);
    var y = Math.max(0.5, Math.min(23.5, 22 - share * 20));
    dot.setAttribute("cy", y.toFixed(1));
    dot.classList.remove("none");
    dot.classList.toggle("out", result < outLow || result > outHigh);
  }
  document.querySelectorAll("table.entry tbody tr").forEach(function (row) {
    row.addEventListener("input", function () { update(row); });
    update(row);
  });
})();
