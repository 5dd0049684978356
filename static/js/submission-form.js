// Quarterly form: warn before leaving with unsaved changes. No inline scripts (CSP).
(function () {
  "use strict";
  var form = document.getElementById("submission-form");
  if (!form || form.classList.contains("readonly")) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  // Open the section and activity that hold the first error, and focus it.
  var invalid = form.querySelector(".is-invalid");
  if (invalid) {
    var details = invalid.closest("details");
    if (details) { details.open = true; }
    var collapse = invalid.closest(".accordion-collapse");
    if (collapse && !collapse.classList.contains("show")) { collapse.classList.add("show"); }
    invalid.focus();
  }
})();
