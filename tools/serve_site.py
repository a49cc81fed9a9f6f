"""Serve the built site on loopback the way a static host does.

Text (HTML, CSS, JavaScript, JSON, SVG, ...) is sent gzip-compressed to
browsers that accept it, with ``Vary: Accept-Encoding`` and a ten-minute
``Cache-Control``, as GitHub Pages does; everything else is sent as it is.
``nox -s serve`` runs it; the browser tests and the benchmark start it in a
thread with :func:`start`.

    python tools/serve_site.py docs/_build/html --port 8000
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import io
import os
import threading

COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".ipynb", ".py"}
CACHE_CONTROL = "max-age=600"


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that gzips text and stays quiet."""

    _cache: dict = {}
    _lock = threading.Lock()

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to "folder/"
            path = os.path.join(path, "index.html")
        extension = os.path.splitext(path)[1].lower()
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and extension in COMPRESSED and os.path.isfile(path)):
            return super().send_head()
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            body = self._cache.get(key)
            if body is None:
                with open(path, "rb") as file:
                    body = gzip.compress(file.read(), compresslevel=6, mtime=0)
                self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header(
            "Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True)
        )
        self.end_headers()
        return io.BytesIO(body)


def make_server(directory, host="127.0.0.1", port=0):
    handler = functools.partial(CompressingHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def start(directory):
    """Serve ``directory`` in a background thread; return (base URL, server)."""
    server = make_server(directory)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=8000)
    arguments = parser.parse_args()
    server = make_server(arguments.directory, port=arguments.port)
    print(f"serving {arguments.directory} at http://127.0.0.1:{arguments.port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
