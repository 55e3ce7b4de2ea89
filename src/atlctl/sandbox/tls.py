"""HTTPS for the sandbox (`atlctl sandbox --tls`): a local certificate authority and a server
certificate for the loopback names, made with trustme, kept in a directory so a client can be told
to trust the CA (`--ca-bundle DIR/ca.pem`). With a client CA the sandbox requires client
certificates (mutual TLS)."""

from __future__ import annotations

import os
import ssl
import tempfile

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
CA_FILE = "ca.pem"


class Certificates:
    """The files of one sandbox's TLS: `ca` (to trust), `server` (certificate chain and key)."""

    def __init__(self, directory: str | None = None, names: tuple[str, ...] = LOOPBACK_NAMES, not_after=None):
        """`not_after`: when the server certificate expires (a datetime; tests give one in the past)."""
        import trustme

        self.directory = directory or tempfile.mkdtemp(prefix="atlctl-sandbox-tls-")
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        self.authority = trustme.CA(organization_name="atlctl sandbox")
        self.ca = os.path.join(self.directory, CA_FILE)
        self.authority.cert_pem.write_to_path(self.ca)
        self.server = os.path.join(self.directory, "server.pem")
        issued = self.authority.issue_cert(*names, **({"not_after": not_after} if not_after else {}))
        issued.private_key_and_cert_chain_pem.write_to_path(self.server)
        os.chmod(self.server, 0o600)

    def client(self, name: str = "atlctl-sandbox-client") -> str:
        """A client certificate and key this CA signed, in one PEM file (for --client-cert)."""
        path = os.path.join(self.directory, f"client-{name}.pem")
        self.authority.issue_cert(name).private_key_and_cert_chain_pem.write_to_path(path)
        os.chmod(path, 0o600)
        return path


def uvicorn_options(certificates: Certificates, client_ca: str | None) -> dict:
    """uvicorn.Config's TLS settings: the server certificate, and client certificates required when a
    client CA is given."""
    options = {"ssl_certfile": certificates.server}
    if client_ca:
        options.update(ssl_ca_certs=client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)
    return options
