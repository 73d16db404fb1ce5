(function () {
  "use strict";
  var q = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };
  document.documentElement.classList.add("js");
  // finding cards: severity checkboxes, metric select and a text filter
  function filterCards() {
    var on = {}; q("input[data-severity]").forEach(function (b) { on[b.dataset.severity] = b.checked; });
    var metric = (document.getElementById("f-metric") || {}).value || "";
    var text = ((document.getElementById("f-text") || {}).value || "").toLowerCase();
    var shown = 0;
    q(".card").forEach(function (c) {
      var ok = on[c.dataset.severity] !== false && (!metric || c.dataset.metric === metric) &&
               (!text || c.textContent.toLowerCase().indexOf(text) >= 0);
      c.hidden = !ok; if (ok) shown++;
    });
    var n = document.getElementById("f-count"); if (n) n.textContent = shown + " " + (n.dataset.word || "shown");
  }
  q("#filters input, #filters select").forEach(function (el) { el.addEventListener("input", filterCards); });
  // claim table: filters and sorting by any column
  function filterRows() {
    var want = {}; q("#claim-filters select").forEach(function (s) { want[s.dataset.col] = s.value; });
    q("#claims tbody tr").forEach(function (tr) {
      tr.hidden = Object.keys(want).some(function (k) {
        return want[k] && (tr.dataset[k] || "").split(" ").indexOf(want[k]) < 0;
      });
    });
  }
  q("#claim-filters select").forEach(function (s) { s.addEventListener("input", filterRows); });
  q("#claims th").forEach(function (th, i) {
    th.tabIndex = 0; th.title = "sort";
    var sort = function () {
      var body = th.closest("table").tBodies[0], asc = th.dataset.dir !== "asc";
      q("th", th.parentNode).forEach(function (o) { delete o.dataset.dir; });
      th.dataset.dir = asc ? "asc" : "desc";
      var rows = q("tr", body).sort(function (a, b) {
        var x = a.cells[i].dataset.v || a.cells[i].textContent, y = b.cells[i].dataset.v || b.cells[i].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
  filterCards();
})();
