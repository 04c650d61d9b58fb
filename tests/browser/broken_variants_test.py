"""The browser checks bite: deliberately broken variants of the generated code fail, for the right reason.

- the generated proxy route removed (Express and FastAPI): the Faro POSTs answer 404, nothing
  arrives, and the CORS criterion fails naming the 404;
- the collector URL pointing at the collector itself, another origin, with Alloy's CORS off: the
  browser logs the CORS error and the criterion fails naming it. With the page's origin in
  cors_allowed_origins it still fails: the SDK's Idempotency-Key header is not among the headers
  faro.receiver allows. Allowing that header too makes the same page pass (so it is CORS);
- the CDN bundles altered by one byte: the browser refuses them by their `integrity` hashes, Faro
  never starts, and the page still renders without an uncaught error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.verify.browser_cors import cors_outcome, evidence_from_visit
from tests.browser import surfaces, surfaces_python
from tests.browser.visits import problems, quiet_visit, uncaught
from tests.helpers import faro_receiver

TRACTION_ROUTE = re.compile(r"\n// Grafana Faro: browser telemetry.*?\n\);\n", re.DOTALL)


def _without_express_route(repo: Path) -> None:
    index = repo / "services/tenant-ui/src/index.ts"
    text, removed = TRACTION_ROUTE.subn("\n", index.read_text())
    assert removed == 1, "the generated app.post('/faro', ...) block was not found"
    index.write_text(text)


def _without_fastapi_route(repo: Path) -> None:
    main = repo / "server/app/__init__.py"
    line = "api_router.include_router(faro.router)\n"
    assert line in main.read_text()
    main.write_text(main.read_text().replace(line, ""))


def _judged(visit):
    """The "no CORS errors in browser console" verdict bot verify gives this visit."""
    return cors_outcome(evidence_from_visit(visit))


@pytest.fixture(scope="module")
def traction(tmp_path_factory):
    return surfaces.build_traction(tmp_path_factory.mktemp("traction"))


@pytest.fixture
def receiver():
    with faro_receiver.serve() as server:
        yield server


@pytest.mark.parametrize(
    ("build", "edit"),
    [
        (surfaces.build_traction, _without_express_route),
        (surfaces_python.build_didwebvh, _without_fastapi_route),
    ],
    ids=["express", "fastapi"],
)
def test_proxy_route_removed_fails_with_404(browser, tmp_path, receiver, build, edit):
    surface = build(tmp_path / "app", edit)
    if surface.cdn:
        surfaces_python.serve_cdn_bundles(browser)
    with surface.serve(receiver.url) as origin:
        run = quiet_visit(browser, origin, surface)
    assert surface.text in run.text
    assert run.visit.faro_requests, "Faro sent nothing, so the route was never tried"
    assert {request.status for request in run.visit.faro_requests} - {None} == {404}
    assert receiver.payloads == []
    assert problems(run.visit)[0].startswith(
        f"faro request failed: POST {origin}{surface.faro_path}"
    )
    verdict, evidence = _judged(run.visit)
    assert verdict == "failed" and "Faro POSTs: 404" in evidence.detail, evidence


def _cross_origin_env(receiver) -> dict[str, str]:
    # the browser sends straight to Alloy's faro.receiver, not through the app's own /faro
    return {"FRONTEND_FARO_COLLECTOR_URL": receiver.url}


def test_cross_origin_collector_without_cors_fails_with_the_cors_error(browser, traction, receiver):
    with traction.serve(receiver.url, _cross_origin_env(receiver)) as origin:
        run = quiet_visit(browser, origin, traction)
    assert traction.text in run.text
    assert receiver.payloads == []
    assert receiver.preflights, "the browser never asked the collector"
    [*_, cors] = run.visit.cors_errors
    assert f"from origin '{origin}' has been blocked by CORS policy" in cors.text
    verdict, evidence = _judged(run.visit)
    assert verdict == "failed" and "blocked by CORS policy" in evidence.detail, evidence
    assert uncaught(run.visit) == []  # Faro's failed sends stay out of the app's way


def _visit_cross_origin(browser, traction, receiver):
    """Faro on, the browser sending straight to the collector; the collector allows the page's origin."""
    with traction.serve(receiver.url, _cross_origin_env(receiver)) as origin:
        receiver.cors_allowed_origins.append(origin)
        return quiet_visit(browser, origin, traction)


def test_cross_origin_collector_with_alloys_cors_still_fails_on_the_sdks_idempotency_key(
    browser, traction
):
    # Faro Web SDK 2.x sends Idempotency-Key with every payload; faro.receiver's CORS handler
    # allows only the headers in observability.md §2.3, so the preflight fails even for an allowed
    # origin: the same-origin /faro route is what makes RUM work
    with faro_receiver.serve() as receiver:
        run = _visit_cross_origin(browser, traction, receiver)
    assert receiver.preflights and receiver.payloads == []
    assert run.visit.cors_errors
    assert _judged(run.visit)[0] == "failed"


def test_cross_origin_collector_allowing_the_origin_and_its_headers_passes(browser, traction):
    # the control: with the header allowed too, the same page passes, so the failures above are CORS
    with faro_receiver.serve(extra_allowed_headers=("idempotency-key",)) as receiver:
        run = _visit_cross_origin(browser, traction, receiver)
    assert run.visit.cors_errors == ()
    assert receiver.app_names() == {traction.app_name}
    assert {request.url for request in run.visit.faro_requests} == {receiver.url}
    assert _judged(run.visit)[0] == "passed"


def test_altered_cdn_bundles_are_refused_by_their_integrity_hashes(browser, tmp_path, receiver):
    surface = surfaces_python.build_didwebvh(tmp_path / "app")
    served = surfaces_python.serve_cdn_bundles(browser, tamper=True)
    with surface.serve(receiver.url) as origin:
        run = quiet_visit(browser, origin, surface)
    assert len(served) == 2
    refused = [e.text for e in run.visit.console if "Failed to find a valid digest" in e.text]
    assert len(refused) == 2, [e.text for e in run.visit.console]
    assert surface.text in run.text
    assert uncaught(run.visit) == []  # the init script gives up with a warning
    assert "Grafana Faro did not start: its scripts did not load" in [
        e.text for e in run.visit.console if e.level == "warning"
    ]
    assert run.faro_global == "undefined"
    assert receiver.payloads == [] and run.visit.faro_requests == ()
    verdict, evidence = _judged(run.visit)  # nothing sent proves nothing
    assert verdict == "failed" and "none sent" in evidence.detail
