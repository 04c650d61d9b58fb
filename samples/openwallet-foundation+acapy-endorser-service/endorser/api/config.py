"""Endorser settings (fixture)."""

import os


class Settings:
    """Settings read from the environment."""

    DEBUG: bool = os.getenv("ENDORSER_DEBUG", "false").lower() == "true"


settings = Settings()
