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
})();
