"""`postmortems generate OUT`: a complete site source for an engine without plugins (Zensical, or any engine that
reads `mkdocs.yml`): `OUT/docs/` holds the site's own `docs/` and every page and file of `build.py`'s site, as
Markdown with the HTML the plugin would add; `OUT/mkdocs.yml` is the site's configuration with `docs_dir: docs`
and the `postmortems` plugin removed.

It writes only below OUT, only files whose content changed (so an engine's file watcher sees just the edit),
removes what an earlier run wrote and this one did not, and refuses an OUT it did not write (`MARKER`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .build import Site, build_site
from .dates import SourceDateEpochError
from .knowledge import KnowledgeBase
from .site_pages import ASSETS, Rendered, SitePage, TocEntry

MARKER = ".postmortems-generated"  # in OUT: the files the last run wrote, so a later run may replace them
_SITE_DIR_DEFAULT = "site"


class GenerateError(Exception):
    """OUT cannot be written: inside the sources, or a folder `generate` did not write."""


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag `generate` does not interpret (`!ENV`, `!!python/name:...`), written back as it was."""

    tag: str
    value: Any


class _ConfigLoader(yaml.SafeLoader):
    """Reads a site's configuration as written, keeping every tag for the engine to interpret."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: object
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)  # YAML has no fourth kind of node
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


_ConfigLoader.add_multi_constructor("!", _keep_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)


class _ConfigDumper(yaml.SafeDumper):
    """Writes a configuration back, tags included."""


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_ConfigDumper.add_representer(Tagged, _represent_tagged)
_ConfigDumper.add_representer(str, _represent_text)


def read_config(path: Path) -> dict:
    """A site's configuration as written, with `INHERIT` merged as MkDocs merges it (mappings key by key, the
    child's values winning)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        data = _merged(read_config(path.parent / parent), data)
    return data


def inherited(path: Path) -> list[Path]:
    """The configuration files `path` inherits from, nearest first."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    parent = data.get("INHERIT") if isinstance(data, dict) else None
    return [path.parent / parent, *inherited(path.parent / parent)] if isinstance(parent, str) else []


def _merged(base: dict, child: dict) -> dict:
    result = dict(base)
    for key, value in child.items():
        result[key] = (
            _merged(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) else value
        )
    return result


@dataclass
class SiteSource:
    """What `generate` needs of the site being converted: its configuration as written and where things are."""

    config_file: Path
    config: dict
    docs_dir: Path
    folder: Path  # the postmortems folder
    override_dirs: list[Path] = field(default_factory=list)  # theme.custom_dir, copied along


def check_out(out: Path, source: SiteSource) -> None:
    """Refuse an OUT inside the site's sources, or an existing folder with files that `generate` did not write."""
    resolved = out.resolve()
    for inside, what in ((source.docs_dir, "docs_dir"), (source.folder, "the postmortems folder")):
        if resolved == inside.resolve() or inside.resolve() in resolved.parents:
            raise GenerateError(f"{out} is inside {what} ({inside}): choose a folder outside the site's sources")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise GenerateError(
            f"{out} exists and was not written by `postmortems generate` (no {MARKER}); choose an empty or new folder"
        )


