"""Run a change set's planner: a read-only view of the checkout in, concrete codemod steps out.

The planner (codemods.PLANNERS) discovers the repository's own pattern across files; the steps it
returns are validated like a recipe's steps and then applied by bot/rollout/changes.py, so a
repository without the pattern fails here, before any file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.campaign import params as param_check
from bot.campaign.model import PlanCall, Step
from bot.checks.files import RepoFiles
from codemods import CODEMODS, PLANNERS, CodemodError


@dataclass
class Planned:
    steps: tuple[Step, ...] = ()
    notes: list[str] = field(default_factory=list)
    error: str = ""


def plan_steps(call: PlanCall, root: Path) -> Planned:
    """The planner's steps as recipe steps (their parameters checked), or the reason it failed."""
    try:
        plan = PLANNERS[call.name].plan(call.params, RepoFiles(root))
    except CodemodError as exc:
        return Planned(error=f"{call.name}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a planner bug fails this change set only
        return Planned(error=f"{call.name}: planner crashed: {type(exc).__name__}: {exc}")
    steps = []
    for planned in plan.steps:
        codemod = CODEMODS.get(planned.codemod)
        if codemod is None:
            return Planned(error=f"{call.name}: planned an unknown codemod {planned.codemod!r}")
        built, problems = param_check.check(codemod.Params, planned.params)
        if built is None:
            found = "; ".join(f"{key}: {problem}" for key, problem in problems)
            return Planned(
                error=f"{call.name}: planned {planned.codemod} on {planned.path} with bad parameters: {found}"
            )
        steps.append(Step(planned.codemod, planned.path, built, planned.create))
    return Planned(tuple(steps), list(plan.notes))
