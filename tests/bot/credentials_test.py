"""bot.forge.credentials: settings from the environment, masked secrets, clone URLs and git's auth environment."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.forge.credentials import (
    AppAuth,
    GitHubSettings,
    Identity,
    Secret,
    TokenAuth,
    clone_url,
    git_auth_env,
    load_github_settings,
)

CANARY = "ghp_canary1234567890"


def test_secret_never_prints() -> None:
    secret = Secret(CANARY)
    rendered = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        repr([secret]),
        repr(TokenAuth(secret)),
    ]
    assert all(CANARY not in text for text in rendered)
    assert repr(TokenAuth(secret)) == "TokenAuth(token=Secret('****'))"
    assert secret.reveal() == CANARY


def test_settings_repr_hides_token_and_key() -> None:
    settings = GitHubSettings(auth=AppAuth(1, Secret("-----BEGIN PRIVATE KEY-----\nabc"), 2))
    assert "PRIVATE" not in repr(settings) and "Secret('****')" in repr(settings)


def test_defaults() -> None:
    settings = load_github_settings({"GITHUB_TOKEN": f" {CANARY}\n"})
    assert settings == GitHubSettings(
        "https://api.github.com",
        "https://github.com/{owner}/{repo}.git",
        TokenAuth(Secret(CANARY)),
        Identity("phase-3-bot", "phase-3-bot@users.noreply.github.com"),
    )


def test_enterprise_urls_and_identity() -> None:
    env = {
        "GITHUB_API_URL": "https://ghe.example.org/api/v3/",
        "GITHUB_SERVER_URL": "https://ghe.example.org",
        "BOT_GIT_AUTHOR_NAME": "Rollout Bot",
        "BOT_GIT_AUTHOR_EMAIL": "rollout@example.org",
    }
    settings = load_github_settings(env)
    assert (settings.api_url, settings.auth) == ("https://ghe.example.org/api/v3", None)
    assert clone_url(settings, "bcgov/traction") == "https://ghe.example.org/bcgov/traction.git"
    assert str(settings.identity) == "Rollout Bot <rollout@example.org>"


def test_clone_urls_follow_the_workspace_rule() -> None:
    """BOT_CLONE_URL_TEMPLATE wins over GITHUB_SERVER_URL, and the CLI option over both."""
    env = {
        "GITHUB_SERVER_URL": "https://ghe.example.org",
        "BOT_CLONE_URL_TEMPLATE": "file:///srv/{owner}+{repo}.git",
    }
    assert clone_url(load_github_settings(env), "a/b") == "file:///srv/a+b.git"
    cli = load_github_settings(env, clone_url_template="file:///mirror/{owner}/{repo}.git")
    assert clone_url(cli, "a/b") == "file:///mirror/a/b.git"


def test_github_app_credentials(tmp_path: Path) -> None:
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")
    env = {
        "GITHUB_APP_ID": "123",
        "GITHUB_APP_PRIVATE_KEY_FILE": str(key),
        "GITHUB_APP_INSTALLATION_ID": "456",
    }

    auth = load_github_settings(env).auth

    assert auth == AppAuth(123, Secret(key.read_text()), 456)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"GITHUB_TOKEN": "t", "GITHUB_APP_ID": "1"},
            "set either GITHUB_TOKEN or GitHub App credentials, not both (GITHUB_APP_ID)",
        ),
        (
            {"GITHUB_APP_ID": "1"},
            "GitHub App credentials incomplete: GITHUB_APP_PRIVATE_KEY_FILE, GITHUB_APP_INSTALLATION_ID not set",
        ),
        (
            {
                "GITHUB_APP_ID": "x",
                "GITHUB_APP_PRIVATE_KEY_FILE": "/k",
                "GITHUB_APP_INSTALLATION_ID": "1",
            },
            "GITHUB_APP_ID: expected a number, got 'x'",
        ),
        (
            {
                "GITHUB_APP_ID": "1",
                "GITHUB_APP_PRIVATE_KEY_FILE": "/nonexistent.pem",
                "GITHUB_APP_INSTALLATION_ID": "1",
            },
            "GITHUB_APP_PRIVATE_KEY_FILE: cannot read /nonexistent.pem: No such file or directory",
        ),
        (
            {"GITHUB_API_URL": "https://x-access-token:t@ghe.example.org/api/v3"},
            "GITHUB_API_URL: credentials must not be part of the URL (use GITHUB_TOKEN)",
        ),
        (
            {"GITHUB_API_URL": "ftp://ghe.example.org"},
            "GITHUB_API_URL: expected an http or https URL, got 'ftp://ghe.example.org'",
        ),
        (
            {"BOT_CLONE_URL_TEMPLATE": "https://tok@github.com/{owner}/{repo}.git"},
            "clone URL template must not contain credentials; use GITHUB_TOKEN",
        ),
    ],
)
def test_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_github_settings(env)
    assert str(caught.value) == message


def test_git_auth_env_puts_the_token_in_a_host_scoped_header_only() -> None:
    env = git_auth_env(Secret(CANARY), "https://github.com/bcgov/traction.git")

    header = (
        "Authorization: Basic " + base64.b64encode(f"x-access-token:{CANARY}".encode()).decode()
    )
    assert dict(env) == {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GIT_TRACE_REDACT": "1",
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "credential.helper",
        "GIT_CONFIG_VALUE_0": "",
        "GIT_CONFIG_KEY_1": "http.https://github.com/.extraHeader",
        "GIT_CONFIG_VALUE_1": header,
    }
    assert CANARY not in repr(env) and CANARY not in str(env) and header not in repr(env)


def test_git_auth_env_sends_nothing_over_file_urls() -> None:
    env = git_auth_env(Secret(CANARY), "file:///srv/repos/bcgov/traction.git")
    assert env["GIT_CONFIG_COUNT"] == "1" and CANARY not in "".join(env.values())
