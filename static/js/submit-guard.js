// One submit per click: a form that is being sent is not sent again (a double click, an impatient second
// press), on every page. The server makes filing an incident and adding a note idempotent too (a token per
// form); this spares the second request. The button that was pressed still sends its name and value: the
// buttons are disabled only once the browser has built the request. A form that stays on the page (a file
// download) may be sent again after a few seconds, and a page restored from the back-forward cache is
// fresh again. Opt out with data-no-guard.
(function () {
  "use strict";
  var RELEASE_AFTER_MS = 8000;

  function release(form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-guard-disabled]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-guard-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post" || "noGuard" in form.dataset) {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) {
      return; // another script stopped this submit (a confirmation, a check): nothing is sent
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.setAttribute("data-guard-disabled", "");
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_AFTER_MS);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(release);
    }
  });
})();
