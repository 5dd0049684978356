// What the portal's page scripts share (loaded by base.html before them). No inline scripts (CSP): a page
// passes its data with json_script, and a script starts from the element it works on and that data.
(function () {
  "use strict";
  window.portal = {
    // Calls start(element, data) when the page has the element #elementId and the data it passed with
    // {{ value|json_script:"dataId" }}; on a page without them, does nothing.
    start: function (elementId, dataId, start) {
      var element = document.getElementById(elementId);
      var source = document.getElementById(dataId);
      if (element && source) { start(element, JSON.parse(source.textContent)); }
    }
  };
  // A table too wide for the screen scrolls in its own box (.table-responsive): keyboard users must reach
  // it too (WCAG 2.1.1), so a box that scrolls takes the focus and is named after its table's caption.
  function scrollBoxes() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var label = box.getAttribute("data-label") || (caption && caption.textContent.trim());
        if (label) { box.setAttribute("aria-label", label); }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  scrollBoxes();
  window.addEventListener("resize", scrollBoxes);
  document.addEventListener("shown.bs.collapse", scrollBoxes);
  document.addEventListener("toggle", scrollBoxes, true);
})();
