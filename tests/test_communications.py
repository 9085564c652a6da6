"""`checks/communications.py`: who must be told about an incident and what is still owed. Customers of a public
incident of a severity the policy names; the regulator, within the policy's days of detection, when a regulated
service was affected and no regime is configured (under a regime, the clocks of `regulatory.py` judge instead). The
first notice to each audience counts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mkdocs_postmortems.checks.communications import Owed, communications_owed
from mkdocs_postmortems.model import Communication, Postmortem, PublicSummary
from mkdocs_postmortems.policy import Policy, Service

UTC = timezone.utc
START = datetime(2024, 3, 14, 9, 50, tzinfo=UTC)
DETECTED = START + timedelta(hours=2)
POLICY = Policy(services=(Service("checkout"), Service("payments", regulated=True)), regulator_report_within_days=3)
PUBLIC = PublicSummary("Slow checkout", "Checkout was slow.")


def incident(severity="SEV1", services=("checkout",), public=PUBLIC, told=()) -> Postmortem:
    return Postmortem(
        id="2024-03-14-x",
        path="x.md",
        title="X",
        status="published",
        severity=severity,
        services=services,
        started=START,
        detected=DETECTED,
        public=public,
        communications=tuple(Communication(audience, "email", at) for audience, at in told),
    )


def test_customers_are_owed_a_notice_of_a_public_incident_of_a_named_severity():
    assert communications_owed(incident(), POLICY) == [Owed("customers", "a public SEV1 incident", "missing")]
    assert communications_owed(incident(told=[("customers", START)]), POLICY) == []
    assert communications_owed(incident(severity="SEV3"), POLICY) == []
    assert communications_owed(incident(public=None), POLICY) == []


def test_the_regulator_is_owed_a_report_within_the_days_of_detection():
    regulated = ("checkout", "payments")
    customers = ("customers", START)
    (owed,) = communications_owed(incident(services=regulated, told=[customers]), POLICY)
    assert (owed.audience, owed.state) == ("regulators", "missing") and "payments" in owed.reason
    on_time = [customers, ("regulators", DETECTED + timedelta(days=3))]
    assert communications_owed(incident(services=regulated, told=on_time), POLICY) == []
    late = [customers, ("regulators", DETECTED + timedelta(days=3, minutes=1))]
    (owed,) = communications_owed(incident(services=regulated, told=late), POLICY)
    assert owed.state == "late" and "within 3 days" in owed.reason


def test_the_first_notice_to_an_audience_is_the_one_that_counts():
    told = [("customers", START), ("regulators", DETECTED + timedelta(days=9)), ("regulators", DETECTED)]
    assert communications_owed(incident(services=("payments",), told=told), POLICY) == []
    told = [("customers", START), ("regulators", DETECTED + timedelta(days=9)), ("regulators", None)]
    assert [o.state for o in communications_owed(incident(services=("payments",), told=told), POLICY)] == ["late"]


def test_under_a_configured_regime_the_day_count_gives_way_to_the_clocks():
    """Never both: the regulators' reports are judged by `checks/regulatory.py`, not by the day count."""
    policy = Policy(services=POLICY.services, regulator_report_within_days=3, regulatory_regimes=("gdpr",))
    customers = ("customers", START)
    assert communications_owed(incident(services=("checkout", "payments"), told=[customers]), policy) == []
    late = [customers, ("regulators", DETECTED + timedelta(days=9))]
    assert communications_owed(incident(services=("payments",), told=late), policy) == []
    assert communications_owed(incident(services=("payments",), told=[customers]), POLICY) != []
