// The rule builder: add and remove condition and action rows (a <template> per kind).
(function () {
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
