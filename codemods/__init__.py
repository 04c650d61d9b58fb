"""Registry of codemods, keyed `<ecosystem>.<verb_object>`; recipes name codemods by these keys.

Each ecosystem package keeps its own small registry; this module only joins them.
"""

from codemods import alloy, caddy, gitops, helm, node, python, web
from codemods._api import Codemod, CodemodError, NotApplicable, Plan, PlannedStep, Planner

CODEMODS: dict[str, Codemod] = {
    f"{ecosystem.__name__.rpartition('.')[2]}.{name}": module
    for ecosystem in (alloy, caddy, gitops, helm, node, python, web)
    for name, module in sorted(ecosystem.CODEMODS.items())
}

# Planners read a whole repository and return the steps of one change (codemods/_api.py Planner).
PLANNERS: dict[str, Planner] = {
    f"{ecosystem.__name__.rpartition('.')[2]}.{name}": module
    for ecosystem in (gitops,)
    for name, module in sorted(ecosystem.PLANNERS.items())
}

__all__ = [
    "CODEMODS",
    "PLANNERS",
    "Codemod",
    "CodemodError",
    "NotApplicable",
    "Plan",
    "PlannedStep",
    "Planner",
]
