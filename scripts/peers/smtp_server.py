#!/usr/bin/env python3
"""Local SMTP server (aiosmtpd) for Vigil's email delivery tests.

Usage:
    python3 smtp_server.py --port 0 --record /tmp/mail.jsonl \
        --user vigil --password s3cret --certdir /tmp/certs

- STARTTLS is required before any mail command (require_starttls=True) and AUTH
  is only offered over TLS (auth_require_tls=True).
- With --user/--password, AUTH PLAIN/LOGIN is required and any other credentials
  get `535 5.7.8 Authentication credentials invalid`.
- --certdir gets cert.pem/key.pem: a self-signed certificate for localhost and
  127.0.0.1, generated with `cryptography` when absent. Clients trust it by using
  <certdir>/cert.pem as their CA file.
- Each accepted message is appended as one JSON line
  {mail_from, rcpt_tos, data, auth_user} to --record.

Output: `LISTENING <port>` once the socket accepts connections (port 0 binds an
ephemeral port; the real one is reported), then `CERT <path to cert.pem>`.

--exit-on-stdin-eof: exit when stdin closes (launchers hand us a pipe so the
server dies with the test process).
"""
import argparse
import asyncio
import datetime
import hmac
import ipaddress
import json
import logging
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def ensure_certificate(certdir):
    """Returns (cert_path, key_path), creating a self-signed pair if needed."""
    os.makedirs(certdir, exist_ok=True)
    cert_path = os.path.join(certdir, "cert.pem")
    key_path = os.path.join(certdir, "key.pem")
    if os.path.exists(cert_path) and os.path.exists(key_path):
        return cert_path, key_path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        # CA:TRUE so OpenSSL accepts the cert as its own trust anchor via CAINFO.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    # Write to temp names then rename, so a concurrent reader never sees half a file.
    suffix = f".tmp{os.getpid()}"
    with open(key_path + suffix, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption()))
    with open(cert_path + suffix, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(key_path + suffix, key_path)
    os.replace(cert_path + suffix, cert_path)
    return cert_path, key_path


class RecordingHandler:
    def __init__(self, record_path):
        self.record_path = record_path

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", errors="replace")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": content,
            "auth_user": session.auth_data if isinstance(session.auth_data, str) else None,
        }
        if self.record_path:
            with open(self.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        return "250 2.0.0 OK message accepted"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = hmac.compare_digest(auth_data.login, user.encode()) and \
            hmac.compare_digest(auth_data.password, password.encode())
        if not ok:
            return AuthResult(success=False, handled=False)  # -> 535
        return AuthResult(success=True, auth_data=auth_data.login.decode())
    return authenticate


def restore_signals():
    """Launchers such as Foundation.Process on Linux may start us with SIGTERM/SIGINT
    blocked (inherited signal mask); unblock them so `kill` works as expected."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser(description="aiosmtpd test server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--record", default=None)
    parser.add_argument("--user", default=None)
    parser.add_argument("--password", default=None)
    parser.add_argument("--certdir", required=True)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args()
    restore_signals()

    # aiosmtpd logs a deprecation warning on every AUTH; keep test logs readable.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    cert_path, key_path = ensure_certificate(args.certdir)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert_path, key_path)

    handler = RecordingHandler(args.record)
    authenticator = make_authenticator(args.user, args.password or "") if args.user else None

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(
            handler,
            hostname="localhost",
            tls_context=tls,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=authenticator is not None,
            authenticator=authenticator,
            loop=loop,
        )

    # loop.create_server with port 0 reports the bound port without the
    # bind-close-rebind race of probing for a free port first.
    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    port = server.sockets[0].getsockname()[1]
    if args.exit_on_stdin_eof:
        threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"LISTENING {port}", flush=True)
    print(f"CERT {cert_path}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
