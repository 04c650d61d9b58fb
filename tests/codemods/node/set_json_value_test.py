from codemods.node import set_json_value
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged
from tests.helpers.parsers import assert_parses

# traction's config/default.json: node-config defaults, two-space indent, no final newline
DEFAULT_JSON = """{
  "frontend": {
    "basePath": "/",
    "ux": {
      "appTitle": "Traction Tenant Console"
    }
  },
  "server": {
    "apiPath": "/api",
    "port": "8080"
  }
}"""


def test_nested_object_is_added_at_the_end_of_its_parent_without_a_final_newline():
    result = assert_codemod(
        set_json_value,
        {"key": "frontend.faro", "value": {"enabled": False, "collectorUrl": "/faro"}},
        path="services/tenant-ui/config/default.json",
        before=DEFAULT_JSON,
        after="""{
  "frontend": {
    "basePath": "/",
    "ux": {
      "appTitle": "Traction Tenant Console"
    },
    "faro": {
      "enabled": false,
      "collectorUrl": "/faro"
    }
  },
  "server": {
    "apiPath": "/api",
    "port": "8080"
  }
}""",
        dedent=False,
    )
    assert not result.endswith("\n")
    assert_parses("services/tenant-ui/config/default.json", result)


def test_missing_parents_are_created_and_after_places_the_key():
    assert_codemod(
        set_json_value,
        {
            "key": "server.faro.proxy",
            "value": {"enabled": "SERVER_FARO_PROXY_ENABLED"},
            "after": "apiPath",
        },
        path="config/custom-environment-variables.json",
        before='{\n  "server": {\n    "apiPath": "API_PATH",\n    "port": "PORT"\n  }\n}',
        after=(
            '{\n  "server": {\n    "apiPath": "API_PATH",\n    "faro": {\n      "proxy": {\n'
            '        "enabled": "SERVER_FARO_PROXY_ENABLED"\n      }\n    },\n    "port": "PORT"\n  }\n}'
        ),
        dedent=False,
    )


def test_mapping_is_merged_into_an_existing_object():
    assert_codemod(
        set_json_value,
        {"key": "frontend.faro", "value": {"enabled": False, "collectorUrl": "/faro"}},
        path="config/default.json",
        before='{\n  "frontend": {\n    "faro": {\n      "enabled": false\n    }\n  }\n}\n',
        after='{\n  "frontend": {\n    "faro": {\n      "enabled": false,\n      "collectorUrl": "/faro"\n    }\n  }\n}\n',
        dedent=False,
    )


def test_same_value_is_unchanged_and_null_counts_as_a_value():
    assert_unchanged(
        set_json_value,
        {"key": "keycloakRealm", "value": "showcase"},
        path="frontend/public/config.json",
        text='{\n  "keycloakRealm": "showcase"\n}\n',
        dedent=False,
    )
    assert_codemod_error(
        set_json_value,
        {"key": "faroCollectorUrl", "value": ""},
        path="frontend/public/config.json",
        text='{\n  "faroCollectorUrl": null\n}\n',
        match="already None",
        dedent=False,
    )


def test_conflicts_are_errors():
    assert_codemod_error(
        set_json_value,
        {"key": "frontend.faro", "value": {"enabled": True}},
        path="config/default.json",
        text='{\n  "frontend": {\n    "faro": {\n      "enabled": false\n    }\n  }\n}\n',
        match=r"frontend: faro.enabled is already False, not True",
        dedent=False,
    )
    assert_codemod_error(
        set_json_value,
        {"key": "frontend.faro.enabled", "value": True},
        path="config/default.json",
        text='{\n  "frontend": "off"\n}\n',
        match="frontend is not an object",
        dedent=False,
    )
    assert_codemod_error(
        set_json_value,
        {"key": "a", "value": 1, "after": "nope"},
        path="x.json",
        text='{\n  "b": 2\n}\n',
        match="no such key",
        dedent=False,
    )


def test_jsonc_is_refused():
    assert_codemod_error(
        set_json_value,
        {"key": "a", "value": 1},
        path="tsconfig.json",
        text='{\n  // comment\n  "b": 2\n}\n',
        match="does not parse as JSON",
        dedent=False,
    )
