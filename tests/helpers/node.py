"""The Node toolchain in tools/node (npm ci) for tests that run generated code for real."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.checks.node import tools_dir


def require(*packages: str) -> Path:
    """tools/node, or skip the test naming what is missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH")
    directory = tools_dir()
    for package in packages:
        if not (directory / "node_modules" / package / "package.json").is_file():
            pytest.skip(f"{package} is not installed in {directory} (run `npm ci` there)")
    return directory


def bin_path(name: str) -> str:
    return str(tools_dir() / "node_modules" / ".bin" / name)


def run(
    args: list[str], *, cwd: Path | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, input=input, capture_output=True, text=True, timeout=timeout, check=False
    )


def transpile(source: str, path: Path, *, fmt: str = "esm", loader: str = "ts") -> None:
    """Compile one TS module to JS with esbuild (as tsc would emit it: ESM for NodeNext, CJS for commonjs)."""
    result = run(
        [
            bin_path("esbuild"),
            f"--loader={loader}",
            f"--format={fmt}",
            "--platform=node",
            "--target=node20",
        ],
        input=source,
    )
    assert result.returncode == 0, result.stderr
    path.write_text(result.stdout)


MERMAID_PIE = """
import { parse } from '@mermaid-js/parser';
let text = '';
for await (const chunk of process.stdin) text += chunk;
const pie = await parse('pie', text);
console.log(JSON.stringify({title: pie.title, showData: pie.showData,
                            sections: pie.sections.map(s => [s.label, s.value])}));
"""


def parse_mermaid_pie(source: str) -> dict:
    """A Mermaid pie chart as Mermaid's own parser reads it (what GitHub renders); fails on a syntax error."""
    import json

    directory = require("@mermaid-js/parser")
    result = run(["node", "--input-type=module", "-e", MERMAID_PIE], cwd=directory, input=source)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
