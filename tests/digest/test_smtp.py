"""`plenty digest --send` through a real SMTP server on 127.0.0.1 (aiosmtpd): plain with AUTH, STARTTLS with a
private CA, and failed sends that leave the digest unmarked so the next run retries."""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
from datetime import date
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from cli.main import cli
from tests.support.digest_world import job, pid, settings, world  # noqa: F401
from warehouse import connect
from warehouse.digests import delivered_digest, week_items

PASSWORD = "s3cret-Pa55-do-not-print"


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses every recipient when asked."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.7.1 relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"me" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start a local SMTP server; yields a function (handler, **controller options) -> port."""
    started = []

    def start(handler, **options):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=check_login,
                                **options)
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for controller in started:
        controller.stop()


def configure(world, port: int, security: str = "none", extra: str = "") -> None:  # noqa: F811
    (world.settings.home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "me"\nsecurity = "{security}"\n'
        f'from = "plenty <plenty@example.org>"\nto = ["me@example.org"]\ntimeout = 60\n{extra}', encoding="utf-8")


def a_week(world):  # noqa: F811
    world.reject(on=date(2026, 11, 2))
    world.night(date(2026, 11, 10), add=[job("1", "Data Engineer", "Acme"), job("2", "Senior Data Engineer", "Globex")])


def send(monkeypatch, password: str | None = PASSWORD):
    if password is None:
        monkeypatch.delenv("PLENTY_SMTP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("PLENTY_SMTP_PASSWORD", password)
    return CliRunner().invoke(cli, ["digest", "--week", "2026-W48", "--send"])


def state(world):  # noqa: F811
    with connect(world.settings.db_path) as con:
        return delivered_digest(con, "2026-W48"), {i["posting_id"] for i in week_items(con, "2026-W48")}


def test_a_digest_is_mailed_as_text_and_html_and_then_marked_sent(world, smtp_server, monkeypatch):  # noqa: F811
    a_week(world)
    inbox = Inbox()
    configure(world, smtp_server(inbox, auth_require_tls=False))
    result = send(monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Sent." in result.output and PASSWORD not in result.output
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "plenty@example.org" and envelope.rcpt_tos == ["me@example.org"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "plenty 2026-W48: 2 new openings for you"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Senior Data Engineer" in text and "## Because you were turned down for Data Engineer" in text
    assert "Senior Data Engineer" in html and html.lstrip().startswith("<!DOCTYPE html>")
    assert PASSWORD not in envelope.content.decode("utf-8", "replace")
    record, items = state(world)
    assert record["sent_at"] is not None and items == {pid("1"), pid("2")}


def test_starttls_with_a_private_ca(world, smtp_server, monkeypatch, tmp_path):  # noqa: F811
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = smtp_server(inbox, tls_context=context, require_starttls=True)
    configure(world, port, "starttls", f'cafile = "{cert}"\n')
    a_week(world)
    result = send(monkeypatch)
    assert result.exit_code == 0, result.output
    assert len(inbox.envelopes) == 1 and state(world)[0]["sent_at"] is not None


@pytest.mark.parametrize("failure", ["refused", "down", "bad password"])
def test_a_failed_send_marks_nothing_and_the_next_run_retries(world, smtp_server, monkeypatch, failure):  # noqa: F811
    a_week(world)
    inbox = Inbox(refuse=failure == "refused")
    port = free_port() if failure == "down" else smtp_server(inbox, auth_require_tls=False)
    configure(world, port)
    result = send(monkeypatch, "wrong-password-do-not-print" if failure == "bad password" else PASSWORD)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: could not send the digest through 127.0.0.1:{port}")
    assert "not marked as sent and the next run retries it" in result.output
    assert "do-not-print" not in result.output
    assert state(world) == (None, set())  # not delivered, nothing marked shown
    assert (world.settings.home / "digests" / "2026-W48.html").exists()  # the files are there to read

    working = Inbox()
    configure(world, smtp_server(working, auth_require_tls=False))
    retry = send(monkeypatch)
    assert retry.exit_code == 0, retry.output
    assert len(working.envelopes) == 1 and "Senior Data Engineer" in working.envelopes[0].content.decode()
    assert state(world)[1] == {pid("1"), pid("2")}


def test_sending_without_a_password_or_smtp_table_fails_before_writing(world, monkeypatch):  # noqa: F811
    a_week(world)
    result = send(monkeypatch, password=None)
    assert result.exit_code == 1 and "needs an [smtp] table" in result.output
    configure(world, 25)
    result = send(monkeypatch, password=None)
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: [smtp] user is set but PLENTY_SMTP_PASSWORD is not; export the password"
                                     " there (it is never read from config.toml)")
    assert not (world.settings.home / "digests").exists() and state(world) == (None, set())


def self_signed(folder):
    """A self-signed certificate for 127.0.0.1 (the client trusts it through [smtp] cafile)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)
