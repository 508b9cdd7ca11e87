// Live SLA due times: every <time class="due" datetime="..."> shows how long is
// left or how long it is overdue, refreshed every 30 seconds. Labels come from
// data attributes so they are translated on the server.
(function () {
  "use strict";
  function span(ms) {
    var minutes = Math.round(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days > 0) { return days + "d " + hours + "h"; }
    if (hours > 0) { return hours + "h " + mins + "m"; }
    return mins + "m";
  }
  function refresh() {
    var now = Date.now();
    document.querySelectorAll("time.due[datetime]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      var left = due - now;
      var label = left < 0 ? el.dataset.overdue : el.dataset.left;
      var text = (label || "%s").replace("%s", span(left));
      var live = el.querySelector(".due-live");
      if (live) { live.textContent = text; }
      el.classList.toggle("is-overdue", left < 0);
      el.classList.toggle("is-soon", left >= 0 && left < 3600000);
    });
  }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSwap", refresh);
  setInterval(refresh, 30000);
})();
