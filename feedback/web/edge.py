"""The WSGI edge, before Flask sees a request: trusted proxies and body size."""

import io

from werkzeug.middleware.proxy_fix import ProxyFix

TOO_LARGE = "feedback.body_too_large"


class LimitBody:
    """Refuse any body over the limit, however it is sent.

    Flask checks Content-Length, but a chunked body has none: servers then hand
    over as much as the app reads and Werkzeug stops at the limit, so the rest
    was silently dropped. Here a chunked body is read up to one byte past the
    limit: within it, the app gets it with a Content-Length; past it, the
    request is marked and the app answers 413 (web.refuse_large_bodies).
    """

    def __init__(self, wsgi_app, limit):
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            body = environ["wsgi.input"].read(self.limit + 1)
            if len(body) > self.limit:
                environ[TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.wsgi_app(environ, start_response)


def wrap(app):
    app.wsgi_app = LimitBody(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client address (and scheme) as the nearest `proxies` proxies saw it:
        # headers added by anyone further away could be forged.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
