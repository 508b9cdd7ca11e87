// The writing partner's draft lands in the reply box: let the coach read it as
// it reads anything typed (the box's own htmx "input" trigger), and let the
// unsent-reply autosave see it ("keyup changed"). Never sends anything.
(function () {
  if (window.kefuPartnerReady) return;
  window.kefuPartnerReady = true;
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!target || target.id !== "reply-body" || !source || !source.classList.contains("partner-action")) return;
    var box = document.getElementById("id_body");
    if (!box) return;
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new Event("keyup", { bubbles: true }));
  });
})();
