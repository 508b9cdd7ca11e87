// The coach's one-click rewrite: put the suggestion into the reply box, then
// let htmx coach the new text. Never blocks sending.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".coach-apply");
  if (!button) return;
  var box = document.getElementById("id_body");
  if (!box) return;
  var text = box.value;
  var start = parseInt(button.dataset.start, 10);
  var end = parseInt(button.dataset.end, 10);
  var original = button.dataset.original || "";
  var suggestion = button.dataset.suggestion || "";
  if (original && text.slice(start, end) !== original) {
    // The draft changed since the coach read it: find the phrase again.
    start = text.indexOf(original);
    end = start + original.length;
    if (start < 0) return;
  }
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  box.value = text.slice(0, start) + suggestion + text.slice(end);
  box.focus();
  box.dispatchEvent(new Event("input", { bubbles: true }));
});
