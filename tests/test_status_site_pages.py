"""`status_site/pages.py`: the public status site's pages and their templates: valid HTML, text for every colour,
escaped public text, UTC times; the uptime calendar, the last 15 days and the component feeds."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest

from mkdocs_postmortems import render
from mkdocs_postmortems.model import PublicUpdate
from mkdocs_postmortems.site_pages import SitePage
from mkdocs_postmortems.status_site.pages import (
    HIDDEN_CHROME,
    ComponentStatus,
    calendar,
    component_feeds,
    component_uri,
    recent_days,
    status_label,
    subscribed_name,
    subscriptions,
)
from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.uptime import FORMULA, uptime_days, uptime_percent
from test_ical import PLANNED

TODAY = date(2026, 11, 22)
UTC = timezone.utc
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class FakeLinks:
    def page(self, uri: str) -> str:
        return "../" + uri


class Tree(HTMLParser):
    """Every element with its attributes and text, checking that tags nest and close."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)
        self.close()
        assert not self.open, f"unclosed: {[e['tag'] for e in self.open]}"

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1]["tag"] == tag, (
            f"</{tag}> closes <{self.open[-1]['tag'] if self.open else None}>"
        )
        self.open.pop()

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def all(self, tag: str, cls: str | None = None) -> list[dict]:
        return [
            e for e in self.elements if e["tag"] == tag and (cls is None or cls in e["attrs"].get("class", "").split())
        ]

    def text(self) -> str:
        return " ".join(
            " ".join(e["text"].split()) for e in self.elements if e["tag"] in ("p", "li", "td", "h2", "h3", "dd")
        )


def view(
    title: str,
    started: datetime,
    resolved: datetime | None,
    impact: str = "major",
    components: tuple[str, ...] = ("Website",),
    summary: str = "We fixed it.",
    changes: str = "",
    updates: tuple[PublicUpdate, ...] = (),
) -> PublicView:
    return PublicView(f"pm-{title}", title, summary, components, impact, changes, updates, started, resolved)


OUTAGE = view(
    "Errors on the website",
    datetime(2026, 11, 20, 10, tzinfo=UTC),
    datetime(2026, 11, 20, 11, 30, tzinfo=UTC),
    updates=(
        PublicUpdate("resolved", datetime(2026, 11, 20, 11, 30, tzinfo=UTC), "All good."),
        PublicUpdate("investigating", datetime(2026, 11, 20, 10, 5, tzinfo=UTC), "Looking."),
    ),
)
ONGOING = view(
    "Slow search",
    datetime(2026, 11, 22, 8, tzinfo=UTC),
    None,
    "minor",
    ("Search",),
    updates=(PublicUpdate("identified", datetime(2026, 11, 22, 9, tzinfo=UTC), "Found it."),),
)
OCTOBER = view(
    "API down", datetime(2026, 10, 3, 23, tzinfo=UTC), datetime(2026, 10, 4, 1, tzinfo=UTC), "critical", ("API",)
)
EVIL = view(
    HOSTILE,
    datetime(2026, 11, 21, 1, tzinfo=UTC),
    datetime(2026, 11, 21, 2, tzinfo=UTC),
    "major",
    (HOSTILE,),
    summary=HOSTILE,
    changes=HOSTILE,
    updates=(PublicUpdate("resolved", None, HOSTILE),),
)
INCIDENTS = [ONGOING, EVIL, OUTAGE, OCTOBER]  # newest first
MONTHS = [("November 2026", [ONGOING, EVIL, OUTAGE]), ("October 2026", [OCTOBER])]


def incident_uri(incident: PublicView) -> str:
    return f"incidents/{incident.code}.md"


def status_of(incident: PublicView) -> str:
    return status_label(incident, TODAY, datetime(2026, 11, 22, 9, 41, tzinfo=UTC))


