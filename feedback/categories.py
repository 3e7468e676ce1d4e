"""Crime category groups, which ones are sensitive, and what support each signposts.

Labels here are for officers and trainers. Victims never see the category: page
titles and messages stay neutral so a page seen over a shoulder gives nothing away.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    sensitive: bool  # QR in person is the default; email/SMS need extra care
    support: tuple[str, ...]


_GENERAL = ("victim_support",)

CATEGORIES = (
    Category("domestic_abuse", "Domestic abuse", True,
             ("domestic_abuse_helpline", "victim_support")),
    Category("sexual_offence", "Sexual offence", True,
             ("rape_crisis", "victim_support")),
    Category("stalking_harassment", "Stalking or harassment", True,
             ("stalking_helpline", "victim_support")),
    Category("hate_crime", "Hate crime", False, ("true_vision", "victim_support")),
    Category("assault", "Assault", False, _GENERAL),
    Category("robbery", "Robbery", False, _GENERAL),
    Category("burglary", "Burglary", False, _GENERAL),
    Category("theft", "Theft", False, _GENERAL),
    Category("vehicle_crime", "Vehicle crime", False, _GENERAL),
    Category("fraud", "Fraud", False, ("action_fraud", "victim_support")),
    Category("criminal_damage", "Criminal damage", False, _GENERAL),
    Category("other", "Other", False, _GENERAL),
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
