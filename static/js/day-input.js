// Day fields (core.forms.DayInput): a text input that shows and takes dd/mm/yyyy whatever the browser's
// language. This adds a calendar button beside it: the browser's own date picker (a hidden
// <input type="date">) chooses the day, and the text input receives it written dd/mm/yyyy. Typing works
// without the button: "2032018" or "2-3-2018" are tidied to 02/03/2018 when the field is left.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }
  function fromIso(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }
  function tidy(text) {
    var t = text.trim().replace(/[.\-\s]+/g, "/");
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
    if (m) { return pad(+m[1]) + "/" + pad(+m[2]) + "/" + m[3]; }
    m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);  // 20032018
    if (m) { return m[1] + "/" + m[2] + "/" + m[3]; }
    return text;
  }
  document.querySelectorAll("input[data-day-input]").forEach(function (input) {
    input.addEventListener("blur", function () { input.value = tidy(input.value); });
    var picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "day-picker";
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary day-button";
    button.setAttribute("aria-label", input.getAttribute("data-picker-label") || "Chọn ngày");
    button.innerHTML = '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">' +
      '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>' +
      '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg>';
    var group = document.createElement("div");
    group.className = "input-group day-group" + (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
    button.addEventListener("click", function () {
      picker.value = toIso(input.value);
      if (typeof picker.showPicker === "function") {
        try { picker.showPicker(); return; } catch (e) { /* not allowed here: fall back to focus */ }
      }
      picker.focus();
    });
    picker.addEventListener("change", function () {
      if (picker.value) {
        input.value = fromIso(picker.value);
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      }
    });
  });
})();
