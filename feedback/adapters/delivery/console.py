"""Development backend: writes the message to the log instead of sending it.

The recipient is redacted; the body (with its link) is logged, which is the
point of this backend, so production settings should never select it.
"""

import logging

from feedback.adapters.delivery.base import Sent, check_reference
from feedback.domain.recipients import redact_email, redact_phone

logger = logging.getLogger("feedback.adapters.delivery")


class ConsoleEmailSender:
    provider = "console"

    def send(self, to, subject, text, html, reference, *, link=None, expires_on=None):
        check_reference(reference)
        logger.info(
            "Email to %s (reference %s)\nSubject: %s\n\n%s",
            redact_email(to), reference, subject, text,
        )
        return Sent("console", None)


class ConsoleSmsSender:
    provider = "console"

    def send(self, to, text, reference, *, link=None, expires_on=None):
        check_reference(reference)
        logger.info("SMS to %s (reference %s)\n%s", redact_phone(to), reference, text)
        return Sent("console", None)
