"""App configuration."""

import os

from dotenv import load_dotenv
from fastapi.templating import Jinja2Templates
from pydantic_settings import BaseSettings

basedir = os.path.abspath(os.path.dirname(__file__))
load_dotenv(os.path.join(basedir, ".env"))

templates = Jinja2Templates(directory="app/templates")


class Settings(BaseSettings):
    """App settings."""

    PROJECT_TITLE: str = "DID WebVH Server"
    PROJECT_VERSION: str = "v0"

    DOMAIN: str = os.environ.get("WEBVH_DOMAIN", "localhost")

    ENABLE_TAILS: bool = eval(os.environ.get("ENABLE_TAILS", "true").capitalize())

    BRANDING: dict = {
        "app_name": os.environ.get("APP_NAME", "DID WebVH Explorer"),
        "app_description": os.environ.get("APP_DESCRIPTION", "Query DID WebVH logs."),
        "primary_color": os.environ.get("APP_PRIMARY_COLOR", "#1a365d"),
    }
    UNIRESOLVER_URL: str = "https://dev.uniresolver.io"

    RESERVED_NAMESPACES: list = ["api", ".well-known"]


settings = Settings()
