"""action.yml: its shape, and its shell steps run locally the way the Actions runner would.

The setup-python, pip and upload steps are skipped (the package is installed in the test
venv, and uploads need GitHub); every other `run:` step runs with bash in a simulated
runner environment, in order, with `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` in `env:`
resolved as GitHub resolves them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from conftest import REPO, scan_paths

ACTION_TEXT = (REPO / "action.yml").read_text(encoding="utf-8")
ACTION: dict[str, Any] = YAML(typ="safe").load(ACTION_TEXT)
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

INSECURE_COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
"""


def test_action_has_the_keys_the_marketplace_and_runner_need() -> None:
    assert ACTION["name"] == "stridescan"
    assert ACTION["description"]
    assert ACTION["branding"]["icon"] and ACTION["branding"]["color"]
    assert ACTION["runs"]["using"] == "composite"
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), name
    for name, spec in ACTION["outputs"].items():
        assert spec.get("description") and spec.get("value"), name
    assert set(ACTION["inputs"]) == {
        "path",
        "config",
        "fail-on",
        "format",
        "sarif-file",
        "upload-sarif",
        "category",
        "threat-model-summary",
        "python-version",
    }
    assert set(ACTION["outputs"]) == {"sarif-file", "findings", "exit-code"}
    for step in STEPS:
        assert "uses" in step or step.get("shell") == "bash", step["name"]


def test_every_input_is_used_by_a_step() -> None:
    used = {
        match.group(1)
        for step in STEPS
        for match in re.finditer(r"inputs\.([\w-]+)", json.dumps(step))
    }
    assert set(ACTION["inputs"]) <= used


def test_every_output_is_written_by_the_scan_step() -> None:
    scan = next(step for step in STEPS if step.get("id") == "scan")
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.scan.outputs.{name} }}}}"
        assert re.search(rf'echo "{re.escape(name)}=', scan["run"]), name


def test_no_expression_is_expanded_inside_a_shell_script() -> None:
    for step in STEPS:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]


def test_actions_used_are_pinned_by_full_commit_sha_with_the_version_named() -> None:
    uses = re.findall(r"^\s*uses:\s*(\S+)(.*)$", ACTION_TEXT, re.MULTILINE)
    assert {ref.split("@")[0] for ref, _ in uses} == {
        "actions/setup-python",
        "github/codeql-action/upload-sarif",
    }
    for ref, comment in uses:
        assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (ref, comment)


def test_sarif_upload_is_optional_and_runs_even_after_a_failed_step() -> None:
    upload = next(step for step in STEPS if "upload-sarif" in step.get("uses", ""))
    assert upload["if"].startswith("always()")
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert upload["with"] == {
        "sarif_file": "${{ steps.scan.outputs.sarif-file }}",
        "category": "${{ inputs.category }}",
    }
    assert ACTION["inputs"]["upload-sarif"]["default"] == "false"
    names = [step["name"] for step in STEPS]
    assert names.index(upload["name"]) == len(names) - 2  # only the decision comes after


