"""The browser harness itself must be able to fail: axe on a page with known WCAG defects,
the CSP listener on an inline script, and a missing Chromium in CI."""

import pytest

from . import conftest

pytestmark = pytest.mark.e2e

BROKEN_PAGE = """<!DOCTYPE html><html lang="nl"><head><title>Kapot</title></head><body><main>
<h1>Kapot</h1><img src="/static/niet-bestaand.png"><form><input type="text" name="zoekterm"></form>
</main></body></html>"""
INLINE_SCRIPT_PAGE = """<!DOCTYPE html><html lang="nl"><head><title>Inline</title></head><body>
<main><h1>Inline</h1><script>document.title = "uitgevoerd";</script></main></body></html>"""


def test_axe_fails_on_serious_and_critical_violations(page, axe):
    page.route("**/kapot/", lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN_PAGE))
    page.goto("/kapot/")
    with pytest.raises(AssertionError) as failure:
        axe(page)
    report = str(failure.value)
    assert "- image-alt (critical)" in report
    assert "- label (critical)" in report
    assert "https://dequeuniversity.com/rules/axe/" in report
    assert "at img" in report


def test_csp_violations_are_noticed(open_session):
    session = open_session()
    session.page.route("**/inline/", lambda route: route.fulfill(
        status=200, content_type="text/html", body=INLINE_SCRIPT_PAGE,
        headers={"Content-Security-Policy": "script-src 'self'"},
    ))
    session.page.goto("/inline/")
    assert session.page.title() == "Inline"
    assert len(session.csp_violations) == 1
    assert "inline script" in session.csp_violations[0]
    session.csp_violations.clear()  # seen on purpose; the fixture would fail the test otherwise


def test_missing_chromium_is_skipped_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM_PATH", "/nonexistent/chromium")
    monkeypatch.delenv("PERSPECTIEF_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception):
        conftest.chromium_path_or_skip()
    monkeypatch.setenv("PERSPECTIEF_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="browser tests are required"):
        conftest.chromium_path_or_skip()
