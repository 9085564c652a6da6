/* mkdocs-postmortems: what every page gets besides the explorer (explorer.js) and the search (search.js): a link
 * into a folded list opens it, every fold opens for print, the printed address is the reader's, tables that scroll
 * sideways on a phone take keyboard focus. Every page works without it. No library, no request to another host.
 */
(function () {
  "use strict";

  function openTarget() { // a link to a row inside a folded <details> opens it
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var folded = target && target.closest("details");
    if (folded && !folded.open) {
      folded.open = true;
      target.scrollIntoView();
    }
  }

  // A table wider than a phone scrolls in Material's wrapper: make that region reachable by keyboard and named.
  // Material's search dialog has no name: give it one.
  function accessibility() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table; scroll sideways for more columns");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function init() {
    document.querySelectorAll("[data-pm-url]").forEach(function (node) { node.textContent = location.href; });
    accessibility();
    setTimeout(accessibility, 50); // after Material has wrapped the tables of a page it swapped in
    openTarget();
  }

  var opened = [];
  function openForPrint() { // print every row, folded or not (the explorer is not printed)
    document.querySelectorAll("details.pm-fold:not([open]):not(.pm-explorer-box)").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  }
  function closeAfterPrint() { opened.forEach(function (d) { d.open = false; }); opened = []; }
  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", closeAfterPrint);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (query) { if (query.matches) openForPrint(); else closeAfterPrint(); };
    if (printing.addEventListener) printing.addEventListener("change", onChange);
  }
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("resize", function () { clearTimeout(window.__pmResize); window.__pmResize = setTimeout(accessibility, 100); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without reloading scripts
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
