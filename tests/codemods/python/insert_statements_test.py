import pytest

from codemods.python import insert_statements
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged
from tests.helpers.parsers import assert_parses


def test_router_after_the_last_include_with_a_sorted_relative_import():
    # vc-authn oidc-controller/api/main.py: parenthesised sorted import, multi-line last include_router
    result = assert_codemod(
        insert_statements,
        {
            "code": "app.include_router(faro.router, include_in_schema=False)",
            "after": r"^app\.include_router\(",
            "imports": [".routers:faro"],
        },
        path="oidc-controller/api/main.py",
        before="""\
            from fastapi import FastAPI

            from .routers import (
                acapy_handler,
                cleanup,
                oidc,
                presentation_request,
            )

            app = FastAPI()

            app.include_router(cleanup.router, tags=["cleanup"])
            app.include_router(
                oidc.router, prefix="/vc/connect", tags=["oidc-deprecated"], include_in_schema=False
            )

            origins = ["*"]
        """,
        after="""\
            from fastapi import FastAPI

            from .routers import (
                acapy_handler,
                cleanup,
                faro,
                oidc,
                presentation_request,
            )

            app = FastAPI()

            app.include_router(cleanup.router, tags=["cleanup"])
            app.include_router(
                oidc.router, prefix="/vc/connect", tags=["oidc-deprecated"], include_in_schema=False
            )
            app.include_router(faro.router, include_in_schema=False)

            origins = ["*"]
        """,
    )
    assert_parses("oidc-controller/api/main.py", result)


def test_unsorted_one_line_import_gets_the_name_last_and_placement_by_regex():
    # didwebvh server/app/__init__.py: the /api routes must come before POST /{namespace}/{alias}
    assert_codemod(
        insert_statements,
        {
            "code": "api_router.include_router(faro.router)",
            "after": r"include_router\(tails\.router",
            "imports": ["app.routers:faro"],
        },
        path="server/app/__init__.py",
        before="""\
            from app.routers import admin, identifiers, resources, credentials, tails

            api_router.include_router(admin.router, prefix="/api/admin")
            api_router.include_router(tails.router, prefix="/api/tails", tags=["Tails"])
            api_router.include_router(identifiers.router)
        """,
        after="""\
            from app.routers import admin, identifiers, resources, credentials, tails, faro

            api_router.include_router(admin.router, prefix="/api/admin")
            api_router.include_router(tails.router, prefix="/api/tails", tags=["Tails"])
            api_router.include_router(faro.router)
            api_router.include_router(identifiers.router)
        """,
    )


def test_a_merged_import_over_the_line_length_is_wrapped_as_ruff_does():
    assert_codemod(
        insert_statements,
        {
            "code": "api_router.include_router(faro.router)",
            "imports": ["app.routers:faro"],
            "line_length": 60,
        },
        path="server/app/__init__.py",
        before="""\
            import os
            # routers
            from app.routers import admin, identifiers, resources, credentials, tails

            api_router = object()
        """,
        after="""\
            import os
            # routers
            from app.routers import (
                admin,
                identifiers,
                resources,
                credentials,
                tails,
                faro,
            )

            api_router = object()
            api_router.include_router(faro.router)
        """,
    )


def test_settings_fields_at_the_end_of_a_class_body():
    result = assert_codemod(
        insert_statements,
        {
            "code": (
                "\n# Grafana Faro browser monitoring (RUM) in the web explorer pages\n"
                'FARO_ENABLED: bool = os.environ.get("FARO_ENABLED", "false").lower() == "true"\n'
                'FARO_COLLECTOR_URL: str = os.environ.get("FARO_COLLECTOR_URL", "/api/faro")\n'
            ),
            "in_class": "Settings",
        },
        path="server/config.py",
        before="""\
            class Settings(BaseSettings):
                \"\"\"App settings.\"\"\"

                UNIRESOLVER_URL: str = "https://dev.uniresolver.io"

                RESERVED_NAMESPACES: list = ["api", ".well-known"]


            settings = Settings()
        """,
        after="""\
            class Settings(BaseSettings):
                \"\"\"App settings.\"\"\"

                UNIRESOLVER_URL: str = "https://dev.uniresolver.io"

                RESERVED_NAMESPACES: list = ["api", ".well-known"]

                # Grafana Faro browser monitoring (RUM) in the web explorer pages
                FARO_ENABLED: bool = os.environ.get("FARO_ENABLED", "false").lower() == "true"
                FARO_COLLECTOR_URL: str = os.environ.get("FARO_COLLECTOR_URL", "/api/faro")


            settings = Settings()
        """,
    )
    assert_parses("server/config.py", result)


