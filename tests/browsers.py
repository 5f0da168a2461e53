"""Debian's Chromium, driven by Playwright (`executable_path`; `playwright install` is never used).

One Playwright instance per thread at a time: every browser test takes the `browser` fixture
(tests/conftest.py), which opens Chromium with `chromium()` once per test module and closes it
when the module ends.
The browser runs on the real clock even when the suite runs under libfaketime
(scripts/test-shifted-clock.sh): Chromium does not load pages with its clock faked, and what the
pages show comes from the server, which runs on the moved clock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.stack import real_clock_env
from tests.factories.databases import IN_CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium (skipped where it is missing, failed in CI)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run scripts/install-browser.sh"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    env = real_clock_env(dict(os.environ))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env
        )
        try:
            yield browser
        finally:
            browser.close()
