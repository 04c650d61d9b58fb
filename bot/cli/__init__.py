"""Command line: parsing and rendering only. Exit codes are decided here and nowhere else:
0 everything ok, 1 some change set failed, 2 usage or configuration error (found by the pre-flight
checks, before any clone or write), 3 the review bundle or step summary could not be written,
130 interrupted.

One module per command group; each defines plain click commands that this module registers."""

from __future__ import annotations

import gc
import logging
import sys

import click

from bot.cli import apply, campaign, gate, prs, track, verify
from bot.cli.options import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from bot.errors import BotError, ConfigError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="Show git commands (-v) and debug details (-vv).")
def cli(verbose: int) -> None:
    """Phase 3 rollout bot: turns the Phase 3 Profiling and RUM plan into reviewable PRs.

    \b
    Examples:
      bot list                                   the campaign: services, change sets, items, labels
      bot validate                               check recipes.yaml and recipes/*.yaml
      bot apply --service traction --dry-run     diffs and PR previews for one service
      bot apply --all --dry-run --output-dir out patches + out/summary.json for every service
      bot apply --all --dry-run --samples        the same, offline, on the bundled sample repos
      bot gate --env dev                         the go/no-go gate against the dev stack
      bot verify --env dev --all                 every acceptance criterion against the dev stack
      bot track                                  the tracking issues and the campaign dashboard
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    # PyGithub installs its own stderr handler at INFO ("Request POST ... failed"): route it through ours.
    # Never DEBUG: its request log prints response bodies, and those carry App installation tokens.
    pygithub = logging.getLogger("github")
    pygithub.handlers.clear()
    pygithub.setLevel(logging.INFO if verbose >= 2 else logging.WARNING)


for command in (
    campaign.validate,
    campaign.list_,
    apply.apply,
    prs.status,
    prs.close,
    gate.gate,
    verify.verify,
    track.track,
):
    cli.add_command(command)


def run() -> int:
    """The `bot` command and `python -m bot.cli`: main() in a process of its own."""
    # the imported modules live as long as the process: keep the collector from walking them on
    # every full collection (about 0.2 s of a dry-run's CPU); not in main(), which tests call in-process
    gc.freeze()
    return main()


def main(argv: list[str] | None = None) -> int:
    try:
        return cli.main(args=argv, prog_name="bot", standalone_mode=False) or EXIT_OK
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:  # usage errors: unknown option, missing argument, ...
        exc.show()
        return EXIT_USAGE
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        return EXIT_USAGE
    except BotError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_FAILED
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(run())
