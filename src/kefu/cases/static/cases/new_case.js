// New case: the call's direction and length only matter for a phone case.
(function () {
  function sync(form) {
    var phone = form.querySelector('input[name="channel"][value="phone"]');
    var call = form.querySelector('[data-testid="call-fields"]');
    if (phone && call) { call.hidden = !phone.checked; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector('[data-testid="new-case-form"]');
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "channel") { sync(form); }
    });
  });
})();
