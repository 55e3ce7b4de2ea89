"""A small forward proxy (what `--proxy` points at) for tests: it records the requests it forwards,
and a subclass may hold an answer back (see `hold`)."""

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length", "host", "te",
              "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"}


class ForwardProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Forward)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.seen: list[tuple[str, str]] = []  # (method, path) of every forwarded request
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def hold(self, method: str, path: str) -> threading.Event | None:
        """Called once the server has answered: an event to wait for before passing the answer on
        (None: pass it on at once)."""
        return None

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as atlctl's pool expects

    def do_GET(self):
        target = urllib.parse.urlsplit(self.path)  # a forward proxy gets the absolute URL
        self.server.seen.append((self.command, target.path))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body, headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        release = self.server.hold(self.command, target.path)
        if release is not None:
            release.wait(60)  # the client may be killed meanwhile: then it never gets the answer
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, *args):
        pass
