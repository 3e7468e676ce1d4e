"""Keep link tokens and visitors' addresses out of every log line.

The development server logs each request as "ADDRESS - - [date] GET /r/TOKEN";
Flask logs the path of a request that failed. Both pass through this filter,
which is attached to the root log handlers by create_app.
"""

import logging
import re

_TOKEN_PATH = re.compile(r"/r/[^\s\"?]+")
_REQUEST_ADDRESS = re.compile(r"^\S+ - - \[")


class RedactFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = _REQUEST_ADDRESS.sub("- - - [", _TOKEN_PATH.sub("/r/[token]", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install(level):
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())
