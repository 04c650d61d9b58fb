import difflib
import textwrap

from codemods.helm import set_value
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

PYROSCOPE = {"enabled": False, "serverAddress": ""}
PYROSCOPE_DOCS = {
    "pyroscope.enabled": "Set PYROSCOPE_SERVER_ADDRESS in the container",
    "pyroscope.serverAddress": "Pyroscope URL; required when enabled",
}


def assert_additions_only(before: str, after: str) -> None:
    before, after = textwrap.dedent(before), textwrap.dedent(after)
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    assert {tag for tag, *_ in matcher.get_opcodes()} <= {"equal", "insert"}


def test_bitnami_block_after_a_key_keeps_the_next_keys_comment_with_it():
    before = """\
        ## @param extraEnvVarsSecret Name of existing Secret containing extra env vars
        ##
        extraEnvVarsSecret: ""
        ## @param extraEnvVars Array containing extra env vars
        ## For example:
        ## extraEnvVars:
        ##  - name: GF_DEFAULT_INSTANCE_NAME
        ##
        extraEnvVars: []
        ## Node affinity preset
        ## @param nodeAffinityPreset.type Node affinity preset type
        nodeAffinityPreset:
          type: ""
    """
    after = """\
        ## @param extraEnvVarsSecret Name of existing Secret containing extra env vars
        ##
        extraEnvVarsSecret: ""
        ## @param extraEnvVars Array containing extra env vars
        ## For example:
        ## extraEnvVars:
        ##  - name: GF_DEFAULT_INSTANCE_NAME
        ##
        extraEnvVars: []
        ## Pyroscope continuous profiling
        pyroscope:
          ## @param pyroscope.enabled Set PYROSCOPE_SERVER_ADDRESS in the container
          enabled: false
          ## @param pyroscope.serverAddress Pyroscope URL; required when enabled
          serverAddress: ""
        ## Node affinity preset
        ## @param nodeAffinityPreset.type Node affinity preset type
        nodeAffinityPreset:
          type: ""
    """
    docs = {"pyroscope": "Pyroscope continuous profiling", **PYROSCOPE_DOCS}
    params = {"key": "pyroscope", "value": PYROSCOPE, "after": "extraEnvVars", "docs": docs}
    assert_codemod(set_value, params, path="charts/acapy/values.yaml", before=before, after=after)
    assert_additions_only(before, after)


def test_helm_docs_append_to_nested_mapping_leaves_next_section_comment_in_place():
    # ruamel would store '# Endorser secrets configuration' on 'environment' and put the new key after it
    before = """\
        # Endorser API application configuration
        api:
          # -- Number of Gunicorn worker processes
          webConcurrency: "2"
          # -- Endorser environment (dev, test, prod)
          environment: dev

        # Endorser secrets configuration
        secrets:
          api:
            # -- Use existing secret instead of creating one
            existingSecret: ""
    """
    after = """\
        # Endorser API application configuration
        api:
          # -- Number of Gunicorn worker processes
          webConcurrency: "2"
          # -- Endorser environment (dev, test, prod)
          environment: dev
          # Pyroscope continuous profiling for the API
          pyroscope:
            # -- Set PYROSCOPE_SERVER_ADDRESS in the API container
            enabled: false
            # -- Pyroscope URL; required when enabled
            serverAddress: ""

        # Endorser secrets configuration
        secrets:
          api:
            # -- Use existing secret instead of creating one
            existingSecret: ""
    """
    docs = {
        "api.pyroscope": "Pyroscope continuous profiling for the API",
        "api.pyroscope.enabled": "Set PYROSCOPE_SERVER_ADDRESS in the API container",
        "api.pyroscope.serverAddress": "Pyroscope URL; required when enabled",
    }
    params = {"key": "api.pyroscope", "value": PYROSCOPE, "docs": docs}
    assert_codemod(
        set_value, params, path="charts/endorser-service/values.yaml", before=before, after=after
    )