def status_html(
    overall=("minor", "Minor Service Outage"),
    incidents=INCIDENTS,
    months=MONTHS,
    since: date | None = None,
    history_uri: str | None = "history/index.md",
    public: bool = False,
    maintenance: dict | None = None,
) -> str:
    components = []
    for name, status in (
        ("Website", "operational"),
        ("Search", "degraded_performance"),
        ("API", "operational"),
        (HOSTILE, "operational"),
    ):
        days = tuple(uptime_days(name, incidents, TODAY, 90, since if name == "API" else None))
        components.append(
            ComponentStatus(name, status, days, uptime_percent(days), component_uri(name) if public else None)
        )
    return render.render(
        render.template_environment(),
        "status",
        overall=overall,
        components=components,
        unresolved=[i for i in incidents if i.resolved is None],
        formula=FORMULA,
        formula_uri="about.md#how-uptime-is-counted" if public else None,
        subscriptions=subscriptions(["Website"]) if public else [],
        updated=datetime(2026, 11, 22, 9, 41, tzinfo=UTC),
        recent_days=recent_days(incidents, TODAY),
        active_maintenance=(maintenance or {}).get("active", []),
        upcoming_maintenance=(maintenance or {}).get("upcoming", []),
        links=FakeLinks(),
        incident_uri=incident_uri,
        history_uri=history_uri,
        about_uri="about.md" if public else None,
        status_of=status_of,
        script="assets/postmortems/status.js" if public else None,
    )


def incident_html(incident: PublicView, maintenance_status=None) -> str:
    return render.render(
        render.template_environment(),
        "status-incident",
        incident=incident,
        links=FakeLinks(),
        status_uri="index.md",
        status=maintenance_status or status_of(incident),
        maintenance_status=maintenance_status,
    )


def history_html(
    months=MONTHS,
    page_number: int = 2,
    page_count: int = 3,
    previous_uri="history/index.md",
    next_uri="history/3.md",
    component=None,
    filters=(),
) -> str:
    return render.render(
        render.template_environment(),
        "status-history",
        months=months,
        page_number=page_number,
        page_count=page_count,
        previous_uri=previous_uri,
        next_uri=next_uri,
        links=FakeLinks(),
        incident_uri=incident_uri,
        status_of=status_of,
        component=component,
        filters=list(filters),
    )


def components_of(tree: Tree) -> list[dict]:
    return tree.all("li", "pm-status__component")


# --- status.html -------------------------------------------------------------------------------------------------


def test_every_component_has_90_bars_each_with_its_figures_as_text():
    tree = Tree(status_html())
    bars = tree.all("span", "pm-status__bar")
    assert len(bars) == 4 * 90
    for bar in bars:
        assert bar["attrs"]["role"] == "img"
        assert bar["attrs"]["title"] == bar["attrs"]["aria-label"]
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\d: (no data|\d{1,3}\.\d\d% uptime, [a-z ]+( \(.+\))?)", bar["attrs"]["title"]
        )


def test_a_day_with_an_incident_names_it_in_its_bar():
    labels = [bar["attrs"]["aria-label"] for bar in Tree(status_html()).all("span", "pm-status__bar")]
    # Website: 90 minutes at 0.3 weight on 2026-11-20 -> 1 - 27/1440 = 98.125%, shown rounded down.
    assert "2026-11-20: 98.12% uptime, partial outage (Errors on the website)" in labels
    assert "2026-11-22: 100.00% uptime, degraded performance (Slow search)" in labels
    assert "2026-11-19: 100.00% uptime, operational" in labels


def test_days_before_since_say_no_data():
    tree = Tree(status_html(since=date(2026, 11, 1)))
    api = components_of(tree)[2]
    assert api["text"].split()[0] == "API"
    labels = [bar["attrs"]["aria-label"] for bar in tree.all("span", "pm-status__bar")[180:270]]
    assert labels[0] == "2026-08-25: no data"
    assert labels.count("2026-10-31: no data") == 1 and "2026-11-01: 100.00% uptime, operational" in labels
    assert sum(label.endswith("no data") for label in labels) == 7 + 30 + 31  # August 25 to October 31


def test_statuses_are_written_as_text():
    tree = Tree(status_html())
    states = [" ".join(e["text"].split()) for e in tree.all("span", "pm-status__state")]
    assert states == ["Operational", "Degraded performance", "Operational", "Operational"]
    assert tree.all("p", "pm-status__overall")[0]["text"].strip() == "Minor Service Outage"


