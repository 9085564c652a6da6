/* mkdocs-postmortems: the header's search, over the Pagefind index the build writes (site_search.py).
 *
 * Pagefind splits its index into chunks: a query fetches the chunks of its words and the fragments of the results
 * it shows, never the whole index. Nothing of it loads with a page: this file adds a Search button to Material's
 * header, and loads Pagefind's script only when a reader opens the search (the button, or `/` or `s` anywhere but
 * in a field). The search is a modal <dialog>: focus moves into its field and stays inside, Escape or the Close
 * button closes it and focus returns where it was. Results are links. Text from the index is only ever set as text.
 * No request leaves this site.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || typeof HTMLDialogElement !== "function") return;
  var ROOT = new URL("../../", script.src); // this file is assets/postmortems/search.js
  var PAGE = 10; // results shown at once; "More results" fetches the next ones' fragments
  var SVG = "http://www.w3.org/2000/svg";
  var ICON = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 " +
    "6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";
  var pagefind = null, ui = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function icon() {
    var svg = document.createElementNS(SVG, "svg"), path = document.createElementNS(SVG, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", ICON);
    svg.appendChild(path);
    return svg;
  }

  // Pagefind's script, imported the first time a reader searches: the index's entry file and its WebAssembly come
  // with it, its chunks with each query.
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (module) {
        // In this page's thread: a worker is one more script to fetch, and a query here takes milliseconds.
        return Promise.resolve(module.options({baseUrl: ROOT.pathname, noWorker: true})).then(function () {
          module.init();
          return module;
        });
      });
      pagefind.catch(function () { pagefind = null; }); // a later opening tries again
    }
    return pagefind;
  }

  var decoder = document.createElement("textarea"); // its content is text: entities decoded, no element made
  function decode(html) { // the index's text is HTML-escaped: its characters, never markup
    decoder.innerHTML = html;
    return decoder.value;
  }

  function excerpt(html) { // Pagefind marks the words found with <mark>; everything else is text
    var node = el("span", {"class": "pm-search__excerpt"}), marked = false;
    String(html || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") { marked = part === "<mark>"; return; }
      var text = decode(part);
      if (text) node.appendChild(marked ? el("mark", {}, text) : document.createTextNode(text));
    });
    return node;
  }

  function marked(html) { // how many different words Pagefind marked in an excerpt
    var words = {};
    (String(html || "").match(/<mark>[^<]*<\/mark>/g) || []).forEach(function (m) { words[m.slice(6, -7).toLowerCase()] = 1; });
    return Object.keys(words).length;
  }

  function href(url) { return new URL(url, location.href).href; }

  // A result: its title linked to its page (a named record's to the page or section it names), what kind of page a
  // named record is, the words around the match, and the section of the page that matches most, linked.
  function result(page) {
    var meta = page.meta || {}, item = el("li", {"class": "pm-search__result"});
    var link = el("a", {href: meta.link ? new URL(meta.link, ROOT).href : href(page.url), "class": "pm-search__link"});
    link.appendChild(el("span", {"class": "pm-search__title"}, decode(meta.title || page.url)));
    if (meta.kind) link.appendChild(el("span", {"class": "pm-search__kind"}, decode(meta.kind)));
    item.appendChild(link);
    item.appendChild(excerpt(page.excerpt));
    var best = null, bestScore = [0, 0];
    (page.sub_results || []).forEach(function (sub) { // the section with most of the query's words, then most hits
      if (sub.url.indexOf("#") < 0 || sub.url === page.url) return;
      var score = [marked(sub.excerpt), (sub.locations || []).length];
      if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) {
        best = sub;
        bestScore = score;
      }
    });
    if (best) item.appendChild(el("a", {href: href(best.url), "class": "pm-search__section"}, "In " + decode(best.title)));
    return item;
  }

  // A service or a category searched by its name comes first, whatever else says the name more often (Pagefind
  // ranks its short record high, at the highest weight, but a postmortem with the name in its title may rank higher).
  function fold(text) { return String(text).toLowerCase().replace(/[\s._-]+/g, ""); }
  function named(pages, query) {
    var wanted = fold(query);
    var exact = pages.filter(function (page) { return page.meta && page.meta.kind && fold(decode(page.meta.title || "")) === wanted; });
    return exact.concat(pages.filter(function (page) { return exact.indexOf(page) < 0; }));
  }

  function build() {
    var dialog = el("dialog", {"class": "pm-search", "aria-labelledby": "pm-search-label"});
    var form = el("form", {"class": "pm-search__form", role: "search"});
    var label = el("label", {"for": "pm-search-input", id: "pm-search-label", "class": "pm-search__label"}, "Search");
    var input = el("input", {id: "pm-search-input", "class": "pm-search__input", type: "search", autocomplete: "off",
                             spellcheck: "false", placeholder: "Postmortems, services, causes, manual",
                             "aria-describedby": "pm-search-status", "aria-controls": "pm-search-results"});
    var close = el("button", {type: "button", "class": "pm-search__close"}, "Close");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(close);
    var status = el("p", {id: "pm-search-status", "class": "pm-search__status", role: "status"});
    var list = el("ol", {id: "pm-search-results", "class": "pm-search__results", "aria-label": "Results"});
    var more = el("button", {type: "button", "class": "md-button pm-search__more"}, "More results");
    more.hidden = true;
    [form, status, list, more].forEach(function (node) { dialog.appendChild(node); });
    document.body.appendChild(dialog);

    var state = {results: [], shown: 0, asked: 0, query: "", opener: null}, timer = null;

    function say() {
      var count = state.results.length, query = "“" + state.query + "”";
      status.textContent = !count ? "No results for " + query :
        count + " result" + (count === 1 ? "" : "s") + " for " + query +
        (count > state.shown ? ", the first " + state.shown + " shown" : "");
      more.hidden = state.shown >= count;
    }

    function showMore(ticket) {
      var next = state.results.slice(state.shown, state.shown + PAGE), first = state.shown === 0;
      return Promise.all(next.map(function (found) { return found.data(); })).then(function (pages) {
        if (ticket !== state.asked) return;
        if (first) pages = named(pages, state.query);
        pages.forEach(function (page) { list.appendChild(result(page)); });
        state.shown += next.length;
        say();
      });
    }

    function run() {
      var query = input.value.trim(), ticket = ++state.asked;
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      load().then(function (module) { return module.search(query); }).then(function (found) {
        if (ticket !== state.asked) return;
        state.results = (found && found.results) || [];
        state.shown = 0;
        state.query = query;
        list.textContent = "";
        return showMore(ticket);
      }).catch(function () {
        if (ticket === state.asked) status.textContent = "Search is not available: its index did not load.";
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
    close.addEventListener("click", function () { dialog.close(); });
    more.addEventListener("click", function () {
      var first = state.shown;
      showMore(state.asked).then(function () {
        var link = list.querySelectorAll(".pm-search__link")[first]; // the first new result
        if (link) link.focus();
      });
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); }); // backdrop
    dialog.addEventListener("close", function () {
      if (state.opener && document.contains(state.opener)) state.opener.focus();
    });
    list.addEventListener("click", function (event) { if (event.target.closest("a")) dialog.close(); });
    dialog.addEventListener("keydown", function (event) { // arrows move between the field and the results
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = [input].concat([].slice.call(list.querySelectorAll("a")));
      var at = links.indexOf(document.activeElement);
      if (at < 0 || links.length < 2) return;
      event.preventDefault();
      links[Math.max(0, Math.min(links.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))].focus();
    });

    return {
      dialog: dialog,
      open: function (opener) {
        state.opener = opener || document.activeElement;
        if (!dialog.open) dialog.showModal();
        input.focus();
        input.select();
        load().catch(function () { status.textContent = "Search is not available: its index did not load."; });
      }
    };
  }

  function editing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function init() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".pm-search-open")) return; // instant navigation keeps the header
    ui = ui || build();
    var button = el("button", {type: "button", "class": "md-header__button md-icon pm-search-open", "aria-label": "Search",
                               "aria-haspopup": "dialog", "aria-keyshortcuts": "/ s", title: "Search (/ or s)"});
    button.appendChild(icon());
    button.appendChild(el("span", {"class": "pm-search-open__label"}, "Search"));
    button.addEventListener("click", function () { ui.open(button); });
    header.insertBefore(button, header.querySelector(".md-header__source"));
  }

  document.addEventListener("keydown", function (event) {
    if (!ui || ui.dialog.open || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if ((event.key === "/" || event.key === "s") && !editing(event.target)) {
      event.preventDefault();
      ui.open(document.activeElement);
    }
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () {
      init();
      if (ui && ui.dialog.open) ui.dialog.close(); // a page swapped in by instant navigation
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
