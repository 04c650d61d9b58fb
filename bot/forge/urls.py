"""Clone and push URLs: one template with {owner} and {repo}, never with credentials in it."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from bot.errors import ConfigError

PLACEHOLDERS = ("owner", "repo")


def default_url_template(environ: dict[str, str]) -> str:
    """BOT_CLONE_URL_TEMPLATE, else the GitHub server of GitHub Actions, else github.com."""
    if environ.get("BOT_CLONE_URL_TEMPLATE"):
        return environ["BOT_CLONE_URL_TEMPLATE"]
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return server + "/{owner}/{repo}.git"


def default_template_source(environ: dict[str, str]) -> str:
    """Where default_url_template's answer came from, for messages."""
    for name in ("BOT_CLONE_URL_TEMPLATE", "GITHUB_SERVER_URL"):
        if environ.get(name):
            return name
    return "clone URL template"


def check_url_template(template: str, source: str = "") -> str:
    """ConfigError naming `source` (flag or variable) when the template is not a credential-free URL
    with exactly the placeholders {owner} and {repo}."""
    where = f"{source}: " if source else ""
    try:
        fields = [
            name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:  # "Single '{' encountered in format string"
        raise ConfigError([f"{where}clone URL template {template!r}: {exc}"]) from None
    unknown = sorted({name or "{}" for name in fields if name not in PLACEHOLDERS})
    if unknown:
        named = ", ".join(f"{{{name}}}" if name != "{}" else name for name in unknown)
        use = "use {owner} and {repo}"
        raise ConfigError(
            [f"{where}clone URL template {template!r}: unknown placeholder {named}; {use}"]
        )
    missing = [key for key in PLACEHOLDERS if key not in fields]
    problems = [f"{where}clone URL template has no {{{key}}}" for key in missing]
    if "@" in urlsplit(template.format(owner="o", repo="r")).netloc:
        # A token in a URL ends up in .git/config, process lists and logs.
        problems.append(f"{where}clone URL template must not contain credentials; use GITHUB_TOKEN")
    if problems:
        raise ConfigError(problems)
    return template