def test_an_operational_banner_lists_nothing():
    tree = Tree(status_html(overall=("none", "All Systems Operational"), incidents=[], months=[]))
    (banner,) = tree.all("div", "pm-status__banner")
    assert "pm-status__banner--none" in banner["attrs"]["class"].split()
    assert " ".join(banner["text"].split()) == "All Systems Operational"
    assert not tree.all("ul", "pm-status__unresolved")
    assert tree.text().count("No incidents reported.") == 15  # each of the last 15 days, as Statuspage says it


def test_the_banner_lists_and_links_the_unresolved_incidents():
    tree = Tree(status_html())
    (unresolved,) = tree.all("ul", "pm-status__unresolved")
    assert "Slow search" in unresolved["text"] and "Errors on the website" not in unresolved["text"]
    assert "identified" in unresolved["text"]
    links = [a["attrs"]["href"] for a in tree.all("a")]
    assert f"../incidents/{ONGOING.code}.md" in links


def test_each_component_shows_its_uptime_percent():
    tree = Tree(status_html())
    percents = [" ".join(e["text"].split()) for e in tree.all("span", "pm-status__percent")]
    # Website: one day at 98.125% of 90 -> 99.979%, rounded down; Search: minor only; API: 2 h critical over
    # two days -> 99.907%; the hostile component: 1 h major -> 99.986%.
    assert percents == ["99.97% uptime", "100.00% uptime", "99.90% uptime", "99.98% uptime"]


def test_the_formula_and_the_table_of_figures():
    tree = Tree(status_html())
    assert FORMULA in " ".join(e["text"] for e in tree.all("p", "pm-status__formula"))
    (details,) = tree.all("details", "pm-status__data")
    assert "The figures as a table" in details["text"]
    rows = [
        [" ".join(td["text"].split()) for td in tree.elements[tree.elements.index(tr) + 1 :] if td["tag"] == "td"][:4]
        for tr in tree.all("tr")[1:]
    ]
    assert rows[0] == ["Website", "Operational", "99.97%", "1 of 90"]
    assert rows[2] == ["API", "Operational", "99.90%", "2 of 90"]  # October 3 and 4, inside the 90 days
    assert rows[1][3] == "1 of 90"


def test_the_last_15_days_are_listed_each_with_its_incidents_or_none_reported():
    tree = Tree(status_html())
    days = [" ".join(h["text"].split()) for h in tree.all("h3")]
    assert days[:4] == ["Nov 22, 2026", "Nov 21, 2026", "Nov 20, 2026", "Nov 19, 2026"] and len(days) == 15
    assert next(h["attrs"]["id"] for h in tree.all("h3")) == "day-2026-11-22"
    titles = [" ".join(a["text"].split()) for a in tree.all("a") if a["attrs"]["href"].startswith("../incidents/")]
    assert titles[-3:] == [ONGOING.title, HOSTILE.strip(), OUTAGE.title]  # October is history, not recent
    assert OCTOBER.title not in titles
    assert tree.text().count("No incidents reported.") == 12
    assert tree.all("a")[-1]["attrs"]["href"] == "../history/index.md"
    assert "Incident history" in tree.all("a")[-1]["text"]


def test_without_a_history_uri_there_is_no_history_link():
    tree = Tree(status_html(history_uri=None))
    assert not [a for a in tree.all("a") if "history" in a["attrs"]["href"] or "Incident history" in a["text"]]
    assert len(tree.all("h3")) == 15  # the recent days are still listed


def test_last_updated_and_dated_bar_ends():
    tree = Tree(status_html())
    (updated,) = tree.all("p", "pm-status__updated")
    assert " ".join(updated["text"].split()) == "Last updated 2026-11-22 09:41 UTC · Incident history"
    feet = [" ".join(p["text"].split()) for p in tree.all("p", "pm-status__component-foot")]
    assert feet[0] == "Aug 25, 2026 99.97% uptime Nov 22, 2026"


