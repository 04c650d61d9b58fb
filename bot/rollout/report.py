"""What people read: PR bodies, the terminal report, and the review bundle (patches + summary.json)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.campaign.model import Campaign, ChangeSet
from bot.forge import prbody
from bot.rollout.apply import Result
from bot.workspace.lockfiles import LockReport


def tracking_ref(campaign: Campaign, change: ChangeSet) -> str:
    """The link to the item's issue: `Closes owner/repo#N` when this PR is the item's only one, else
    `Refs owner/repo#N`, because a closing keyword would close the item when the first of its PRs merged."""
    repo, item = campaign.tracking_repo, change.item
    if repo.placeholder:
        return f"Tracking item `{item.id}` (no link: recipes.yaml's tracking_repo is a placeholder)"
    if not item.issue:
        return f"Tracking item `{item.id}` in {repo.full_name} (issue not filed yet: `bot track`)"
    ref = f"{repo.full_name}#{item.issue}"
    prs = [c for c in campaign.change_sets() if c.item.id == item.id and not c.skip]
    if len(prs) == 1:
        return f"Closes {ref}"
    return f"Refs {ref} (one of the item's {len(prs)} pull requests: none closes it alone)"


def notes(result: Result) -> list[str]:
    return [*result.change.notes, *result.discovered, *result.lockfile_notes, *result.skipped_steps]


def all_notes(result: Result) -> list[str]:
    """The PR body's notes plus what happened while publishing (never part of the body: re-runs compare it)."""
    return [*notes(result), *result.warnings]


def pr_body(campaign: Campaign, result: Result, gates: list[str] | None = None) -> str:
    """`gates`: what the go/no-go gates this change set waited for said (see bot gate)."""
    change = result.change
    lines = [f"## {campaign.plan}: {change.item.title}", ""]
    lines += [change.why or change.item.description, ""]
    if change.deviations:
        lines += ["### Departures from the plan", *[f"- {line}" for line in change.deviations], ""]
    lines += [
        f"### Acceptance criteria (`{change.item.id}`)",
        *[f"- [ ] {c}" for c in change.item.acceptance],
        "",
    ]
    if result.checks:
        lines += ["### Validation", *[f"- {check.line()}" for check in result.checks], ""]
    if notes(result):
        lines += ["### Notes for reviewers", *[f"- {note}" for note in notes(result)], ""]
    if gates:
        lines += [
            "### Go/no-go gate",
            *[line if line.startswith("  ") else f"- {line}" for line in gates],
            "",
        ]
    lines += [tracking_ref(campaign, change), ""]
    footer = (
        f"<sub>Opened by the {campaign.plan} rollout bot from `recipes/{change.service}.yaml` "
        f"(change `{change.key}`). Re-running the bot updates this PR.</sub>"
    )
    lines.append(footer)
    return prbody.with_marker(change.id, "\n".join(lines) + "\n")


def summary(campaign: Campaign, results: list[Result], patches: dict[str, str]) -> dict:
    return {
        "campaign": campaign.name,
        "change_sets": [
            {
                "service": r.change.service,
                "change": r.change.key,
                "item": r.change.item.id,
                "repo": r.change.repo.full_name,
                "base": r.change.repo.base,
                "branch": r.change.branch,
                "title": r.change.title,
                "labels": list(r.change.item.labels),
                "draft": r.change.repo.draft,
                "files": r.files,
                "patch": patches.get(r.change.id),
                "status": r.status,
                "reason": r.reason,
                "deviations": list(r.change.deviations),
                "notes": all_notes(r),
                "checks": [check.__dict__ for check in r.checks],
                "waits_for": list(campaign.gates_for(r.change)),
                "lockfiles": [lock.as_dict() for lock in r.lockfiles],
                "pr_url": r.pr_url or None,
                "tracking": tracking_ref(campaign, r.change),
            }
            for r in results
        ],
    }


