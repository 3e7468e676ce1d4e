import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from feedback.domain.privacy.anonymise import (
    DEFAULT_CRIME_REFERENCE_PATTERNS,
    compile_patterns,
    iso_week,
    redact,
)

PATTERNS = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)


@pytest.mark.parametrize("text, expected", [
    ("mail sam.jones+x@example.co.uk now", "mail [email] now"),
    ("call 07700 900982", "call [phone number]"),
    ("call 07700900982.", "call [phone number]."),
    ("call +44 7700 900982", "call [phone number]"),
    ("call +44 (0)20 7946 0000", "call [phone number]"),
    ("landline 020 7946 0000", "landline [phone number]"),
    ("I live at NW1 2DB", "I live at [postcode]"),
    ("postcode sw1a1aa", "postcode [postcode]"),
    ("NI QQ 12 34 56 C", "NI [National Insurance number]"),
    ("NI AB123456D", "NI [National Insurance number]"),
    ("crime ref 1234567/26", "crime ref [reference]"),
    ("CAD 4321 was raised", "[reference] was raised"),
    ("ref 01/123456/26", "ref [reference]"),
    ("ring (020) 7946 0958", "ring [phone number]"),
    ("ring 0044 7700 900982", "ring [phone number]"),
    ("ring 7700 900982", "ring [phone number]"),
    ("ring +1 202-555-0143 today", "ring [phone number] today"),
    ("mail jane dot doe at gmail dot com", "mail [email]"),
    ("mail jane [at] gmail [dot] com", "mail [email]"),
    ("email me: sarah.o'neil@gmail.com", "email me: [email]"),
])
def test_contact_details_and_references_are_removed(text, expected):
    assert redact(text, PATTERNS, 500) == expected


def test_the_comment_from_issue_7_keeps_nothing_that_identifies_anyone():
    text = ("PC Jones on CRIS 1234567/26 said he'd call 07700 900982. Mail "
            "jane.doe@example.com, 12 High Street SW1A 1AA. My name is Jane Doe.")
    assert redact(text, PATTERNS, 500) == (
        "[name] on CRIS [reference] said he'd call [phone number]. Mail [email], "
        "[address] [postcode]. My name is [name].")


@pytest.mark.parametrize("text, expected", [
    ("PC Jones was rude", "[name] was rude"),
    ("pc smith was rude", "[name] was rude"),
    ("Thank you Sgt. Adeyinka", "Thank you [name]"),
    ("Detective Sergeant Morris never rang", "[name] never rang"),
    ("the officer DC Emma Clarke was great", "the officer [name] was great"),
    ("Mrs Fatima Begum (my mother)", "[name] (my mother)"),
    ("Pani Wiśniewska zadzwoniła", "[name] zadzwoniła"),
    ("Domnul Ionescu m-a ajutat", "[name] m-a ajutat"),
    ("My name is Jane Doe.", "My name is [name]."),
    ("my name is kelly ann moore and i", "my name is [name] and i"),
    ("Nazywam się Agnieszka Kowalska i", "Nazywam się [name] i"),
    ("Mă numesc Andreea Popescu și", "Mă numesc [name] și"),
    ("a boy called Reece hit him", "a boy called [name] hit him"),
    ("I'm Aisha and I", "I'm [name] and I"),
    ("My ex Darren keeps coming", "My ex [name] keeps coming"),
    ("my ex jason is messaging", "my ex [name] is messaging"),
    ("My wife Precious rang", "My wife [name] rang"),
    ("Mój syn Mateusz był", "Mój syn [name] był"),
    ("Fiica mea Ioana a fost", "Fiica mea [name] a fost"),
    ("I told Mohammed Ali everything", "I told [name] everything"),
    ("It was Lee Barker again", "It was [name] again"),
    ("Stacey-Ann made me tea", "[name] made me tea"),
    ("Hope answered the phone", "[name] answered the phone"),
    ("I spoke to Wisniewska", "I spoke to [name]"),
    ("JAMES WAS RUDE TO ME", "[name] WAS RUDE TO ME"),
    ("The PCSO called Tamsin was lovely", "The PCSO called [name] was lovely"),
    ("Dziękuję pani Ewie za pomoc", "Dziękuję pani [name] za pomoc"),
    ("Thank you to Abdirahman and the team", "Thank you to [name] and the team"),
    ("my son is dave and he", "my son is [name] and he"),
    ("Jestem Halina i mam 70 lat.", "Jestem [name] i mam 70 lat."),
])
def test_names_are_removed(text, expected):
    assert redact(text, PATTERNS, 500) == expected