def test_on_the_public_site_bars_link_to_their_day_and_the_formula_and_subscriptions_are_links():
    tree = Tree(status_html(public=True))
    bars = tree.all("a", "pm-status__bar")
    assert len(bars) == 4 * 90
    assert bars[89]["attrs"]["href"] == "../components/website/index.md#day-2026-11-22"
    assert all(bar["attrs"]["aria-label"] == bar["attrs"]["title"] for bar in bars)
    # each component's bars: a toolbar with one Tab stop, today's bar (the script moves it with the arrow keys)
    groups = tree.all("div", "pm-status__bars")
    assert [group["attrs"]["role"] for group in groups] == ["toolbar"] * 4
    assert all("data-pm-bars" in group["attrs"] for group in groups)
    stops = [index for index, bar in enumerate(bars) if bar["attrs"]["tabindex"] == "0"]
    assert stops == [89, 179, 269, 359] and {bar["attrs"]["tabindex"] for bar in bars} == {"0", "-1"}
    (script,) = tree.all("script")
    assert script["attrs"] == {"src": "../assets/postmortems/status.js"}
    assert [a["text"] for a in tree.all("p", "pm-status__updated")[0:1]] and "About this page" in [
        a["text"] for a in tree.all("a")
    ]
    assert not tree.all("p", "pm-status__formula")[0]["text"].startswith("Uptime is counted")
    (formula,) = [a for a in tree.all("a") if a["text"] == "How uptime is counted"]
    assert formula["attrs"]["href"] == "../about.md#how-uptime-is-counted"
    (_subscribe,) = tree.all("details", "pm-status__subscribe")
    offered = {a["attrs"]["href"]: a["attrs"]["type"] for a in tree.all("a") if "type" in a["attrs"]}
    assert offered == {
        "../history.atom.xml": "application/atom+xml",
        "../history.rss.xml": "application/rss+xml",
        "../maintenance.ics": "text/calendar",
        "../api/v2/summary.json": "application/json",
        "../feeds/website.atom.xml": "application/atom+xml",
    }


def test_maintenance_in_progress_and_upcoming_are_listed_with_their_windows():
    planned = PublicView(
        "pm-db",
        "Database upgrade",
        "We upgrade.",
        ("API",),
        "minor",
        "",
        (),
        datetime(2026, 11, 25, 23, tzinfo=UTC),
        datetime(2026, 11, 26, 1, tzinfo=UTC),
        kind="maintenance",
    )
    tree = Tree(status_html(maintenance={"upcoming": [planned]}))
    assert next(h["attrs"]["id"] for h in tree.all("h2")) == "scheduled-maintenance"
    (listing,) = tree.all("ul", "pm-status__maintenance")
    assert " ".join(listing["text"].split()) == (
        "Database upgrade Scheduled maintenance Window: 2026-11-25 23:00 UTC – 2026-11-26 01:00 UTC; affects API"
    )
    tree = Tree(status_html(maintenance={"active": [planned]}))
    assert next(h["attrs"]["id"] for h in tree.all("h2")) == "maintenance-in-progress"


def test_no_javascript_and_hostile_text_is_escaped():
    html = status_html()
    tree = Tree(html)
    assert not tree.all("script") and not tree.all("img")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert all(not key.startswith("on") for e in tree.elements for key in e["attrs"])
    assert any(HOSTILE in bar["attrs"]["aria-label"] for bar in tree.all("span", "pm-status__bar"))
    assert all(bar["attrs"]["tabindex"] == "0" for bar in tree.all("span", "pm-status__bar"))  # keyboard reaches it


def test_times_are_utc_with_z():
    tree = Tree(status_html())
    stamps = [t["attrs"]["datetime"] for t in tree.all("time")]
    assert "2026-11-20T10:00:00Z" in stamps and "2026-11-22T08:00:00Z" in stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", s) for s in stamps)  # a UTC time, or a UTC day


# --- status-incident.html ----------------------------------------------------------------------------------------


def test_an_incident_page_states_its_facts_as_text():
    tree = Tree(incident_html(OUTAGE))
    facts = dict(
        zip(
            [" ".join(e["text"].split()) for e in tree.all("dt")],
            [" ".join(e["text"].split()) for e in tree.all("dd")],
            strict=True,
        )
    )
    assert facts == {
        "Status": "Resolved",
        "Impact": "Major (partial outage)",
        "Affected components": "Website",
        "Started": "2026-11-20 10:00 UTC",
        "Resolved": "2026-11-20 11:30 UTC",
        "Duration": "1 h 30 min",
    }
    assert [t["attrs"]["datetime"] for t in tree.all("time")][:2] == ["2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"]
    assert tree.all("a")[-1]["attrs"]["href"] == "../index.md"


