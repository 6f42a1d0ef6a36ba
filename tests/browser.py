"""Headless Chromium for tests, driven over the DevTools protocol on a pipe.

Chromium's `--remote-debugging-pipe` reads protocol messages (JSON, NUL-terminated) on file
descriptor 3 and writes them on 4, so the standard library is enough: no WebDriver, no
websocket client, no browser download. `.ci/run` installs Debian's `chromium`; without it
`chromium_or_skip()` skips the calling test and says why.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Flags that work as root in a container: no sandbox, no GPU, nothing fetched in the background.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
# A guard against a wedged browser, not a performance assertion.
REPLY_TIMEOUT = 120.0


class BrowserError(RuntimeError):
    """The browser died, answered with a protocol error, or did not answer."""


def find_chromium() -> str | None:
    """$STRIDESCAN_CHROMIUM, else the first Chromium or Chrome on $PATH."""
    explicit = os.environ.get("STRIDESCAN_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """The browser's path; skips the test, saying why, when there is none."""
    path = find_chromium()
    if path is None:
        pytest.skip(
            "no chromium on PATH (nor STRIDESCAN_CHROMIUM): .ci/run installs Debian's chromium "
            "with apt-get when it runs as root; run `apt-get install chromium` to enable this test"
        )
    if not Path(path).is_file():
        pytest.skip(f"STRIDESCAN_CHROMIUM={path} does not exist")
    return path


@dataclass
class Page:
    """One tab: what it logged, and commands sent in its session."""

    browser: Browser
    session: str
    errors: list[str] = field(default_factory=list)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session)

    def goto(self, url: str) -> None:
        """Load `url` and wait for its load event."""
        self.browser.drop_events("Page.loadEventFired", self.session)
        reply = self.send("Page.navigate", url=url)
        if "errorText" in reply:
            raise BrowserError(f"cannot load {url}: {reply['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of `expression` (promises awaited); a thrown error raises."""
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:80]!r} threw: {text}")
        return reply["result"].get("value")

    def screenshot(self, path: Path, width: int = 1280, until: str | None = None) -> None:
        """A PNG of the page, `width` CSS pixels wide: all of it, or from the top to the
        bottom of the element that CSS selector `until` finds."""
        metrics = {"width": width, "deviceScaleFactor": 1, "mobile": False}
        self.send("Emulation.setDeviceMetricsOverride", height=800, **metrics)
        height = self.evaluate("document.documentElement.scrollHeight")
        if until is not None:
            height = self.evaluate(
                f"document.querySelector({json.dumps(until)}).getBoundingClientRect().bottom"
                " + window.scrollY"
            )
        height = int(height) + 1
        self.send("Emulation.setDeviceMetricsOverride", height=height, **metrics)
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = self.send(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def collect_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (CSP, failed loads)."""
        for event in self.browser.take_events(self.session):
            params = event.get("params", {})
            method = event.get("method")
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = params.get("args", [])
                self.errors.append(
                    "console: " + " ".join(str(a.get("value", a.get("description"))) for a in args)
                )
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                self.errors.append(f"exception: {text}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                self.errors.append(f"log ({entry.get('source')}): {entry.get('text')}")
        return self.errors


class Browser:
    """A running headless Chromium and its protocol pipe."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int):
        self.process = process
        self._out = to_browser
        self._in = from_browser
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._out, data) :]
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def new_page(self) -> Page:
        """A blank tab whose console, exceptions and log are recorded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        page = Page(self, attached["sessionId"])
        for domain in ("Page", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        return page

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        for index, event in enumerate(self._events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self._events.pop(index)
        while True:
            event = self._read()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            if "method" in event:
                self._events.append(event)

    def drop_events(self, method: str, session: str) -> None:
        self._events = [
            e for e in self._events if (e.get("method"), e.get("sessionId")) != (method, session)
        ]

    def take_events(self, session: str) -> list[dict[str, Any]]:
        while select.select([self._in], [], [], 0)[0]:
            self._events.append(self._read())
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return mine

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + REPLY_TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise BrowserError(f"chromium did not answer within {REPLY_TIMEOUT:.0f} s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"chromium exited (code {self.process.poll()})")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed


@contextmanager
def chromium(path: str) -> Iterator[Browser]:
    """Start headless Chromium at `path` with a fresh profile; close it on exit."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def onto_fds_3_and_4() -> None:
        # Move both ends out of the way first, so dup2 cannot clobber one with the other.
        reads = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        writes = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.dup2(reads, 3)
        os.dup2(writes, 4)

    with tempfile.TemporaryDirectory(prefix="stridescan-chromium-") as profile:
        process = subprocess.Popen(
            [path, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=onto_fds_3_and_4,
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        browser = Browser(process, to_browser_w, from_browser_r)
        try:
            yield browser
        finally:
            try:
                browser.send("Browser.close")
            except (BrowserError, OSError):
                process.kill()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            os.close(to_browser_w)
            os.close(from_browser_r)
