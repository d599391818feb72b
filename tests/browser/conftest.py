"""Browser-test infrastructure: the test CKAN over real HTTP, Debian's
headless Chromium driven by Playwright, console-error collection, axe-core.

- ``live_server``: the CKAN test app (same configuration, databases and
  data as the test) served by a Werkzeug server thread on 127.0.0.1 at a free
  port; ``live_server.url("/dataset/x")`` gives an absolute URL.
- ``browser_context``: one Chromium per test session, fresh profile directory,
  launched from /usr/bin/chromium (``playwright install`` is never used).
- ``page``: a new tab whose console errors and uncaught exceptions are
  collected in ``page.console_errors``.
- ``axe(page, **options)``: injects node_modules/axe-core/axe.min.js and
  returns the violations (dicts as axe reports them).
- ``screenshot(page, name)``: a full-page PNG under var/screenshots/.

Missing Chromium or axe-core makes the tests fail with the command that
installs them; they are never skipped.
"""
from __future__ import annotations

import os
import pathlib
import re
import threading

import pytest
from werkzeug.serving import make_server

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BONOS_CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
#: axe impacts that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")


class LiveServer:
    def __init__(self, wsgi_app):
        # threaded: the browser fetches a page's parts in parallel
        self._server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="bonos-live-server", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def url(self, path: str = "/") -> str:
        return "http://127.0.0.1:%d%s" % (self.port, path)


@pytest.fixture
def live_server(app, ckan_config, monkeypatch):
    """The test CKAN (``app`` fixture: test.ini plus this test's config) over
    HTTP. ``ckan.site_url`` points at it, so absolute links (and CKAN's own
    JavaScript, which fetches from the site root) stay on this server."""
    server = LiveServer(app.app)
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url("").rstrip("/"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the pinned dev requirement
        pytest.fail("Python package playwright is missing: run `bash scripts/venv.sh`.")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser_context(_playwright, tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("Chromium not found at %s: install it with "
                    "`apt-get install -y --no-install-recommends chromium` "
                    "(or set BONOS_CHROMIUM to its path)." % CHROMIUM)
    context = _playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
        headless=True, args=CHROMIUM_ARGS, locale="es-HN",
        viewport={"width": 1024, "height": 768})
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(
        "%s (%s)" % (msg.text, msg.location.get("url", ""))))
    page.on("pageerror", lambda exc: page.console_errors.append("uncaught: %s" % exc))
    yield page
    page.close()
    browser_context.clear_cookies()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.is_file():
        pytest.fail("axe-core is missing (%s): run `bash scripts/node-tools.sh` "
                    "(npm ci from package-lock.json)." % AXE_JS)
    return AXE_JS.read_text("utf-8")


@pytest.fixture
def axe(axe_source):
    """``axe(page, frame=None, tags=...)``: run axe-core on the page (or one of
    its frames) and return its violations. By default the WCAG 2.0/2.1 A and
    AA rules plus axe's best practices run."""
    def run(page, frame=None, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")):
        target = frame or page.main_frame
        target.evaluate(axe_source)
        result = target.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags))
        return result["violations"]
    return run


def blocking(violations):
    """The violations of serious or critical impact, summarised for a message."""
    return ["%s (%s): %s" % (v["id"], v["impact"], "; ".join(
        n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
        for n in v["nodes"][:5])) for v in violations if v["impact"] in BLOCKING_IMPACTS]


@pytest.fixture
def screenshot(request):
    """``screenshot(page, name)``: save a full-page PNG, return its path."""
    def take(page, name: str) -> pathlib.Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", "%s-%s" % (request.node.name, name))
        path = SCREENSHOTS / (safe + ".png")
        page.screenshot(path=str(path), full_page=True)
        return path
    return take


# The summary-view fixtures (demo files uploaded through resource_create).
from tests.previews.conftest import (  # noqa: E402,F401
    demo_files, publication, uploaded)
