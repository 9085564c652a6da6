"""`catalog.py`: one name however it is spelt, catch-alls, the importer's proposal against the catalog, and the
plugin's `services:` in mkdocs.yml extended line by line in every shape a config takes."""

from __future__ import annotations

import pytest
import yaml

from mkdocs_postmortems.catalog import (
    CatalogEditError,
    add_services,
    catalog_name,
    fold,
    is_catch_all,
    plan,
    plugin_services,
    spelling_twins,
)
from mkdocs_postmortems.mkdocs_config import PostmortemsConfig
from mkdocs_postmortems.policy import Service

WORKERS = {"name": "workers", "description": "Background: jobs", "component": "Workers", "public": True}
API = {"name": "api", "component": "API", "public": True}


@pytest.mark.parametrize("spelling", ["Workers", "workers", "WORKERS", "work-ers", "work_ers", "work ers", "Work.Ers"])
def test_case_and_separators_do_not_count(spelling):
    assert fold(spelling) == fold("workers") == "workers"


def test_other_letters_do_count():
    assert fold("workers") != fold("worker") and fold("api") != fold("apis")


@pytest.mark.parametrize(
    "name",
    [
        "all",
        "All",
        "*",
        "everything",
        "all-services",
        "All systems",
        "ALL_COMPONENTS",
        "every service",
        "Entire platform",
    ],
)
def test_a_catch_all_stands_for_every_component(name):
    assert is_catch_all(name)


@pytest.mark.parametrize("name", ["API", "Allocation", "All-in-one checkout", "Systems", "Global", "Whole foods"])
def test_a_component_is_no_catch_all(name):
    assert not is_catch_all(name)


def test_the_catalog_spelling_of_a_name():
    assert catalog_name("work-ers", ["API", "Workers"]) == "Workers"
    assert catalog_name("jobs", ["API", "Workers"]) is None


def test_spelling_twins_and_repeats():
    assert spelling_twins(["Workers", "api", "work_ers", "api"]) == [("Workers", "work_ers"), ("api", "api")]
    assert spelling_twins(["Checkout", "Checkout", "check-out"], repeats=False) == [("Checkout", "check-out")]
    assert spelling_twins(["api", "workers"]) == []


# --- what the catalog lacks -------------------------------------------------------------------------------------


def test_the_plan_adds_what_the_catalog_lacks_once_and_leaves_out_catch_alls():
    catalog = [Service("checkout", component="Checkout"), Service("orders-db")]
    proposed = [
        WORKERS,
        {"name": "all-systems", "component": "All systems", "public": True},
        {"name": "workers", "component": "work_ers", "public": True},  # the same component, spelt another way
        {"name": "check-out", "component": "CHECKOUT", "public": True},
        {"name": "orders_db", "component": "Orders", "public": True},
        API,
    ]
    result = plan(proposed, catalog)
    assert result.added == (WORKERS, API)
    reasons = {entry["component"]: reason for entry, reason in result.left_out}
    assert list(reasons) == ["All systems", "work_ers", "CHECKOUT", "Orders"]
    assert "every component" in reasons["All systems"]
    assert "`Workers`" in reasons["work_ers"] and "`Checkout`" in reasons["CHECKOUT"]
    assert "`orders-db`" in reasons["Orders"] and "component: Orders" in reasons["Orders"]


def test_an_empty_proposal_adds_nothing():
    assert plan([], [Service("api")]).added == ()


# --- mkdocs.yml, line by line -----------------------------------------------------------------------------------

LIST_FORM = """\
site_name: x  # the site
plugins:
  - search
  - postmortems:
      services:
        - name: checkout   # the shop
          description: |
            Basket.
      rule_levels:  # dates
        publish-overdue: info
nav: []
"""
LIST_FORM_ADDED = LIST_FORM.replace(
    "            Basket.\n",
    """\
            Basket.
        - name: workers
          description: "Background: jobs"
          component: Workers
          public: true
        - name: api
          component: API
          public: true
""",
)


def test_entries_are_appended_to_the_list_indented_as_the_file_is():
    assert add_services(LIST_FORM, [WORKERS, API]) == LIST_FORM_ADDED