def test_an_incident_page_lists_updates_newest_first_with_bold_status():
    tree = Tree(incident_html(OUTAGE))
    updates = tree.all("li", "pm-status__update")
    assert [u["text"].split()[0] for u in updates] == ["Resolved", "Investigating"]
    assert [" ".join(s["text"].split()) for s in tree.all("strong")] == ["Resolved", "Investigating"]
    assert [t["attrs"]["datetime"] for t in tree.all("time")][2:] == ["2026-11-20T11:30:00Z", "2026-11-20T10:05:00Z"]
    headings = [h["attrs"]["id"] for h in tree.all("h2")]
    assert headings == ["summary", "updates"]  # the summary first; no changes, no "What we are changing"


def test_an_incident_without_updates_shows_its_summary_and_window_and_no_made_up_update():
    tree = Tree(incident_html(OCTOBER))
    assert not tree.all("li", "pm-status__update")
    assert "No updates were posted while it was happening; the summary above is what we published." in tree.text()
    assert "We fixed it." in tree.text()


def test_a_maintenance_page_says_scheduled_from_and_until_and_its_status():
    planned = PublicView(
        "pm-db",
        "Database upgrade",
        "We upgrade.",
        ("API",),
        "minor",
        "",
        (),
        datetime(2026, 11, 25, 23, tzinfo=UTC),
        datetime(2026, 11, 26, 1, tzinfo=UTC),
        kind="maintenance",
    )
    tree = Tree(incident_html(planned, "scheduled"))
    facts = dict(
        zip(
            [" ".join(e["text"].split()) for e in tree.all("dt")],
            [" ".join(e["text"].split()) for e in tree.all("dd")],
            strict=True,
        )
    )
    assert facts == {
        "Maintenance": "Scheduled",
        "Affected components": "API",
        "Scheduled from": "2026-11-25 23:00 UTC",
        "Scheduled until": "2026-11-26 01:00 UTC",
        "Window": "2 h 0 min",
    }


def test_an_unresolved_incident_has_no_duration():
    tree = Tree(incident_html(ONGOING))
    terms = [" ".join(e["text"].split()) for e in tree.all("dt")]
    assert "Duration" not in terms
    assert "Not yet resolved" in tree.text()


def test_an_incident_page_escapes_hostile_text_and_keeps_paragraphs():
    hostile = view(
        "x",
        datetime(2026, 11, 21, 1, tzinfo=UTC),
        None,
        summary=f"First.\n\n{HOSTILE}",
        changes=HOSTILE,
        components=(HOSTILE,),
        updates=(PublicUpdate("resolved", None, f"{HOSTILE}\n\nDone."),),
    )
    html = incident_html(hostile)
    tree = Tree(html)
    assert not tree.all("script") and not tree.all("img")
    assert html.count("&lt;script&gt;") == 4  # components, the update, the summary, the changes
    assert [h["attrs"]["id"] for h in tree.all("h2")] == ["summary", "what-we-are-changing", "updates"]
    paragraphs = [" ".join(p["text"].split()) for p in tree.all("p")]
    assert "First." in paragraphs and "Done." in paragraphs
    assert " ".join(HOSTILE.split()) in paragraphs


MARKUP = (  # an update as a Statuspage import keeps it (`html_text.from_fragment`)
    "<p>We rolled back &amp; are monitoring.</p><ul><li><strong>API</strong>: recovered</li><li>See <a "
    'href="https://status.example.com/x" rel="noopener noreferrer nofollow">details</a></li></ul>'
)


