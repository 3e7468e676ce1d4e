"""Crime category groups and which ones are sensitive.

Labels here are for officers and trainers. Victims never see the category: page
titles and messages stay neutral so a page seen over a shoulder gives nothing away.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    sensitive: bool  # QR in person is the default; email/SMS need extra care


CATEGORIES = (
    Category("domestic_abuse", "Domestic abuse", True),
    Category("sexual_offence", "Sexual offence", True),
    Category("stalking_harassment", "Stalking or harassment", True),
    Category("hate_crime", "Hate crime", False),
    Category("assault", "Assault", False),
    Category("robbery", "Robbery", False),
    Category("burglary", "Burglary", False),
    Category("theft", "Theft", False),
    Category("vehicle_crime", "Vehicle crime", False),
    Category("fraud", "Fraud", False),
    Category("criminal_damage", "Criminal damage", False),
    Category("other", "Other", False),
)

BY_CODE = {c.code: c for c in CATEGORIES}


def get(code):
    return BY_CODE.get(code, BY_CODE["other"])


# Groups for reporting: a trainer's filters and the export's first step of
# generalisation (category -> group -> any). Each category is in exactly one.
GROUPS = (
    ("vawg", "Domestic abuse, sexual offences and stalking",
     ("domestic_abuse", "sexual_offence", "stalking_harassment")),
    ("violence", "Violence, robbery and hate crime", ("assault", "robbery", "hate_crime")),
    ("acquisitive", "Burglary, theft and vehicle crime", ("burglary", "theft", "vehicle_crime")),
    ("other", "Fraud, damage and other crime", ("fraud", "criminal_damage", "other")),
)
GROUP_LABELS = {code: label for code, label, _ in GROUPS}
GROUP_OF = {category: code for code, _, members in GROUPS for category in members}


def group_of(code):
    return GROUP_OF.get(code, "other")
