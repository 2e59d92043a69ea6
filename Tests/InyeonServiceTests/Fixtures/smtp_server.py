#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd): STARTTLS or implicit TLS with a certificate
from a CA made for the run, AUTH PLAIN/LOGIN with one account, and each accepted message written
whole to a folder. It can also refuse the first N messages by dropping the connection after the
message's data has arrived and before answering it (the worst moment for a client).

    smtp_server.py --port P --tls starttls|implicit --certs DIR --user U --password W --maildir DIR
                   [--drop-first N] [--ready FILE]

--certs DIR holds ca.pem, server.pem and server.key (made with openssl if missing); the client
trusts ca.pem. When listening, the port is written to --ready. Runs until SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import ssl
import subprocess
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def make_certificates(folder):
    os.makedirs(folder, exist_ok=True)
    ca_key, ca_pem = os.path.join(folder, "ca.key"), os.path.join(folder, "ca.pem")
    key, csr, pem = os.path.join(folder, "server.key"), os.path.join(folder, "server.csr"), os.path.join(folder, "server.pem")
    if os.path.exists(pem):
        return
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_pem, "-days", "2",
        "-subj", "/CN=Inyeon test mail CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    extensions = os.path.join(folder, "server.ext")
    with open(extensions, "w") as file:
        file.write("subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial", "-out", pem, "-days", "2", "-extfile", extensions)


class Mailbox:
    def __init__(self, folder, drop_first):
        self.folder = folder
        self.drop_first = drop_first
        os.makedirs(folder, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        if self.drop_first > 0:
            self.drop_first -= 1
            # The whole message has arrived; the connection ends before it is accepted.
            server.transport.close()
            return "421 closing"
        name = os.path.join(self.folder, f"{uuid.uuid4().hex}.eml")
        with open(name + ".partial", "wb") as file:
            file.write(f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode())
            file.write(envelope.original_content or envelope.content)
        os.rename(name + ".partial", name)
        return "250 OK queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls", choices=["starttls", "implicit"], required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--drop-first", type=int, default=0)
    parser.add_argument("--ready")
    options = parser.parse_args()

    make_certificates(options.certs)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(options.certs, "server.pem"), os.path.join(options.certs, "server.key"))

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == options.user \
                and auth_data.password.decode() == options.password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    arguments = dict(hostname="127.0.0.1", port=options.port, authenticator=authenticate, auth_required=True,
                     server_hostname="localhost", decode_data=False)
    if options.tls == "implicit":
        controller = Controller(Mailbox(options.maildir, options.drop_first), ssl_context=context, auth_require_tls=False, **arguments)
    else:
        controller = Controller(Mailbox(options.maildir, options.drop_first), tls_context=context, require_starttls=True,
                                auth_require_tls=True, **arguments)
    controller.start()
    if options.ready:
        with open(options.ready + ".partial", "w") as file:
            file.write(str(options.port))
        os.rename(options.ready + ".partial", options.ready)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