def test_helm_docs_explicit_keys_keep_go_template_strings_and_next_line_flow_maps():
    before = """\
        acapy:
          # acapy.extraEnvVarsCM -- Name of an existing ConfigMap with extra env vars
          extraEnvVarsCM: ""
          # acapy.extraEnvVarsSecret -- Name of an existing Secret with extra env vars
          extraEnvVarsSecret: '{{- printf "%s-%s" (include "common.names.fullname" .) "plugin-innkeeper" }}'

          ## Websockets configuration
          websockets:
            enabled: false
          podSecurityContext:
            {}
            # fsGroup: 2000
    """
    after = """\
        acapy:
          # acapy.extraEnvVarsCM -- Name of an existing ConfigMap with extra env vars
          extraEnvVarsCM: ""
          # acapy.extraEnvVarsSecret -- Name of an existing Secret with extra env vars
          extraEnvVarsSecret: '{{- printf "%s-%s" (include "common.names.fullname" .) "plugin-innkeeper" }}'
          pyroscope:
            # acapy.pyroscope.enabled -- Create a ConfigMap with PYROSCOPE_SERVER_ADDRESS
            enabled: false
            # acapy.pyroscope.serverAddress -- Pyroscope URL
            serverAddress: ""

          ## Websockets configuration
          websockets:
            enabled: false
          podSecurityContext:
            {}
            # fsGroup: 2000
    """
    docs = {
        "acapy.pyroscope.enabled": "Create a ConfigMap with PYROSCOPE_SERVER_ADDRESS",
        "acapy.pyroscope.serverAddress": "Pyroscope URL",
    }
    params = {
        "key": "acapy.pyroscope",
        "value": PYROSCOPE,
        "after": "extraEnvVarsSecret",
        "docs": docs,
    }
    assert_codemod(
        set_value, params, path="charts/traction/values.yaml", before=before, after=after
    )


def test_trailing_comment_under_a_flow_value_stays_with_it():
    before = """\
        ui:
          podSecurityContext:
            {}
            # fsGroup: 2000
        ingress:
          enabled: false
    """
    after = """\
        ui:
          podSecurityContext:
            {}
            # fsGroup: 2000
          replicaCount: 1
        ingress:
          enabled: false
    """
    assert_codemod(
        set_value,
        {"key": "ui.replicaCount", "value": 1},
        path="values.yaml",
        before=before,
        after=after,
    )


def test_plain_double_hash_single_quotes_after_a_key_whose_comment_sits_lower():
    before = """\
        showcase:
          server:
            shortInvitationUrls:
              enabled: true
            extraEnv: []
            ## Traction (ACA-Py tenant proxy): non-secret base URL in values.
            traction:
              url: ''
            ## Non-sensitive runtime env vars for the server Deployment.
            ## extraEnv:
            ##   - name: LOG_LEVEL
            ##     value: info
            persistence:
              enabled: true
    """
    after = """\
        showcase:
          server:
            shortInvitationUrls:
              enabled: true
            extraEnv: []
            ## Continuous profiling: PYROSCOPE_SERVER_ADDRESS for the server container.
            pyroscope:
              ## When true, the server sends CPU and heap profiles to serverAddress.
              enabled: false
              ## Pyroscope (or Alloy profile receiver) URL, e.g. 'http://alloy:9999'.
              serverAddress: ''
            ## Traction (ACA-Py tenant proxy): non-secret base URL in values.
            traction:
              url: ''
            ## Non-sensitive runtime env vars for the server Deployment.
            ## extraEnv:
            ##   - name: LOG_LEVEL
            ##     value: info
            persistence:
              enabled: true
    """
    docs = {
        "showcase.server.pyroscope": "Continuous profiling: PYROSCOPE_SERVER_ADDRESS for the server container.",
        "showcase.server.pyroscope.enabled": "When true, the server sends CPU and heap profiles to serverAddress.",
        "showcase.server.pyroscope.serverAddress": "Pyroscope (or Alloy profile receiver) URL, e.g. 'http://alloy:9999'.",
    }
    params = {
        "key": "showcase.server.pyroscope",
        "value": PYROSCOPE,
        "after": "extraEnv",
        "docs": docs,
    }
    assert_codemod(
        set_value, params, path="charts/showcase/values.yaml", before=before, after=after
    )


def test_document_start_and_blank_line_separated_keys_without_annotations():
    before = """\
        ---
        nameOverride: "didwebvh-server"

        server:
          host: example.com

          workers: 4

          # Policies should be configured according to governance decisions
          policies:
            webvh_version: "1.0"
    """
    after = """\
        ---
        nameOverride: "didwebvh-server"

        server:
          host: example.com

          workers: 4

          # Continuous profiling (PYROSCOPE_SERVER_ADDRESS)
          pyroscope:
            enabled: false
            serverAddress: ""

          # Policies should be configured according to governance decisions
          policies:
            webvh_version: "1.0"
    """
    params = {
        "key": "server.pyroscope",
        "value": PYROSCOPE,
        "after": "workers",
        "docs": {"server.pyroscope": "Continuous profiling (PYROSCOPE_SERVER_ADDRESS)"},
    }
    assert_codemod(
        set_value, params, path="charts/didwebvh-server/values.yaml", before=before, after=after
    )


