"""Each browser surface the recipes generate, in headless Chromium with the real Faro SDK.

Per surface (tests/browser/surfaces*.py: the sample repo with the `rum` change set applied by the
engine, bundled where the repo bundles, served by its own generated /faro route in front of a
loopback Alloy faro.receiver):
- Faro on: payloads with the app's name reach the collector; a thrown error arrives as an exception;
  Web Vitals arrive; no CORS or CSP error and no failed Faro request; a same-origin fetch carries a
  W3C traceparent whose trace and span ids are a span the collector received;
- Faro off (the chart's defaults): no SDK code is loaded, nothing is sent;
- collector down: the page renders and nothing uncaught reaches the console.
"""

from __future__ import annotations

import pytest

from tests.browser import surfaces, surfaces_python
from tests.browser.visits import (
    assert_faro_arrived,
    console_errors,
    faro_visit,
    problems,
    quiet_visit,
    uncaught,
    wait_for_everything,
)
from tests.helpers import faro_receiver, upstream

SURFACES = ["traction", "bc-wallet", "vc-authn-nuxt", "vc-authn-pages", "didwebvh"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Surfaces by name, each built once for the module (on first use)."""
    cache: dict[str, surfaces.Surface] = {}

    def get(name: str) -> surfaces.Surface:
        if name not in cache:
            work = tmp_path_factory.mktemp(name)
            if name == "traction":
                cache[name] = surfaces.build_traction(work)
            elif name == "bc-wallet":
                cache[name] = surfaces.build_bc_wallet(work)
            elif name == "didwebvh":
                cache[name] = surfaces_python.build_didwebvh(work)
            else:
                repo = surfaces_python.build_vc_authn(work)
                cache["vc-authn-pages"] = surfaces_python.vc_authn_pages(repo)
                cache["vc-authn-nuxt"] = surfaces_python.build_nuxt(repo)
        return cache[name]

    return get


@pytest.fixture
def receiver():
    with faro_receiver.serve() as server:
        yield server


def _prepare(browser, surface):
    return surfaces_python.serve_cdn_bundles(browser) if surface.cdn else []


@pytest.mark.parametrize("name", SURFACES)
def test_faro_on_data_reaches_the_collector_through_the_generated_route(
    browser, built, receiver, name
):
    surface = built(name)
    cdn = _prepare(browser, surface)
    with surface.serve(receiver.url) as origin:
        run = faro_visit(browser, origin, surface, receiver)
        wait_for_everything(receiver)
    assert surface.text in run.text
    assert_faro_arrived(run, receiver, surface)
    sent_to = {request.url.removesuffix(surface.faro_path) for request in run.visit.faro_requests}
    # the Nuxt demo sends to the vc-authn controller (another origin); the others to their own
    assert sent_to == ({surface.collector_origin} if surface.collector_origin else {origin})
    assert console_errors(run.visit, ignore=("/favicon.ico",)) == []
    if surface.cdn:
        assert len(cdn) == 2, cdn  # both pinned bundles, accepted by their integrity hashes


@pytest.mark.parametrize("name", SURFACES)
def test_faro_off_by_default_loads_no_sdk_and_sends_nothing(browser, built, receiver, name):
    surface = built(name)
    cdn = _prepare(browser, surface)
    with surface.serve(None) as origin:
        run = quiet_visit(browser, origin, surface)
    assert surface.text in run.text
    loaded = {url.rsplit("/", 1)[-1] for url in run.requested}
    if surface.cdn:
        assert cdn == [] and not [url for url in run.requested if "faro" in url]
    else:
        assert surface.sdk_chunks and not surface.sdk_chunks & loaded, loaded
    assert run.faro_global == "undefined"
    assert run.visit.faro_requests == ()
    assert receiver.payloads == []
    assert console_errors(run.visit, ignore=("/favicon.ico",)) == []


@pytest.mark.parametrize("name", SURFACES)
def test_collector_down_the_page_renders_without_uncaught_errors(browser, built, name):
    surface = built(name)
    _prepare(browser, surface)
    with surface.serve(upstream.closed_port_url()) as origin:
        run = quiet_visit(browser, origin, surface)
    assert surface.text in run.text
    assert run.faro_global == "object"  # Faro started, and its sends fail
    assert uncaught(run.visit) == []
    # the route answered 502 (a retry sent as the page was left may go unseen)
    answered = {request.status for request in run.visit.faro_requests} - {None}
    assert answered == {502}, run.visit.faro_requests
    assert problems(run.visit) != []  # which the checks report