def write_bundle(campaign: Campaign, results: list[Result], output_dir: Path) -> Path:
    """One patch per change set with a diff, plus summary.json; returns the summary path."""
    patches_dir = output_dir / "patches"
    if patches_dir.is_dir():  # patches of an earlier run would look like part of this one
        for stale in patches_dir.glob("*.patch"):
            stale.unlink()
    patches_dir.mkdir(parents=True, exist_ok=True)
    patches = {}
    for result in results:
        if result.diff:
            relative = f"patches/{result.change.service}-{result.change.key}.patch"
            (output_dir / relative).write_text(result.diff, encoding="utf-8")
            patches[result.change.id] = relative
    path = output_dir / "summary.json"
    path.write_text(
        json.dumps(summary(campaign, results, patches), indent=2) + "\n", encoding="utf-8"
    )
    return path


STATUS_COLOURS = {
    "failed": "red", "dry-run": "green", "unchanged": "blue", "not-applicable": "yellow",
    "opened": "green", "reopened": "green", "updated": "green", "up-to-date": "blue",
    "edited": "yellow", "merged": "magenta", "closed": "yellow", "interrupted": "red",
}  # fmt: skip


def render(campaign: Campaign, result: Result) -> str:
    change = result.change
    status = click.style(result.status, fg=STATUS_COLOURS.get(result.status, "cyan"), bold=True)
    lines = [click.style(f"━━ {change.id}", bold=True) + f"  {status}  {change.repo.full_name}"]
    if result.pr_url:
        lines.append(f"   pull request: {result.pr_url}")
    if result.reason:
        lines.append(f"   reason: {result.reason}")
    lines += [f"   warning: {warning}" for warning in result.warnings]
    if result.status == "dry-run":
        lines += _preview(campaign, result)  # the body lists the checks
    else:
        lines += [f"   {_check_colour(check.line())}" for check in result.checks]
    lines += [f"   lockfile: {_lock_line(lock)}" for lock in result.lockfiles]
    if result.diff:
        lines += ["", *_coloured_diff(result.diff)]
    return "\n".join(lines)


def _preview(campaign: Campaign, result: Result) -> list[str]:
    change = result.change
    draft = " (draft)" if change.repo.draft else ""
    body = pr_body(campaign, result).rstrip("\n").splitlines()
    return [
        f"   would open PR{draft}: {change.title}",
        f"   repo:   {change.repo.full_name}  base {change.repo.base} <- head {change.branch}",
        f"   labels: {', '.join(change.item.labels) or '(none)'}",
        f"   item:   {change.item.id} ({change.item.title}): {tracking_ref(campaign, change)}",
        f"   files:  {', '.join(result.files)}",
        *_waits(campaign, change),
        *(
            [
                f"   placeholder: {change.repo.full_name} is not the real name (repos.{change.repo.key}.placeholder); publishing refuses"
            ]
            if change.repo.placeholder
            else []
        ),
        "   body:",
        *[f"   │ {line}" for line in body],
    ]


def _lock_line(lock: LockReport) -> str:
    if lock.failed:
        return f"{lock.lock} not regenerated: {lock.tool} failed after {lock.seconds:.1f} s"
    return f"{lock.lock} regenerated with {lock.tool} in {lock.seconds:.1f} s: +{lock.added} -{lock.removed} lines"


def _waits(campaign: Campaign, change: ChangeSet) -> list[str]:
    """Gates a change set waits for before publishing (`bot apply` runs them first): its `requires:`,
    and settings.service_gate for per-service change sets."""
    return [
        f"   waits for: {gate} (published only after `bot gate --env {gate.removeprefix('gate:')}` passed)"
        for gate in campaign.gates_for(change)
    ]


def _check_colour(line: str) -> str:
    colour = {"passed": "green", "failed": "red", "skipped": "yellow"}.get(line.split(":")[0])
    return click.style(line, fg=colour)


def _coloured_diff(diff: str) -> list[str]:
    out = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff --git", "index ")):
            out.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        else:
            out.append(line)
    return out


def totals(results: list[Result]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))


def markdown_table(results: list[Result]) -> str:
    """The run as a GitHub-flavoured table, for $GITHUB_STEP_SUMMARY."""
    rows = ["| Change set | Repository | Status | Pull request | Reason |", "|---|---|---|---|---|"]
    for r in results:
        cells = [
            r.change.id,
            r.change.repo.full_name,
            r.status,
            r.pr_url or "",
            r.reason or "; ".join(r.warnings),
        ]
        rows.append(
            "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"
        )
    return "\n".join(rows) + "\n"
