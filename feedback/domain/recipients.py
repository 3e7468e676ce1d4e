"""Check and normalise a victim's mobile number or email address before sending.

Pure functions: the recipient is used in memory to send and then dropped, so
nothing here stores or logs it. The redact_* helpers give the few characters a
developer needs to tell console messages apart, never the whole recipient.
"""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

ENTER_MOBILE = "Enter a mobile phone number"
ENTER_UK_MOBILE = "Enter a UK mobile number, like 07700 900 982"
ENTER_ANY_MOBILE = "Enter a mobile number, like 07700 900 982 or +33 6 12 34 56 78"
ENTER_EMAIL = "Enter an email address"
ENTER_EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"

# Longer than any formatted phone number, so a pasted essay fails before parsing.
MAX_PHONE_INPUT = 30
MAX_EMAIL_INPUT = 320

# Digits, spaces, dashes, dots and brackets, with an optional leading "+".
# phonenumbers alone would accept letters ("0800 FLOWERS") and extensions ("x12").
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-.]+$")

# Ofcom keeps 07700 900000-900999 for drama and examples (GOV.UK uses them too).
# phonenumbers calls them invalid; no real phone has one, so accepting them only
# lets developers and tests use the example numbers officers will see.
_OFCOM_DRAMA_MOBILE = re.compile(r"^\+447700900\d{3}$")

_UK_COUNTRY_CODE = 44
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE}
_INTERNATIONAL_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class InvalidRecipient(ValueError):
    """The message is an instruction for a GOV.UK-style error summary."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_uk_mobile(text, allow_international=False):
    """Return the number in E.164 (+447700900982) or raise InvalidRecipient."""
    wrong = ENTER_ANY_MOBILE if allow_international else ENTER_UK_MOBILE
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise InvalidRecipient(ENTER_MOBILE)
    if len(text) > MAX_PHONE_INPUT or not _PHONE_CHARACTERS.match(text):
        raise InvalidRecipient(wrong)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise InvalidRecipient(wrong) from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if _OFCOM_DRAMA_MOBILE.match(e164):
        return e164
    if not phonenumbers.is_valid_number(number):
        raise InvalidRecipient(wrong)
    if number.country_code == _UK_COUNTRY_CODE:
        allowed = _MOBILE_TYPES
    elif allow_international:
        allowed = _INTERNATIONAL_MOBILE_TYPES
    else:
        raise InvalidRecipient(wrong)
    if phonenumbers.number_type(number) not in allowed:
        raise InvalidRecipient(wrong)
    return e164


def parse_email(text):
    """Return the address normalised for sending, or raise InvalidRecipient.

    No DNS lookup: it would be slow, and it would tell a resolver operator which
    domain a victim uses.
    """
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise InvalidRecipient(ENTER_EMAIL)
    if len(text) > MAX_EMAIL_INPUT:
        raise InvalidRecipient(ENTER_EMAIL_FORMAT)
    try:
        # SMTPUTF8 off: providers reject non-ASCII mailboxes inconsistently, and a
        # failed send is worse than asking for another address up front.
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidRecipient(ENTER_EMAIL_FORMAT) from None
    return checked.ascii_email


def redact_phone(e164):
    """'+447700900982' -> '07*** ***982'; foreign numbers keep the country code."""
    if not isinstance(e164, str) or not re.match(r"^\+\d{8,15}$", e164):
        return "***"
    if e164.startswith("+447"):
        return "07*** ***" + e164[-3:]
    try:
        country = phonenumbers.parse(e164).country_code
    except phonenumbers.NumberParseException:
        return "***"
    return f"+{country} *** ***{e164[-3:]}"


def redact_email(address):
    """'name@example.com' -> 'n***@e***.com'."""
    if not isinstance(address, str) or address.count("@") != 1:
        return "***"
    local, domain = address.split("@")
    host, dot, suffix = domain.rpartition(".")
    if not local or not host or not dot:
        return "***"
    return f"{local[0]}***@{host[0]}***.{suffix}"
