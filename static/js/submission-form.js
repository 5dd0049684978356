// Quarterly form (templates/reporting/submission_detail.html). No inline scripts (CSP).
// - warns before leaving with unsaved changes; opens and focuses the first error;
// - groups thousands as the user types, as the portal writes numbers: 1.234.567 in Vietnamese, 1,234,567 in
//   English (core.numbers reads both back; anything else is left as typed for the server to explain);
// - shows each indicator's percentage beside its numerator and denominator, live;
// - the section menu (links on a desk, a jump list on a phone) and "the next empty field".
(function () {
  "use strict";
  var form = document.getElementById("submission-form");
  if (!form) { return; }
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;
  var SEP = english ? "," : ".";
  var DEC = english ? "." : ",";

  function group(digits) {
    return digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, SEP);
  }
  function digitsOf(text) {
    // the digits of a whole number typed with this language's grouping, or null if it is anything else
    return new RegExp("^[0-9" + (SEP === "." ? "\\." : ",") + "]*$").test(text) ? text.split(SEP).join("") : null;
  }
  function regroup(input) {
    var digits = digitsOf(input.value);
    if (digits === null || digits === "") { return; }
    var caret = input.selectionStart, before = 0;
    if (caret !== null) { before = input.value.slice(0, caret).replace(/[^0-9]/g, "").length; }
    var text = group(digits);
    if (text === input.value) { return; }
    input.value = text;
    if (caret !== null && document.activeElement === input) {
      var pos = 0, seen = 0;
      while (pos < text.length && seen < before) { if (/[0-9]/.test(text[pos])) { seen++; } pos++; }
      input.setSelectionRange(pos, pos);
    }
  }
  function numberOf(input) {
    if (!input) { return null; }
    var digits = digitsOf(input.value.trim());
    return digits ? parseInt(digits, 10) : null;
  }
  function percent(num, den) {
    var p = Math.round(num / den * 1000) / 10;
    var text = (p % 1 === 0 ? p.toFixed(0) : p.toFixed(1)).replace(".", DEC);
    return text.replace(/^(\d+)/, function (whole) { return group(whole); }) + "%";
  }
  function rate(fieldset) {
    var out = fieldset.querySelector("output.rate");
    if (!out) { return; }
    var num = numberOf(fieldset.querySelector('input[name$="-num"]'));
    var den = numberOf(fieldset.querySelector('input[name$="-den"]'));
    out.textContent = (num === null || !den) ? "–" : percent(num, den);
  }

  var numeric = form.querySelectorAll('input[inputmode="numeric"]');
  numeric.forEach(regroup);
  form.querySelectorAll("fieldset[data-indicator]").forEach(rate);
  form.addEventListener("input", function (event) {
    var t = event.target;
    if (t.matches && t.matches('input[inputmode="numeric"]')) {
      regroup(t);
      var fs = t.closest("fieldset[data-indicator]");
      if (fs) { rate(fs); }
    }
  });

  // ---- Sections: open one and bring it into view.
  function openSection(id) {
    var body = document.getElementById(id);
    if (!body) { return null; }
    if (!body.classList.contains("show") && window.bootstrap) {
      window.bootstrap.Collapse.getOrCreateInstance(body, { toggle: false }).show();
    }
    return body;
  }
  document.querySelectorAll("[data-section]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var body = openSection(link.getAttribute("data-section"));
      if (body) { body.parentNode.scrollIntoView({ block: "start" }); body.parentNode.querySelector("button").focus({ preventScroll: true }); }
    });
  });
  var jump = document.getElementById("section-jump");
  if (jump) {
    jump.addEventListener("change", function () {
      var body = openSection(jump.value);
      if (body) { body.parentNode.scrollIntoView({ block: "start" }); }
      jump.value = "";
    });
  }

  // ---- The next empty field after the one in focus (from the top, then around).
  function empty() {
    return Array.prototype.filter.call(
      form.querySelectorAll('input[inputmode="numeric"]:not([disabled]), select[name]:not([disabled])'),
      function (el) { return el.value.trim() === ""; }
    );
  }
  var next = document.querySelector('[data-testid="next-missing"]');
  var status = document.querySelector('[data-testid="missing-status"]');
  var last = null;  // the field this button went to last (the click moves the focus to the button)
  form.addEventListener("focusin", function (event) { last = event.target; });
  if (next) {
    next.addEventListener("click", function () {
      var list = empty();
      if (!list.length) { status.textContent = status.getAttribute("data-none"); return; }
      var current = last && form.contains(last) ? last : null;
      var target = list[0];
      if (current) {
        for (var i = 0; i < list.length; i++) {
          if (current.compareDocumentPosition(list[i]) & Node.DOCUMENT_POSITION_FOLLOWING) { target = list[i]; break; }
        }
      }
      var details = target.closest("details");
      if (details) { details.open = true; }
      var collapse = target.closest(".accordion-collapse");
      if (collapse) { collapse.classList.add("show"); }
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
      status.textContent = list.length + " " + status.getAttribute("data-left");
    });
  }

  if (form.classList.contains("readonly")) { return; }
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
