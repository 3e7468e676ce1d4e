"""Compressed responses, from the app itself: the Procfile serves gunicorn with no
proxy in front, and a victim may be on slow or metered data.

Text (HTML, CSS, JavaScript, SVG, plain text) goes out as brotli when the browser
asks for it, else gzip. Static files are compressed once, at the best level, when
the app starts, and kept in memory with the file's size and modification time:
an edited file is compressed again on its next request, never served stale.

Pages hold CSRF tokens, and some show text from the request (an unknown address
on a 404 page). Compressing both together is what BREACH exploits, so every
token is masked afresh for each response (feedback/web/csrf_mask.py): see
docs/design.md, "Compression and BREACH".
"""

import gzip
import os
from pathlib import Path

import brotli

COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript",
                "image/svg+xml", "text/plain", "application/json"}
MIN_SIZE = 256  # below this, the encoding's own overhead eats the saving
# Pages are compressed as they are made: fast settings. Static files once: the best.
_FAST = {"br": lambda data: brotli.compress(data, quality=5),
         "gzip": lambda data: gzip.compress(data, compresslevel=6, mtime=0)}
_BEST = {"br": lambda data: brotli.compress(data, quality=11),
         "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0)}
_NO_BODY = ("1", "204", "206", "304")


def choose_encoding(accept_encoding):
    """"br", "gzip" or None, from an Accept-Encoding header (q=0 means "not this")."""
    if not accept_encoding:
        return None
    offered = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


# path -> ((modification time, size), {encoding: bytes}). Shared by every app in
# the process (the tests make hundreds), so each file is compressed once per change.
_COMPRESSED = {}


class StaticCache:
    """Static files compressed at their best; checked against the file's size and
    modification time on every use."""

    def __init__(self, folder):
        self.folder = Path(folder).resolve()
        for path in sorted(self.folder.rglob("*")):
            if path.is_file() and _mimetype(path.name) in COMPRESSIBLE:
                self.get(path.relative_to(self.folder).as_posix(), "gzip")

    def get(self, name, encoding):
        path = (self.folder / name).resolve()
        if self.folder not in path.parents:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        entry = _COMPRESSED.get(path)
        if entry is None or entry[0] != stamp:
            data = path.read_bytes()
            entry = _COMPRESSED[path] = (stamp, {e: best(data) for e, best in _BEST.items()})
        return entry[1][encoding]

    def is_compressed(self, name):
        return (self.folder / name).resolve() in _COMPRESSED


class Compress:
    """WSGI middleware: compress what is worth compressing, say so in the headers."""

    def __init__(self, wsgi_app, static_folder, static_prefix="/static/"):
        self.wsgi_app = wsgi_app
        self.static_prefix = static_prefix
        self.static = StaticCache(static_folder)

    def __call__(self, environ, start_response):
        encoding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING"))
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return _no_write

        body = self.wsgi_app(environ, capture)
        status, headers, exc_info = captured
        if not _compressible(status, headers):
            start_response(status, headers, exc_info)
            return body
        headers = _with_vary(headers)
        if encoding is None or environ.get("REQUEST_METHOD") == "HEAD":
            start_response(status, headers, exc_info)
            return body
        data = self._compressed(environ, status, body, encoding)
        # Byte ranges would count the file's bytes, not these: none are offered.
        headers = [(name, _weak(value) if name.lower() == "etag" else value)
                   for name, value in headers
                   if name.lower() not in ("content-length", "accept-ranges")]
        headers += [("Content-Encoding", encoding), ("Content-Length", str(len(data)))]
        start_response(status, headers, exc_info)
        return [data]

    def _compressed(self, environ, status, body, encoding):
        path = environ.get("PATH_INFO", "")
        try:
            if status.startswith("200") and path.startswith(self.static_prefix):
                cached = self.static.get(path[len(self.static_prefix):], encoding)
                if cached is not None:
                    return cached  # the file's own bytes are never read here
            return _FAST[encoding](b"".join(body))
        finally:
            if hasattr(body, "close"):
                body.close()


def _no_write(_data):
    raise RuntimeError("compressed responses cannot use the WSGI write() callable")


def _compressible(status, headers):
    if status.startswith(_NO_BODY):
        return False
    found = {name.lower(): value for name, value in headers}
    if "content-encoding" in found:
        return False
    mimetype = found.get("content-type", "").split(";")[0].strip().lower()
    # A streamed body (a CSV export) has no length: it is passed through as it is.
    length = found.get("content-length", "")
    return mimetype in COMPRESSIBLE and length.isdigit() and int(length) >= MIN_SIZE


def _with_vary(headers):
    # Caches must keep the compressed and the plain copy apart.
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "accept-encoding" not in value.lower():
                headers = [*headers[:index], (name, f"{value}, Accept-Encoding"),
                           *headers[index + 1:]]
            return headers
    return [*headers, ("Vary", "Accept-Encoding")]


def _weak(etag):
    # The compressed bytes differ from the file's, so the tag can only be weak.
    return etag if etag.startswith("W/") else f"W/{etag}"


_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
          ".html": "text/html", ".txt": "text/plain", ".json": "application/json"}


def _mimetype(name):
    return _TYPES.get(os.path.splitext(name)[1].lower())
