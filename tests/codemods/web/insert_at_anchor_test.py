import pytest

from codemods.web import insert_at_anchor
from tests.helpers.codemod import assert_codemod, assert_codemod_error
from tests.helpers.parsers import assert_parses

FARO_INIT = """\
// Grafana Faro browser monitoring, when the server's /config enables it
void initFaro(
  { name: 'traction-tenant-ui', version: configStore.config.image?.version },
  configStore.config.frontend.faro
);"""


def test_after_config_load_inside_load_app_takes_the_anchor_indent():
    # traction tenant-ui frontend/src/main.ts (single quotes, semicolons)
    result = assert_codemod(
        insert_at_anchor,
        {"anchor": r"await configStore\.load\(\);", "text": FARO_INIT},
        path="services/tenant-ui/frontend/src/main.ts",
        before="""\
            async function loadApp() {
              const app = createApp(App);
              await configStore.load();
              // manually remove the listener
              unsubscribe();
            }

            loadApp();
        """,
        after="""\
            async function loadApp() {
              const app = createApp(App);
              await configStore.load();
              // Grafana Faro browser monitoring, when the server's /config enables it
              void initFaro(
                { name: 'traction-tenant-ui', version: configStore.config.image?.version },
                configStore.config.frontend.faro
              );
              // manually remove the listener
              unsubscribe();
            }

            loadApp();
        """,
    )
    assert_parses("services/tenant-ui/frontend/src/main.ts", result)


def test_before_the_body_parser_in_a_file_without_semicolons():
    # BC-Wallet-Demo server: the proxy reads the raw body, so it goes before app.use(json(...))
    result = assert_codemod(
        insert_at_anchor,
        {
            "anchor": r"app\.use\(json\(",
            "position": "before",
            "text": "app.post(`${baseRoute}/faro`, faroProxy({ enabled: false }))",
        },
        path="server/src/index.ts",
        before="""\
            const run = async () => {
              app.set('sockets', socketMap)

              app.use(json({ limit: '10mb' }))
            }
        """,
        after="""\
            const run = async () => {
              app.set('sockets', socketMap)

              app.post(`${baseRoute}/faro`, faroProxy({ enabled: false }))
              app.use(json({ limit: '10mb' }))
            }
        """,
    )
    assert_parses("server/src/index.ts", result)


def test_vite_proxy_entry_and_marker():
    assert_codemod(
        insert_at_anchor,
        {
            "anchor": r"'/config': proxyObject,",
            "text": "'/faro': proxyObject,",
            "marker": "'/faro'",
        },
        path="services/tenant-ui/frontend/vite.config.ts",
        before="""\
            export default defineConfig({
              server: {
                proxy: {
                  '/api': proxyObject,
                  '/config': proxyObject,
                },
              },
            });
        """,
        after="""\
            export default defineConfig({
              server: {
                proxy: {
                  '/api': proxyObject,
                  '/config': proxyObject,
                  '/faro': proxyObject,
                },
              },
            });
        """,
    )


def test_no_final_newline_is_kept_and_last_occurrence_can_be_chosen():
    assert_codemod(
        insert_at_anchor,
        {"anchor": "^x", "text": "y", "occurrence": "last"},
        path="a.ts",
        before="x\nx",
        after="x\nx\ny",
        dedent=False,
    )


def test_marker_elsewhere_in_the_file_does_not_count():
    # the first line of the block appears in a comment far from the anchor: still insert
    assert_codemod(
        insert_at_anchor,
        {"anchor": r"^app\.use\(json", "text": "app.post('/faro', proxy)", "position": "before"},
        path="server/src/index.ts",
        before="""\
            // TODO: app.post('/faro', proxy)
            app.use(cors())
            app.use(json())
        """,
        after="""\
            // TODO: app.post('/faro', proxy)
            app.use(cors())
            app.post('/faro', proxy)
            app.use(json())
        """,
    )


def test_anchor_gone_is_an_error_even_when_the_marker_is_elsewhere():
    assert_codemod_error(
        insert_at_anchor,
        {"anchor": r"await configStore\.load\(\);", "text": FARO_INIT},
        path="main.ts",
        text="await initFaro(\n// Grafana Faro browser monitoring, when the server's /config enables it\n",
        match="no line matches",
        dedent=False,
    )


def test_block_next_to_the_anchor_counts_even_when_reindented_or_matching_the_anchor():
    # a formatter re-indented the block; one of its lines also matches the anchor regex
    params = {"anchor": r"proxyObject,$", "text": "'/faro': proxyObject,", "occurrence": "last"}
    assert_codemod(
        insert_at_anchor,
        params,
        path="vite.config.ts",
        before="proxy: {\n  '/api': proxyObject,\n}\n",
        after="proxy: {\n  '/api': proxyObject,\n  '/faro': proxyObject,\n}\n",
        dedent=False,
    )
    assert_codemod(
        insert_at_anchor,
        {**params, "position": "before", "anchor": "^}"},
        path="vite.config.ts",
        before="proxy: {\n  '/api': proxyObject,\n    '/faro': proxyObject,\n}\n",
        after="proxy: {\n  '/api': proxyObject,\n    '/faro': proxyObject,\n}\n",
        dedent=False,
    )


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"anchor": "nope", "text": "y"}, "no line matches"),
        ({"anchor": "x", "text": "y"}, r"2 lines match 'x' \(lines 1, 2\)"),
        ({"anchor": "x", "text": "y", "position": "inside"}, "position must be"),
        ({"anchor": "(", "text": "y"}, "invalid regex"),
        ({"anchor": "x", "text": "y", "occurrence": "every"}, "occurrence must be"),
    ],
)
def test_unsafe_anchors_fail_clearly(params, match):
    assert_codemod_error(
        insert_at_anchor, params, path="a.ts", text="x\nx\n", match=match, dedent=False
    )
