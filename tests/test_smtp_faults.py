"""A failure of the SMTP connection, TLS or login is said once, in one line naming the server,
with the setting that fixes it, then who was not reached (issue 25). Real servers: aiosmtpd on
127.0.0.1, plain, with STARTTLS, and over TLS, with a self-signed certificate made by openssl."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller

from rencontres.core.errors import DeliveryError
from test_send import EVERYONE, Handler, deliveries, free_port, send


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def server(monkeypatch):
    """start(tls=…, starttls=…, security=…) runs aiosmtpd and points the environment at it."""
    running = []

    def start(*, implicit_tls=None, starttls=None, security="starttls", timeout=None):
        handler, port = Handler(), free_port()
        kwargs = {"tls_context": starttls} if starttls else {}
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                ssl_context=implicit_tls, **kwargs)
        controller.start()
        running.append(controller)
        monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(port))
        monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", security)
        if timeout:
            monkeypatch.setenv("RENCONTRES_SMTP_TIMEOUT", str(timeout))
        return handler, port

    yield start
    for c in running:
        c.stop()


def _context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def _one_line(run, port: int, what: str, fix: str) -> None:
    assert run.exit_code == DeliveryError.exit_code
    lines = run.stderr.splitlines()
    assert lines[:-1] == ["not invited: Pierre Levy (no e-mail address)"]  # the club's own
    assert lines[-1] == (f"error: SMTP server 127.0.0.1:{port}: {what}; not reached: "
                         f"{', '.join(EVERYONE)}; {fix}")
    assert "run the same command again" not in lines[-1]


def test_a_server_without_starttls(cli_raw, club, server):
    handler, port = server()  # the default security is STARTTLS; this one is plain
    _one_line(send(cli_raw, club), port, "it offers no STARTTLS",
              "use --smtp-security none for a local server without TLS, or ssl for an SMTPS "
              "port (465)")
    assert handler.received == [] and deliveries(club) == []


def test_tls_spoken_to_a_plain_port(cli_raw, club, server):
    _, port = server(security="ssl")
    _one_line(send(cli_raw, club), port, "it does not speak TLS on this port",
              "this port speaks plain SMTP: use --smtp-security starttls (port 587) or none")


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_a_self_signed_certificate_and_the_hint_that_fixes_it(cli_raw, club, server,
                                                              certificate, monkeypatch, mode):
    tls = _context(certificate)
    handler, port = server(implicit_tls=tls if mode == "ssl" else None,
                           starttls=tls if mode == "starttls" else None, security=mode)
    run = send(cli_raw, club)
    _one_line(run, port, "its certificate is not trusted (self-signed certificate)",
              "give the file of the authority that signed it through SSL_CERT_FILE (a server "
              "of your own: its certificate itself)")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # what the hint says
    run = send(cli_raw, club)
    assert run.exit_code == 0, run.stderr
    assert sorted(handler.recipients) == sorted(EVERYONE)


def test_starttls_to_an_smtps_port_says_ssl_when_no_greeting_comes(cli_raw, club, server,
                                                                     certificate):
    _, port = server(implicit_tls=_context(certificate), security="starttls", timeout=1)
    start = time.monotonic()
    run = send(cli_raw, club)
    assert time.monotonic() - start < 10
    _one_line(run, port, "no greeting from the server in time",
              "for an SMTPS port (465) use --smtp-security ssl; else a longer --smtp-timeout")


def test_nothing_listening(cli_raw, club, monkeypatch):
    port = free_port()
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(port))
    monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
    _one_line(send(cli_raw, club), port, "connection refused",
              "check --smtp-host and --smtp-port: nothing answers there")
