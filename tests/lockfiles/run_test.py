"""A failing tool's reason keeps its errors and drops progress lines and hints."""

from __future__ import annotations

import subprocess

from bot.workspace.lockfiles.run import tail

PNPM_404 = """Progress: resolved 11, reused 0, downloaded 0, added 0
 ERR_PNPM_NO_MATCHING_VERSION  No matching version found for @openwallet-foundation/askar-nodejs@0.6.0

This error happened while installing a direct dependency of /repo

The latest release of @openwallet-foundation/askar-nodejs is "0.4.3". Published at 3/20/2026

If you need the full list of all 5 published versions run "$ pnpm view @openwallet-foundation/askar-nodejs versions".
Progress: resolved 20, reused 0, downloaded 0, added 0
"""


def test_pnpm_progress_and_hints_are_left_out_of_the_reason():
    reason = tail(subprocess.CompletedProcess(["pnpm"], 1, PNPM_404, ""), lines=4)
    assert reason.startswith("ERR_PNPM_NO_MATCHING_VERSION  No matching version found for")
    assert reason.endswith(
        'The latest release of @openwallet-foundation/askar-nodejs is "0.4.3". Published at 3/20/2026'
    )
    assert "Progress" not in reason and "full list" not in reason
