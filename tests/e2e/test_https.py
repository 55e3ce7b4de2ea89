"""The whole client over HTTPS against the sandbox served with its own CA (`atlctl sandbox --tls`):
system trust refuses it with the fix, --ca-bundle (a file or a hashed directory) trusts it, mutual
TLS is required and satisfied, a certificate for other names (or another address) is explained, client
certificate files that are not what their option says are refused before connecting, a refused client
certificate and plain http:// to the HTTPS port are explained; no message doubles a period."""

import os
import shutil
import ssl
import subprocess
import sys

import httpx
import pytest

from atlctl.sandbox.server import SandboxServer
from atlctl.sandbox.tls import Certificates
from tests.helpers import ATLCTL, run

ADMIN = "admin"  # the seeded admin, not registered as a secret: it is also the user name


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return Certificates(str(tmp_path_factory.mktemp("tls")))


@pytest.fixture(scope="module")
def https(certificates):
    with SandboxServer(tls=certificates) as server:
        yield server


def test_the_sandbox_speaks_https(https, certificates):
    assert https.url.startswith("https://127.0.0.1:")
    answer = httpx.get(https.url + "/jira/rest/api/2/serverInfo", verify=ssl.create_default_context(cafile=certificates.ca))
    assert answer.status_code == 200 and answer.json()["version"]


def test_system_trust_refuses_the_sandbox_ca_with_the_fix(https):
    outcome = run("jira", "getServerInfo", "-s", https.url + "/jira")
    assert outcome.code == 255
    assert "TLS certificate verification failed for 127.0.0.1" in outcome.err and "--ca-bundle" in outcome.err


def test_ca_bundle_file_trusts_it_and_the_session_works_over_https(https, certificates):
    outcome = run("jira", "getIssue", "-s", https.url + "/jira", "--ca-bundle", certificates.ca, "-u", "admin",
                  "--issue", "DEMO-1", "--columns", "Key", environ={"ATLCTL_PASSWORD": ADMIN})
    assert (outcome.code, outcome.out) == (0, "Key . . . . . . . . . : DEMO-1\n"), outcome.err


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl makes the hashed directory")
def test_ca_bundle_directory_of_hashed_certificates(https, certificates, tmp_path):
    directory = tmp_path / "cas"
    directory.mkdir()
    shutil.copy(certificates.ca, directory / "sandbox.pem")
    subprocess.run(["openssl", "rehash", str(directory)], check=True, capture_output=True)
    outcome = run("jira", "getServerInfo", "-s", https.url + "/jira", "--ca-bundle", directory)
    assert outcome.code == 0 and "Version" in outcome.out, outcome.err


def test_a_certificate_for_other_names_is_explained(tmp_path):
    only_ip = Certificates(str(tmp_path), names=("127.0.0.1",))
    with SandboxServer(tls=only_ip) as server:
        url = server.url.replace("127.0.0.1", "localhost") + "/jira"
        outcome = run("jira", "getServerInfo", "-s", url, "--ca-bundle", only_ip.ca)
    assert outcome.code == 255 and "The TLS certificate of localhost is for other names" in outcome.err


def test_a_certificate_for_another_ip_address_is_explained_as_other_names(tmp_path):
    only_localhost = Certificates(str(tmp_path), names=("localhost",))
    with SandboxServer(tls=only_localhost) as server:  # reached as 127.0.0.1: OpenSSL's IP address mismatch
        outcome = run("jira", "getServerInfo", "-s", server.url + "/jira", "--ca-bundle", only_localhost.ca)
    assert outcome.code == 255 and "The TLS certificate of 127.0.0.1 is for other names" in outcome.err
    assert "IP address mismatch" in outcome.err and "--ca-bundle" not in outcome.err and ".." not in outcome.err


def test_plain_http_to_the_https_port_says_use_https(https):
    plain = "http://" + https.url[len("https://"):] + "/jira"
    outcome = run("jira", "getServerInfo", "-s", plain)
    assert outcome.code == 255, outcome.err
    assert f"the server speaks HTTPS: use https://{https.url[len('https://'):]}/jira." in outcome.err


