"""The base render of a chart is shared by the change sets on it, and only by them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from bot.checks import helm as helm_check
from bot.checks import render_cache
from tests.bot.helm_check_test import CHART, needs_helm, run
from tests.helpers.charts import two_copies


@pytest.fixture
def base_renders(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The chart directories `helm template` ran on for a base render, in order."""
    render_cache.clear()
    charts: list[Path] = []
    real = helm_check._render

    def counting(helm: str, chart: Path, params: Any, layers: list[Any]) -> tuple[bool, str]:
        if "base" in chart.parts:
            charts.append(chart)
        return real(helm, chart, params, layers)

    monkeypatch.setattr(helm_check, "_render", counting)
    return charts


def _edited(tmp_path: Path, name: str, port: str) -> Any:
    """A change set on CHART whose work tree sets another default port."""
    ctx = two_copies(tmp_path / name, CHART)
    (ctx.work_dir / "charts/app/values.yaml").write_text(f"port: {port}\n")
    return ctx


@needs_helm
def test_change_sets_on_the_same_chart_render_the_base_once(
    tmp_path: Path, base_renders: list[Path]
) -> None:
    first = run(two_copies(tmp_path / "one", CHART))
    second = run(_edited(tmp_path, "two", "9090"))
    assert len(base_renders) == 2  # the two renders that find volatile lines, for both change sets
    render_cache.clear()
    assert (
        run(_edited(tmp_path, "three", "9090")) == second
    )  # the cached base gives the same result
    assert first["helm template (defaults)"].detail == "identical to the base"
    assert second["helm template (defaults)"].status == "failed"


@needs_helm
def test_another_base_or_other_values_render_again(
    tmp_path: Path, base_renders: list[Path]
) -> None:
    run(two_copies(tmp_path / "one", CHART))
    run(two_copies(tmp_path / "two", CHART), values={"port": 1})
    other = two_copies(tmp_path / "three", CHART)
    (other.base_dir() / "charts/app/templates/extra.txt").write_text("any file of the chart\n")
    run(other)
    run(two_copies(tmp_path / "four", CHART), release="other")
    assert len(base_renders) == 8


@needs_helm
def test_concurrent_change_sets_wait_for_one_base_render(
    tmp_path: Path, base_renders: list[Path]
) -> None:
    contexts = [two_copies(tmp_path / str(n), CHART) for n in range(4)]
    results: list[Any] = [None] * 4

    def check(n: int) -> None:
        results[n] = run(contexts[n])

    threads = [threading.Thread(target=check, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(base_renders) == 2
    assert all(result == results[0] for result in results)


def test_a_symlink_loop_in_a_chart_is_walked_once(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: demo\n")
    plain = render_cache.tree_digest(chart)
    (chart / "templates" / "up").symlink_to("..", target_is_directory=True)
    assert render_cache.tree_digest(chart) == plain  # the files behind the loop are not read again
    (chart / "Chart.yaml").write_text("name: changed\n")
    assert render_cache.tree_digest(chart) != plain
