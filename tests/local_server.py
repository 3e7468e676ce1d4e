"""Servers the tests run in a thread of their own process."""

import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

# shutdown() returns at serve_forever's next look for a request to stop: socketserver's
# default is every 0.5 s, which the suite paid at the end of every such server.
POLL_SECONDS = 0.05


def start(server):
    """Serve in a daemon thread until server.shutdown()."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                     daemon=True).start()
    return server


@contextmanager
def serving(app):
    """The app behind a real HTTP server on a free port: its base URL."""
    server = start(make_server("127.0.0.1", 0, app, threaded=True))
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
