"""A fake GitHub for tests: REST (validated against GitHub's OpenAPI description) and git over HTTP."""

from tests.fake_github.server import PREFIX, SECONDARY_RATE_LIMIT, FakeGitHub, Logged

__all__ = ["PREFIX", "SECONDARY_RATE_LIMIT", "FakeGitHub", "Logged"]
