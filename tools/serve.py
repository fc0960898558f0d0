#!/usr/bin/env python3
"""Static server for www/ (./dev serve and the end-to-end tests).

python3 -m http.server, plus what a page on another origin needs to embed the
playground: `Access-Control-Allow-Origin: *` on every file (module scripts and
the wasm are fetched in CORS mode) and `application/wasm` for .wasm (streaming
compilation requires it).

    python3 tools/serve.py PORT [--bind 127.0.0.1] [--directory www] [--no-cors]

--no-cors leaves the header out: the end-to-end tests use it to show what a
host without CORS looks like.
"""
import argparse
import functools
import http.server


class Handler(http.server.SimpleHTTPRequestHandler):
    cors = True
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".apg": "text/plain; charset=utf-8",
    }

    def end_headers(self):
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--directory", "-d", default="www")
    parser.add_argument("--no-cors", action="store_true")
    args = parser.parse_args()
    Handler.cors = not args.no_cors
    handler = functools.partial(Handler, directory=args.directory)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        print(f"Serving {args.directory} on http://{args.bind}:{args.port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
