"""`python -m bot.cli`: the same as the `bot` console script."""

import sys

from bot.cli import run

sys.exit(run())