def test_after_a_list_with_inline_comments_and_nulls():
    before = """\
        ## @param environment [array] Variables to be passed to the container
        environment:
          - name: PICKUP_TYPE
            value: null       # The default is undefined.
          - name: NODE_OPTIONS
            value: null      # Example: --max-old-space-size=512
        # This is to setup the liveness and readiness probes
        ## @param livenessProbe [object] Liveness probe configuration
        livenessProbe:
          periodSeconds: 10

        ## @param nodeSelector Node labels for pods assignment
        nodeSelector: {}

        ## @param tolerations Tolerations for pods assignment
        tolerations: []
    """
    after = """\
        ## @param environment [array] Variables to be passed to the container
        environment:
          - name: PICKUP_TYPE
            value: null       # The default is undefined.
          - name: NODE_OPTIONS
            value: null      # Example: --max-old-space-size=512

        pyroscope:
          ## @param pyroscope.enabled Set PYROSCOPE_SERVER_ADDRESS in the container
          enabled: false
          ## @param pyroscope.serverAddress Pyroscope URL; required when enabled
          serverAddress: ""

        # This is to setup the liveness and readiness probes
        ## @param livenessProbe [object] Liveness probe configuration
        livenessProbe:
          periodSeconds: 10

        ## @param nodeSelector Node labels for pods assignment
        nodeSelector: {}

        ## @param tolerations Tolerations for pods assignment
        tolerations: []
    """
    params = {
        "key": "pyroscope",
        "value": PYROSCOPE,
        "after": "environment",
        "docs": PYROSCOPE_DOCS,
    }
    assert_codemod(
        set_value,
        params,
        path="charts/didcomm-mediator-credo/values.yaml",
        before=before,
        after=after,
    )
    assert_additions_only(before, after)


def test_commented_out_example_closed_by_a_blank_line_stays_with_its_key():
    before = """\
        # -- Additional volumes for API deployment
        volumes: []
        # - name: foo
        #   secret:
        #     secretName: mysecret

        # -- Node selector for API pods
        nodeSelector: {}
    """
    after = """\
        # -- Additional volumes for API deployment
        volumes: []
        # - name: foo
        #   secret:
        #     secretName: mysecret

        # -- Extra labels
        extraLabels: {}

        # -- Node selector for API pods
        nodeSelector: {}
    """
    params = {
        "key": "extraLabels",
        "value": {},
        "after": "volumes",
        "docs": {"extraLabels": "Extra labels"},
    }
    assert_codemod(set_value, params, path="values.yaml", before=before, after=after)


def test_section_heading_in_a_bitnami_file_without_trailing_newline():
    before = "## @section SIEM Audit Logging\n##\nsiem:\n  ## @param siem.auditEnabled Enable audit logging\n  auditEnabled: true"
    after = (
        before
        + "\n## @section Browser monitoring (Grafana Faro)\n##\nfaro:\n"
        + "  ## @param faro.enabled Load the Faro web SDK\n  enabled: false\n"
        + "  proxy:\n    ## @param faro.proxy.upstreamUrl Alloy faro.receiver URL\n"
        + '    upstreamUrl: "http://alloy:12347/collect"'
    )
    params = {
        "key": "faro",
        "value": {"enabled": False, "proxy": {"upstreamUrl": "http://alloy:12347/collect"}},
        "section": "Browser monitoring (Grafana Faro)",
        "docs": {
            "faro.enabled": "Load the Faro web SDK",
            "faro.proxy.upstreamUrl": "Alloy faro.receiver URL",
        },
    }
    assert_codemod(set_value, params, path="values.yaml", before=before, after=after, dedent=False)


