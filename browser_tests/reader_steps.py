"""A reader's steps outside the repository: the README of a downloaded zip,
followed to the letter in a fresh virtual environment."""

import os
import re
import subprocess
import time

import pytest

#: the commands of a README's block that open the chapters; the rest is setup
RUN_COMMANDS = re.compile(r"^(python 0\d_\w+\.py|jupyter lab)$")


def run(step, command, cwd, timeout):
    """Run a bash command as a reader would, outside every virtual environment of
    the tests; fail with the step and the output if it fails."""
    start = time.perf_counter()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if ".nox" not in p
    )
    env["MPLBACKEND"] = "Agg"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        pytest.fail(
            f"step '{step}' failed (exit {result.returncode}) after {seconds:.0f} s:\n"
            f"$ {command}\n--- stdout\n{result.stdout[-3000:]}\n"
            f"--- stderr\n{result.stderr[-3000:]}"
        )
    print(f"{step}: {seconds:.1f} s")
    return result


def readme_setup(folder):
    """The setup commands of each bash block of the folder's README: first the
    scripts', then the notebooks'."""
    text = (folder / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2, "the README has no block for scripts and notebooks"
    steps = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        setup = [line for line in lines if not RUN_COMMANDS.match(line)]
        assert len(setup) < len(lines), f"no command that runs a chapter in {block}"
        steps.append(" && ".join(setup))
    return steps


def assert_no_jupyter(folder):
    """The scripts' install is light: it brings no Jupyter."""
    result = subprocess.run(
        [".venv/bin/python", "-c", "import jupyterlab"], cwd=folder, capture_output=True
    )
    assert result.returncode != 0, "requirements.txt installs JupyterLab"
