"""Keep link and invitation tokens, single sign-on's codes, visitors' addresses
and the words a trainer searched comments for out of every log line.

The development server logs each request as "ADDRESS - - [date] GET /r/TOKEN";
Flask logs the path of a request that failed. Both reach the root handler that
install() sets up, whose formatter rewrites them. Records themselves are left
alone, so other handlers (a test's log capture, say) see them as logged.
"""

import logging
import re

# Any case: a link typed from paper may come as /R/...
_TOKEN_PATH = re.compile(r"/(r|invitation)/[^\s\"?]+", re.IGNORECASE)
_REQUEST_ADDRESS = re.compile(r"^(\S+ )?\S+ - - \[")
# A comment search (/trainer/comments?words=...) may hold a name the trainer knows.
_SEARCH_WORDS = re.compile(r"([?&]words=)[^&\s\"]*")
# Single sign-on's callback (/sign-in/sso/callback?code=...&state=...): the provider's
# one-time code and the sign-in's state are tokens too.
_SIGN_IN_CODES = re.compile(r"([?&](?:code|state)=)[^&\s\"]*")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(line):
    line = _TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/[token]", line)
    line = _SEARCH_WORDS.sub(r"\1[words]", line)
    line = _SIGN_IN_CODES.sub(r"\1[token]", line)
    return _REQUEST_ADDRESS.sub(lambda m: (m.group(1) or "") + "- - - [", line, count=1)


class RedactingFormatter(logging.Formatter):
    def formatMessage(self, record):  # noqa: N802 (logging's name)
        return super().formatMessage(_Redacted(record))


class _Redacted:
    """A view of a record whose message is redacted."""

    def __init__(self, record):
        self.__dict__.update(record.__dict__)
        self.message = redact(record.getMessage())


def install(level):
    """Log to stderr through the redacting formatter, unless logging is already set
    up by whoever runs the app (then that configuration is theirs to make safe)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(RedactingFormatter(FORMAT))
        root.addHandler(handler)
