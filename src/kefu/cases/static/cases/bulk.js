// The queue's bulk form: show only the value the chosen action needs.
(function () {
  function sync(form) {
    var action = form.querySelector('[name="action"]');
    if (!action) { return; }
    form.querySelectorAll("[data-bulk]").forEach(function (part) {
      part.hidden = part.getAttribute("data-bulk") !== action.value;
    });
  }
  // The header's box ticks every case on this page (rows come and go with htmx).
  document.addEventListener("change", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-select-all")) { return; }
    document.querySelectorAll('input[name="cases"][form="bulk-form"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("bulk-form");
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "action") { sync(form); }
    });
  });
})();
