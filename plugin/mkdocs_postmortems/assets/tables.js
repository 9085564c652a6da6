/* Sortable tables (`[data-pm-sortable]` around a static table: services, owners, action items). Progressive
 * enhancement: without this the table keeps the order the paragraph above it states. With it, each column's heading
 * is a button: a first click sorts by it ascending, a second descending, a third restores the stated order;
 * `aria-sort` says which. On a phone, where rows are cards and headings are hidden, a "Sort by" list does the same.
 * A cell sorts by its `data-sort-value` if it has one (minutes for a duration), else its text: numbers as numbers,
 * dates as written (ISO), text by the reader's collation; an empty cell always last. */
(function () {
  "use strict";

  var NUMBER = /^-?\d+(\.\d+)?$/;
  var collator = window.Intl ? new Intl.Collator(undefined, {numeric: true, sensitivity: "base"}) : null;

  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var given = cell.getAttribute("data-sort-value");
    return given !== null ? given : cell.textContent.replace(/\s+/g, " ").trim();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
    return collator ? collator.compare(a, b) : (a < b ? -1 : 1);
  }

  function sortable(wrapper, count) {
    var table = wrapper.querySelector("table");
    if (!table || !table.tHead || !table.tBodies[0] || table.hasAttribute("data-pm-sorted")) return;
    table.setAttribute("data-pm-sorted", "");
    var body = table.tBodies[0];
    Array.prototype.forEach.call(body.rows, function (row, at) { row.setAttribute("data-pm-order", at); });
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var names = headings.map(function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    var initial = headings.map(function (th) { return th.getAttribute("aria-sort"); });
    var status = document.createElement("p");
    status.className = "pm-sort-status";
    status.setAttribute("role", "status");
    var label = document.createElement("label");
    label.className = "pm-sort-bar";
    label.appendChild(document.createTextNode("Sort by "));
    var select = document.createElement("select");
    select.setAttribute("aria-controls", table.id || (table.id = "pm-sortable-" + count));
    var options = [["", "the order stated above"]];
    names.forEach(function (name, at) {
      if (name) options.push([at + ":ascending", name + ", ascending"], [at + ":descending", name + ", descending"]);
    });
    options.forEach(function (option) {
      var node = document.createElement("option");
      node.value = option[0];
      node.textContent = option[1];
      select.appendChild(node);
    });
    label.appendChild(select);
    wrapper.insertBefore(label, wrapper.firstChild);
    wrapper.appendChild(status);

    function apply(column, direction) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        if (column < 0) return a.getAttribute("data-pm-order") - b.getAttribute("data-pm-order");
        var x = key(a, column), y = key(b, column);
        if (!x || !y) return x ? -1 : y ? 1 : 0; // empty last, either way
        var order = compare(x, y) || a.getAttribute("data-pm-order") - b.getAttribute("data-pm-order");
        return direction === "descending" ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      headings.forEach(function (th, at) {
        var value = column < 0 ? initial[at] : at === column ? direction : null;
        if (value) th.setAttribute("aria-sort", value); else th.removeAttribute("aria-sort");
      });
      select.value = column < 0 ? "" : column + ":" + direction;
      status.textContent = column < 0 ? "In the order stated above." : "Sorted by " + names[column] + ", " + direction + ".";
    }

    headings.forEach(function (th, at) {
      if (!names[at]) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pm-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var now = select.value === at + ":ascending" ? "ascending" : select.value === at + ":descending" ? "descending" : "";
        if (now === "descending") apply(-1); else apply(at, now === "ascending" ? "descending" : "ascending");
      });
    });
    select.addEventListener("change", function () {
      var parts = select.value.split(":");
      if (select.value) apply(parseInt(parts[0], 10), parts[1]); else apply(-1);
    });
  }

  function init() {
    document.querySelectorAll("[data-pm-sortable]").forEach(function (wrapper, at) { sortable(wrapper, at); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