# (config, what it becomes with WORKERS added)
SHAPES = {
    "mapping without services, four spaces": (
        "plugins:  # m\n    search: {}\n    postmortems:\n        folder: postmortems\n"
        "        rule_levels:\n            publish-overdue: info\n# end\n",
        "plugins:  # m\n    search: {}\n    postmortems:\n        folder: postmortems\n"
        "        rule_levels:\n            publish-overdue: info\n        services:\n            - name: workers\n"
        '              description: "Background: jobs"\n              component: Workers\n'
        "              public: true\n# end\n",
    ),
    "a bare list item": (
        "plugins:\n- search\n- postmortems\n",
        "plugins:\n- search\n- postmortems:\n    services:\n      - name: workers\n"
        '        description: "Background: jobs"\n        component: Workers\n        public: true\n',
    ),
    "empty options with a comment": (
        "plugins:\n  search: {}\n  postmortems: {}  # here\ntheme: x",
        "plugins:\n  search: {}\n  postmortems:  # here\n    services:\n      - name: workers\n"
        '        description: "Background: jobs"\n        component: Workers\n        public: true\ntheme: x\n',
    ),
    "no options": (
        "plugins:\n  search:\n  postmortems:\n",
        "plugins:\n  search:\n  postmortems:\n    services:\n      - name: workers\n"
        '        description: "Background: jobs"\n        component: Workers\n        public: true\n',
    ),
    "an empty flow list": (
        "plugins:\n  postmortems:\n    services: []  # the catalog\n    folder: x\n",
        "plugins:\n  postmortems:\n    services:  # the catalog\n      - name: workers\n"
        '        description: "Background: jobs"\n        component: Workers\n        public: true\n    folder: x\n',
    ),
    "an indentless list": (
        "plugins:\n  postmortems:\n    services:\n    - name: a\n      component: A\n",
        "plugins:\n  postmortems:\n    services:\n    - name: a\n      component: A\n    - name: workers\n"
        '      description: "Background: jobs"\n      component: Workers\n      public: true\n',
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_of_plugins_gets_the_services_and_keeps_its_other_lines(shape):
    before, after = SHAPES[shape]
    edited = add_services(before, [WORKERS])
    assert edited == after
    assert plugin_services(edited) == [*plugin_services(before), WORKERS]


@pytest.mark.parametrize("form", ["list", "mapping"])
def test_the_edited_config_is_one_mkdocs_accepts(form):
    plugins = (
        "  - search\n  - postmortems:\n      folder: pm\n" if form == "list" else "  postmortems:\n    folder: pm\n"
    )
    edited = add_services(f"site_name: x\nplugins:\n{plugins}", [WORKERS, API])
    config = PostmortemsConfig()
    config.load_dict({"services": plugin_services(edited)})
    assert config.validate() == ([], [])
    assert [service["component"] for service in config["services"]] == ["Workers", "API"]


def test_tags_of_mkdocs_and_a_missing_last_newline_are_kept():
    text = "site_name: !ENV [SITE, x]\nplugins:\n  postmortems:\n    services:\n      - name: a"
    assert add_services(text, [API]) == (
        "site_name: !ENV [SITE, x]\nplugins:\n  postmortems:\n    services:\n      - name: a\n"
        "      - name: api\n        component: API\n        public: true\n"
    )


def test_nothing_to_add_leaves_the_text_as_it_is():
    assert add_services("not: [valid", []) == "not: [valid"


@pytest.mark.parametrize(
    "text, error",
    [
        ("plugins:\n  postmortems:\n    services: [{name: a}]\n", "flow list"),
        ("plugins:\n  postmortems: {folder: x}\n", "flow mapping"),
        ("plugins: [search, postmortems]\n", "flow style"),
        ("plugins:\n  - search\n", "does not enable"),
        ("site_name: x\n", "does not enable"),
        ("", "does not enable"),
        ("plugins: [\n", "not valid YAML"),
    ],
)
def test_what_cannot_be_edited_by_lines_is_refused_with_what_to_do(text, error):
    with pytest.raises(CatalogEditError, match=error):
        add_services(text, [API], "kb/mkdocs.yml")


def test_values_that_yaml_would_misread_are_quoted():
    entry = {"name": "yes", "description": "#1: [the] 'queue' & more", "component": "On", "public": False}
    edited = add_services("plugins:\n  postmortems:\n", [entry])
    assert yaml.safe_load(edited)["plugins"]["postmortems"]["services"] == [entry]
