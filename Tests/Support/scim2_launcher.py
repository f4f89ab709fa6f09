#!/usr/bin/env python3
"""Serve scim2-server 0.8.3 (in memory) for teprov's end-to-end tests and benchmarks.

The `scim2-server` console script listens with the standard library's default backlog of 5, so
bursts of 20+ simultaneous connections get resets. This launcher builds the same WSGI application
as `scim2_server.testserver.cli.main()` (default schemas, resource types and service provider
configuration; optional static bearer tokens) and serves it from a threading WSGI server with a
listen backlog of 256, daemon request threads and no per-request log lines.

    python scim2_launcher.py --port 8080 [--bearer-token T ...] [--hostname 127.0.0.1]
                              [--parent-pid PID | --detached]

Prints `scim2_launcher: serving SCIM on http://HOST:PORT/v2` once it listens (`--port 0` picks a
free port and prints it). SIGTERM or SIGINT stops it (exit 0). It also exits when the process that
started it (or --parent-pid) dies, unless `--detached`, so a crashed test run leaves no server
behind. Exits 75 when the port is already taken, so a caller can retry on another port.
"""

import argparse
import errno
import logging
import os
import secrets
import signal
import sys
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scim2_models import ScimProvider
from scim2_server.service import ScimService
from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)

EXIT_PORT_IN_USE = 75


class BacklogThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One daemon thread per request, and a listen backlog large enough for concurrency tests."""

    daemon_threads = True
    request_queue_size = 256


class QuietRequestHandler(WSGIRequestHandler):
    """wsgiref logs every request to stderr; thousands of lines would only fill the test logs."""

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass


def build_application(bearer_tokens):
    """The same application `scim2-server` builds without --schema/--resource-type/--tenant options."""
    config = load_default_service_provider_config()
    if bearer_tokens:
        config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )
    secret = os.environ.get("SCIM2_SERVER_SECRET") or secrets.token_urlsafe(32)
    service = ScimService(provider, secret=secret)
    return BearerTokenApplication(InMemoryStorage(), provider, service=service, bearer_tokens=bearer_tokens)


def exit_when_parent_dies(parent):
    """Leave no orphan server when the test process is killed (it cannot run its clean-up then).

    `parent` is the pid the caller passed (--parent-pid), so a parent that died while this script was
    still importing is noticed too; without it, the parent at the time of this call.
    """
    parent = parent or os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0: any free port)")
    parser.add_argument("--hostname", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--bearer-token", action="append", default=[], metavar="TOKEN",
        help="accept only this bearer token (repeatable); without it every request is accepted",
    )
    parser.add_argument("--detached", action="store_true", help="keep running when the parent process exits")
    parser.add_argument("--parent-pid", type=int, help="pid of the process that starts this one: exit when it is gone")
    args = parser.parse_args()

    logging.basicConfig(level=logging.WARNING)
    application = build_application(args.bearer_token)
    try:
        server = make_server(
            args.hostname, args.port, application,
            server_class=BacklogThreadingWSGIServer, handler_class=QuietRequestHandler,
        )
    except OSError as error:
        print(f"scim2_launcher: cannot listen on {args.hostname}:{args.port}: {error}", file=sys.stderr, flush=True)
        sys.exit(EXIT_PORT_IN_USE if error.errno == errno.EADDRINUSE else 1)

    def stop(signum, frame):
        raise SystemExit(0)

    # A child inherits its parent's blocked signals; libdispatch worker threads (which start the test
    # servers) block SIGTERM, so unblock it or `stop()` would have to fall back to SIGKILL.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.detached:
        exit_when_parent_dies(args.parent_pid)

    port = server.server_address[1]
    print(f"scim2_launcher: serving SCIM on http://{args.hostname}:{port}/v2", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
