// Polls a report job's status and updates the progress bar; reloads the page when it ends.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box || !box.dataset.statusUrl || !window.fetch) return;
  function show(name, text) {
    var el = box.querySelector('[data-job="' + name + '"]');
    if (el) el.textContent = text;
  }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        show("status", job.status_display);
        show("step", job.step);
        show("percent", String(job.progress));
        var bar = box.querySelector('[data-job="bar"]');
        if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
