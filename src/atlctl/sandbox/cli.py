"""`atlctl sandbox`: serve the sandbox in the foreground until SIGINT or SIGTERM.

Exit codes: 0 stopped by a signal; 254 bad arguments (port, a product's option such as
--jira-version); 255 the environment refused (state file unusable, address in use). Errors are one
line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from atlctl.sandbox import registry
from atlctl.sandbox.settings import Option, SettingsError

EXIT_OK = 0
EXIT_PARAMETER = 254
EXIT_ENVIRONMENT = 255
PROG = "atlctl sandbox"


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        raise _ArgumentError(message)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: must be a number from 0 to 65535") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {port}: must be from 0 to 65535")
    return port


def _parser(options: list[Option]) -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Local emulations of the products atlctl talks to, each under its own path, with their real auth behaviour.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8990, help="port to listen on; 0 picks a free one (default 8990)")
    parser.add_argument("--state", metavar="FILE", help="SQLite file that keeps the sandbox's data across restarts")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a certificate from a local CA made at "
                        "start-up (its file is printed: give it to clients, e.g. atlctl --ca-bundle FILE)")
    parser.add_argument("--tls-dir", metavar="DIR", help="with --tls: where the CA and certificates are written "
                        "(default: a new temporary directory)")
    parser.add_argument("--tls-client-ca", metavar="FILE", help="with --tls: require client certificates signed by "
                        "this CA (mutual TLS)")
    for option in options:  # the products' own, e.g. --jira-version
        parser.add_argument(option.flag, dest=option.name, default=option.default, help=f"{option.help} (default {option.default})")
    return parser


class _OneLine(logging.Formatter):
    """Sandbox errors as one line each; tracebacks are for `python -m pytest`, not users."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message += f": {type(exc).__name__}: {exc}"
        return f"{PROG}: {message}"


def main(argv: list[str]) -> int:
    options = [option for declaration in registry.load() for option in declaration.OPTIONS]
    try:
        args = _parser(options).parse_args(argv)
        for option in options:
            try:
                option.check(getattr(args, option.name))
            except SettingsError as exc:
                raise _ArgumentError(f"{option.flag}: {exc}") from None
    except _ArgumentError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_PARAMETER
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if (args.tls_dir or args.tls_client_ca) and not args.tls:
        print(f"{PROG}: error: --tls-dir and --tls-client-ca go with --tls", file=sys.stderr)
        return EXIT_PARAMETER
    if args.tls_client_ca and not os.path.isfile(args.tls_client_ca):
        print(f"{PROG}: error: --tls-client-ca {args.tls_client_ca}: no such file", file=sys.stderr)
        return EXIT_PARAMETER

    # Heavy imports only once the arguments are known to be good.
    from atlctl.sandbox.app import create_app
    from atlctl.sandbox.server import listen, serve_forever, url_for
    from atlctl.sandbox.store import StoreError
    from atlctl.sandbox.tls import Certificates, uvicorn_options

    try:
        app = create_app(args.state, **{option.name: getattr(args, option.name) for option in options})
    except StoreError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    try:
        try:
            sock = listen(args.host, args.port)
        except OSError as exc:
            print(f"{PROG}: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ENVIRONMENT
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLine())
        logging.getLogger("atlctl.sandbox").addHandler(handler)
        tls = None
        if args.tls:
            try:
                certificates = Certificates(args.tls_dir)
            except OSError as exc:
                print(f"{PROG}: error: cannot write the TLS files in {args.tls_dir}: {exc.strerror or exc}",
                      file=sys.stderr)
                return EXIT_ENVIRONMENT
            tls = uvicorn_options(certificates, args.tls_client_ca)
            print(f"CA certificate: {certificates.ca}", flush=True)
        url = url_for(args.host, sock.getsockname()[1], args.tls)
        serve_forever(app, sock, lambda: print(f"Sandbox ready at {url}", flush=True), tls)
    finally:
        app.close()
    return EXIT_OK
