#!/usr/bin/env python3
"""A local SMTP server for NetRaven's e-mail alert tests (aiosmtpd): binds 127.0.0.1:0, prints its port, serves
until killed.

Usage: smtp-test-server.py CERT KEY USER PASSWORD OUTDIR [--implicit-tls]
Default: STARTTLS offered and required before AUTH (PLAIN/LOGIN) and before mail; --implicit-tls: TLS from the
first byte (smtps). Each accepted message is written to OUTDIR/N.json as {"mail_from", "rcpt_tos", "auth_user",
"headers": [[name, value], ...], "body": decoded text, "raw": the message as received}.
"""
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    cert, key, user, password, outdir = sys.argv[1:6]
    implicit = "--implicit-tls" in sys.argv[6:]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    counter = {"n": 0}

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            counter["n"] += 1
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                "headers": [[k, str(v)] for k, v in message.items()],
                "body": message.get_content(),
                "raw": envelope.original_content.decode("utf-8", "replace"),
            }
            path = os.path.join(outdir, f"{counter['n']}.json")
            with open(path + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(path + ".tmp", path)
            return "250 OK"

    def factory():
        if implicit:
            return SMTP(Handler(), authenticator=authenticate, auth_require_tls=False, decode_data=False)
        return SMTP(Handler(), tls_context=context, require_starttls=True, authenticator=authenticate,
                    auth_require_tls=True, decode_data=False)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", 0, ssl=context if implicit else None)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
