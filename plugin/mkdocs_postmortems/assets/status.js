/* mkdocs-postmortems: the status site's uptime bars as one Tab stop each. A component's bars are a toolbar of days
 * (`[data-pm-bars]`) whose one day with tabindex="0" is its stop (today's, as the page is written); Left and Right
 * move to the day before and after, Home and End to the first and the last, and the day reached shows its figures,
 * which are also its accessible name. Clicking a day makes it the stop. Without this script the stop still opens
 * today's day, and every day's figures are in the component's calendar and the table of figures.
 * One listener on the document, so a page Material swaps in (instant navigation) needs no new setup. No library,
 * no request to another host.
 */
(function () {
  "use strict";
  if (window.__pmStatusBars) return; // Material runs the page's scripts again after each instant navigation
  window.__pmStatusBars = true;

  var MOVES = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };

  function days(group) { return Array.prototype.slice.call(group.querySelectorAll(".pm-status__bar")); }

  function stopAt(group, day) { // the day becomes the group's one Tab stop
    days(group).forEach(function (other) { other.tabIndex = other === day ? 0 : -1; });
  }

  document.addEventListener("keydown", function (event) {
    var group = event.target.closest && event.target.closest("[data-pm-bars]");
    var move = MOVES[event.key];
    if (!group || move === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    var all = days(group);
    var at = all.indexOf(event.target);
    if (at < 0) return;
    var next = Math.max(0, Math.min(all.length - 1, at + move));
    event.preventDefault();
    stopAt(group, all[next]);
    all[next].focus();
  });

  document.addEventListener("focusin", function (event) {
    var group = event.target.closest && event.target.closest("[data-pm-bars]");
    if (group && event.target.classList.contains("pm-status__bar")) stopAt(group, event.target);
  });
})();
