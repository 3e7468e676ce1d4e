"""Team and borough names refused and accepted: the same cases for every way a name
comes in (accounts.check_name itself, the admin's team form, `flask users create`),
so the rule cannot drift apart between them again (the form once took
"Team A/B, North" and the command refused it)."""

# (name, what the refusal says)
REFUSED = [
    ("=HYPERLINK(\"https://evil.example\")", "can only contain the letters A to Z, digits,"),
    ("<b>CID</b>", "can only contain"),
    ("CID\nSecond line", "can only contain"),
    ("CID\u200bhidden", "can only contain"),
    ("Zoë's team", "can only contain"),
    ("CID; DROP", "can only contain"),
    ("-Response", "must start with a letter or digit"),
    ("'Response", "must start with a letter or digit"),
    ("a" * 61, "must be 60 characters or fewer"),
]

# (team, borough), stored as typed once trimmed
ACCEPTED = [
    ("CID (Serious Crime)", "Kensington & Chelsea"),
    ("St. John's Wood Safer Neighbourhoods", "Barking and Dagenham"),
    ("Response Team 1", "Richmond-upon-Thames"),
    ("Team A/B, North", "Hammersmith & Fulham"),
    ("a" * 60, "b" * 60),
]
