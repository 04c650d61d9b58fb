"""Lockfiles: regenerated in the change set's worktree with each repo's own tool and version, or,
with --no-lockfiles, a note saying which lockfile to regenerate and how.

One module per ecosystem (poetry, uv, npm, pnpm, yarn) behind the Protocol in base.py; tools.py
installs the package managers into a versioned cache; churn.py measures what a relock moved;
interpreters.py finds a Python for Poetry and uv; registry.py reads the environment's indexes.
"""

from bot.workspace.lockfiles.find import candidates, notes
from bot.workspace.lockfiles.model import LockReport, LockSettings, Outcome
from bot.workspace.lockfiles.regenerate import regenerate

__all__ = ["LockReport", "LockSettings", "Outcome", "candidates", "notes", "regenerate"]
