"""Browser journeys: Playwright (sync API) drives Debian's Chromium against the live server.

- Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium). Without it the tests are
  skipped on a developer machine, but FAIL when PERSPECTIEF_REQUIRE_BROWSER is set (CI).
- Every page a journey visits is checked with axe-core (`axe` fixture): WCAG 2.0/2.1/2.2
  A and AA; any violation with impact serious or critical fails the test.
- The Content-Security-Policy stays on: a CSP violation on a page fails the test too.
- PERSPECTIEF_SCREENSHOT_DIR=/some/dir saves PNGs of every checked page (full page and first
  screen) for review; PERSPECTIEF_AXE_REPORT=1 prints every violation, minor ones included;
  PERSPECTIEF_AXE_BEST_PRACTICE=1 adds axe's best-practice rules to the WCAG ones.
"""

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD, current_totp

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] + (["best-practice"] if os.environ.get("PERSPECTIEF_AXE_BEST_PRACTICE") else [])
BLOCKING_IMPACTS = {"serious", "critical"}

_TRIGGERS = importlib.import_module("perspectief.audit.migrations.0002_append_only_triggers")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


# --- the audit log's append-only triggers and the live server's database flush ------------
# live_server needs transactional_db, which empties every table after each test. On
# PostgreSQL tests/conftest.py lifts the TRUNCATE trigger inside the flush itself; on SQLite
# the flush is a DELETE, which the audit log's delete trigger refuses, so there the triggers
# are dropped just for the flush. Each journey starts with the triggers in place (a tamper
# test may have dropped them), and they are restored when the browser tests are done.


def audit_triggers_drop() -> None:
    _run_trigger_sql(_TRIGGERS.POSTGRESQL_DOWN, _TRIGGERS.SQLITE_DOWN)


def audit_triggers_create() -> None:
    audit_triggers_drop()
    _run_trigger_sql(_TRIGGERS.POSTGRESQL_UP, _TRIGGERS.SQLITE_UP)


def _run_trigger_sql(postgresql: str, sqlite: list[str]) -> None:
    statements = {"postgresql": [postgresql], "sqlite": sqlite}.get(connection.vendor)
    if statements is None:
        raise RuntimeError(f"no audit triggers for database vendor {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="package", autouse=True)
def _audit_triggers_restored_afterwards(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        audit_triggers_create()


@pytest.fixture(autouse=True)
def _audit_triggers_around_journey(transactional_db, live_server) -> Iterator[None]:
    audit_triggers_create()
    yield
    if connection.vendor == "sqlite":
        audit_triggers_drop()
    else:
        audit_triggers_create()


# --- browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def _django_allow_async_unsafe() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop in this thread; the test code's ORM calls
    # are still plain synchronous calls, so Django's guard against async contexts is lifted
    # for the browser tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def chromium_path_or_skip() -> str:
    """The Chromium binary; skips the browser tests without it, or fails them in CI."""
    if not Path(CHROMIUM_PATH).is_file():
        message = f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH)"
        if os.environ.get("PERSPECTIEF_REQUIRE_BROWSER"):
            pytest.fail(message + "; PERSPECTIEF_REQUIRE_BROWSER is set, so browser tests are required")
        pytest.skip(message)
    return CHROMIUM_PATH


@pytest.fixture(scope="package")
def browser(_django_allow_async_unsafe):
    executable = chromium_path_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserSession:
    """One browser context (its own cookies) with its page and the CSP violations seen."""

    def __init__(self, browser, base_url: str, viewport: dict):
        self.context = browser.new_context(base_url=base_url, viewport=viewport, locale="nl-NL")
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.csp_violations: list[str] = []
        self.page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, live_server) -> Iterator[Callable[..., BrowserSession]]:
    """Opens browser sessions: `open_session()` for desktop, `open_session(PHONE)` for a phone."""
    sessions: list[BrowserSession] = []

    def _open(viewport: dict = DESKTOP) -> BrowserSession:
        session = BrowserSession(browser, live_server.url, viewport)
        sessions.append(session)
        return session

    yield _open
    for session in sessions:
        session.close()
    violations = [text for session in sessions for text in session.csp_violations]
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(open_session):
    return open_session().page


# --- axe-core ----------------------------------------------------------------------------------


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def _screenshot_name(page, label: str) -> str:
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "uuid", page.url.split("://", 1)[-1].split("/", 1)[-1])
    path = re.sub(r"[^a-zA-Z0-9]+", "-", path.split("?", 1)[0]).strip("-") or "home"
    width = page.viewport_size["width"] if page.viewport_size else 0
    return f"{label or path}-{width}.png"


@pytest.fixture(scope="package")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe(_axe) -> Callable[..., list[dict]]:
    """Runs axe-core on the page as it is now; fails on serious or critical violations.

    Returns all violations (minor and moderate ones included) for tests that want more.
    """
    screenshot_dir = os.environ.get("PERSPECTIEF_SCREENSHOT_DIR")

    def _check(page, label: str = "") -> list[dict]:
        page.wait_for_load_state("load")
        if screenshot_dir:
            Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
            name = _screenshot_name(page, label)
            page.screenshot(path=str(Path(screenshot_dir) / name), full_page=True)
            page.screenshot(path=str(Path(screenshot_dir) / name.replace(".png", "-scherm.png")))
        results = _axe.run(
            page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        )
        violations = results.response["violations"]
        if violations and os.environ.get("PERSPECTIEF_AXE_REPORT"):
            print(f"\naxe on {page.url}:\n{_format_violations(violations)}")
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], f"axe-core found serious or critical violations on {page.url}:\n" + _format_violations(
            blocking
        )
        return violations

    return _check


# --- logging in --------------------------------------------------------------------------------


_LOGIN_PAGES_CHECKED: set[int] = set()  # viewport widths at which the login steps passed axe


def staff_login(page, axe_check, user) -> None:
    """Logs a staff member in through the browser: password, then the TOTP code.

    The two login pages are checked with axe once per viewport width in a test run; they
    look the same for every staff member."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    check = width not in _LOGIN_PAGES_CHECKED
    page.goto("/toegang/inloggen/")
    if check:
        axe_check(page)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/toegang/tweede-stap/**")
    if check:
        axe_check(page)
        _LOGIN_PAGES_CHECKED.add(width)
    page.get_by_label("Code uit uw app").fill(current_totp())
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/start/")
