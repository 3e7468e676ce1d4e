"""Typed survey codes: for a phone that cannot scan the QR code.

A code is 10 characters of Crockford's base32 (no I, L, O or U, so nothing is
mistaken when read aloud or written down): 50 random bits, shown in two groups of
five. It is derived from the link id with the secret key, like the link itself,
so it is never stored: the links table keeps only a digest of it for looking it
up. A code typed with spaces, dashes, lower case, O for 0 or I and L for 1 reads
the same.
"""

import hashlib
import hmac
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def derive(link_id, key):
    """The code for a link, signed with key (the current secret when made)."""
    digest = hmac.new(key.encode(), f"survey-code\0{link_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * LENGTH)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def normalise(typed):
    """The canonical code for what someone typed, or None if it cannot be one."""
    text = re.sub(r"[\s\-]", "", (typed or "").upper()).translate(_READS_AS)
    return text if _VALID.match(text) else None


def digest(code):
    """What the links table keeps to find a link by its code."""
    return hashlib.sha256(f"survey-code\0{code}".encode()).hexdigest()


def shown(code):
    return f"{code[:5]}-{code[5:]}"


def for_link(link, keys):
    """The code of a stored link: the key it was made with is the one whose code
    matches the stored digest (keys rotate as the link's signing key does)."""
    for key in reversed(keys):
        code = derive(link["id"], key)
        if link.get("code_digest") == digest(code):
            return code
    return None
