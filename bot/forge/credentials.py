"""GitHub settings from the environment, secrets that never print, clone URLs and git's auth environment.

The token reaches git only through the environment of the git process (`GIT_CONFIG_*` sets a
host-scoped `http.extraHeader`), never through a URL, `.git/config` or argv. Git redacts that
header in GIT_TRACE_CURL output; GitPython never logs environments.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.forge.urls import check_url_template, default_url_template
from bot.secrets import Secret

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_CLONE_URL_TEMPLATE = "https://github.com/{owner}/{repo}.git"
DEFAULT_AUTHOR = ("phase-3-bot", "phase-3-bot@users.noreply.github.com")


@dataclass(frozen=True)
class TokenAuth:
    token: Secret  # a PAT or any token git and the API accept as `x-access-token`


@dataclass(frozen=True)
class AppAuth:
    app_id: int
    private_key: Secret  # PEM text, read from GITHUB_APP_PRIVATE_KEY_FILE
    installation_id: int


@dataclass(frozen=True)
class Identity:
    """Author and committer of the bot's commits; the DCO sign-off uses the same name and email."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class GitHubSettings:
    api_url: str = DEFAULT_API_URL
    # {owner}, {repo}: the workspace's template (bot.workspace.checkout.default_url_template), for pushes too
    clone_url_template: str = DEFAULT_CLONE_URL_TEMPLATE
    auth: TokenAuth | AppAuth | None = None
    identity: Identity = field(default_factory=lambda: Identity(*DEFAULT_AUTHOR))


def load_github_settings(
    env: Mapping[str, str], *, clone_url_template: str | None = None
) -> GitHubSettings:
    """Read the GitHub settings from `env` (the CLI passes os.environ; nothing below it reads the environment).

    `clone_url_template` is the CLI's --clone-url-template; without it BOT_CLONE_URL_TEMPLATE, else
    GITHUB_SERVER_URL/{owner}/{repo}.git, else github.com (the workspace's rule, so clones and pushes agree).
    """
    api_url = env.get("GITHUB_API_URL") or DEFAULT_API_URL
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https"):
        raise ConfigError([f"GITHUB_API_URL: expected an http or https URL, got {api_url!r}"])
    if "@" in parts.netloc:  # a token in a URL ends up in logs and error messages
        raise ConfigError(
            ["GITHUB_API_URL: credentials must not be part of the URL (use GITHUB_TOKEN)"]
        )
    template = clone_url_template or default_url_template(dict(env))
    check_url_template(template)
    identity = Identity(
        env.get("BOT_GIT_AUTHOR_NAME") or DEFAULT_AUTHOR[0],
        env.get("BOT_GIT_AUTHOR_EMAIL") or DEFAULT_AUTHOR[1],
    )
    return GitHubSettings(api_url.rstrip("/"), template, _load_auth(env), identity)


def _load_auth(env: Mapping[str, str]) -> TokenAuth | AppAuth | None:
    app_keys = ("GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY_FILE", "GITHUB_APP_INSTALLATION_ID")
    present = [k for k in app_keys if env.get(k)]
    if env.get("GITHUB_TOKEN"):
        if present:
            raise ConfigError(
                [
                    f"set either GITHUB_TOKEN or GitHub App credentials, not both ({', '.join(present)})"
                ]
            )
        return TokenAuth(Secret(env["GITHUB_TOKEN"].strip()))
    if not present:
        return None
    missing = [k for k in app_keys if k not in present]
    if missing:
        raise ConfigError([f"GitHub App credentials incomplete: {', '.join(missing)} not set"])
    app_id, installation_id = (_positive_int(k, env[k]) for k in (app_keys[0], app_keys[2]))
    key_path = Path(env["GITHUB_APP_PRIVATE_KEY_FILE"])
    try:
        pem = key_path.read_text()
    except OSError as e:
        raise ConfigError(
            [f"GITHUB_APP_PRIVATE_KEY_FILE: cannot read {key_path}: {e.strerror}"]
        ) from None
    if "PRIVATE KEY" not in pem:
        raise ConfigError([f"GITHUB_APP_PRIVATE_KEY_FILE: {key_path} is not a PEM private key"])
    return AppAuth(app_id, Secret(pem), installation_id)


def _positive_int(name: str, value: str) -> int:
    if not value.strip().isdigit():
        raise ConfigError([f"{name}: expected a number, got {value!r}"])
    return int(value)


def clone_url(settings: GitHubSettings, full_name: str) -> str:
    """The URL git fetches from and pushes to for `owner/repo`; never carries credentials."""
    owner, repo = full_name.split("/", 1)
    return settings.clone_url_template.format(owner=owner, repo=repo)


class GitEnv(dict):
    """Environment variables for git whose repr hides the values (one of them carries the token)."""

    def __repr__(self) -> str:
        return f"GitEnv({', '.join(sorted(self))})"

    __str__ = __repr__


def git_auth_env(token: Secret | None, url: str) -> GitEnv:
    """Environment for a git process talking to `url`: token as a host-scoped header, no prompts, no helpers.

    `credential.helper` is reset to empty so a global `store` helper cannot save anything, and
    terminal/askpass prompts are off so a bad token fails instead of hanging.
    """
    config = [("credential.helper", "")]
    parts = urlsplit(url)
    if token is not None and parts.scheme in ("http", "https"):
        basic = base64.b64encode(f"x-access-token:{token.reveal()}".encode()).decode()
        config.append(
            (f"http.{parts.scheme}://{parts.netloc}/.extraHeader", f"Authorization: Basic {basic}")
        )
    env = GitEnv(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "GIT_TRACE_REDACT": "1",
            "GIT_CONFIG_COUNT": str(len(config)),
        }
    )
    for i, (key, value) in enumerate(config):
        env[f"GIT_CONFIG_KEY_{i}"] = key
        env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env
