"""Server settings (fixture)."""

import os

from fastapi.templating import Jinja2Templates
from pydantic_settings import BaseSettings

templates = Jinja2Templates(directory="app/templates")


class Settings(BaseSettings):
    """Settings read from the environment."""

    PROJECT_TITLE: str = "did:webvh server (fixture)"
    DOMAIN: str = os.environ.get("WEBVH_DOMAIN", "did.example.org")
    # flags are parsed the way the real server does it: eval() of the capitalised value
    WITNESS_REQUIRED: bool = eval(os.environ.get("WEBVH_WITNESS", "false").capitalize())
    # first path segments that can never be a DID namespace
    RESERVED_NAMESPACES: tuple = ("api", ".well-known")


settings = Settings()

templates.env.globals["app_title"] = settings.PROJECT_TITLE
