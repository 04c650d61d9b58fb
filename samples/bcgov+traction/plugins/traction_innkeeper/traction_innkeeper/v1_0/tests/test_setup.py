from unittest.mock import MagicMock, patch

from traction_innkeeper.v1_0 import setup


async def test_setup_single_tenant_sets_up_nothing():
    ctx = MagicMock()
    ctx.settings.get.return_value = False
    with patch("traction_innkeeper.v1_0.innkeeper.setup") as innkeeper:
        await setup(ctx)
    innkeeper.assert_not_called()
