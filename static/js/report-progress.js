// Progress of a provincial report's compile: starts from the state the page passes with json_script
// (#report-progress-state), polls the version's JSON every second while it runs, moves the bar and the
// steps, and reloads the page once it is finished so that the files (or the reason it failed) are
// shown. No inline scripts (CSP).
window.portal.start("report-progress", "report-progress-state", function (box, state) {
  "use strict";
  var bar = box.querySelector(".progress-bar");
  var meter = box.querySelector("[role=progressbar]");
  var statusEl = box.querySelector("[data-role=status]");
  var stepEl = box.querySelector("[data-role=step]");
  var errorBox = box.querySelector("[data-role=error]");
  var errorText = box.querySelector("[data-role=error-text]");
  var STATUS_CLASS = { done: "text-bg-success", failed: "text-bg-danger", running: "text-bg-info", queued: "text-bg-secondary" };
  var STEP_CLASS = { done: ["text-success"], current: ["fw-bold"], failed: ["text-danger", "fw-bold"], pending: ["text-muted"] };
  var STEP_MARK = { done: "✓", current: "▸", failed: "✗", pending: "○" };
  var ALL_STEP_CLASSES = ["text-success", "fw-bold", "text-danger", "text-muted"];

  function setWidth(percent) {
    if (!bar) { return; }
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    if (meter) { meter.setAttribute("aria-valuenow", String(percent)); }
  }

  function render(data) {
    setWidth(data.percent);
    if (statusEl) {
      statusEl.textContent = data.status_label;
      Object.keys(STATUS_CLASS).forEach(function (k) { statusEl.classList.remove(STATUS_CLASS[k]); });
      statusEl.classList.add(STATUS_CLASS[data.status] || "text-bg-secondary");
    }
    if (stepEl) { stepEl.textContent = data.finished ? "" : data.step_label; }
    (data.steps || []).forEach(function (step) {
      var li = box.querySelector('[data-step="' + step.key + '"]');
      if (!li) { return; }
      li.setAttribute("data-state", step.state);
      ALL_STEP_CLASSES.forEach(function (c) { li.classList.remove(c); });
      (STEP_CLASS[step.state] || []).forEach(function (c) { li.classList.add(c); });
      var mark = li.querySelector("[data-role=mark]");
      if (mark) { mark.textContent = STEP_MARK[step.state] || ""; }
    });
    if (data.status === "failed" && errorBox) {
      errorBox.classList.remove("d-none");
      if (errorText) { errorText.textContent = data.error; }
    }
  }

  render(state);
  if (state.finished) { return; }

  var url = state.url;
  var failures = 0;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        render(data);
        if (data.finished) {
          window.setTimeout(function () { window.location.reload(); }, 600);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 30) { window.setTimeout(poll, 2000); }
      });
  }
  window.setTimeout(poll, 800);
});
