"""Command line of the fixture agent: ``python -m acapy_agent <command> [options]``."""

import os
import sys

# main() runs every sub-command: the long-running start and the quick ones.
COMMANDS = ("start", "provision", "upgrade", "help")


def _trace_requested(args):
    """Tell whether verbose startup tracing was asked for, by flag or environment."""
    flag = os.getenv("FIXTURE_TRACE_STARTUP", "").lower()
    return flag in ("1", "true", "yes") or "--trace-startup" in args


def _dispatch(args):
    """Pick the sub-command from args and run it."""
    command = args[1] if len(args) > 1 and not args[1].startswith("-") else "help"
    if command not in COMMANDS:
        raise SystemExit(f"unknown command: {command}")
    if _trace_requested(args):
        print(f"acapy_agent: running {command}", file=sys.stderr)


def main(args):
    """Run the fixture agent with the process arguments."""
    _dispatch(args)


if __name__ == "__main__":
    main(sys.argv)