def test_statement_after_the_jinja_environment_with_no_new_import():
    assert_codemod(
        insert_statements,
        {
            "code": '_jinja_env.globals["faro_collector_url"] = (\n'
            '    settings.FARO_COLLECTOR_URL if settings.FARO_ENABLED else ""\n)',
            "after": r"^_jinja_env = Environment\(",
        },
        path="oidc-controller/api/routers/oidc.py",
        before="""\
            from ..core.config import settings

            # Module-level Jinja2 environment — thread-safe, avoids per-request allocation.
            _jinja_env = Environment(loader=BaseLoader(), autoescape=True)

            router = APIRouter()
        """,
        after="""\
            from ..core.config import settings

            # Module-level Jinja2 environment — thread-safe, avoids per-request allocation.
            _jinja_env = Environment(loader=BaseLoader(), autoescape=True)
            _jinja_env.globals["faro_collector_url"] = (
                settings.FARO_COLLECTOR_URL if settings.FARO_ENABLED else ""
            )

            router = APIRouter()
        """,
    )


def test_before_the_first_match_in_a_class():
    # vc-authn GlobalConfig ends with `model_config = ConfigDict(...)`; settings fields go above it
    assert_codemod(
        insert_statements,
        {
            "code": 'FARO_ENABLED: bool = strtobool(os.environ.get("FARO_ENABLED", False))',
            "in_class": "GlobalConfig",
            "before": "^model_config = ",
        },
        path="oidc-controller/api/core/config.py",
        before="""\
            class GlobalConfig(BaseSettings):
                REDIS_DB: int = int(os.environ.get("REDIS_DB", 0))

                model_config = ConfigDict(case_sensitive=True)
        """,
        after="""\
            class GlobalConfig(BaseSettings):
                REDIS_DB: int = int(os.environ.get("REDIS_DB", 0))
                FARO_ENABLED: bool = strtobool(os.environ.get("FARO_ENABLED", False))

                model_config = ConfigDict(case_sensitive=True)
        """,
    )


def test_new_relative_import_goes_after_the_last_import():
    assert_codemod(
        insert_statements,
        {"code": "x = faro.router", "imports": ["..routers:faro"]},
        path="api/verificationConfigs/router.py",
        before="import os\n\nfrom .crud import CRUD\n\ny = 1\n",
        after="import os\n\nfrom .crud import CRUD\nfrom ..routers import faro\n\ny = 1\nx = faro.router\n",
        dedent=False,
    )


def test_already_there_is_unchanged():
    assert_unchanged(
        insert_statements,
        {
            "code": "app.include_router(faro.router)",
            "after": "include_router",
            "imports": ["app.routers:faro"],
        },
        path="main.py",
        text="from app.routers import faro\n\napp.include_router(x.router)\napp.include_router(faro.router)\n",
    )


FARO_FIELDS = {
    "code": (
        'FARO_ENABLED: bool = os.environ.get("FARO_ENABLED", "false").lower() == "true"\n'
        'FARO_COLLECTOR_URL: str = os.environ.get("FARO_COLLECTOR_URL") or "/faro"\n'
    ),
    "in_class": "Settings",
}


@pytest.mark.parametrize(
    ("existing", "match"),
    [
        (  # only some of the statements: a second copy of the others would be a mess
            'FARO_ENABLED: bool = os.environ.get("FARO_ENABLED", "false").lower() == "true"',
            (
                r"config.py already has 1 of the 2 statements \(FARO_ENABLED: bool = .*\); "
                r"add the rest by hand"
            ),
        ),
        (  # a duplicate class field would silently override the existing one
            'FARO_COLLECTOR_URL: str = "/collect"',
            r"config.py: Settings already defines FARO_COLLECTOR_URL; merge by hand",
        ),
    ],
)
def test_partly_there_or_a_name_already_bound_is_an_error(existing, match):
    text = f"class Settings:\n    {existing}\n"
    assert_codemod_error(
        insert_statements, FARO_FIELDS, path="config.py", text=text, match=match, dedent=False
    )


def test_module_level_names_assigned_by_a_subscript_or_attribute_do_not_clash():
    assert_codemod(
        insert_statements,
        {"code": 'env.globals["x"] = 2', "after": "^env = "},
        path="m.py",
        before='env = make()\nenv.globals["y"] = 1\n',
        after='env = make()\nenv.globals["x"] = 2\nenv.globals["y"] = 1\n',
        dedent=False,
    )


@pytest.mark.parametrize(
    ("params", "text", "match"),
    [
        ({"code": "x = 1", "after": "nope"}, "y = 1\n", "no statement matches 'nope'"),
        ({"code": "x = 1", "in_class": "Settings"}, "y = 1\n", "defines class Settings 0 times"),
        ({"code": "x = (", "after": ""}, "y = 1\n", "code for m.py does not parse"),
        ({"code": "x = 1"}, "def f(:\n", "does not parse as Python"),
        ({"code": "x = 1", "after": "y", "before": "y"}, "y = 1\n", "either after or before"),
    ],
)
def test_unsafe_inputs_fail_clearly(params, text, match):
    assert_codemod_error(
        insert_statements, params, path="m.py", text=text, match=match, dedent=False
    )
