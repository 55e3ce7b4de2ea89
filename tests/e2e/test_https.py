"""The whole client over HTTPS against the sandbox served with its own CA (`atlctl sandbox --tls`):
system trust refuses it with the fix, --ca-bundle (a file or a hashed directory) trusts it, mutual
TLS is required and satisfied, a certificate for other names is explained."""

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
