"""Synthetic postmortems for benchmarks: realistic size (~4 KB body, several causes and action items), fixed seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

SERVICES = [
    "checkout",
    "payments",
    "orders-db",
    "search",
    "identity",
    "notifications",
    "delivery-scheduler",
    "web-storefront",
    "mobile-api",
    "platform-k8s",
]
CATEGORIES = [
    "software-bug",
    "config-change",
    "deployment",
    "capacity",
    "dependency",
    "infrastructure",
    "monitoring-gap",
    "process",
    "security",
    "data",
]
WORDS = (
    "request latency queue worker database index replica failover deploy rollout canary flag config "
    "timeout retry backoff cache eviction certificate dns ingress pod node memory cpu disk alert pager "
    "customer checkout payment order basket search session token migration schema lock contention"
).split()
SECTIONS = ["Summary", "Impact", "Timeline", "Root cause analysis", "Resolution", "Lessons learned"]
TAGS = ["database", "kubernetes", "third-party", "certificates", "capacity", "data-quality", "failover", "recurring"]

CONFIG = """site_name: Synthetic knowledge base
theme:
  name: material
  font: false
plugins:
  - search
  - postmortems:
      services:
{services}
"""


def _sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def postmortem(rng: random.Random, index: int, related: str | None) -> tuple[str, str]:
    """One synthetic postmortem: (file name, text)."""
    started = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(0, 6 * 365 * 24 * 60))
    detected = started + timedelta(minutes=rng.randrange(1, 60))
    mitigated = detected + timedelta(minutes=rng.randrange(5, 240))
    resolved = mitigated + timedelta(minutes=rng.randrange(5, 600))
    causes = [
        (f"cause-{n}", kind, rng.choice(CATEGORIES))
        for n, kind in enumerate(["causal", "contributing", "systemic"][: rng.randrange(2, 4)], 1)
    ]
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    lines = [
        "---",
        f"title: Incident {index} {_sentence(rng, 5)[:-1]}",
        "status: published",
        f"severity: SEV{rng.randrange(1, 5)}",
        f"services: [{', '.join(rng.sample(SERVICES, rng.randrange(1, 3)))}]",
        "authors: [a.author]",
        "reviewers: [r.reviewer]",
        f"started: {stamp(started)}",
        f"detected: {stamp(detected)}",
        f"mitigated: {stamp(mitigated)}",
        f"resolved: {stamp(resolved)}",
        f"published_on: {resolved.date() + timedelta(days=3)}",
        "impact:",
        f"  summary: {_sentence(rng)}",
        f"  customers_affected: {rng.randrange(10, 100000)}",
        "root_causes:",
    ]
    for cause_id, kind, category in causes:
        lines += [
            f"  - id: {cause_id}",
            f"    kind: {kind}",
            f"    category: {category}",
            f"    summary: {_sentence(rng)}",
        ]
    lines.append("action_items:")
    for n in range(rng.randrange(2, 5)):
        priority = rng.randrange(1, 4)
        due = (resolved + timedelta(days=rng.randrange(7, 15 if priority == 1 else 60))).date()  # P1: review deadline
        status = rng.choice(["done", "done", "wont-do", "in-progress"])
        lines += [
            f"  - title: {_sentence(rng, 8)}",
            "    owner: team-sre",
            f"    priority: P{priority}",
            f"    due: {due}",
            f"    status: {status}",
        ]
        if status != "in-progress" and rng.random() < 0.85:  # the rest predate the field: a `closed-date` warning
            lines.append(f"    closed: {resolved.date() + timedelta(days=rng.randrange(1, 75))}")
        lines += [
            f"    done_when: {_sentence(rng, 8)}",
            f"    addresses: [{causes[n % len(causes)][0]}]",
            f"    reason: {_sentence(rng, 6)}",
        ]
    if related:
        lines.append(f"related: [{related}]")
    lines += [
        f"tags: [{', '.join(rng.sample(TAGS, rng.randrange(1, 3)))}]",
        "communications:",
        "  - audience: internal",
        "    channel: slack",
        f"    at: {stamp(detected)}",
        "---",
        "",
    ]
    for section in SECTIONS:
        lines += [f"## {section}", ""] + [_sentence(rng, 18) for _ in range(6)] + [""]
    name = f"{started.date()}-incident-{index}"
    return name, "\n".join(lines)


def write_knowledge_base(root: Path, count: int, seed: int = 20261122) -> Path:
    """Write `count` postmortems and a mkdocs.yml under `root`; return the postmortems folder."""
    rng = random.Random(seed)
    folder = root / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Synthetic knowledge base\n")
    previous = None
    for index in range(count):
        name, text = postmortem(rng, index, previous)
        (folder / f"{name}.md").write_text(text)
        previous = name
    services = "\n".join(f"        - name: {s}" for s in SERVICES)
    (root / "mkdocs.yml").write_text(CONFIG.format(services=services))
    return folder
