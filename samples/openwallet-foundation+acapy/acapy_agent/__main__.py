"""acapy_agent package entry point."""

import logging
import os
import sys

LOGGER = logging.getLogger(__name__)


def init_debug(args):
    """Attach a remote debugger when asked to."""
    enable_debugger = os.getenv("ENABLE_DEBUGGER", "").lower()
    if (enable_debugger and enable_debugger not in ("false", "0")) or "--debug" in args:
        try:
            import debugpy

            debugpy.listen(("localhost", int(os.getenv("DAP_PORT", "5678"))))
        except ImportError:
            LOGGER.error("debugpy library was not found")


def run(args):
    """Execute the command named on the command line."""
    from .commands import run_command  # noqa

    if len(args) > 1 and args[1] and args[1][0] != "-":
        command, args = args[1], args[2:]
    else:
        command, args = None, args[1:]
    run_command(command, args)


def script_main():
    """Run the main function as a script for poetry."""
    main(sys.argv)


def main(args):
    """Execute default entry point."""
    init_debug(args)
    run(args)


if __name__ == "__main__":
    script_main()
