// The rule builder: add and remove condition and action rows (a <template> per kind),
// and show in each row only the inputs its action or field uses (a team list for
// "assign to a team", a person list for "assign to a person", ...). Hidden inputs
// still post, so every row posts each name once and the rows stay aligned.
(function () {
  function words(el, name) {
    var value = el.getAttribute(name);
    return value ? value.split(" ") : null;
  }
  function shape(row) {
    var chooser = row.querySelector("[data-action-type], [data-cond-field]");
    if (!chooser) { return; }
    var chosen = chooser.value;
    row.querySelectorAll("[data-show-for], [data-hide-for]").forEach(function (el) {
      var show = words(el, "data-show-for");
      var hide = words(el, "data-hide-for");
      var visible = show ? show.indexOf(chosen) !== -1 : hide.indexOf(chosen) === -1;
      el.hidden = !visible;
    });
  }
  function shapeAll(root) {
    root.querySelectorAll(".rule-row").forEach(shape);
  }
  document.addEventListener("DOMContentLoaded", function () { shapeAll(document); });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-action-type], [data-cond-field]")) {
      shape(target.closest(".rule-row"));
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) { return; }
    var add = target.closest("[data-add-row]");
    if (add) {
      var kind = add.getAttribute("data-add-row");
      var template = document.getElementById(kind + "-row-template");
      var rows = document.getElementById(kind + "-rows");
      if (template && rows) {
        rows.appendChild(template.content.cloneNode(true));
        var last = rows.lastElementChild;
        if (last) { shape(last); }
        var first = last && last.querySelector("select, input");
        if (first) { first.focus(); }
      }
      return;
    }
    var remove = target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest(".rule-row");
      if (row) { row.remove(); }
    }
  });
})();
