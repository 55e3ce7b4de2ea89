"""A local HTTP(S) server that gives every GET the same canned answer, for the transport tests that
need a server the sandbox is not (a self-signed or mutual-TLS one, one that answers oddly)."""

import http.server
import json
import ssl
import threading

SERVER_INFO = json.dumps({"version": "9.12.4", "versionNumbers": [9, 12, 4], "deploymentType": "Server",
                          "buildNumber": 912004}).encode()
JSON = {"Content-Type": "application/json;charset=UTF-8"}


class Canned(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status=200, body=SERVER_INFO, headers=JSON, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), _Answer)
        self.answer = (status, body, headers)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, body, headers = self.server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
