"""Clone and push URLs: one template with {owner} and {repo}, never with credentials in it."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.errors import ConfigError


def default_url_template(environ: dict[str, str]) -> str:
    """BOT_CLONE_URL_TEMPLATE, else the GitHub server of GitHub Actions, else github.com."""
    if environ.get("BOT_CLONE_URL_TEMPLATE"):
        return environ["BOT_CLONE_URL_TEMPLATE"]
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return server + "/{owner}/{repo}.git"


def check_url_template(template: str) -> None:
    problems = [
        f"clone URL template has no {{{key}}}"
        for key in ("owner", "repo")
        if f"{{{key}}}" not in template
    ]
    try:
        url = template.format(owner="o", repo="r")
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError([f"clone URL template {template!r}: {exc}"]) from None
    if "@" in urlsplit(url).netloc:
        # A token in a URL ends up in .git/config, process lists and logs.
        problems.append("clone URL template must not contain credentials; use GITHUB_TOKEN")
    if problems:
        raise ConfigError(problems)
