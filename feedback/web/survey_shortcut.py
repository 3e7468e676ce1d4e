"""The survey page's ordinary view, answered before Flask's request machinery.

A victim's phone shows the survey page far more often than any other: every
reload, every Back from the thank-you page's links, every return to a tab. Most
of those views are the same case: a live survey session, seen in the last
minute, with its link still open and its page already rendered once. For that
case Flask's own work (request and app contexts, hooks, the session interface,
the response object) cost more than everything the page needs, so this WSGI
step answers it directly: it reads the session and the link and joins the kept
page around a freshly masked token (docs/design.md, "Victim pages").

It copies no rule. The session is read with sessions' own lifetime checks, the
link with responding.current_stage, the token masked by csrf_mask.mask, and the
page is the one the survey view (views/respond.py) rendered and kept. The
security and cache headers and compression are added by the steps outside this
one, as for every response.

Anything else goes on to Flask, which handles it in full: a first view (no
signed CSRF token yet, or no page kept), a token signed with a key since
rotated, a session due its once-a-minute touch, an expired session, a session
holding an account, a link used, revoked or expired, an unreadable database,
any other method, address or query. tests/web/test_survey_shortcut.py checks
that each of those answers exactly as it would without this step.
"""

import json

from werkzeug.http import parse_cookie

from feedback.adapters import store
from feedback.domain import clock
from feedback.domain.links import LinkError
from feedback.usecases import responding
from feedback.web import csrf_mask, sessions
from feedback.web.db import give_back, lend_db

PATH = "/feedback"


def kept_pages(app):
    """The blank survey pages the survey view has rendered, cut at the CSRF token,
    by kept_page_key."""
    return app.extensions.setdefault("blank_surveys", {})


def kept_page_key(survey, language):
    return (survey.id, survey.version, language)


class SurveyShortcut:

    def __init__(self, wsgi_app, app):
        self.wsgi_app, self.app = wsgi_app, app
        self.on = True  # off only in the tests that compare it with Flask's answer

    def __call__(self, environ, start_response):
        if (self.on and environ["REQUEST_METHOD"] == "GET" and environ["PATH_INFO"] == PATH
                and not environ.get("QUERY_STRING") and not environ.get("CONTENT_LENGTH")):
            try:
                page = self._ordinary_page(environ)
            except Exception:
                # A database fault, or anything unforeseen: Flask's path meets it
                # again and answers with its calm page (and logs it), as it would
                # have without this step.
                page = None
            if page is not None:
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                          ("Content-Length", str(len(page)))])
                return [page]
        return self.wsgi_app(environ, start_response)

    def _ordinary_page(self, environ):
        """The page for an ordinary view, or None for Flask to answer."""
        kind = self.app.extensions["session_kinds"]["survey"]
        session_id = sessions.server_id(parse_cookie(environ).get(kind.cookie))
        if session_id is None:
            return None
        config = self.app.config
        db = lend_db(config, environ)
        # The time after the connection, which PostgreSQL's pool may keep a request
        # waiting for: a link that expired meanwhile is Flask's to refuse.
        now = clock.now()
        try:
            found = store.fetch_session(db, sessions.id_hash(kind, session_id))
            stored = sessions.stored_session(found)
            if (stored is None or not sessions.within_lifetimes(kind, stored, now)
                    or sessions.due_a_touch(stored.last_seen, now)):
                return None
            data = json.loads(stored.data)
            signed_token = csrf_mask.kept_token(data, config["SECRET_KEY"])
            # An account in the session is Flask's to check (web._load_user); no
            # survey session is given one, but a row is not trusted to show it.
            if not (data.get("link_id") and signed_token) or "user_id" in data:
                return None
            stage = responding.current_stage(db, data["link_id"], now)
        except LinkError:
            return None
        finally:
            give_back(db)
        # None too for a language with no page kept: only a supported one's is.
        pieces = kept_pages(self.app).get(
            kept_page_key(config["SURVEYS"][stage], data.get("lang")))
        if pieces is None:
            return None
        return csrf_mask.mask(signed_token).encode().join(pieces)