def user_files(docs_dir: Path, root: Path) -> tuple[dict[str, Path], list[str]]:
    """The site's own files below `docs_dir` (source URI -> path), as MkDocs sees them (no dot-files), and a
    warning for each link that leads out of the repository (never copied) or is dangling."""
    found, warnings = {}, []
    top = root.resolve()
    for folder, dirs, names in os.walk(docs_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(n for n in names if not n.startswith(".")):
            path = Path(folder) / name
            uri = path.relative_to(docs_dir).as_posix()
            target = path.resolve()
            if path.is_symlink() and (top not in target.parents or not target.is_file()):
                warnings.append(f"{path}: a link to {target}, outside the repository or not a file; not copied")
                continue
            found[uri] = path
    return found, warnings


def generated_config(source: SiteSource, site: Site, user: dict[str, Path]) -> dict:
    """The site's configuration for OUT: `docs_dir: docs`, no `postmortems` plugin, the stylesheet, the
    knowledge base's pages kept out of the nav, and paths that pointed into the repository pointing into OUT."""
    config = {key: value for key, value in source.config.items() if key != "INHERIT"}
    config["docs_dir"] = "docs"  # relative: Zensical takes no absolute docs_dir and none with `..`
    site_dir = config.get("site_dir")
    if not isinstance(site_dir, str) or Path(site_dir).is_absolute() or ".." in Path(site_dir).parts:
        config["site_dir"] = _SITE_DIR_DEFAULT
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        config["plugins"] = {name: options for name, options in plugins.items() if name != "postmortems"}
    elif isinstance(plugins, list):
        config["plugins"] = [
            p for p in plugins if p != "postmortems" and not (isinstance(p, dict) and "postmortems" in p)
        ]
    config["extra_css"] = list(config.get("extra_css") or [])
    config["extra_javascript"] = list(config.get("extra_javascript") or [])
    ASSETS.add_to(config["extra_css"], config["extra_javascript"])
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        config["theme"] = {**theme, "custom_dir": "overrides"}
    hooks = config.get("hooks")
    if isinstance(hooks, list):  # engines that run hooks resolve them from the config file: point at the originals
        config["hooks"] = [
            str((source.config_file.parent / hook).resolve()) if isinstance(hook, str) else hook for hook in hooks
        ]
    listed = set(_nav_files(config.get("nav")))
    hidden = sorted(
        "/" + page.uri
        for page in site.pages.values()
        if not page.in_nav and not page.user_page and page.uri not in listed
    )
    if hidden:  # MkDocs and ProperDocs then say nothing of them; Zensical ignores the option
        existing = config.get("not_in_nav")
        config["not_in_nav"] = "\n".join(([existing] if isinstance(existing, str) and existing else []) + hidden)
    if "nav" not in config:  # an automatic nav lists every page; the plugin keeps postmortems out of it
        config["nav"] = automatic_nav(
            [uri for uri in sorted(user) if uri.endswith(".md")]
            + [page.uri for page in site.pages.values() if page.in_nav and not page.user_page]
        )
    return config


def _nav_files(nav) -> Iterator[str]:
    """Every file a nav lists."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for entry in nav:
            yield from _nav_files(entry)
    elif isinstance(nav, dict):
        for entry in nav.values():
            yield from _nav_files(entry)


def automatic_nav(uris: list[str]) -> list:
    """A nav as MkDocs builds one from the files: each folder's index first, then its pages and sub-folders by
    name, a folder as a section titled from its name."""
    tree: dict = {}
    for uri in uris:
        node = tree
        *folders, name = uri.split("/")
        for folder in folders:
            node = node.setdefault(folder + "/", {})
        node[name] = uri

    def entries(node: dict) -> list:
        names = sorted(node, key=lambda n: (n not in ("index.md", "README.md"), n.endswith("/"), n))
        return [
            {n[:-1].replace("-", " ").replace("_", " ").capitalize(): entries(node[n])} if n.endswith("/") else node[n]
            for n in names
        ]

    return entries(tree)


# What Markdown reads in a heading's text; the text is HTML already (`&amp;`, `&#39;`), whose entities Markdown keeps
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]])")


def markdown_heading(entry: TocEntry) -> str:
    """A section of the HTML around a page (`Rendered.toc`) as a Markdown heading with its id (`attr_list`), so the
    engine's table of contents lists the sections the plugin hands MkDocs."""
    title = _MARKDOWN_SPECIAL.sub(r"\\\1", entry.title)
    return f"\n{'#' * entry.level} {title} {{#{entry.anchor}}}\n"


def _has_attr_list(config: dict) -> bool:
    extensions = config.get("markdown_extensions") or []
    names = extensions if isinstance(extensions, list) else list(extensions)
    return any(
        (name if isinstance(name, str) else next(iter(name), "")) in ("attr_list", "markdown.extensions.attr_list")
        for name in names
        if isinstance(name, (str, dict))
    )


def page_markdown(site: Site, uri: str, user_text: str | None = None, toc: bool = False) -> str:
    """A page of the site as Markdown any engine renders as the plugin would: the front matter the core gives it
    (`SitePage.front_matter`), then the HTML above the page's Markdown, the Markdown itself, and the HTML below it
    (with its sections as Markdown headings when `toc`). A page of the user's at that path keeps its own text and
    front matter (our title and search flag added where the core says so) above ours."""
    page, rendered = site.pages[uri], site.render(uri) or Rendered("", "")
    html = rendered.after_with_sections(markdown_heading) if toc else rendered.after
    after = f"\n\n{html}\n" if html else "\n"
    if user_text is not None:
        return _with_front_matter(page, user_text).rstrip("\n") + "\n" + after
    front = yaml.safe_dump(page.front_matter({}), allow_unicode=True, sort_keys=False, width=10_000)
    before = f"{rendered.before}\n\n" if rendered.before else ""
    return f"---\n{front}---\n\n{before}{page.markdown.strip(chr(10))}{after}"


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)  # as MkDocs reads a page's meta


