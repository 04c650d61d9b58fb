"""traction tenant-ui in Chromium: the Vue app and the Express server as the rum change set leaves them."""

from __future__ import annotations

import pytest

from tests.browser import surfaces
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


@pytest.fixture(scope="module")
def traction(tmp_path_factory):
    return surfaces.build_traction(tmp_path_factory.mktemp("traction"))


@pytest.fixture
def receiver():
    with faro_receiver.serve() as server:
        yield server


def test_faro_data_reaches_the_collector_through_the_express_route(browser, traction, receiver):
    with traction.serve(surfaces.traction_env(receiver.url)) as origin:
        run = faro_visit(browser, origin, traction, receiver)
        wait_for_everything(receiver)
    assert "Tenant console (fixture)" in run.text
    assert_faro_arrived(run, receiver, traction)
    assert {request.url for request in run.visit.faro_requests} == {origin + "/faro"}
    assert console_errors(run.visit, ignore=("/favicon.ico",)) == []


def test_faro_off_by_default_loads_no_sdk_and_sends_nothing(browser, traction, receiver):
    # the chart's defaults: no FRONTEND_FARO_* and no proxy settings
    with traction.serve({"SERVER_FARO_PROXY_UPSTREAM_URL": receiver.url}) as origin:
        run = quiet_visit(browser, origin, traction)
    assert "Tenant console (fixture)" in run.text
    loaded = {url.rsplit("/", 1)[-1] for url in run.requested}
    assert traction.sdk_chunks and not traction.sdk_chunks & loaded, loaded
    assert run.faro_global == "undefined"
    assert run.visit.faro_requests == ()
    assert receiver.payloads == []
    assert console_errors(run.visit, ignore=("/favicon.ico",)) == []


def test_collector_down_page_still_renders_without_uncaught_errors(browser, traction):
    env = surfaces.traction_env(upstream.closed_port_url())
    with traction.serve(env) as origin:
        run = quiet_visit(browser, origin, traction)
    assert "Tenant console (fixture)" in run.text
    assert run.faro_global == "object"  # Faro started and tried
    assert uncaught(run.visit) == []
    assert {request.status for request in run.visit.faro_requests} == {502}
    assert problems(run.visit) != []  # and the checks see that nothing arrived
