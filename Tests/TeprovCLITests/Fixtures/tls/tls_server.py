"""A tiny HTTPS SCIM endpoint for teprov's TLS tests (test-connection with and without --ca-file).

Serves server.pem (signed by ca.pem, valid for 127.0.0.1 and localhost) and answers every GET with an
empty SCIM ListResponse. A connection whose first byte is not a TLS handshake is served as plain HTTP,
so the test harness can poll readiness without TLS.

    python3 tls_server.py --port N --cert server.pem --key server-key.pem
"""

import argparse
import errno
import http.server
import json
import socket
import socketserver
import ssl
import sys
import threading
import time
import os

LIST_RESPONSE = json.dumps(
    {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0, "Resources": []}
).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/scim+json")
        self.send_header("Content-Length", str(len(LIST_RESPONSE)))
        self.end_headers()
        self.wfile.write(LIST_RESPONSE)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, address, context):
        self.context = context
        super().__init__(address, Handler)

    def get_request(self):
        connection, address = self.socket.accept()
        connection.settimeout(10)
        try:
            first = connection.recv(1, socket.MSG_PEEK)
        except OSError:
            first = b""
        if first == b"\x16":
            try:
                connection = self.context.wrap_socket(connection, server_side=True)
            except (ssl.SSLError, OSError):
                # The client refused our certificate (the untrusted-CA test): nothing to serve.
                connection.close()
                raise OSError("TLS handshake failed")
        return connection, address

    def handle_error(self, request, client_address):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--parent-pid", type=int, help="pid of the test process: exit when it is gone")
    arguments = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    try:
        server = Server(("127.0.0.1", arguments.port), context)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            sys.exit(75)
        raise
    parent = arguments.parent_pid or os.getppid()

    def exit_with_parent():
        # The test process may die without stopping us; do not outlive it.
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(f"tls_server: listening on https://127.0.0.1:{arguments.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
