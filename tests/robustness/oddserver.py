"""A server on 127.0.0.1 that answers every request, whatever its method and path, with the raw bytes
a test chooses: odd statuses, headers, bodies and framing that no well-behaved server sends. It
counts the requests it answered, so a test can bound the work a run did (no loop, no hang)."""

from __future__ import annotations

import gzip
import socket
import threading
import zlib


def response(status: int = 200, body: bytes = b"", headers: dict | None = None, *, length: bool = True,
             reason: str = "OK") -> bytes:
    """The raw bytes of an HTTP/1.1 answer; `length=False` leaves Content-Length to the headers given."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    headers = dict(headers or {})
    if length and not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
        headers["Content-Length"] = str(len(body))
    headers.setdefault("Connection", "close")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


JSON = {"Content-Type": "application/json;charset=UTF-8"}
HTML = {"Content-Type": "text/html;charset=UTF-8"}
LOGIN_PAGE = (b"<html><head><title>Sign in</title></head><body><form method=post action=/sso/login>"
              b"<input name=username><input type=password name=password><input type=submit value='Sign in'>"
              b"</form></body></html>")


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# Each class of odd answer the issue lists (item 4), plus statuses 1xx/3xx/4xx/5xx with odd bodies and
# headers, as (name, raw answer).
ODD = [
    ("html-login-200", response(200, LOGIN_PAGE, HTML)),
    ("html-page-200", response(200, b"<html><body>Hello</body></html>", HTML)),
    ("json-list", response(200, b"[]", JSON)),
    ("json-string", response(200, b'"str"', JSON)),
    ("json-null", response(200, b"null", JSON)),
    ("json-number", response(200, b"42", JSON)),
    ("json-true", response(200, b"true", JSON)),
    ("json-empty-object", response(200, b"{}", JSON)),
    ("json-odd-fields", response(200, b'{"id": [], "key": {}, "fields": [1], "issues": [1], "comments": {},'
                                      b' "transitions": [{}], "startAt": "x", "total": null, "session": 3}', JSON)),
    ("no-content-204", response(204, b"", {})),
    ("empty-200", response(200, b"", JSON)),
    ("not-json", response(200, b"{not json", JSON)),
    ("bad-utf8", response(200, b'{"key": "\xff\xfe"}', JSON)),
    ("bad-charset", response(200, b'{"a": 1}', {"Content-Type": "application/json; charset=no-such-codec"})),
    ("deep-nesting", response(200, deep(100_000), JSON)),
    ("deep-object", response(200, b'{"a":' * 5000 + b"1" + b"}" * 5000, JSON)),
    ("garbage-gzip", response(200, b"\x1f\x8bthis is not gzip at all", {**JSON, "Content-Encoding": "gzip"})),
    ("garbage-deflate", response(200, b"not deflate", {**JSON, "Content-Encoding": "deflate"})),
    ("gzip-of-html", response(200, gzip.compress(LOGIN_PAGE), {**HTML, "Content-Encoding": "gzip"})),
    ("short-body", response(200, b'{"a": 1}', {**JSON, "Content-Length": "400"}, length=False)),
    ("bad-chunked", response(200, b"zz\r\n{}\r\n", {**JSON, "Transfer-Encoding": "chunked"}, length=False)),
    ("bad-content-length", response(200, b"{}", {**JSON, "Content-Length": "abc"}, length=False)),
    ("no-status-line", b"garbage\r\n\r\n"),
    ("closed", b""),
    ("1xx-only", b"HTTP/1.1 100 Continue\r\n\r\n"),
    ("102-then-ok", b"HTTP/1.1 102 Processing\r\n\r\n" + response(200, b"{}", JSON)),
    ("302-empty", response(302, b"", {"Location": "/login.jsp"})),
    ("302-no-location", response(302, b"", {})),
    ("302-bad-location", response(302, b"", {"Location": "http://[::1"})),
    ("302-elsewhere", response(302, b"", {"Location": "http://127.0.0.2:1/x"})),
    ("304", response(304, b"", {})),
    ("400-odd-errors", response(400, b'{"errorMessages": "not a list", "errors": [1, 2]}', JSON)),
    ("401-html", response(401, LOGIN_PAGE, HTML)),
    ("403-deep", response(403, deep(100_000), JSON)),
    ("404-bad-utf8", response(404, b"\xff\xfe\xfd", {"Content-Type": "text/plain"})),
    ("418-null", response(418, b"null", JSON, reason="I'm a teapot")),
    ("429-garbage-retry-after", response(429, b"", {"Retry-After": "soon-ish"})),
    ("500-list", response(500, b"[1, 2, 3]", JSON)),
    ("503-long-retry-after", response(503, b"<html>busy</html>", {**HTML, "Retry-After": "86400"})),
    ("599-odd", response(599, b"\x00\x01", {"Content-Type": "application/octet-stream"}, reason="Odd")),
]


class OddServer:
    """Serves `self.answer` to every request, one connection per request: raw bytes, or a function of
    (method, path, body) giving them. `paths` lists the (method, path) of each request answered."""

    def __init__(self):
        self.answer = response(200, b"{}", JSON)
        self.requests = 0
        self.paths: list[tuple[str, str]] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, socket.timeout, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            self.requests += 1
            method, path = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
            self.paths.append((method, path))
            answer = self.answer
            conn.sendall(answer(method, path, body) if callable(answer) else answer)
        except OSError:
            pass
        finally:
            try:
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


def deflate(data: bytes) -> bytes:
    return zlib.compress(data)