def _with_front_matter(page: SitePage, text: str) -> str:
    """A page of the user's with the front matter the core gives it at this path, as MkDocs would see it: its own
    kept as written when the core adds nothing."""
    found, own = _FRONT_MATTER.match(text), {}
    if found is not None:
        try:
            own = yaml.safe_load(found.group(1))
        except yaml.YAMLError:
            found = None
        if not isinstance(own, dict):  # MkDocs reads no front matter then, and renders the text whole
            found, own = None, {}
    meta = page.front_matter(own)
    if meta == own:
        return text
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n{text[found.end() :] if found else text}"


def site_source_files(site: Site, source: SiteSource, user: dict[str, Path]) -> Iterator[tuple[str, bytes]]:
    """(path below OUT, content) of every file of the generated site source; `user` are the site's own files."""
    toc = _has_attr_list(source.config)
    for uri, path in sorted(user.items()):
        if uri in site.pages:
            text = site.page_markdown(uri, path.read_text(encoding="utf-8"))
            yield f"docs/{uri}", page_markdown(site, uri, text, toc).encode("utf-8")
        elif uri.endswith(".md"):
            text = path.read_text(encoding="utf-8")
            filled = site.page_markdown(uri, text)
            yield f"docs/{uri}", filled.encode("utf-8") if filled != text else path.read_bytes()
        else:
            yield f"docs/{uri}", path.read_bytes()
    for uri, page in site.pages.items():
        if not page.user_page:
            yield f"docs/{uri}", page_markdown(site, uri, toc=toc).encode("utf-8")
    for uri, content in site.files.items():
        yield f"docs/{uri}", content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
    for custom_dir in source.override_dirs:
        for path in sorted(p for p in custom_dir.rglob("*") if p.is_file() and not p.is_symlink()):
            yield f"overrides/{path.relative_to(custom_dir).as_posix()}", path.read_bytes()
    config = yaml.dump(generated_config(source, site, user), Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True)
    yield "mkdocs.yml", ("# Written by `postmortems generate`; edit the original, not this file.\n" + config).encode()


def generate(
    kb: KnowledgeBase,
    source: SiteSource,
    env: jinja2.Environment,
    out: Path,
    directory_urls: bool = True,
    site_name: str = "",
    site_url: str = "",
) -> tuple[list[str], list[str]]:
    """Build the knowledge base's site and write it into OUT as a site source: the paths written (relative to
    OUT) and the warnings. Nothing is written when OUT is refused (`GenerateError`, as for a `SOURCE_DATE_EPOCH`
    that is no time) or the public build finds a leak (`build.PublishRefused`): the last good OUT stays."""
    check_out(out, source)
    user, warnings = user_files(source.docs_dir, source.config_file.parent)
    try:  # the build reads its time from the one clock, as under the plugin: both say the same "last updated"
        site = build_site(kb, env, user, directory_urls, site_name, site_url)
    except SourceDateEpochError as error:
        raise GenerateError(str(error)) from None
    for uri, path in user.items():
        if uri.endswith(".md"):
            site.refuse_leaks_in(uri, path.read_text(encoding="utf-8", errors="replace"))
    return write_site_source(site, source, user, out), [*warnings, *site.warnings]


def write_site_source(site: Site, source: SiteSource, user: dict[str, Path], out: Path) -> list[str]:
    """Write the site source into OUT (see the module's docstring); the paths written, relative to OUT."""
    check_out(out, source)
    out.mkdir(parents=True, exist_ok=True)
    top = out.resolve()
    previous = _previous(out)
    written = []
    for relative, content in site_source_files(site, source, user):
        target = out / relative
        if top not in target.resolve().parents:
            raise GenerateError(f"{relative} would be written outside {out}")
        if target.is_symlink():
            target.unlink()
        if not target.is_file() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        written.append(relative)
    for stale in sorted(set(previous) - set(written)):
        path = out / stale
        if path.is_file() and top in path.resolve().parents:
            path.unlink()
    (out / MARKER).write_text(
        json.dumps({"written_by": "postmortems generate", "files": sorted(written)}, indent=1), encoding="utf-8"
    )
    return written


def _previous(out: Path) -> list[str]:
    try:
        files = json.loads((out / MARKER).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [f for f in files if isinstance(f, str)]
