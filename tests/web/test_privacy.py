"""Victim contact details are used to send, then dropped: never in the database
(or its WAL), the logs, officer or trainer pages, or exports (docs/design.md)."""

import logging
import re
from pathlib import Path

from twilio.request_validator import RequestValidator

from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.dates import LAST_QUARTER, TODAY, quarter_days
from tests.fake_providers import sendgrid_env, twilio_env
from tests.officer_pages import send
from tests.stored import stored_bytes
from tests.trainer_data import add_sample

PHONE = "07700 900 613"
EMAIL = "zebra.quartz7781@example.org"
TRACES = ["7700900613", "7700 900 613", "900613", "900 613", "zebra.quartz7781",
          "zebra%2Equartz7781", "quartz7781"]


def scan(text_or_bytes):
    data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
    found = [trace for trace in TRACES if trace.encode() in data]
    # SQLite stores text as UTF-8; the number could also be stored as digits only.
    found += [trace for trace in TRACES if trace.encode("utf-16-le") in data]
    return found


def test_a_sent_number_and_address_are_nowhere_afterwards(officer_on, fake_provider, caplog,
                                                          make_user):
    caplog.set_level(logging.DEBUG)
    env = {**twilio_env(fake_provider), **sendgrid_env(fake_provider),
           "TWILIO_AUTH_TOKEN": "twilio-test-token"}
    app, browser, db, link = officer_on(env)
    send(browser, link, "sms", PHONE, status=303)
    send(browser, link, "email", EMAIL, status=303)
    fake_provider.fail_next(500)
    send(browser, link, "sms", PHONE, status=502)
    send(browser, link, "email", "zebra.quartz7781@", status=400)

    # A delivery receipt whose body names the recipient.
    ref = next(db.query("SELECT delivery_ref FROM links WHERE id = ?", [link["id"]]))[
        "delivery_ref"]
    params = {"MessageStatus": "delivered", "To": "+447700900613", "MessageSid": "SM1"}
    url = f"https://feedback.example.test/webhooks/twilio?ref={ref}"
    app.test_client().post(f"/webhooks/twilio?ref={ref}", data=params, headers={
        "X-Twilio-Signature": RequestValidator("twilio-test-token").compute_signature(
            url, params)})

    # The victim answers; a trainer looks at everything.
    path = re.search(r"/r/[^<\s]+", browser.get(f"/officer/links/{link['id']}")
                     .get_data(as_text=True)).group(0)
    # The person writes their own number in the comment box, as people do.
    submit_survey(app.test_client(), path, {**AT_REPORT_ANSWERS, "comments": f"Ring me {PHONE}"})
    # Enough other responses (since the start of the last quarter that has ended) for
    # every trainer figure and file to be shown, so that what is scanned below is
    # real CSV, not refusals.
    add_sample(app, db, 900, quarter_days(LAST_QUARTER)[0], TODAY)
    pages = [browser.get(url).get_data(as_text=True) for url in (
        "/officer/links", f"/officer/links/{link['id']}", "/officer/links/new")]
    pages.append(browser.get(f"/officer/links/{link['id']}/send/sms", status=409)
                 .get_data(as_text=True))
    make_user("trainer@example.com", role="trainer")
    trainer = type(browser)(app.test_client())
    trainer.sign_in("trainer@example.com")
    pages += [trainer.get(url).get_data(as_text=True) for url in (
        "/trainer/", "/trainer/export", "/trainer/comments",
        f"/trainer/export?survey=at_report&quarter={LAST_QUARTER}")]
    for table in ("satisfaction", "trend", "distributions", "focus", "funnel"):
        download = trainer.post_form("/trainer/", {}, action=f"/trainer/tables/{table}.csv")
        assert download.mimetype == "text/csv"
        pages.append(download.get_data(as_text=True))
    for kind in ("responses", "dictionary"):
        download = trainer.post_form("/trainer/export", {"survey": "at_report",
                                     "quarter": LAST_QUARTER}, action=f"/trainer/export/{kind}")
        assert download.mimetype == "text/csv"
        pages.append(download.get_data(as_text=True))

    if db.dialect == "sqlite":  # the WAL is scanned before any checkpoint empties it
        assert Path(f"{app.config['DATABASE_PATH']}-wal").exists()
    assert scan(stored_bytes(app, db)) == []
    assert scan(caplog.text) == []
    for page in pages:
        assert scan(page) == []
    # And the check itself works: the fake provider did receive them.
    assert scan(b"".join(r.raw for r in fake_provider.requests))
