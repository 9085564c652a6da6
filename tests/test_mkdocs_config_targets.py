"""`mkdocs_config.py`'s `status_page.targets`: the availability target of each public component, a percentage, for
the period reviews. A key that names no component, or a value that is no percentage, refuses the configuration
with a message naming the option, as a build and the CLI report it."""

from __future__ import annotations

import pytest

from mkdocs_postmortems.mkdocs_config import PostmortemsConfig, policy_from_options
from site_support import make_site, run_cli

SERVICES = [{"name": "checkout", "component": "Checkout"}, {"name": "orders-db"}]


def policy_of(targets, services=SERVICES):
    config = PostmortemsConfig()
    config.load_dict({"services": services, "status_page": {"targets": targets}})
    failed, warnings = config.validate()
    if failed:
        raise ValueError("; ".join(str(error) for _, error in failed))
    assert not warnings
    return policy_from_options(config)


def test_targets_are_percentages_per_component():
    assert policy_of({"Checkout": 99.9}).targets == {"Checkout": 99.9}
    assert policy_of({"Checkout": 100}).targets == {"Checkout": 100.0}  # YAML's integer is the number it says
    assert isinstance(policy_of({"Checkout": 100}).targets["Checkout"], float)
    assert policy_of({}).targets == {}


@pytest.mark.parametrize(
    "targets,services,message",
    [
        (
            {"Chekout": 99.9},
            SERVICES,
            "`status_page.targets` names components not in `services.component`: Chekout (the components: Checkout)",
        ),
        ({"orders-db": 99.9}, SERVICES, "names components not in `services.component`: orders-db"),
        ({"Checkout": 99.9}, [], "(the components: none: give a service a `component`)"),
        (
            {"Checkout": 0},
            SERVICES,
            "`status_page.targets` must be percentages above 0 and at most 100, not Checkout: 0",
        ),
        ({"Checkout": 100.5}, SERVICES, "must be percentages above 0 and at most 100, not Checkout: 100.5"),
        ({"Checkout": float("nan")}, SERVICES, "must be percentages above 0 and at most 100"),
        ({"Checkout": "99.9"}, SERVICES, "Sub-option 'targets': Expected type: <class 'float'>"),
        ({"Checkout": True}, SERVICES, "Sub-option 'targets': Expected type: <class 'float'>"),
        (["Checkout"], SERVICES, "Sub-option 'targets'"),
    ],
)
def test_a_target_that_is_no_percentage_of_a_component_is_refused(targets, services, message):
    with pytest.raises(ValueError) as refused:
        policy_of(targets, services)
    assert message in str(refused.value)


def test_the_cli_refuses_it_as_a_usage_error(tmp_path):
    config = make_site(tmp_path, {}, {"services": SERVICES, "status_page": {"targets": {"Payments": 99.9}}})
    result = run_cli("report", "-f", str(config), "--period", "2026")
    assert result.exit_code == 2
    assert "`status_page.targets` names components not in `services.component`: Payments" in result.output
