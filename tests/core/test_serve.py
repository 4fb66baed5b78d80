"""`gongkai serve` runs a real server (gunicorn) that serves pages and static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="uses its own SQLite data dir; the server path is the same on PostgreSQL",
)
def test_serve_serves_portal_and_static(tmp_path):
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "GONGKAI_DATABASE_URL": ""}
    run = [sys.executable, "-m", "gongkai"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "社会救助" in body and "义务教育" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
            assert "Content-Security-Policy" in r.headers
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/portal/portal.css")
        assert css.status == 200 and b"{" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
