/* mkdocs-postmortems: filters and sorting over the site's own JSON exports, in the browser.
 *
 * Progressive enhancement: every page is complete without this file (the static filter pages, the tables, the
 * pages a long list is split into). With it, the postmortem list and the action-item list filter by any
 * combination of dimensions and text, sort by any column, show the counts of the current selection, and keep the
 * selection in the query string so a URL can be shared. No library, no request to another host: it reads
 * postmortems/index.json and action-items/action-items.json from this site. Data is only ever set as text.
 */
(function () {
  "use strict";

  var SHOWN = 200; // rows drawn at once; "Show more" draws the next ones

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function duration(minutes) { // as the pages write durations: 3 d 4 h, 3 h 49 min, 45 min
    if (minutes === null || minutes === undefined || !(minutes >= 0)) return "";
    var whole = Math.floor(minutes), days = Math.floor(whole / 1440), hours = Math.floor((whole % 1440) / 60);
    if (days) return days + " d " + hours + " h";
    return hours ? hours + " h " + (whole % 60) + " min" : (whole % 60) + " min";
  }

  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (value) { if (value && !seen[value]) { seen[value] = true; out.push(value); } });
    return out;
  }

  // Each kind of list: its dimensions (key, label, values of a record), its columns and how a row is drawn.
  var KINDS = {
    postmortems: {
      noun: "postmortems", records: function (data) { return data.postmortems; },
      dimensions: [
        ["severity", "Severity", function (r) { return [r.severity]; }],
        ["status", "State", function (r) { return [r.status]; }],
        ["service", "Service", function (r) { return r.services; }],
        ["category", "Category", function (r) { return unique(r.root_causes.map(function (c) { return c.category; })); }],
        ["owner", "Team or owner", function (r) { return unique(r.action_items.map(function (i) { return i.owner; })); }],
        ["year", "Year", function (r) { return r.started ? [r.started.slice(0, 4)] : []; }],
        ["tag", "Tag", function (r) { return r.tags; }]
      ],
      text: function (r) {
        return [r.id, r.title, r.severity, r.status, r.services.join(" "), r.tags.join(" "), r.impact.summary]
          .concat(r.root_causes.map(function (c) { return c.category + " " + c.summary; })).join(" ");
      },
      columns: [
        ["started", "Date", "pm-col-date", function (r) { return r.started || ""; }],
        ["title", "Title", "pm-col-title", function (r) { return r.title.toLowerCase(); }],
        ["severity", "Severity", "pm-col-severity", function (r) { return r.severity || "~"; }],
        ["status", "Status", "pm-col-status", function (r) { return r.status; }],
        ["services", "Services", "pm-col-services", function (r) { return r.services.join(", "); }],
        ["duration", "Duration", "pm-col-duration", function (r) { return r.minutes.impact === null ? -1 : r.minutes.impact; }]
      ],
      defaultSort: ["started", "desc"],
      wrapper: "pm-index pm-table",
      row: function (r, root) {
        var tr = el("tr", {"data-severity": r.severity || ""});
        var date = el("td", {"class": "pm-col-date"});
        date.appendChild(el("time", {datetime: r.started || ""}, r.started ? r.started.slice(0, 10) : ""));
        var title = el("td", {"class": "pm-col-title"});
        title.appendChild(el("a", {href: root + r.url}, r.title));
        var severity = el("td", {"class": "pm-col-severity", "data-label": "Severity"});
        if (r.severity) severity.appendChild(el("span", {"class": "pm-badge pm-badge--" + r.severity.toLowerCase()}, r.severity));
        [date, title, severity,
         el("td", {"class": "pm-col-status", "data-label": "Status"}, r.status),
         el("td", {"class": "pm-col-services", "data-label": "Services"}, r.services.join(", ")),
         el("td", {"class": "pm-col-duration", "data-label": "Duration"}, duration(r.minutes.impact))
        ].forEach(function (td) { tr.appendChild(td); });
        return tr;
      }
    },
    "action-items": {
      noun: "action items", folded: true, records: function (data) { return data.action_items; },
      dimensions: [
        ["state", "State", function (r) { return r.overdue ? [r.status, "overdue"] : [r.status]; }],
        ["severity", "Severity", function (r) { return [r.severity]; }],
        ["service", "Service", function (r) { return r.services || []; }],
        ["category", "Category", function (r) { return r.categories || []; }],
        ["owner", "Team or owner", function (r) { return [r.owner]; }],
        ["priority", "Priority", function (r) { return [r.priority]; }],
        ["year", "Year", function (r) { return r.started ? [r.started.slice(0, 4)] : []; }]
      ],
      text: function (r) { return [r.id, r.title, r.owner, r.status, r.done_when, r.reason].join(" "); },
      columns: [
        ["title", "Action", "pm-col-title", function (r) { return r.title.toLowerCase(); }],
        ["status", "Status", "pm-col-status", function (r) { return (r.overdue ? "0" : "1") + r.status; }],
        ["due", "Due", "pm-col-due", function (r) { return r.due || "9999"; }],
        ["owner", "Owner", "pm-col-owner", function (r) { return r.owner.toLowerCase(); }],
        ["priority", "Priority", "pm-col-priority", function (r) { return r.priority; }],
        ["postmortem", "Incident", "pm-col-incident", function (r) { return r.started || ""; }]
      ],
      defaultSort: ["due", "asc"],
      wrapper: "pm-action-items pm-item-list pm-table",
      row: function (r, root) {
        var tr = el("tr", {"data-status": r.status});
        var title = el("td", {"class": "pm-col-title"});
        title.appendChild(el("a", {href: root + r.url}, r.title));
        title.appendChild(el("br"));
        var small = el("small");
        small.appendChild(el("code", {"class": "pm-item-id"}, r.id));
        title.appendChild(small);
        var status = el("td", {"class": "pm-col-status", "data-label": "Status"});
        status.appendChild(el("span", {"class": "pm-badge pm-badge--" + r.status}, r.status));
        if (r.overdue) {
          status.appendChild(document.createTextNode(" "));
          status.appendChild(el("span", {"class": "pm-badge pm-badge--overdue"}, "overdue"));
        }
        var incident = el("td", {"class": "pm-col-incident", "data-label": "Incident"});
        incident.appendChild(el("a", {href: root + r.url.split("#")[0]}, r.postmortem));
        [title, status, el("td", {"class": "pm-col-due", "data-label": "Due"}, r.due || ""),
         el("td", {"class": "pm-col-owner", "data-label": "Owner"}, r.owner),
         el("td", {"class": "pm-col-priority", "data-label": "Priority"}, r.priority), incident
        ].forEach(function (td) { tr.appendChild(td); });
        return tr;
      }
    }
  };

  function readState(kind, container) {
    var params = new URLSearchParams(location.search), state = {q: params.get("q") || "", filters: {}};
    kind.dimensions.forEach(function (d) { if (params.get(d[0])) state.filters[d[0]] = params.get(d[0]); });
    var preset = container.getAttribute("data-pm-preset");
    if (preset && !location.search) { // a static filter page: start from its own value
      var at = preset.indexOf("=");
      var key = preset.slice(0, at) === "status" ? "status" : preset.slice(0, at);
      if (kind.dimensions.some(function (d) { return d[0] === key; })) state.filters[key] = preset.slice(at + 1);
    }
    var sort = (params.get("sort") || "").split(":");
    var known = kind.columns.some(function (c) { return c[0] === sort[0]; });
    state.sort = known ? sort[0] : kind.defaultSort[0];
    state.order = known ? (sort[1] === "asc" ? "asc" : "desc") : kind.defaultSort[1];
    return state;
  }

  function writeState(kind, state) {
    var params = new URLSearchParams();
    kind.dimensions.forEach(function (d) { if (state.filters[d[0]]) params.set(d[0], state.filters[d[0]]); });
    if (state.q) params.set("q", state.q);
    if (state.sort !== kind.defaultSort[0] || state.order !== kind.defaultSort[1]) params.set("sort", state.sort + ":" + state.order);
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function matches(kind, record, state, skip) {
    for (var i = 0; i < kind.dimensions.length; i++) {
      var d = kind.dimensions[i], wanted = state.filters[d[0]];
      if (d[0] !== skip && wanted && d[2](record).indexOf(wanted) < 0) return false;
    }
    if (state.q) {
      var text = record._text, words = state.q.toLowerCase().split(/\s+/);
      for (var w = 0; w < words.length; w++) if (words[w] && text.indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function explore(container, kind, data) {
    var records = kind.records(data), root = container.getAttribute("data-pm-root") || "";
    records.forEach(function (r) { r._text = kind.text(r).toLowerCase(); });
    var state = readState(kind, container), shown = SHOWN;
    var form = el("form", {"class": "pm-explorer", role: "search", "aria-label": "Filter " + kind.noun});
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var search = el("input", {type: "search", name: "q", "class": "pm-explorer__text", placeholder: "Words in any field",
                              "aria-label": "Text"});
    search.value = state.q;
    var label = el("label", {"class": "pm-explorer__field pm-explorer__field--text"});
    label.appendChild(el("span", {}, "Text"));
    label.appendChild(search);
    form.appendChild(label);
    var selects = {};
    kind.dimensions.forEach(function (d) {
      var field = el("label", {"class": "pm-explorer__field"});
      field.appendChild(el("span", {}, d[1]));
      var select = el("select", {name: d[0]});
      field.appendChild(select);
      form.appendChild(field);
      selects[d[0]] = select;
      select.addEventListener("change", function () { state.filters[d[0]] = select.value; shown = SHOWN; update(); });
    });
    var reset = el("button", {type: "button", "class": "md-button pm-explorer__reset"}, "Clear filters");
    reset.addEventListener("click", function () { state.filters = {}; state.q = ""; search.value = ""; shown = SHOWN; update(); });
    form.appendChild(reset);
    search.addEventListener("input", function () { state.q = search.value.trim(); shown = SHOWN; update(); });

    var status = el("p", {"class": "pm-explorer__count", role: "status", "aria-live": "polite"});
    var wrapper = el("div", {"class": kind.wrapper + " pm-explorer__results"});
    var table = el("table"), thead = el("thead"), headRow = el("tr"), tbody = el("tbody");
    kind.columns.forEach(function (c) {
      var th = el("th", {"class": c[2], scope: "col"});
      var button = el("button", {type: "button", "class": "pm-sort", "data-sort": c[0]}, c[1]);
      button.addEventListener("click", function () {
        state.order = state.sort === c[0] && state.order === "desc" ? "asc" : state.sort === c[0] ? "desc" : "asc";
        state.sort = c[0];
        update();
      });
      th.appendChild(button);
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(tbody);
    wrapper.appendChild(table);
    var more = el("button", {type: "button", "class": "md-button pm-explorer__more"}, "Show more");
    more.addEventListener("click", function () { shown += SHOWN; update(); });

    // The static filters, pager and table give way to the explorer's; where the page has more to show (the
    // action items' sections), the explorer is folded until a query string opens it.
    container.querySelectorAll(".pm-filters, .pm-pager, .pm-index").forEach(function (node) { node.remove(); });
    var host = container;
    if (kind.folded) {
      host = el("details", {"class": "pm-fold pm-explorer-box"});
      host.appendChild(el("summary", {}, "Filter and sort all " + records.length + " " + kind.noun));
      host.open = !!location.search;
      container.appendChild(host);
    }
    [form, status, wrapper, more].forEach(function (node) { host.appendChild(node); });
    container.classList.add("pm-explore--active");

    function update() {
      kind.dimensions.forEach(function (d) { // each option counts the records it would select, given the others
        var counts = {};
        records.forEach(function (r) {
          if (matches(kind, r, state, d[0])) d[2](r).forEach(function (v) { if (v) counts[v] = (counts[v] || 0) + 1; });
        });
        var all = unique([].concat.apply([], records.map(d[2])));
        if (d[0] === "year") all.sort().reverse(); else all.sort();
        var select = selects[d[0]], current = state.filters[d[0]] || "";
        if (current && all.indexOf(current) < 0) all.unshift(current);
        select.textContent = "";
        select.appendChild(el("option", {value: ""}, "any"));
        all.forEach(function (v) { select.appendChild(el("option", {value: v}, v + " (" + (counts[v] || 0) + ")")); });
        select.value = current;
      });
      var column = kind.columns.filter(function (c) { return c[0] === state.sort; })[0];
      var selected = records.filter(function (r) { return matches(kind, r, state); });
      selected.sort(function (a, b) {
        var x = column[3](a), y = column[3](b), order = x < y ? -1 : x > y ? 1 : 0;
        return state.order === "asc" ? order : -order;
      });
      tbody.textContent = "";
      selected.slice(0, shown).forEach(function (r) { tbody.appendChild(kind.row(r, root)); });
      headRow.querySelectorAll("th").forEach(function (th) {
        var key = th.firstChild.getAttribute("data-sort");
        if (key === state.sort) th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      status.textContent = selected.length + " of " + records.length + " " + kind.noun +
        (selected.length > shown ? ", the first " + shown + " shown" : "");
      more.hidden = selected.length <= shown;
      writeState(kind, state);
    }
    update();
  }

  function initExplorers() {
    document.querySelectorAll("[data-pm-explore]").forEach(function (container) {
      var kind = KINDS[container.getAttribute("data-pm-explore")];
      if (!kind || container.classList.contains("pm-explore--active") || !window.fetch) return;
      fetch(new URL(container.getAttribute("data-pm-json"), location.href).href)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) explore(container, kind, data); })
        .catch(function () { /* the static page stays as it is */ });
    });
  }

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
    initExplorers();
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
