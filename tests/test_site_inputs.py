"""`site_inputs.py`: what each page of one build is made from, as values compared with the last build's. A
postmortem's facts leave out its body; a postmortem's page depends on its file and its diagnostics; a cross-incident
page on every postmortem's facts; a file whose stamp is unknown is never equal to itself."""

from __future__ import annotations

import dataclasses

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.knowledge import KnowledgeCache, load_knowledge_base
from mkdocs_postmortems.render import PageSpec
from mkdocs_postmortems.site_inputs import Facts, PageInputs, everything, facts

PM = "2024-03-14-checkout-latency"


def knowledge_base(folder, cache=None):
    return load_knowledge_base(folder, make_policy(), today=TODAY, base=folder.parent, cache=cache)


def test_the_facts_of_a_postmortem_are_all_but_its_body(tmp_path):
    (tmp_path / f"{PM}.md").write_text(VALID)
    (pm,) = knowledge_base(tmp_path).postmortems
    assert facts(dataclasses.replace(pm, body="another body")) == facts(pm)
    assert facts(dataclasses.replace(pm, title="Renamed")) != facts(pm)
    assert facts(dataclasses.replace(pm, positions={})) == facts(pm)  # not compared: where a value is written
    known = Facts()
    assert known.of(pm) is known.of(pm)  # computed once per build


def test_everything_a_cross_incident_page_shows_includes_the_settings(tmp_path):
    (tmp_path / f"{PM}.md").write_text(VALID)
    kb = knowledge_base(tmp_path)
    shown = everything(kb, Facts(), "KB", True, ["index.md"])
    assert shown == everything(knowledge_base(tmp_path), Facts(), "KB", True, ["index.md"])
    assert shown != everything(kb, Facts(), "Another", True, ["index.md"])
    assert shown != everything(kb, Facts(), "KB", False, ["index.md"])
    assert shown != everything(kb, Facts(), "KB", True, ["index.md", "guide.md"])


def test_a_postmortems_page_depends_on_its_file_its_diagnostics_and_the_epoch(tmp_path):
    (tmp_path / f"{PM}.md").write_text(VALID)
    uri = f"postmortems/{PM}.md"
    cache = KnowledgeCache()
    kb = knowledge_base(tmp_path, cache)
    (pm,) = kb.postmortems
    epoch = object()
    first = PageInputs(kb, Facts(), (), epoch, {uri: pm}, {})
    again = PageInputs(knowledge_base(tmp_path, cache), Facts(), (), epoch, {uri: pm}, {})
    assert first.of(uri) == again.of(uri) and first.of("nothing.md") is None
    assert PageInputs(kb, Facts(), (), object(), {uri: pm}, {}).of(uri) != first.of(uri)  # other facts changed
    unstamped = knowledge_base(tmp_path)  # loaded without a cache: no file's stamp is known
    assert PageInputs(unstamped, Facts(), (), epoch, {uri: pm}, {}).of(uri) != PageInputs(
        unstamped, Facts(), (), epoch, {uri: pm}, {}
    ).of(uri)


def test_a_cross_incident_page_depends_on_everything_it_may_show(tmp_path):
    (tmp_path / f"{PM}.md").write_text(VALID)
    kb = knowledge_base(tmp_path)
    spec = {"action-items/index.md": PageSpec("action-items/index.md", "Action items", "action_items")}
    shown = everything(kb, Facts(), "KB", True, [])
    inputs = PageInputs(kb, Facts(), shown, object(), {}, spec)
    assert inputs.of("action-items/index.md") == ("everything", "Action items", shown)
    renamed = [dataclasses.replace(pm, title="Renamed") for pm in kb.postmortems]
    other = everything(dataclasses.replace(kb, postmortems=renamed), Facts(), "KB", True, [])
    assert PageInputs(kb, Facts(), other, object(), {}, spec).of("action-items/index.md") != inputs.of(
        "action-items/index.md"
    )
