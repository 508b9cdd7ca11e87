// The queue's bulk form: show only the value the chosen action needs.
(function () {
  function sync(form) {
    var action = form.querySelector('[name="action"]');
    if (!action) { return; }
    form.querySelectorAll("[data-bulk]").forEach(function (part) {
      part.hidden = part.getAttribute("data-bulk") !== action.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("bulk-form");
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "action") { sync(form); }
    });
  });
})();
