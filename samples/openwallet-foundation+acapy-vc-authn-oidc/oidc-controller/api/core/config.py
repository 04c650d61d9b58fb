import os

from pydantic_settings import BaseSettings


class GlobalConfig(BaseSettings):
    TITLE: str = os.environ.get("CONTROLLER_TITLE", "vc-authn-oidc Controller")
    DESCRIPTION: str = "Verifiable credential identity provider (sample)"
    DEBUG: bool = os.environ.get("DEBUG", "false").lower() == "true"
    TIMEZONE: str = os.environ.get("TIMEZONE", "UTC")
    CONTROLLER_TEMPLATE_DIR: str = os.environ.get("CONTROLLER_TEMPLATE_DIR", "/app/controller-config/templates")
    ACAPY_REQUEST_TIMEOUT: float = float(os.environ.get("ACAPY_REQUEST_TIMEOUT", "10"))


settings = GlobalConfig()
