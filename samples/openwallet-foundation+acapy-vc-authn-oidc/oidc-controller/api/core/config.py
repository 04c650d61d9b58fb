import os
from enum import Enum
from functools import lru_cache

from pydantic import ConfigDict
from pydantic_settings import BaseSettings


# Removed in later versions of python
def strtobool(val: str | bool) -> bool:
    """Convert a string representation of truth to a boolean (True or False)."""
    if isinstance(val, bool):
        return val
    val = val.lower()
    if val in ("y", "yes", "t", "true", "on", "1"):
        return True
    elif val in ("n", "no", "f", "false", "off", "0"):
        return False
    else:
        raise ValueError(f"invalid truth value {val}")


class EnvironmentEnum(str, Enum):
    PRODUCTION = "production"
    LOCAL = "local"


class GlobalConfig(BaseSettings):
    TITLE: str = os.environ.get(
        "CONTROLLER_APP_TITLE", "acapy-vc-authn-oidc Controller"
    )

    ENVIRONMENT: EnvironmentEnum = EnvironmentEnum.PRODUCTION
    DEBUG: bool = False

    CONTROLLER_TEMPLATE_DIR: str = os.environ.get(
        "CONTROLLER_TEMPLATE_DIR", "/app/controller-config/templates"
    )

    # HTTP timeout for ACA-Py requests (seconds)
    ACAPY_REQUEST_TIMEOUT: float = float(os.environ.get("ACAPY_REQUEST_TIMEOUT", 10.0))

    REDIS_MODE: str = os.environ.get("REDIS_MODE", "none").lower()

    model_config = ConfigDict(case_sensitive=True)


@lru_cache()
def get_configuration() -> GlobalConfig:
    return GlobalConfig()


settings = get_configuration()
