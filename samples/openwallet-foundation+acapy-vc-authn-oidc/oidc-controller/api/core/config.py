"""Controller settings, read from the environment (fixture)."""

import os

from pydantic_settings import BaseSettings


class GlobalConfig(BaseSettings):
    """Everything the controller reads from its environment."""

    TITLE: str = os.environ.get("CONTROLLER_TITLE", "VC-AuthN controller (fixture)")
    TIMEZONE: str = os.environ.get("CONTROLLER_TZ", "UTC")
    CONTROLLER_TEMPLATE_DIR: str = os.environ.get(
        "CONTROLLER_TEMPLATE_DIR", "/srv/pages"
    )
    ACAPY_REQUEST_TIMEOUT: float = float(os.environ.get("ACAPY_REQUEST_TIMEOUT", "7.5"))
    PROOF_TTL_SECONDS: int = int(os.environ.get("CONTROLLER_PROOF_TTL", "600"))


settings = GlobalConfig()
