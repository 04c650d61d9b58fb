from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.conftest import no_internet  # noqa: F401 - autouse: requests stay on loopback
from tests.fake_stack.stack import FakeStack, running


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStack]:
    """The fake stack, with the BOT_* variables of the real campaign's dev environment pointing at it."""
    with running(tmp_path) as fake:
        for name, value in fake.environ().items():
            monkeypatch.setenv(name, value)
        yield fake
