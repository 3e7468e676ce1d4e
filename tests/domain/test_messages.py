import datetime
import re

import pytest

from feedback.domain.messages import (
    EMAIL_SUBJECT,
    GSM7_BASIC,
    GSM7_EXTENSION,
    LINK_PATH,
    MAX_BASE_URL,
    MAX_SENDER_NAME,
    SMS_SEGMENT,
    TOKEN_LENGTH_MAX,
    email_message,
    format_date,
    format_date_short,
    gsm7_length,
    is_gsm7,
    sms_limit_problems,
    sms_segments,
    sms_text,
)

LONGEST_BASE_URL = "https://feedback.example.co.uk"
LONGEST_SENDER = "Met Feedback Service"
# URL-safe base64 plus the dots itsdangerous puts between its parts
LONGEST_TOKEN = ("AbCdEfGhIjKlMnOp.AbCdEf_-." + "x" * 70)[:TOKEN_LENGTH_MAX]
URL = "https://feedback.example.co.uk/r/AbCdEfGhIjKlMnOp.aSk2Lw.signature"
EXPIRES = datetime.date(2026, 12, 12)
# Words that would tell someone reading over a shoulder what the message is about
GIVEAWAYS = ["police", "crime", "victim", "abuse", "offence", "officer", "investigat",
             "domestic", "assault", "court", "report", "case", "incident", "safe"]


def every_day_of(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


def test_the_limits_describe_the_longest_inputs_used_below():
    assert len(LONGEST_BASE_URL) == MAX_BASE_URL
    assert len(LONGEST_SENDER) == MAX_SENDER_NAME
    assert len(LONGEST_TOKEN) == TOKEN_LENGTH_MAX


def test_the_sms_fits_one_segment_with_the_longest_url_sender_and_date():
    url = LONGEST_BASE_URL + LINK_PATH + LONGEST_TOKEN
    texts = [sms_text(url, day, LONGEST_SENDER) for day in every_day_of(2026)]
    longest = max(texts, key=gsm7_length)
    assert re.search(r" by \d\d [A-Z][a-z]{2} 2026$", longest)  # a two-digit day
    assert is_gsm7(longest)
    assert gsm7_length(longest) <= SMS_SEGMENT
    assert sms_segments(longest) == 1


def test_real_link_tokens_are_no_longer_than_the_sms_allows():
    from feedback.domain.links import issue_token, new_link_id

    far_future = 2**40  # a bigger timestamp encodes longer
    token = issue_token(new_link_id(), far_future, ["a secret key for the test"])
    assert len(token) <= TOKEN_LENGTH_MAX
    assert is_gsm7(token)


def test_the_sms_names_the_sender_and_ends_with_the_date_not_punctuation_after_the_link():
    text = sms_text(URL, EXPIRES, "Example Service")
    assert text == f"Example Service: tell us how we did {URL} by 12 Dec 2026"


def test_the_sms_reads_naturally_without_a_sender_name():
    assert sms_text(URL, EXPIRES, "") == f"Tell us how we did {URL} by 12 Dec 2026"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "https://x.example/r/a b", 'https://x.example/r/"a', "", None,
     "ftp://x.example/r/a"],
)
def test_messages_refuse_links_that_are_not_plain_web_addresses(url):
    with pytest.raises(ValueError):
        sms_text(url, EXPIRES, "Example Service")
    with pytest.raises(ValueError):
        email_message(url, EXPIRES, "Example Service")


def test_messages_say_nothing_about_why_we_were_in_contact():
    subject, text, html = email_message(URL, EXPIRES, "Example Service")
    for message in (sms_text(URL, EXPIRES, "Example Service"), subject, text, html):
        found = [word for word in GIVEAWAYS if word in message.lower()]
        assert found == []


def test_the_email_has_a_neutral_subject_the_link_and_the_expiry_date():
    subject, text, html = email_message(URL, EXPIRES, "Example Service")
    assert subject == EMAIL_SUBJECT == "Tell us about a recent contact"
    assert URL in text
    assert "until 12 December 2026" in text
    assert "Example Service" in text
    assert f'<a href="{URL}">' in html
    assert "until 12 December 2026" in html