@dataclass
class Runner:
    """A minimal Actions runner for the composite action's shell steps."""

    workspace: Path
    inputs: dict[str, str]
    summary: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    logs: list[tuple[str, int, str]] = field(default_factory=list)

    def resolve(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return self.inputs[expression.removeprefix("inputs.")]
            step_output = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            assert step_output, f"expression the test runner cannot evaluate: {expression}"
            return self.outputs.get(step_output[1], {}).get(step_output[2], "")

        return EXPRESSION.sub(value, text)

    def run(self) -> int:
        """Run the shell steps in order; the exit code of the first failing one, else 0."""
        for index, step in enumerate(STEPS):
            if "uses" in step or "pip install" in step["run"]:
                continue
            code = self.run_step(index, step)
            if code != 0:
                return code
        return 0

    def run_step(self, index: int, step: dict[str, Any]) -> int:
        output_file = self.workspace.parent / f"output-{index}"
        output_file.write_text("", encoding="utf-8")
        script = self.workspace.parent / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.workspace.parent),
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(output_file),
        }
        env.update({name: self.resolve(str(v)) for name, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.logs.append((step["name"], done.returncode, done.stdout + done.stderr))
        if "id" in step:
            self.outputs[step["id"]] = parse_outputs(output_file.read_text(encoding="utf-8"))
        return done.returncode

    def log(self, name: str) -> str:
        return next(text for step, _, text in self.logs if step == name)


def parse_outputs(text: str) -> dict[str, str]:
    """$GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif line:
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


def make_runner(tmp_path: Path, **inputs: str) -> Runner:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    summary = tmp_path / "step_summary"
    summary.write_text("## an earlier step\n", encoding="utf-8")
    return Runner(workspace=workspace, inputs=values, summary=summary)


def test_insecure_workspace_is_annotated_summarised_uploaded_and_then_failed(
    tmp_path: Path,
) -> None:
    runner = make_runner(tmp_path)
    (runner.workspace / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    expected = scan_paths([runner.workspace / "compose.yaml"], root=runner.workspace)

    code = runner.run()

    assert code == 1
    assert [(name, rc) for name, rc, _ in runner.logs] == [("Scan", 0), ("Decide pass or fail", 1)]
    scan_log = runner.log("Scan")
    assert "::error file=compose.yaml,line=4,col=5," in scan_log
    assert "title=E001 privileged-container (critical%2C E%2CT)" in scan_log
    assert "findings at or above 'high'" in runner.log("Decide pass or fail")

    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("## an earlier step\n## stridescan\n")
    assert "| compose.yaml:4 |" in summary

    outputs = runner.outputs["scan"]
    assert outputs == {
        "exit-code": "1",
        "sarif-file": "stridescan.sarif",
        "findings": str(len(expected.results)),
    }
    sarif = json.loads((runner.workspace / "stridescan.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"]) == 1
    assert sarif["runs"][0]["automationDetails"]["id"] == "stridescan/"
    assert len(sarif["runs"][0]["results"]) == len(expected.results)


def test_clean_workspace_passes_with_zero_findings(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, category="stridescan/backend")
    (runner.workspace / "notes.yaml").write_text("a: 1\n", encoding="utf-8")

    assert runner.run() == 0
    assert runner.outputs["scan"] == {
        "exit-code": "0",
        "sarif-file": "stridescan.sarif",
        "findings": "0",
    }
    assert "stridescan: passed" in runner.log("Decide pass or fail")
    sarif = json.loads((runner.workspace / "stridescan.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["automationDetails"]["id"] == "stridescan/backend/"


def test_fail_on_input_sets_the_threshold(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, fail_on="critical", sarif_file="out/scan.sarif")
    (runner.workspace / "out").mkdir()
    (runner.workspace / "compose.yaml").write_text(
        "services:\n  api:\n    image: registry.example.com/api:1.4.2\n    user: root\n",
        encoding="utf-8",
    )
    assert runner.run() == 0
    outputs = runner.outputs["scan"]
    assert outputs["exit-code"] == "0"
    assert int(outputs["findings"]) > 0
    assert outputs["sarif-file"] == "out/scan.sarif"
    assert "::error file=compose.yaml,line=4," in runner.log("Scan")  # E003, high


def test_config_input_reaches_the_config_option(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, config="ci/stridescan.yaml", path="deploy")
    (runner.workspace / "ci").mkdir()
    (runner.workspace / "ci" / "stridescan.yaml").write_text("ignore: [E001]\n", encoding="utf-8")
    (runner.workspace / "deploy").mkdir()
    (runner.workspace / "deploy" / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    runner.run()
    scan_log = runner.log("Scan")
    assert "file=deploy/compose.yaml" in scan_log
    assert "E001" not in scan_log


def test_inputs_are_data_not_shell_code(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, path='$(touch pwned)"; touch pwned2 #')
    assert runner.run() == 1
    assert not list(runner.workspace.parent.rglob("pwned*"))
    assert "no such file or directory" in runner.log("Scan")


def test_a_bad_input_fails_the_last_step_with_the_usage_exit_code(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, fail_on="urgent")
    assert runner.run() == 2
    assert runner.outputs["scan"]["exit-code"] == "2"
    assert "sarif-file" not in runner.outputs["scan"]
    assert "see the Scan step's log" in runner.log("Decide pass or fail")


def readme_yaml_blocks(section: str) -> list[Any]:
    """The YAML code blocks of one `## ` section of README.md, parsed."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [YAML(typ="safe").load(block) for block in re.findall(r"```yaml\n(.*?)```", body, re.S)]


def test_readme_workflows_use_the_action_with_its_real_inputs() -> None:
    workflows = readme_yaml_blocks("GitHub Action")
    assert len(workflows) == 2
    annotations_only, code_scanning = workflows
    assert annotations_only["permissions"] == {"contents": "read"}
    assert code_scanning["permissions"]["security-events"] == "write"
    assert code_scanning["permissions"]["contents"] == "read"
    for workflow in workflows:
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        ours = [step for step in steps if step.get("uses", "").startswith("stridescan/")]
        assert len(ours) == 1
        assert set(ours[0].get("with", {})) <= set(ACTION["inputs"])
    assert (
        next(step for step in code_scanning["jobs"]["stridescan"]["steps"] if "with" in step)[
            "with"
        ]["upload-sarif"]
        is True
    )


def test_threat_model_summary_input_appends_the_threat_model_to_the_job_summary(
    tmp_path: Path,
) -> None:
    runner = make_runner(tmp_path, threat_model_summary="true")
    (runner.workspace / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    assert runner.run() == 1
    summary = runner.summary.read_text(encoding="utf-8")
    scan_summary, _, model = summary.partition("# Threat model\n")
    assert scan_summary.startswith("## an earlier step\n## stridescan\n")
    assert "```mermaid\nflowchart LR\n" in model
    assert "[compose.yaml:4](compose.yaml#L4)" in model


def test_threat_model_is_not_in_the_job_summary_by_default(tmp_path: Path) -> None:
    runner = make_runner(tmp_path)
    (runner.workspace / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    runner.run()
    assert "# Threat model" not in runner.summary.read_text(encoding="utf-8")