@pytest.mark.parametrize("text, expected", [
    ("I live at 12 High Street", "I live at [address]"),
    ("at Flat 3, 27 Mile End Road now", "at [address] now"),
    ("Flat 7B, 120 Seven Sisters Road", "[address]"),
    ("send it to 22 florence road", "send it to [address]"),
    ("outside 10a Lordship Lane.", "outside [address]."),
    ("reg LB07 SEO", "reg [vehicle registration]"),
    ("a car KM19VZP", "a car [vehicle registration]"),
    ("reg was ab12cde", "reg was [vehicle registration]"),
    ("the van R123 ABC", "the van [vehicle registration]"),
    ("an old NUT 123R", "an old [vehicle registration]"),
    ("born 3 July 1992 in", "born [date of birth] in"),
    ("DOB 19/08/2001", "DOB [date of birth]"),
    ("Urodziłam się 3 marca 1990", "Urodziłam się [date of birth]"),
    ("M-am născut pe 14 iunie 1983", "M-am născut pe [date of birth]"),
])
def test_addresses_registrations_and_birth_dates_are_removed(text, expected):
    assert redact(text, PATTERNS, 500) == expected


@pytest.mark.parametrize("text, expected", [
    ("card 4539 5260 1815 9083 used", "card [card number] used"),
    ("card 5100-2742-3159-4259", "card [card number]"),
    ("IBAN GB29 NWBK 6016 1331 9268 19 to", "IBAN [bank details] to"),
    ("konto PL61109010140000071219812874", "konto [bank details]"),
    ("sort code 20-00-00 account 55779911", "sort code [bank details] account [bank details]"),
    ("NHS number 843 738 1711", "NHS number [NHS number]"),
    ("NHS 2737289025", "NHS [NHS number]"),
    ("my nhs no is 485 777 3456", "my nhs no is [NHS number]"),  # a slip in the check digit
    ("passport number 533401327", "passport number [passport number]"),
    ("passport no EA1234567", "passport no [passport number]"),
    ("licence MORGA753116SM9IJ", "licence [driving licence number]"),
])
def test_card_bank_and_identity_numbers_are_removed(text, expected):
    assert redact(text, PATTERNS, 500) == expected


@pytest.mark.parametrize("text", [
    "The officer was kind and explained everything",
    "Victim Support rang me the next day",
    "The station on High Street was closed",
    "It took 2 hours for someone to come",
    "I waited 3 hours on the High Street",
    "I rated it 5 out of 10",
    "They came on 12/10/2026 at 10:30",
    "Room 101",
    "Team B2 were great",
    "Team B2 was great",
    "I paid 150000 pounds in 2026 and 2025",
    "They arrived at home at 10pm",
    "Will someone call me back?",
    "May was a very hard month",
    "Hope to hear from someone soon",
    "Frank and honest advice",
    "Grace period on the fine was not explained",
    "Bill was sent to the wrong address",
    "Mark my words, he will do it again",
    "I reported it in May and again in June",
    "Rose Lane is badly lit",
    "The officers searched Victoria Park",
    "Thank you to the team at Charing Cross",
    "I went to Bethnal Green station",
    "He drove a black Ford Focus",
    "I'm Polish and the officer spoke Polish",
    "I called Victim Support myself",
    "Brown envelopes make me panic",
    "The card number 4539 5260 1815 9084 fails the Luhn check",
    "A ten-digit number 1234567890 is not a valid NHS number",
    "IBAN GB00 NWBK 6016 1331 9268 19 has a wrong check",
    "Policjant był bardzo miły i cierpliwy.",
    "Am așteptat patru ore la secția de poliție.",
    "PLEASE CALL ME BACK, I HAVE BEEN WAITING SINCE MAY",
    "My son is Autistic and the officer understood",
    "My husband is Polish",
    "Thanks, Brilliant service",
    "Thank you for Everything",
    "I WANT TO COMPLAIN ABOUT THE CCTV AND THE MET POLICE",
])
def test_ordinary_feedback_is_kept(text):
    assert redact(text, PATTERNS, 500) == text


