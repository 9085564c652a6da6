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
def steps(workflow) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


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
                for argument in words[start + 1:]:
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
    assert {"postmortems/**", "docs/**", "mkdocs.yml"} <= set(on["pull_request"]["paths"])


def test_workflow_permissions_are_minimal(workflow):
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())  # no job asks for more


def test_actions_are_pinned_to_a_major_version(steps):
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses == ["actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"]
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", action) for action in uses)


def test_checkout_has_the_history_and_python_is_3_11(steps):
    checkout, python = (step for step in steps if "uses" in step and "upload" not in step["uses"])
    assert checkout["with"]["fetch-depth"] == 0
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
        'postmortems check --format github --changed-since $BASE',
        "mkdocs build --strict",
        'postmortems pr-summary --base $BASE',
    ]


def test_check_and_pr_summary_take_the_workflows_options():
    assert "--changed-since" in command_help("check")
    assert "--format" in command_help("check")
    assert "--base" in command_help("pr-summary")


def test_the_base_is_the_pull_requests_base_branch(workflow):
    (job,) = workflow["jobs"].values()
    assert job["env"]["BASE"] == "origin/${{ github.base_ref }}"


def test_run_steps_are_valid_shell(steps, tmp_path):
    for index, script in enumerate(run_scripts(steps)):
        path = tmp_path / f"step-{index}.sh"
        path.write_text(re.sub(r"\$\{\{.*?\}\}", "expression", script))
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)


def test_the_summary_comment_is_found_by_its_marker_and_updated(steps):
    (comment,) = [step for step in steps if "gh api" in step.get("run", "")]
    assert MARKER in comment["run"]
    assert "--method PATCH" in comment["run"] and "--method POST" in comment["run"]
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_the_built_site_is_uploaded(steps):
    (upload,) = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "site/"  # MkDocs' default site_dir
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
    assert hook["entry"] == "postmortems check"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("postmortems/2024-03-14-checkout-latency.md")
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
    names = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=d"], cwd=repo,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    return [name for name in names if re.search(pattern, name)]


@pytest.mark.parametrize("text, exit_code", [(VALID, 0), (VALID.replace("severity: SEV2", "severity: SEV9"), 1)],
                         ids=["valid", "invalid"])
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
