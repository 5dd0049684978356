// Incident filing form: the commune list follows the chosen district. No inline scripts (CSP).
window.portal.start("incident-form", "incident-places", function (form, places) {
  "use strict";
  var district = form.querySelector("select[name=district]");
  var commune = form.querySelector("select[name=commune]");
  if (!district || !commune) { return; }
  var empty = commune.querySelector("option[value='']");
  var emptyLabel = empty ? empty.textContent : "";

  function fill() {
    var chosen = commune.value;
    var list = places[district.value] || [];
    commune.textContent = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = emptyLabel;
    commune.appendChild(first);
    list.forEach(function (item) {
      var option = document.createElement("option");
      option.value = String(item[0]);
      option.textContent = item[1];
      if (option.value === chosen) { option.selected = true; }
      commune.appendChild(option);
    });
    commune.disabled = list.length === 0;
  }

  district.addEventListener("change", fill);
  fill();
});
