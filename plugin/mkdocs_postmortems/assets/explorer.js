/* mkdocs-postmortems: the explorer: filters that combine, sorting and counts over the site's compact indexes.
 *
 * Progressive enhancement: every page is complete without this file (the static filter pages, the tables, the pages
 * a long list is split into). With it, the postmortem list and the action-item list filter by any combination of
 * dimensions and words, sort by any column (buttons in the table's head, and a menu that a phone shows too), show
 * the counts of the current selection and each filter as a chip that removes it, and keep the selection in the
 * query string (`?severity=SEV2&text=pool&sort=duration:asc`) so a URL can be shared. `?q=`, Material's search
 * parameter, is read as `text` for old links and never written.
 *
 * It reads the compact index beside the export a page names (`explore.json` beside `postmortems/index.json` and
 * `action-items/action-items.json`; kb_site/exports.py): only what rows, filters and sorting need. The postmortems'
 * explorer loads it with the page; the words only the text filter reads (`explore-text.json`) come when a reader
 * first types; the action items' explorer is folded and loads its index when opened. A row shows the cells of the
 * static table's row (row.html, item-row.html) from the same values. Data is only ever set as text. No library, no
 * request to another host.
 */
(function () {
  "use strict";

  var SHOWN = 200; // rows drawn at once; "Show more" draws the next ones
  var WIDE = "(min-width: 45em)"; // the stylesheet's phone breakpoint: filters start folded below it

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function append(parent, children) {
    children.forEach(function (child) {
      if (child !== null && child !== undefined) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return parent;
  }

  function cell(column, label, children) {
    var attrs = {"class": "pm-col-" + column};
    if (label) attrs["data-label"] = label;
    return append(el("td", attrs), children);
  }

  function badge(name, text) { return el("span", {"class": "pm-badge pm-badge--" + name}, text); }

  function link(href, text) { return href ? el("a", {href: href}, text) : document.createTextNode(text); }

  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (value) { if (value && !seen[value]) { seen[value] = true; out.push(value); } });
    return out;
  }

  // A compact index's rows as records: each repeated string looked up once in `values`.
  function records(data, lookups) {
    return data.rows.map(function (row) {
      var record = {};
      data.columns.forEach(function (name, i) {
        var values = lookups[name] && data.values[lookups[name]], value = row[i];
        if (!values) record[name] = value;
        else if (Array.isArray(value)) record[name] = value.map(function (at) { return values[at]; });
        else record[name] = value === null ? "" : values[value];
      });
      return record;
    });
  }

  // Each kind of list: where its index is, how a record is read, its dimensions (key, label, values of a record),
  // its words, its columns (key, label, how it sorts, what ascending and descending mean) and how a row is drawn.
  var KINDS = {
    postmortems: {
      noun: "postmortems",
      read: function (data) {
        var list = records(data, {severity: "severity", kind: "kind", status: "status", services: "service",
                                  categories: "category", owners: "owner", tags: "tag"});
        list.forEach(function (r) { r.url = r.url || data.url_pattern[0] + r.id + data.url_pattern[1]; });
        return list;
      },
      detail: "explore-text.json", // the impact's and the causes' words, for the text filter only
      dimensions: [
        ["severity", "Severity", function (r) { return [r.severity]; }],
        ["status", "State", function (r) { return [r.status]; }],
        ["service", "Service", function (r) { return r.services; }],
        ["category", "Category", function (r) { return r.categories; }],
        ["owner", "Team or owner", function (r) { return r.owners; }],
        ["year", "Year", function (r) { return r.started ? [r.started.slice(0, 4)] : []; }],
        ["tag", "Tag", function (r) { return r.tags; }]
      ],
      words: function (r) {
        return [r.id, r.title, r.severity, r.kind, r.status].concat(r.services, r.categories, r.owners, r.tags);
      },
      columns: [
        ["started", "Date", function (r) { return r.started || ""; }, "oldest first", "newest first"],
        ["title", "Title", function (r) { return r.title.toLowerCase(); }, "A to Z", "Z to A"],
        ["severity", "Severity", function (r) { return r.severity || "~"; }, "most severe first", "least severe first"],
        ["status", "Status", function (r) { return r.status; }, "A to Z", "Z to A"],
        ["services", "Services", function (r) { return r.services.join(", "); }, "A to Z", "Z to A"],
        ["duration", "Duration", function (r) { return r.minutes === null ? -1 : r.minutes; }, "shortest first", "longest first"]
      ],
      defaultSort: ["started", "desc"],
      wrapper: "pm-index pm-table",
      row: function (r, root) { // row.html
        var tr = el("tr", {"data-severity": r.severity, "data-kind": r.kind});
        var severity = r.kind === "maintenance" ? badge("maintenance", "maintenance") :
          r.severity ? badge(r.severity.toLowerCase(), r.severity) : "unknown";
        var problems = r.problems ? badge("problems", r.problems + " problem" + (r.problems === 1 ? "" : "s")) : null;
        return append(tr, [
          cell("date", null, [el("time", {datetime: r.started || ""}, r.started ? r.started.slice(0, 10) : "")]),
          cell("title", null, [link(root + r.url, r.title), problems ? " " : null, problems]),
          cell("severity", "Severity", [severity]),
          cell("status", "Status", [r.status]),
          cell("services", "Services", [r.services.join(", ")]),
          cell("duration", "Duration", [r.duration])
        ]);
      }
    },
    "action-items": {
      noun: "action items",
      folded: true,
      read: function (data) {
        var list = records(data, {status: "status", owner: "owner", priority: "priority", categories: "category"});
        var owners = {};
        data.values.owner.forEach(function (owner, i) { owners[owner] = data.owner_urls[i]; });
        list.forEach(function (r) {
          var pm = data.postmortems[r.postmortem];
          r.id = pm[0] + "#" + r.number;
          r.postmortem = {id: pm[0], title: pm[1], url: pm[2], severity: pm[3] === null ? "" : data.values.severity[pm[3]],
                          started: pm[4], services: pm[5].map(function (at) { return data.values.service[at]; })};
          r.owner_url = owners[r.owner] || null;
        });
        return list;
      },
      dimensions: [
        ["state", "State", function (r) { return r.overdue ? [r.status, "overdue"] : [r.status]; }],
        ["severity", "Severity", function (r) { return [r.postmortem.severity]; }],
        ["service", "Service", function (r) { return r.postmortem.services; }],
        ["category", "Category", function (r) { return r.categories; }],
        ["owner", "Team or owner", function (r) { return [r.owner]; }],
        ["priority", "Priority", function (r) { return [r.priority]; }],
        ["year", "Year", function (r) { return r.postmortem.started ? [r.postmortem.started.slice(0, 4)] : []; }]
      ],
      words: function (r) { return [r.id, r.title, r.owner, r.status, r.done_when, r.reason]; },
      columns: [
        ["title", "Action", function (r) { return r.title.toLowerCase(); }, "A to Z", "Z to A"],
        ["status", "Status", function (r) { return (r.overdue ? "0" : "1") + r.status; }, "overdue first", "overdue last"],
        ["due", "Due", function (r) { return r.due || "9999"; }, "soonest first", "latest first"],
        ["owner", "Owner", function (r) { return r.owner.toLowerCase(); }, "A to Z", "Z to A"],
        ["priority", "Priority", function (r) { return r.priority; }, "highest first", "lowest first"],
        ["postmortem", "Incident", function (r) { return r.postmortem.started || ""; }, "oldest first", "newest first"]
      ],
      defaultSort: ["due", "asc"],
      wrapper: "pm-action-items pm-item-list pm-table",
      row: function (r, root) { // item-row.html
        var pm = r.postmortem, safe = r.link && !/^\s*(javascript|data|vbscript):/i.test(r.link);
        var title = cell("title", null, [safe ? link(r.link, r.title) : r.title, el("br"),
                                         append(el("small"), [el("code", {"class": "pm-item-id"}, r.id)])]);
        if (r.done_when) append(title, [el("br"), el("small", {}, "Done when: " + r.done_when)]);
        if (r.reason) append(title, [el("br"), el("small", {}, "Reason: " + r.reason)]);
        var status = cell("status", "Status", [badge(r.status, r.status)]);
        if (r.overdue) append(status, [" ", badge("overdue", "overdue")]);
        if (r.closed) append(status, [el("br"), el("small", {}, "closed " + r.closed)]);
        var incident = cell("incident", "Incident", [link(root + pm.url, pm.title), " ",
                                                      badge(pm.severity.toLowerCase(), pm.severity)]);
        if (r.recurrence > 1) append(incident, [el("br"), el("small", {}, "cause seen in " + r.recurrence + " incidents")]);
        return append(el("tr", {"data-status": r.status}), [
          title, status, cell("due", "Due", [r.due || ""]),
          cell("owner", "Owner", [r.owner_url ? link(root + r.owner_url, r.owner) : r.owner]),
          cell("priority", "Priority", [r.priority]), incident
        ]);
      }
    }
  };

  function readState(kind, container) {
    var params = new URLSearchParams(location.search);
    var state = {text: params.get("text") || params.get("q") || "", filters: {}}; // `q`: links made before `text`
    kind.dimensions.forEach(function (d) { if (params.get(d[0])) state.filters[d[0]] = params.get(d[0]); });
    var preset = container.getAttribute("data-pm-preset");
    if (preset && !location.search) { // a static filter page: start from its own value
      var at = preset.indexOf("="), key = preset.slice(0, at);
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
    if (state.text) params.set("text", state.text);
    if (state.sort !== kind.defaultSort[0] || state.order !== kind.defaultSort[1]) params.set("sort", state.sort + ":" + state.order);
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function matches(kind, record, state, skip) {
    for (var i = 0; i < kind.dimensions.length; i++) {
      var d = kind.dimensions[i], wanted = state.filters[d[0]];
      if (d[0] !== skip && wanted && d[2](record).indexOf(wanted) < 0) return false;
    }
    if (state.text) {
      var words = state.text.toLowerCase().split(/\s+/);
      for (var w = 0; w < words.length; w++) if (words[w] && record._text.indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function activeCount(state) {
    return Object.keys(state.filters).filter(function (key) { return state.filters[key]; }).length + (state.text ? 1 : 0);
  }

  // The explorer's controls and results, in place of the static filters, pager and table (the action items': in a
  // fold of their own, below the page's summary tables).
  function explore(container, kind, data, host, jsonUrl) {
    var list = kind.read(data), root = container.getAttribute("data-pm-root") || "";
    list.forEach(function (r) { r._text = kind.words(r).join(" ").toLowerCase(); });
    var state = readState(kind, container), shown = SHOWN, detail = null;
    var id = "pm-explorer-" + container.getAttribute("data-pm-explore");
    var box = el("section", {"class": "pm-explorer-ui", id: id, tabindex: "-1", "aria-label": "Filter and sort " + kind.noun});

    var fold = el("details", {"class": "pm-explorer__fold"});
    var foldSummary = el("summary", {"class": "pm-explorer__summary"});
    fold.appendChild(foldSummary);
    fold.open = !window.matchMedia || window.matchMedia(WIDE).matches;
    var form = el("form", {"class": "pm-explorer", role: "search", "aria-label": "Filter " + kind.noun});
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var text = el("input", {type: "search", name: "text", "class": "pm-explorer__text", placeholder: "Words in any field",
                            autocomplete: "off"});
    text.value = state.text;
    form.appendChild(append(el("label", {"class": "pm-explorer__field pm-explorer__field--text"}), [el("span", {}, "Text"), text]));
    var selects = {};
    kind.dimensions.forEach(function (d) {
      var select = el("select", {name: d[0]});
      form.appendChild(append(el("label", {"class": "pm-explorer__field"}), [el("span", {}, d[1]), select]));
      selects[d[0]] = select;
      select.addEventListener("change", function () { state.filters[d[0]] = select.value; shown = SHOWN; update(); });
    });
    var reset = el("button", {type: "button", "class": "md-button pm-explorer__reset"}, "Clear filters");
    reset.addEventListener("click", function () {
      state.filters = {};
      state.text = text.value = "";
      shown = SHOWN;
      update();
      text.focus();
    });
    form.appendChild(reset);
    fold.appendChild(form);
    text.addEventListener("input", function () {
      state.text = text.value.trim();
      shown = SHOWN;
      if (kind.detail && state.text && !detail) loadDetail();
      update();
    });

    function loadDetail() { // the words the rows do not show, fetched the first time a reader types
      detail = fetch(new URL(kind.detail, jsonUrl).href)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (found) {
          if (!found || !Array.isArray(found.text) || found.text.length !== list.length) return;
          list.forEach(function (r, i) { r._text += " " + String(found.text[i] || "").toLowerCase(); });
          update();
        })
        .catch(function () { /* the text filter keeps to the rows' words */ });
    }

    var chips = el("ul", {"class": "pm-explorer__chips", "aria-label": "Active filters"});
    var bar = el("div", {"class": "pm-explorer__bar"});
    var count = el("p", {"class": "pm-explorer__count", role: "status", "aria-live": "polite"});
    var sorter = el("select", {name: "sort", "class": "pm-explorer__sort"});
    kind.columns.forEach(function (c) {
      sorter.appendChild(el("option", {value: c[0] + ":asc"}, c[1] + ", " + c[3]));
      sorter.appendChild(el("option", {value: c[0] + ":desc"}, c[1] + ", " + c[4]));
    });
    sorter.addEventListener("change", function () {
      var parts = sorter.value.split(":");
      state.sort = parts[0];
      state.order = parts[1];
      update();
    });
    append(bar, [count, append(el("label", {"class": "pm-explorer__field pm-explorer__field--sort"}), [el("span", {}, "Sort by"), sorter])]);

    var wrapper = el("div", {"class": kind.wrapper + " pm-explorer__results"});
    var table = el("table"), thead = el("thead"), headRow = el("tr"), tbody = el("tbody");
    kind.columns.forEach(function (c) {
      var th = el("th", {"class": "pm-col-" + (c[0] === "started" ? "date" : c[0] === "postmortem" ? "incident" : c[0]), scope: "col"});
      var button = el("button", {type: "button", "class": "pm-sort", "data-sort": c[0]}, c[1]);
      button.addEventListener("click", function () {
        state.order = state.sort === c[0] && state.order === "desc" ? "asc" : state.sort === c[0] ? "desc" : "asc";
        state.sort = c[0];
        update();
      });
      th.appendChild(button);
      headRow.appendChild(th);
    });
    append(wrapper, [append(table, [append(thead, [headRow]), tbody])]);
    var more = el("button", {type: "button", "class": "md-button pm-explorer__more"}, "Show more");
    more.addEventListener("click", function () {
      var first = shown;
      shown += SHOWN;
      update();
      var next = tbody.rows[first] && tbody.rows[first].querySelector("a");
      if (next) next.focus(); // the first new row, rather than the top of the page
    });

    append(box, [fold, chips, bar, wrapper, more]);
    container.querySelectorAll(".pm-filters, .pm-pager, .pm-index").forEach(function (node) { node.remove(); });
    host.appendChild(box);
    container.classList.add("pm-explore--active");

    function chip(label, remove) {
      var button = el("button", {type: "button", "class": "pm-explorer__chip", "aria-label": "Remove filter " + label});
      append(button, [label + " ", el("span", {"aria-hidden": "true"}, "×")]);
      button.addEventListener("click", function () {
        remove();
        shown = SHOWN;
        update();
        // the next chip; when none is left, the text filter (or the folded filters' summary on a phone)
        (chips.querySelector("button") || (fold.open ? text : foldSummary)).focus();
      });
      chips.appendChild(append(el("li"), [button]));
    }

    function update() {
      kind.dimensions.forEach(function (d) { // each option counts the records it would select, given the others
        var counts = {};
        list.forEach(function (r) {
          if (matches(kind, r, state, d[0])) d[2](r).forEach(function (v) { if (v) counts[v] = (counts[v] || 0) + 1; });
        });
        var all = unique([].concat.apply([], list.map(d[2])));
        if (d[0] === "year") all.sort().reverse(); else all.sort();
        var select = selects[d[0]], current = state.filters[d[0]] || "";
        if (current && all.indexOf(current) < 0) all.unshift(current);
        select.textContent = "";
        select.appendChild(el("option", {value: ""}, "any"));
        all.forEach(function (v) { select.appendChild(el("option", {value: v}, v + " (" + (counts[v] || 0) + ")")); });
        select.value = current;
      });
      var column = kind.columns.filter(function (c) { return c[0] === state.sort; })[0];
      var selected = list.filter(function (r) { return matches(kind, r, state); });
      selected.sort(function (a, b) {
        var x = column[2](a), y = column[2](b), order = x < y ? -1 : x > y ? 1 : 0;
        return state.order === "asc" ? order : -order;
      });
      tbody.textContent = "";
      selected.slice(0, shown).forEach(function (r) { tbody.appendChild(kind.row(r, root)); });
      headRow.querySelectorAll("th").forEach(function (th) {
        var key = th.firstChild.getAttribute("data-sort");
        if (key === state.sort) th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      chips.textContent = "";
      kind.dimensions.forEach(function (d) {
        if (state.filters[d[0]]) chip(d[1] + ": " + state.filters[d[0]], function () { state.filters[d[0]] = ""; });
      });
      if (state.text) chip("Text: " + state.text, function () { state.text = text.value = ""; });
      chips.hidden = !chips.firstChild;
      var active = activeCount(state);
      foldSummary.textContent = "Filters" + (active ? " (" + active + " active)" : "");
      sorter.value = state.sort + ":" + state.order;
      count.textContent = selected.length + " of " + list.length + " " + kind.noun + ", sorted by " +
        column[1].toLowerCase() + ", " + column[state.order === "asc" ? 3 : 4] +
        (selected.length > shown ? "; the first " + shown + " shown" : "");
      more.hidden = selected.length <= shown;
      writeState(kind, state);
    }
    update();
    return box;
  }

  // The first Tab stop of a page with an explorer: a link past the header and the navigation to its filters.
  function skipLink(box) {
    var skip = el("a", {href: "#" + box.id, "class": "md-skip pm-skip"}, "Skip to the filters and results");
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      box.focus();
      box.scrollIntoView();
    });
    document.body.insertBefore(skip, document.body.firstChild);
  }

  function load(container, kind) {
    var jsonUrl = new URL(container.getAttribute("data-pm-json"), location.href).href;
    return fetch(new URL("explore.json", jsonUrl).href)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { return data && Array.isArray(data.rows) ? {data: data, url: jsonUrl} : null; });
  }

  function init() {
    document.querySelectorAll(".pm-skip").forEach(function (node) { node.remove(); }); // a page swapped in
    document.querySelectorAll("[data-pm-explore]").forEach(function (container) {
      var kind = KINDS[container.getAttribute("data-pm-explore")];
      if (!kind || container.hasAttribute("data-pm-explored") || !window.fetch || !window.URLSearchParams) return;
      container.setAttribute("data-pm-explored", ""); // once, however often Material announces the page
      if (!kind.folded) {
        load(container, kind).then(function (found) {
          if (found) skipLink(explore(container, kind, found.data, container, found.url));
        }).catch(function () { /* the static page stays as it is */ });
        return;
      }
      // Folded (the action items): the index loads when a reader opens the fold, or with a URL that asks for it.
      var fold = el("details", {"class": "pm-fold pm-explorer-box"});
      var summary = el("summary", {}, "Filter and sort all " + kind.noun);
      var status = el("p", {"class": "pm-explorer__count", role: "status", "aria-live": "polite"});
      append(fold, [summary, status]);
      container.appendChild(fold);
      container.classList.add("pm-explore--folded");
      var loading = null;
      function open() {
        if (loading) return;
        status.textContent = "Loading the " + kind.noun + "…";
        loading = load(container, kind).then(function (found) {
          if (!found) throw new Error("no index");
          status.remove();
          explore(container, kind, found.data, fold, found.url);
          summary.textContent = "Filter and sort all " + found.data.rows.length + " " + kind.noun;
        }).catch(function () {
          loading = null;
          status.textContent = "The " + kind.noun + " could not be loaded; the lists below show every one.";
        });
      }
      fold.addEventListener("toggle", function () { if (fold.open) open(); });
      if (location.search) fold.open = true; // a shared URL opens it (and the toggle event loads it)
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without reloading scripts
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