def test_an_expired_certificate_is_explained(tmp_path):
    import datetime

    expired = Certificates(str(tmp_path), not_after=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    with SandboxServer(tls=expired) as server:
        outcome = run("jira", "getServerInfo", "-s", server.url + "/jira", "--ca-bundle", expired.ca)
    assert outcome.code == 255 and "The TLS certificate of 127.0.0.1 has expired" in outcome.err
    assert "renew" in outcome.err and "clock" in outcome.err


def test_mutual_tls_required_and_satisfied(tmp_path):
    certificates = Certificates(str(tmp_path))
    with SandboxServer(tls=certificates, tls_client_ca=certificates.ca) as server:
        base = ["jira", "getServerInfo", "-s", server.url + "/jira", "--ca-bundle", certificates.ca]
        without = run(*base)
        assert without.code == 255 and "client certificate" in without.err and "--client-cert" in without.err
        with_cert = run(*base, "--client-cert", certificates.client())
        assert with_cert.code == 0 and "Version" in with_cert.out, with_cert.err


@pytest.fixture(scope="module")
def mtls(certificates):
    with SandboxServer(tls=certificates, tls_client_ca=certificates.ca) as server:
        yield ["jira", "getServerInfo", "-s", server.url + "/jira", "--ca-bundle", certificates.ca]


@pytest.fixture(scope="module")
def client_files(certificates, tmp_path_factory):
    """A client certificate of the sandbox's CA as separate files: the certificate, its key, another key."""
    directory = tmp_path_factory.mktemp("client")
    issued, other = certificates.authority.issue_cert("split-client"), certificates.authority.issue_cert("other")
    files = {"cert": directory / "cert.pem", "key": directory / "key.pem", "other_key": directory / "other-key.pem"}
    issued.cert_chain_pems[0].write_to_path(str(files["cert"]))
    issued.private_key_pem.write_to_path(str(files["key"]))
    other.private_key_pem.write_to_path(str(files["other_key"]))
    return {name: str(path) for name, path in files.items()}


def test_a_client_certificate_and_its_key_in_two_files(mtls, client_files):
    outcome = run(*mtls, "--client-cert", client_files["cert"], "--client-key", client_files["key"])
    assert outcome.code == 0 and "Version" in outcome.out, outcome.err


@pytest.mark.parametrize("given, says", [
    (("--client-cert", "cert"), "has no private key: give the key's file with --client-key."),
    (("--client-cert", "key"), "is not a certificate (no PEM CERTIFICATE block): it holds a private key; give it as "
                               "--client-key"),
    (("--client-key", "key"), "--client-key needs --client-cert"),
    (("--client-cert", "cert", "--client-key", "cert"), "has no private key (no PEM PRIVATE KEY block)."),
    (("--client-cert", "cert", "--client-key", "other_key"), "does not belong to the --client-cert certificate"),
])
def test_client_certificate_files_that_are_not_what_their_option_says(mtls, client_files, given, says):
    argv = [client_files.get(word, word) for word in given]
    outcome = run(*mtls, *argv)
    assert outcome.code == 254 and says in outcome.err, outcome.err
    assert "PEM lib" not in outcome.err


def test_an_encrypted_client_key_is_refused_without_a_prompt(mtls, client_files, tmp_path):
    from cryptography.hazmat.primitives import serialization

    with open(client_files["key"], "rb") as file:
        key = serialization.load_pem_private_key(file.read(), None)
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"secret-passphrase")))
    outcome = run(*mtls, "--client-cert", client_files["cert"], "--client-key", encrypted)
    assert outcome.code == 254 and "is encrypted: atlctl needs it unencrypted" in outcome.err, outcome.err


def test_a_client_certificate_the_server_does_not_trust_is_explained(mtls, tmp_path):
    stranger = Certificates(str(tmp_path)).client("stranger")  # another CA's
    outcome = run(*mtls, "--client-cert", stranger)
    assert outcome.code == 255
    assert "it probably refused the client certificate given with --client-cert" in outcome.err
    assert "certificate authority the server trusts" in outcome.err and ".." not in outcome.err


def test_atlctl_sandbox_tls_prints_its_ca_then_an_https_url(tmp_path):
    proc = subprocess.Popen([ATLCTL, "sandbox", "--port", "0", "--tls", "--tls-dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(map(os.path.abspath, sys.path[:1]))})
    try:
        ca_line, ready = proc.stdout.readline(), proc.stdout.readline()
        assert ca_line == f"CA certificate: {tmp_path / 'ca.pem'}\n"
        assert ready.startswith("Sandbox ready at https://127.0.0.1:")
        url = ready.split()[-1]
        trust = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        assert httpx.get(url + "/jira/rest/api/2/serverInfo", verify=trust).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_tls_options_need_tls():
    outcome = subprocess.run([ATLCTL, "sandbox", "--tls-client-ca", "x.pem"], capture_output=True, text=True)
    assert outcome.returncode == 254 and "go with --tls" in outcome.stderr
