"""`pull_requests/scan_cache.py`: the scans of unchanged postmortems kept by git blob between runs of `check
--changed-since`, in the user's cache folder. A warm run reads no unchanged file; a missing, foreign, corrupt or
outdated cache is a cold run; the cache holds the last run's blobs only and never fails a check."""

from __future__ import annotations

import json

from conftest import VALID
from mkdocs_postmortems.parsing.scan import scan
from mkdocs_postmortems.pull_requests.scan_cache import ScanCache, cache_file

BLOBS = {"2024-03-14-a.md": "blob-a", "2024-03-15-b.md": "blob-b"}
TEXT = VALID.encode()


def reads(texts: dict[str, bytes], counted: list[str]):
    def reader(name: str):
        def read() -> bytes:
            counted.append(name)
            return texts[name]

        return read

    return reader


def run(path, blobs=BLOBS, texts=None) -> tuple[list, list[str]]:
    counted: list[str] = []
    reader = reads(texts or dict.fromkeys(blobs, TEXT), counted)
    cache = ScanCache(path, blobs)
    found = [cache.scan(name, reader(name)) for name in blobs]
    cache.save()
    return found, counted


def test_the_cache_is_per_project_in_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one, other = cache_file(tmp_path / "one"), cache_file(tmp_path / "other")
    assert one.parent == tmp_path / "cache" / "mkdocs-postmortems" and one != other
    assert one.name.startswith("scans-") and one == cache_file(tmp_path / "one")


def test_a_warm_run_reads_no_unchanged_file_and_gives_the_same_scans(tmp_path):
    path = tmp_path / "scans.json"
    cold, read_cold = run(path)
    warm, read_warm = run(path)
    assert read_cold == list(BLOBS) and read_warm == []
    assert cold == warm == [scan(VALID)] * 2


def test_a_changed_blob_is_scanned_again_and_a_gone_one_forgotten(tmp_path):
    path = tmp_path / "scans.json"
    run(path)
    edited = VALID.replace("authors: [alice]", "authors: [carol]").encode()
    found, counted = run(path, {"2024-03-14-a.md": "blob-a2"}, {"2024-03-14-a.md": edited})
    assert counted == ["2024-03-14-a.md"] and found[0].people[0] == "carol"
    assert set(json.loads(path.read_text())["scans"]) == {"blob-a2"}


def test_a_foreign_corrupt_or_outdated_cache_is_a_cold_run(tmp_path):
    path = tmp_path / "scans.json"
    for text in (
        "not json",
        json.dumps([1, 2]),
        json.dumps({"stamp": "old", "scans": {"blob-a": [[], None, []]}}),
        json.dumps({"stamp": ScanCache(None, {}).stamp, "scans": {"blob-a": ["forged"], "blob-b": 3}}),
    ):
        path.write_text(text)
        found, counted = run(path)
        assert counted == list(BLOBS) and found == [scan(VALID)] * 2, text


def test_no_path_keeps_nothing_and_a_cache_that_cannot_be_written_fails_nothing(tmp_path):
    found, counted = run(None)
    assert counted == list(BLOBS) and found == [scan(VALID)] * 2
    (tmp_path / "a-file").write_text("in the way")
    found, counted = run(tmp_path / "a-file" / "scans.json")  # its folder cannot be made
    assert found == [scan(VALID)] * 2 and (tmp_path / "a-file").read_text() == "in the way"
