import pytest

from feedback.domain.recipients import (
    ENTER_ANY_MOBILE,
    ENTER_EMAIL,
    ENTER_EMAIL_FORMAT,
    ENTER_MOBILE,
    ENTER_UK_MOBILE,
    InvalidRecipient,
    parse_email,
    parse_uk_mobile,
    redact_email,
    redact_phone,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07700 900982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("447700900982", "+447700900982"),
        ("07700-900-982", "+447700900982"),
        ("(07700) 900982", "+447700900982"),
        ("  07700 900982  ", "+447700900982"),
        ("+44 (0)7700 900982", "+447700900982"),
        ("0044 7700 900982", "+447700900982"),
        ("07123 456789", "+447123456789"),
        ("07624 123456", "+447624123456"),  # Isle of Man: +44 network, UK mobile
    ],
)
def test_uk_mobile_numbers_are_accepted_in_the_ways_people_write_them(text, expected):
    assert parse_uk_mobile(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ENTER_MOBILE),
        ("   ", ENTER_MOBILE),
        (None, ENTER_MOBILE),
        ("020 7946 0000", ENTER_UK_MOBILE),  # landline
        ("0770090098", ENTER_UK_MOBILE),  # one digit short
        ("077009009821", ENTER_UK_MOBILE),  # one digit long
        ("+1 202 555 0143", ENTER_UK_MOBILE),  # foreign
        ("+33 6 12 34 56 78", ENTER_UK_MOBILE),  # foreign mobile
        ("abc", ENTER_UK_MOBILE),
        ("07700 900982 x12", ENTER_UK_MOBILE),  # extension
        ("0800 FLOWERS", ENTER_UK_MOBILE),
        ("076 0012 3456", ENTER_UK_MOBILE),  # pager
        ("070 1234 5678", ENTER_UK_MOBILE),  # personal number, not a phone
        ("7" * 5000, ENTER_UK_MOBILE),
        ("07700+900982", ENTER_UK_MOBILE),
    ],
)
def test_numbers_that_are_not_uk_mobiles_are_rejected_with_an_instruction(text, message):
    with pytest.raises(InvalidRecipient) as caught:
        parse_uk_mobile(text)
    assert caught.value.message == message
    assert str(caught.value) == message


def test_foreign_mobiles_are_accepted_only_when_allowed():
    assert parse_uk_mobile("+33 6 12 34 56 78", allow_international=True) == "+33612345678"
    assert parse_uk_mobile("07700 900982", allow_international=True) == "+447700900982"


@pytest.mark.parametrize("text", ["020 7946 0000", "+33 1 23 45 67 89", "abc"])
def test_international_mode_still_rejects_landlines_and_nonsense(text):
    with pytest.raises(InvalidRecipient) as caught:
        parse_uk_mobile(text, allow_international=True)
    assert caught.value.message == ENTER_ANY_MOBILE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name@example.com", "name@example.com"),
        ("  name@example.com ", "name@example.com"),
        ("First.Last@Example.COM", "First.Last@example.com"),
        ("name+tag@sub.example.co.uk", "name+tag@sub.example.co.uk"),
        ("name@bücher.example", "name@xn--bcher-kva.example"),
    ],
)
def test_email_addresses_are_normalised_for_sending(text, expected):
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ENTER_EMAIL),
        (None, ENTER_EMAIL),
        ("name", ENTER_EMAIL_FORMAT),
        ("name@", ENTER_EMAIL_FORMAT),
        ("@example.com", ENTER_EMAIL_FORMAT),
        ("name@example", ENTER_EMAIL_FORMAT),
        ("name@@example.com", ENTER_EMAIL_FORMAT),
        ("name example@example.com", ENTER_EMAIL_FORMAT),
        ("Name <name@example.com>", ENTER_EMAIL_FORMAT),
        ("name@example.com\nBcc: other@example.com", ENTER_EMAIL_FORMAT),
        ("名前@example.com", ENTER_EMAIL_FORMAT),
        ("a" * 5000 + "@example.com", ENTER_EMAIL_FORMAT),
    ],
)
def test_email_addresses_in_the_wrong_format_are_rejected_with_an_instruction(text, message):
    with pytest.raises(InvalidRecipient) as caught:
        parse_email(text)
    assert caught.value.message == message


def test_email_check_makes_no_dns_lookup(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("DNS lookup")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert parse_email("name@no-such-domain-for-tests.example") == (
        "name@no-such-domain-for-tests.example"
    )


@pytest.mark.parametrize(
    ("e164", "redacted"),
    [
        ("+447700900982", "07*** ***982"),
        ("+33612345678", "+33 *** ***678"),
        ("07700900982", "***"),
        ("", "***"),
        (None, "***"),
    ],
)
def test_phone_numbers_are_redacted_to_a_few_digits(e164, redacted):
    assert redact_phone(e164) == redacted


@pytest.mark.parametrize(
    ("address", "redacted"),
    [
        ("name@example.com", "n***@e***.com"),
        ("first.last@mail.example.co.uk", "f***@m***.uk"),
        ("nodomain", "***"),
        ("a@b", "***"),
        ("a@b@c.com", "***"),
        (None, "***"),
    ],
)
def test_email_addresses_are_redacted_to_a_few_characters(address, redacted):
    assert redact_email(address) == redacted
