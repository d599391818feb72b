"""The target client against a real HTTP server that misbehaves on purpose:
5xx retried with doubling waits and a bound, 4xx reported with the target's
message, the token scrubbed from everything."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ckanext.bonos.sync.client import Refused, TargetClient, Unreachable
from ckanext.bonos.sync.targets import Target

TOKEN = "secret-token-value-123"


class Server:
    """Answers each request with the next (status, body) of ``script``
    (the last one repeats), and remembers what it was sent."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append((self.path, self.headers.get("Authorization"),
                                        self.rfile.read(length)))
                status, body = (server.script.pop(0) if len(server.script) > 1
                                else server.script[0])
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(monkeypatch):
    monkeypatch.setenv("TEST_PUSH_TOKEN", TOKEN)
    servers = []

    def start(*script):
        server = Server(script)
        servers.append(server)
        target = Target(name="t", url=server.url, token_env="TEST_PUSH_TOKEN",
                        organization="sedis", prefix="", retries=3, backoff=0.5, timeout=5)
        waits = []
        return server, TargetClient(target, sleep=waits.append), waits
    yield start
    for server in servers:
        server.close()


OK = json.dumps({"success": True, "result": {"name": "x"}})


def test_5xx_is_retried_with_doubling_waits(serve):
    server, client, waits = serve((503, "busy"), (502, "bad gateway"), (200, OK))
    assert client.read("status_show") == {"name": "x"}
    assert waits == [0.5, 1.0]
    assert len(server.requests) == 3
    assert all(auth == TOKEN for _, auth, _ in server.requests)


def test_retries_are_bounded_then_unreachable(serve):
    server, client, waits = serve((500, "boom"))
    with pytest.raises(Unreachable) as e:
        client.write("package_create", {"name": "x"})
    assert len(server.requests) == 4 and waits == [0.5, 1.0, 2.0]
    assert "after 4 tries" in str(e.value)
    assert client.writes == 0


def test_connection_refused_is_unreachable(serve):
    server, client, waits = serve((200, OK))
    server.close()
    with pytest.raises(Unreachable):
        client.read("status_show")
    assert waits == [0.5, 1.0, 2.0]


def test_4xx_is_not_retried_and_keeps_the_targets_message(serve):
    body = json.dumps({"success": False, "error": {
        "__type": "Validation Error", "name": ["Esa URL ya está en uso."]}})
    server, client, waits = serve((409, body))
    with pytest.raises(Refused) as e:
        client.write("package_create", {"name": "x"})
    assert "Esa URL ya está en uso." in str(e.value)
    assert e.value.kind == "ValidationError"
    assert len(server.requests) == 1 and waits == []


def test_the_token_never_appears_in_a_message(serve):
    # A target that echoes the credentials it was sent in its error.
    body = json.dumps({"success": False, "error": {
        "__type": "Authorization Error", "message": "token %s revoked" % TOKEN}})
    server, client, waits = serve((403, body), (400, "bad request for " + TOKEN))
    with pytest.raises(Refused) as first:
        client.write("package_create", {"name": "x"})
    with pytest.raises(Refused) as second:
        client.write("package_create", {"name": "x"})
    for error in (first.value, second.value):
        assert TOKEN not in str(error) and "[token]" in str(error)


def test_a_retried_create_that_landed_is_not_written_twice(serve):
    server, client, waits = serve((504, "gateway timeout"), (200, OK))
    landed = {"id": "already-there"}
    assert client.write("resource_create", {"name": "x"},
                        already_done=lambda: landed) == landed
    assert len(server.requests) == 1