def test_the_email_html_loads_nothing_from_anywhere():
    _, _, html = email_message(URL, EXPIRES, "Example Service")
    assert re.findall(r"https?://[^\s<\"]+", html) == [URL, URL]
    for tag in ("<img", "<script", "<link", "<iframe", "<style", "src=", "url("):
        assert tag not in html.lower()


def test_the_email_html_escapes_a_hostile_sender_name_and_link():
    sender = '<script>alert("x")</script>'
    url = "https://x.example/r/a?b=1&c=2"
    _, text, html = email_message(url, EXPIRES, sender)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="https://x.example/r/a?b=1&amp;c=2"' in html
    assert sender in text  # plain text is not HTML


def test_a_sender_name_cannot_add_lines_to_a_message():
    text = sms_text(URL, EXPIRES, "Example\nService")
    assert "\n" not in text
    assert text.startswith("Example Service: ")


def test_the_email_reads_naturally_without_a_sender_name():
    _, text, html = email_message(URL, EXPIRES, "")
    assert text.startswith("Hello,\n\nWe would like to hear")
    assert text.endswith("Thank you\n")
    assert "<p>Thank you</p>" in html


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (datetime.date(2026, 12, 12), "12 December 2026", "12 Dec 2026"),
        (datetime.date(2026, 9, 1), "1 September 2026", "1 Sep 2026"),
        (datetime.date(2027, 5, 31), "31 May 2027", "31 May 2027"),
    ],
)
def test_dates_are_written_the_gov_uk_way(day, long, short):
    assert format_date(day) == long
    assert format_date_short(day) == short


def test_the_gsm7_alphabet_has_every_character_of_the_standard():
    assert len(GSM7_BASIC) == 127  # 128 codes, less the escape
    assert len(GSM7_EXTENSION) == 10


@pytest.mark.parametrize(
    ("text", "septets"),
    [
        ("", 0),
        ("hello", 5),
        ("Hello, world!", 13),
        ("£$¥@_", 5),
        ("éùìòÇÄÖÑÜäöñüà§¿¡", 17),
        ("ΔΦΓΛΩΠΨΣΘΞ", 10),
        ("€", 2),
        ("^", 2),
        ("{}", 4),
        ("[~]|\\", 10),
        ("a\fb", 4),
        ("line\nbreak", 10),
        ("5€ off", 7),
    ],
)
def test_gsm7_length_counts_extension_characters_twice(text, septets):
    assert is_gsm7(text)
    assert gsm7_length(text) == septets


@pytest.mark.parametrize("text", ["ç", "`", "📱", "naïve", "“quotes”", "–", "\x1b", "\t"])
def test_characters_outside_gsm7_are_detected(text):
    assert not is_gsm7(text)
    with pytest.raises(ValueError):
        gsm7_length(text)


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),
        # 306 septets, but the € cannot straddle two parts, so it needs three
        ("a" * 152 + "€" + "a" * 152, 3),
        ("ç" * 70, 1),
        ("ç" * 71, 2),
        ("ç" * 134, 2),
        ("ç" * 135, 3),
        ("📱" * 35, 1),  # 70 UTF-16 units
        ("📱" * 36, 2),
        ("a" * 159 + "ç", 3),  # one non-GSM character turns the whole text into UCS-2
    ],
)
def test_sms_segments_follow_gsm7_and_ucs2_part_sizes(text, segments):
    assert sms_segments(text) == segments


@pytest.mark.parametrize(
    ("base_url", "sender", "problems"),
    [
        (LONGEST_BASE_URL, LONGEST_SENDER, []),
        ("", "", []),
        (LONGEST_BASE_URL + "k", "Example", ["BASE_URL must be at most 30 characters"]),
        ("https://example.com", "x" * 21, ["SENDER_NAME must be at most 20 characters"]),
        ("https://example.com", "Café Service", []),
        ("https://example.com", "Façade",
         ["SENDER_NAME must only use plain letters, digits and punctuation"]),
        ("https://example.com", "Service €",
         ["SENDER_NAME must only use plain letters, digits and punctuation"]),
    ],
)
def test_settings_that_would_break_the_one_segment_rule_are_named(base_url, sender, problems):
    assert sms_limit_problems(base_url, sender) == problems