def test_an_incident_page_shows_allowlisted_html_as_html_never_as_literal_tags():
    imported = view(
        "Imported",
        datetime(2026, 11, 21, 1, tzinfo=UTC),
        datetime(2026, 11, 21, 2, tzinfo=UTC),
        summary="We found it.<br>A fix is <b>rolling out</b>.",
        changes="<p>Two changes:</p><ol><li>one</li><li>two</li></ol>",
        updates=(PublicUpdate("resolved", None, MARKUP), PublicUpdate("investigating", None, "Plain <span> & text")),
    )
    html = incident_html(imported)
    tree = Tree(html)
    assert "&lt;ul&gt;" not in html and "&lt;strong&gt;" not in html and "&lt;br&gt;" not in html
    assert [e["text"] for e in tree.all("strong") if e["text"] == "API"] == ["API"]
    (link,) = [a for a in tree.all("a") if a["text"] == "details"]
    assert link["attrs"] == {"href": "https://status.example.com/x", "rel": "noopener noreferrer nofollow"}
    assert [li["text"] for li in tree.all("li", None) if li["text"] in ("one", "two")] == ["one", "two"]
    assert "We rolled back & are monitoring." in tree.text() and tree.all("br") and tree.all("b")
    assert "Plain &lt;span&gt; &amp; text" in html  # a tag the allowlist lacks: the text as written


def test_an_incident_page_sanitises_hand_written_allowlisted_html():
    hand_written = view(
        "Hand-written",
        datetime(2026, 11, 21, 1, tzinfo=UTC),
        None,
        summary='<b onclick="steal()">Fixed</b>, see <a href="javascript:alert(1)">this</a>.',
        updates=(PublicUpdate("identified", None, '<a href="https://ok.example" target="_blank">ok</a>'),),
    )
    tree = Tree(incident_html(hand_written))
    assert all(not key.startswith("on") and key != "target" for e in tree.elements for key in e["attrs"])
    assert [a["attrs"].get("href") for a in tree.all("a") if a["text"] in ("this", "ok")] == [
        None,
        "https://ok.example",
    ]


def test_the_banner_shows_the_latest_update_inline_and_its_html_as_html():
    one_line = view(
        "Slow search",
        datetime(2026, 11, 22, 8, tzinfo=UTC),
        None,
        "minor",
        ("Search",),
        updates=(PublicUpdate("identified", datetime(2026, 11, 22, 9, tzinfo=UTC), "Found <b>it</b>."),),
    )
    for latest, shown in (
        (one_line, "Found it."),
        (replace(one_line, updates=(PublicUpdate("identified", None, MARKUP),)), "API: recovered"),
    ):
        html = status_html(incidents=[latest], months=[])
        (banner,) = Tree(html).all("ul", "pm-status__unresolved")
        banner_html = html.split('class="pm-status__unresolved"')[1].split("</div>")[0]
        assert shown in " ".join(banner["text"].split()) and "&lt;" not in banner_html
        assert "<b>it</b>" in banner_html or "<strong>API</strong>" in banner_html


# --- status-history.html -----------------------------------------------------------------------------------------


def test_a_history_page_groups_by_month_newest_first_and_links_the_neighbours():
    tree = Tree(history_html())
    assert [(h["attrs"]["id"], h["text"]) for h in tree.all("h2")] == [
        ("november-2026", "November 2026"),
        ("october-2026", "October 2026"),
    ]
    assert "Page 2 of 3" in tree.text()
    (_pager,) = tree.all("nav", "pm-status__pager")
    links = {a["attrs"]["rel"]: a["attrs"]["href"] for a in tree.all("a") if "rel" in a["attrs"]}
    assert links == {"prev": "../history/index.md", "next": "../history/3.md"}
    incidents = [" ".join(a["text"].split()) for a in tree.all("a") if "rel" not in a["attrs"]]
    assert incidents == [ONGOING.title, " ".join(HOSTILE.split()), OUTAGE.title, OCTOBER.title]
    impacts = [" ".join(s["text"].split()) for s in tree.all("span", "pm-status__impact")]
    assert impacts == ["minor impact", "major impact", "major impact", "critical impact"]


