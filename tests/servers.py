"""Real application servers for tests: a scratch PostgreSQL database, gunicorn processes on
loopback ports, and a small browser-like HTTP client (cookies, CSRF, forms)."""

from __future__ import annotations

import html.parser
import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "a-long-test-password-42"


def postgres_url() -> str | None:
    url = os.environ.get("STEERCO_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new, migrated database with the MHHS example and a superuser `pmo`."""
    name = f"steerco_servers_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    target = with_database(url, name)
    try:
        env = environment(target)
        for args in (
            ["migrate", "-v0"],
            ["load", "examples/mhhs"],
            ["createsuperuser", "--noinput", "--username", "pmo", "--email", "pmo@example.org"],
        ):
            subprocess.run(
                [str(BIN / "steerco"), *args], cwd=ROOT, env=env, check=True, capture_output=True
            )
        yield target
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "STEERCO_DATABASE_URL": database_url,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "STEERCO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def servers(
    database_url: str, count: int = 2, extra_env: list[dict[str, str]] | None = None
) -> Iterator[list[Server]]:
    """`count` gunicorn servers (1 worker × 4 threads); `extra_env[n]` adds to server n's."""
    started = []
    try:
        for number in range(count):
            extra = extra_env[number] if extra_env and number < len(extra_env) else {}
            port = free_port()
            process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "steerco.wsgi",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--graceful-timeout",
                    "2",
                ],
                cwd=ROOT,
                env={**environment(database_url), **extra},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append(Server(port, process))
        for server in started:
            wait_until_up(server)
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            server.process.wait(timeout=20)


def wait_until_up(server: Server, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.base}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server on port {server.port} did not come up")


class Forms(html.parser.HTMLParser):
    """The fields of each POST form of a page, as a browser would submit them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._inside = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._inside = True
            self.fields = {}
            self.forms.append(self.fields)
        if not self._inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._inside:
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def form(self, url: str, field: str = "csrfmiddlewaretoken") -> dict[str, str]:
        """The page's form that has ``field`` and the most fields (not the header's
        log-out form)."""
        status, page = self.request(url)
        assert status == 200, f"GET {url}: {status}"
        forms = [f for f in Forms(page).forms if field in f]
        assert forms, f"no form with {field} on {url}"
        return max(forms, key=len)

    def log_in(self, base: str, username: str = "pmo") -> None:
        status, page = self.sign_in(base, username, PASSWORD)
        assert status in (302, 303), f"login refused: {status} {page[:300]}"

    def sign_in(self, base: str, username: str, password: str) -> tuple[int, str]:
        fields = self.form(f"{base}/accounts/login/", "username")
        fields.update(username=username, password=password)
        return self.request(f"{base}/accounts/login/", fields)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