@pytest.mark.parametrize("text, expected", [
    ("line one\r\nline two", "line one\nline two"),
    ("tab\there", "tab here"),
    ("bell\x07 and null\x00 gone", "bell and null gone"),
    ("zero\u200bwidth and \u202eoverride", "zerowidth and override"),
    ("cafe\u0301", "café"),
    ("07700\u200b900982", "[phone number]"),
])
def test_text_is_normalised_before_redaction(text, expected):
    assert redact(text, PATTERNS, 500) == expected


def test_text_is_cut_to_the_limit():
    assert redact("  " + "a" * 600, PATTERNS, 500) == "a" * 500


def test_a_marker_longer_than_the_detail_never_takes_the_text_past_the_limit():
    text = "Al " * 40  # "Al" is a name: each one becomes the longer "[name]"
    redacted = redact(text, PATTERNS, 100)
    assert len(redacted) <= 100
    assert set(redacted.split()) == {"[name]"}


def test_the_cut_never_leaves_half_a_marker_or_half_a_detail():
    # The phone number's marker would run past the limit: it goes whole, not in part.
    text = "word " * 18 + "call 07700 900982 please"
    assert redact(text, PATTERNS, 100) == "word " * 18 + "call"
    # The limit falls inside the number: the digits before it do not stay behind.
    assert redact("x" * 90 + " 07700 900982", PATTERNS, 100) == "x" * 90


def test_redacting_twice_changes_nothing():
    once = redact("PC Jones at 12 High Street, 07700 900982", PATTERNS, 500)
    assert redact(once, PATTERNS, 500) == once == "[name] at [address], [phone number]"


def test_configured_reference_patterns_are_used():
    patterns = compile_patterns([r"\bMET-\d{4}\b"])
    assert redact("see MET-1234", patterns, 100) == "see [reference]"


@pytest.mark.parametrize("day, week", [
    (date(2026, 11, 28), "2026-W48"),
    (date(2026, 1, 1), "2026-W01"),
    (date(2027, 1, 1), "2026-W53"),
    (date(2024, 12, 30), "2025-W01"),
])
def test_submissions_are_dated_only_by_iso_week(day, week):
    assert iso_week(day) == week


def test_a_long_run_of_blanks_is_redacted_at_once():
    """Every free-text answer is redacted as it is submitted. A run of blanks once took
    the "..., where I work" finder about 9 s at 2,000 characters, tried from every blank
    of the run: an anonymous form could have tied up a server. The answer here is
    redacted in a process of its own, stopped after 30 s; it takes milliseconds now.
    Spaces, tabs and non-breaking spaces are all blanks."""
    text = "ok." + " \t\u00a0" * 1330 + "x, where I work"
    script = ("import sys; from feedback.domain.privacy.anonymise import "
              "DEFAULT_CRIME_REFERENCE_PATTERNS, compile_patterns, normalise, redact; "
              "text = sys.stdin.read(); "
              "print(redact(text, compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS), "
              "len(text)) == normalise(text))")  # nothing in it is a detail
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          input=text, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout) == (0, "True\n"), done.stderr