def test_the_component_filter_links_every_other_component_and_marks_the_current_one():
    filters = [
        (None, "history/index.md"),
        ("Website", "components/website/history.md"),
        ("API", "components/api/history.md"),
    ]
    tree = Tree(
        history_html(
            component="Website", filters=filters, page_number=1, page_count=1, previous_uri=None, next_uri=None
        )
    )
    (_nav,) = tree.all("nav", "pm-status__filter")
    assert [a["attrs"]["href"] for a in tree.all("a", "pm-filter")] == [
        "../history/index.md",
        "../components/api/history.md",
    ]
    (current,) = tree.all("span", "pm-filter--current")
    assert current["text"] == "Website" and current["attrs"]["aria-current"] == "page"
    assert "that affected Website" in tree.text()


def test_the_first_and_only_history_page_has_no_pager():
    tree = Tree(history_html(page_number=1, page_count=1, previous_uri=None, next_uri=None))
    assert not tree.all("nav")
    assert "Page 1 of 1" in tree.text()


def test_the_last_history_page_links_only_back():
    tree = Tree(history_html(page_number=3, page_count=3, next_uri=None, previous_uri="history/2.md"))
    assert [(a["attrs"]["rel"], a["attrs"]["href"]) for a in tree.all("a") if "rel" in a["attrs"]] == [
        ("prev", "../history/2.md")
    ]


def test_a_history_page_escapes_hostile_titles_and_uses_utc_times():
    html = history_html()
    tree = Tree(html)
    assert not tree.all("script") and not tree.all("img")
    assert "&lt;script&gt;" in html and "&#34;&gt;&lt;img" in html
    stamps = [t["attrs"]["datetime"] for t in tree.all("time")]
    assert stamps[:2] == ["2026-11-22T08:00:00Z", "2026-11-21T01:00:00Z"]
    assert all(s.endswith("Z") for s in stamps)


@pytest.mark.parametrize(
    "template", ["status", "status-incident", "status-history", "status-component", "status-about"]
)
def test_each_template_documents_its_context(template):
    source = (render.TEMPLATES / "postmortems" / f"{template}.html").read_text(encoding="utf-8")
    assert source.startswith("{#") and "Context:" in source.split("#}")[0]


# --------------------------------------------------------------------------------------------------
# The uptime calendar, the last 15 days and the component feeds


def test_the_calendar_is_weeks_from_monday_newest_month_first():
    days = uptime_days("Checkout", [], date(2026, 12, 2), 5)  # Saturday Nov 28 to Wednesday Dec 2
    months = calendar(days)
    assert [label for label, _ in months] == ["December 2026", "November 2026"]
    (december,) = months[0][1]
    assert [d.day.day if d else None for d in december] == [None, 1, 2, None, None, None, None]
    assert [[d.day.day if d else None for d in week] for week in months[1][1]] == [
        [None, None, None, None, None, 28, 29],
        [30, None, None, None, None, None, None],
    ]


def test_the_last_15_days_list_what_started_on_each_and_no_maintenance_to_come():
    incident = PublicView("i", "Slow", "", ("Checkout",), "minor", "", (), datetime(2026, 12, 1, 3, tzinfo=UTC), None)
    days = recent_days([PLANNED, incident], date(2026, 12, 2))
    assert len(days) == 15 and days[0][0] == date(2026, 12, 2) and days[-1][0] == date(2026, 11, 18)
    assert [(day, [v.title for v in views]) for day, views in days if views] == [(date(2026, 12, 1), ["Slow"])]


def test_component_feeds_have_stable_paths():
    assert component_feeds("Product search") == {
        "atom": "feeds/product-search.atom.xml",
        "rss": "feeds/product-search.rss.xml",
    }
    assert subscribed_name("feeds/product-search.rss.xml") == "feeds/product-search.rss"  # also written


def test_a_status_page_goes_without_the_documentation_chrome_unless_a_page_of_yours_says_otherwise():
    ours = SitePage("index.md", "Quokka status", searchable=False, hide=HIDDEN_CHROME)
    assert ours.front_matter({}) == {
        "title": "Quokka status",
        "hide": ["navigation", "toc", "footer"],  # Material's names: no nav, no table of contents, no footer nav
        "search": {"exclude": True},
    }
    assert ours.front_matter({"hide": ["toc"]})["hide"] == ["toc"]  # docs/public/index.md decides for itself
    assert "hide" not in SitePage("root-causes/index.md", "Root causes", searchable=False).front_matter({})
