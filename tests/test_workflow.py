"""The GitHub Actions workflow and the pre-commit hook: valid YAML, minimal permissions, and commands that exist."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from mkdocs.__main__ import cli as mkdocs_cli

from conftest import VALID
from mkdocs_postmortems.cli import main as postmortems_cli

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / ".github/workflows/postmortems.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
CLIS = {"postmortems": postmortems_cli, "mkdocs": mkdocs_cli}
SHELL_OPERATORS = {">", ">>", "<", "|", "||", "&&", ";", "2>&1"}
MARKER = "<!-- postmortems-pr-summary -->"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def jobs(workflow) -> dict:
    return workflow["jobs"]


@pytest.fixture(scope="module")
def steps(jobs) -> list[dict]:
    """The steps of the job that runs the pull request's code."""
    return jobs["review"]["steps"]


def all_steps(jobs: dict) -> list[dict]:
    return [step for job in jobs.values() for step in job["steps"]]


def triggers(workflow: dict) -> dict:
    """The `on:` mapping: PyYAML reads the key `on` as the boolean True (YAML 1.1)."""
    return workflow["on"] if "on" in workflow else workflow[True]


def run_scripts(steps: list[dict]) -> list[str]:
    return [step["run"] for step in steps if "run" in step]


def invocations(script: str, program: str) -> list[list[str]]:
    """The arguments of every call of `program` in a shell script, up to the first shell operator."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        for start, word in enumerate(words):
            if word == program:
                arguments = []
                for argument in words[start + 1 :]:
                    if argument in SHELL_OPERATORS or argument.startswith((">", "2>")):
                        break
                    arguments.append(argument)
                found.append(arguments)
    return found


def command_help(*args: str) -> str:
    result = CliRunner().invoke(postmortems_cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


# --- the workflow ---------------------------------------------------------------------------------------------


def test_workflow_runs_on_pull_requests_touching_the_knowledge_base(workflow):
    on = triggers(workflow)
    assert list(on) == ["pull_request"]
    assert {"postmortems/**", "docs/**", "mkdocs.yml", "mkdocs.public.yml"} <= set(on["pull_request"]["paths"])


def test_permissions_are_per_job_and_minimal(workflow, jobs):
    assert workflow["permissions"] == {}  # nothing by default
    assert set(jobs) == {"review", "comment"}
    assert jobs["review"]["permissions"] == {"contents": "read"}  # runs the pull request's code
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}


def test_the_comment_job_runs_no_code_of_the_pull_request(jobs):
    comment = jobs["comment"]
    assert comment["needs"] == "review"
    uses = [step["uses"].split("@")[0] for step in comment["steps"] if "uses" in step]
    assert uses == ["actions/download-artifact"]  # no checkout, no setup-python
    for script in run_scripts(comment["steps"]):
        for program in ("pip", "python", "python3", "postmortems", "mkdocs", "make", "npm", "bash", "sh", "source"):
            assert invocations(script, program) == [], program
        assert "./" not in script
    (post,) = [step for step in comment["steps"] if "gh api" in step.get("run", "")]
    assert post["env"]["PR"] == "${{ github.event.pull_request.number }}"  # from the event, never the artifact


def test_every_action_is_pinned_by_its_full_commit_sha_with_the_tag_beside_it(jobs):
    uses = [step["uses"] for step in all_steps(jobs) if "uses" in step]
    assert {use.split("@")[0] for use in uses} == {
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
        "actions/download-artifact",
    }
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", use) for use in uses), uses
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines and all(re.search(r"@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line) for line in lines), lines


def test_no_credentials_are_kept_in_the_checkout(jobs):
    checkouts = [step for step in all_steps(jobs) if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 1
    assert checkouts[0]["with"]["persist-credentials"] is False
    assert checkouts[0]["with"]["fetch-depth"] == 0


def test_python_is_3_11(steps):
    (python,) = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
    assert python["with"]["python-version"] == "3.11"  # a string: YAML reads 3.10 as the number 3.1


def test_run_steps_call_only_commands_and_options_that_exist(steps):
    called = []
    for script in run_scripts(steps):
        for program, cli in CLIS.items():
            for arguments in invocations(script, program):
                name, *rest = arguments
                assert name in cli.commands, f"`{program} {name}` is not a command"
                command = cli.commands[name]
                known = {option for param in command.params for option in param.opts + param.secondary_opts}
                for argument in rest:
                    if argument.startswith("-"):
                        assert argument.split("=")[0] in known, f"`{program} {name}` has no option {argument}"
                called.append(" ".join([program, *arguments]))
    assert called == [
        "postmortems check --format github --changed-since $BASE",
        "mkdocs build --strict",
        "mkdocs build --strict -f mkdocs.public.yml",
        "postmortems pr-summary --base $BASE",
    ]


def test_both_builds_run_from_the_copy_that_refuses_links_out_of_the_repository(steps):
    (sources,) = [step for step in steps if step.get("id") == "sources"]
    assert "rsync -a --safe-links --exclude=.git" in sources["run"]
    for step_id in ("build", "public"):
        (build,) = [step for step in steps if step.get("id") == step_id]
        assert build["working-directory"] == "${{ runner.temp }}/sources"
        assert "steps.sources.outcome == 'success'" in build["if"]


def test_the_link_check_refuses_links_out_of_the_repository_and_into_git(steps, tmp_path):
    (sources,) = [step for step in steps if step.get("id") == "sources"]
    script = sources["run"].split("mkdir -p")[0]  # the check alone
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[http] extraheader = AUTHORIZATION: basic secret")
    (repo / "docs" / "fine.md").symlink_to("index.md")

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", script], cwd=repo, capture_output=True, text=True, timeout=60)

    assert run().returncode == 0
    for name, target in (("config.md", "../.git/config"), ("passwd.md", "/etc/passwd"), ("new\nline.md", "../../x")):
        link = repo / "docs" / name
        link.symlink_to(target)
        result = run()
        assert result.returncode == 1 and "a link out of the repository" in result.stdout
        assert not any(line.startswith("::") for line in result.stdout.splitlines())
        link.unlink()


def test_the_base_is_the_pull_requests_base_branch(jobs):
    assert jobs["review"]["env"]["BASE"] == "origin/${{ github.base_ref }}"


def test_run_steps_are_valid_shell(jobs, tmp_path):
    for index, script in enumerate(run_scripts(all_steps(jobs))):
        path = tmp_path / f"step-{index}.sh"
        path.write_text(re.sub(r"\$\{\{.*?\}\}", "expression", script))
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)


def test_the_summary_goes_to_the_comment_job_as_an_artifact(jobs, steps):
    (upload,) = [step for step in steps if step.get("with", {}).get("name") == "postmortems-summary"]
    assert upload["with"]["path"] == "summary/"
    (download,) = [step for step in jobs["comment"]["steps"] if "uses" in step]
    assert download["with"]["name"] == "postmortems-summary"


def test_the_summary_comment_is_found_by_its_marker_and_updated(jobs):
    (comment,) = [step for step in jobs["comment"]["steps"] if "gh api" in step.get("run", "")]
    assert MARKER in comment["run"]
    assert "--method PATCH" in comment["run"] and "--method POST" in comment["run"]
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_the_built_site_is_uploaded_from_the_copy(steps):
    (upload,) = [step for step in steps if step.get("with", {}).get("name", "").startswith("site-pr-")]
    assert upload["with"]["path"] == "${{ runner.temp }}/sources/site/"  # MkDocs' default site_dir, in the copy
    assert "steps.build.outcome == 'success'" in upload["if"]


def test_this_repository_installs_itself(steps):
    (install,) = [step for step in steps if "pip install" in step.get("run", "")]
    assert install["run"].split() == ["python", "-m", "pip", "install", "."]


# --- the pre-commit hook --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hook() -> dict:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["postmortems-check"]
    return hooks[0]


def test_hook_definition(hook):
    assert hook["language"] == "python"
    assert hook["entry"] == "postmortems check --whole-folder"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("postmortems/2024-03-14-checkout-latency.md")
    assert files.search("postmortems/2024-03-14-checkout-latency.MD")
    assert files.search("postmortems/2024-03-14-checkout-latency.Md")
    assert files.search("postmortems/2024/2024-03-14-checkout-latency.md")
    for other in ("docs/index.md", "postmortems/notes.txt", "mkdocs.yml", "old-postmortems/2024-03-14-a.md"):
        assert not files.search(other), other


def entry_command(hook: dict) -> list[str]:
    """The hook's `entry` as pre-commit runs it: the installed console script, then its arguments."""
    program, *arguments = shlex.split(hook["entry"])
    executable = shutil.which(program, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    assert executable, f"{program} is not installed beside {sys.executable}"
    return [executable, *arguments]


def staged_files(repo: Path, pattern: str) -> list[str]:
    """What pre-commit passes the hook: staged files matching `files`, relative to the repository."""
    names = subprocess.run(
        ["git", "diff", "--cached", "--name-only", "--diff-filter=d"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [name for name in names if re.search(pattern, name)]


@pytest.mark.parametrize(
    "text, exit_code", [(VALID, 0), (VALID.replace("severity: SEV2", "severity: SEV9"), 1)], ids=["valid", "invalid"]
)
def test_hook_entry_checks_the_staged_postmortems(text, exit_code, hook, repo):
    (repo / "postmortems/2024-03-14-checkout-latency.md").write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    files = staged_files(repo, hook["files"])
    assert files == ["postmortems/2024-03-14-checkout-latency.md"]
    result = subprocess.run([*entry_command(hook), *files], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == exit_code, result.stdout + result.stderr
    assert "1 postmortems, " in result.stdout
    if exit_code:
        assert "postmortems/2024-03-14-checkout-latency.md:4:11: error [invalid-value]" in result.stdout


def test_hook_knows_the_people_named_only_in_other_postmortems(hook, repo):
    other = VALID.replace("authors: [alice]", "authors: [carol]").replace("Checkout latency", "Earlier latency")
    (repo / "postmortems/2024-03-10-earlier.md").write_text(other.replace("2024-03-14", "2024-03-10"), encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "earlier"], cwd=repo, check=True
    )
    public = "\npublic:\n  title: Slow checkout\n  summary: carol restarted the pool.\n  components: [Checkout]\n---\n"
    text = VALID.replace("\n---\n\n## Summary", public + "\n## Summary", 1)
    (repo / "postmortems/2024-03-14-checkout-latency.md").write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    files = staged_files(repo, hook["files"])
    assert files == ["postmortems/2024-03-14-checkout-latency.md"]
    result = subprocess.run([*entry_command(hook), *files], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[public-leak]" in result.stdout and "carol" in result.stdout
    assert "2024-03-10-earlier.md" not in result.stdout  # the other file's own problems are not this commit's