def test_overlay_gets_the_missing_parent_maps():
    before = """\
        ui:
          image:
            pullPolicy: Always
          smtp:
            port: 25
        ingress:
          enabled: true
    """
    after = """\
        ui:
          image:
            pullPolicy: Always
          smtp:
            port: 25
          faro:
            enabled: true
            collectorUrl: "/faro"
        ingress:
          enabled: true
    """
    params = {"key": "ui.faro", "value": {"enabled": True, "collectorUrl": "/faro"}}
    assert_codemod(
        set_value, params, path="deploy/traction/values-pr.yaml", before=before, after=after
    )


def test_lists_of_mappings_use_the_files_sequence_offset():
    before = "server:\n  extraEnv: []\n  ports:\n  - 80\n"
    after = before + '  sidecars:\n  - name: "agent"\n    args:\n    - "--verbose"\n'
    params = {"key": "server.sidecars", "value": [{"name": "agent", "args": ["--verbose"]}]}
    assert_codemod(set_value, params, path="values.yaml", before=before, after=after, dedent=False)


def test_empty_new_file():
    assert_codemod(
        set_value,
        {"key": "faro.enabled", "value": True},
        path="values-dev.yaml",
        before="",
        after="faro:\n  enabled: true\n",
    )


def test_equal_value_is_unchanged_and_a_partial_block_is_completed():
    text = """\
        pyroscope:
          enabled: false
          serverAddress: ""
    """
    assert_unchanged(
        set_value, {"key": "pyroscope", "value": PYROSCOPE}, path="values.yaml", text=text
    )
    assert_codemod(
        set_value,
        {"key": "pyroscope", "value": PYROSCOPE},
        path="values.yaml",
        before="pyroscope:\n  enabled: false\n",
        after='pyroscope:\n  enabled: false\n  serverAddress: ""\n',
        dedent=False,
    )


def test_completing_a_block_in_an_annotated_file_uses_the_docs_of_the_missing_keys():
    before = """\
        faro:
          # -- Load the Faro web SDK
          enabled: false
    """
    after = """\
        faro:
          # -- Load the Faro web SDK
          enabled: false
          proxy:
            # -- Alloy faro.receiver URL
            upstreamUrl: "http://alloy:12347/collect"
    """
    params = {
        "key": "faro",
        "value": {"enabled": False, "proxy": {"upstreamUrl": "http://alloy:12347/collect"}},
        "docs": {
            "faro.enabled": "Load the Faro web SDK",
            "faro.proxy.upstreamUrl": "Alloy faro.receiver URL",
        },
    }
    assert_codemod(set_value, params, path="values.yaml", before=before, after=after)


def test_conflicting_value_is_an_error():
    assert_codemod_error(
        set_value,
        {"key": "faro.enabled", "value": False},
        path="values.yaml",
        text="faro:\n  enabled: true\n",
        match=r"faro.enabled is already set to True, not False",
    )


def test_missing_after_anchor_is_an_error_listing_the_keys():
    assert_codemod_error(
        set_value,
        {"key": "api.pyroscope", "value": PYROSCOPE, "after": "webConcurrency"},
        path="values.yaml",
        text="api:\n  logLevel: info\n  environment: dev\n",
        match=r"not a key of api \(keys: logLevel, environment\)",
    )


def test_annotated_file_needs_a_doc_per_new_leaf():
    assert_codemod_error(
        set_value,
        {"key": "pyroscope", "value": PYROSCOPE, "docs": {"pyroscope.enabled": "On"}},
        path="values.yaml",
        text="# -- Number of replicas\nreplicaCount: 1\n",
        match=r"helm-docs comments\); add docs for: pyroscope.serverAddress",
    )
    assert_codemod_error(
        set_value,
        {"key": "pyroscope", "value": PYROSCOPE, "docs": {"faro.enabled": "On"}},
        path="values.yaml",
        text="replicaCount: 1\n",
        match=r"docs for keys outside pyroscope: faro.enabled",
    )


def test_parent_that_is_not_a_mapping_and_unparsable_input():
    assert_codemod_error(
        set_value,
        {"key": "ui.faro.enabled", "value": True},
        path="values.yaml",
        text="ui: disabled\n",
        match=r"ui is not a mapping",
    )
    assert_codemod_error(
        set_value,
        {"key": "faro", "value": {}},
        path="values.yaml",
        text="a: [1, 2\nb: 3\n",
        match=r"values.yaml does not parse as YAML",
    )
    assert_codemod_error(
        set_value,
        {"key": "extra.flag", "value": True},
        path="values.yaml",
        text="extra: {a: 1}\n",
        match=r"extra is a flow mapping",
    )
