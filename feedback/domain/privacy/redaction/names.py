"""Finder for people's names, victims', suspects' and officers' alike.

A word is taken as a name when something says so: a title or rank ("PC Jones",
"pan Nowak"), a relation ("my ex Darren"), "my name is", "a man called", "I'm". Without
such a word, a capitalised word is a name when names.txt lists it (forenames and
surnames, UK first, then Polish, Romanian and Arabic ones; see
scripts/build_name_list.py). Names that are also everyday words ("Will", "Grace",
"Brown") need more: a capital letter in the middle of a sentence, or a neighbouring name.
A capitalised word that is in neither names.txt nor words.txt (no English word, place or
brand the larger word list knows) is a name when what follows says a person: "Oksana
took my call".
"""

import bisect
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from feedback.domain.privacy.redaction.wordlists import (
    CALLED,
    DESCRIBED,
    FUNCTION_WORDS,
    I_AM,
    INSTITUTIONS,
    LOWERCASE_TITLES,
    NAME_IS,
    NAMED_THINGS,
    NICKNAME_WORDS,
    NICKNAMED,
    NOT_BEFORE_FROM,
    NOT_NAMES,
    PERSON_VERBS,
    PLACE_WORDS,
    QUOTED_AFTER,
    RELATIONS,
    ROLES,
    ROLES_WITHOUT_COMMA,
    STRONG_TITLES,
    THANKS,
    VERBS,
    WEAK_TITLES,
)

NAMES_FILE = Path(__file__).with_name("names.txt")
WORDS_FILE = Path(__file__).with_name("words.txt")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_ENDS = set(".!?:;\n\"“(")
_POSSESSIVES = {"my", "his", "her", "their", "our", "your", "mój", "moja", "mojego",
                "mojej", "moim", "moją", "meu", "mea", "lui", "ei"}
_TRIGGERS = [(re.compile(NAME_IS, re.IGNORECASE), "any"),
             (re.compile(CALLED, re.IGNORECASE), "called"),
             (re.compile(I_AM, re.IGNORECASE), "capital"),
             (re.compile(THANKS, re.IGNORECASE), "thanks"),
             (re.compile(NICKNAMED, re.IGNORECASE), "nickname")]
_ENGLISH_POSSESSIVES = {"my", "his", "her", "their", "our", "your", "ex"}
_IS = {"is", "was", "jest", "był", "była", "este", "e"}
_FOLLOWER = re.compile(r"[ ,:]+")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_NAMED_THINGS = re.compile(NAMED_THINGS, re.IGNORECASE)
# A name alone in brackets: "ask for her by name (Shahnaz)".
_BRACKETED = re.compile(r"\(([^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?)\)")
_AND = re.compile(r" (?:and|&) ")
# Words after which a forename typed in lower case is a thing: "a teddy", "the jack".
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "some", "any", "no",
                "every", "each", "another"}
# A nickname in quotes: "known as 'Polish Pete'", "'Smudge' is what they call him".
_QUOTE = r"['‘\"“]([A-Z][\w’-]*(?: [A-Z][\w’-]*){0,2})['’\"”]"
_QUOTED = re.compile(rf"(?i:{QUOTED_AFTER})\s+{_QUOTE}|{_QUOTE}\s+(?i:is\s+what\s+"
                     r"(?:they|people|everyone|everybody|we|kids|lads)\s+call)")


@lru_cache(maxsize=4)
def load_names(path=NAMES_FILE):
    """name (lower case) -> flags: f forename, s surname, w also an everyday word.
    Read once at start-up (and once per process: every app the tests create shares
    it, read-only); unaccented spellings ("Wisniewska") are added."""
    names, shared = {}, {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                name, flags = line.rstrip("\n").split("\t")
                # About ten distinct flag strings: one copy of each, not 136,000.
                names[name] = shared.setdefault(flags, flags)
    for name, flags in list(names.items()):
        # Typed without accents, a name can be an everyday word ("Pătru", "patru" is
        # Romanian for four): it needs the context an everyday word needs. A name in
        # plain ASCII is its own unaccented spelling, already there.
        if not name.isascii():
            names.setdefault(_unaccented(name), flags if "w" in flags else flags + "w")
    return MappingProxyType(names)


@lru_cache(maxsize=4)
def load_words(path=WORDS_FILE):
    """Every English word, place and brand of the larger word list that is no name
    (scripts/build_name_list.py), in lower case; read once per process."""
    with open(path, encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if not line.startswith("#"))


def _unaccented(word):
    decomposed = unicodedata.normalize("NFKD", word.replace("ł", "l").replace("Ł", "L"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _flags(key, names):
    flags = names.get(key)
    if flags is None and _unaccented(key) in names:
        # Accents the listed name lacks make it a word of another language: "Mașina"
        # (Romanian, a car) is not the Zulu surname Masina.
        flags = names[_unaccented(key)] + ("" if key == _unaccented(key) else "w")
    parts = key.split("-")
    if flags is None and len(parts) > 1:  # "Stacey-Ann", "Okafor-Smith"
        found = [names.get(part) or names.get(_unaccented(part)) for part in parts]
        if all(found):
            everyday = all("w" in f for f in found)
            flags = "".join(sorted(set("".join(found)) - {"w"})) + ("w" if everyday else "")
    return flags


class _Token:
    __slots__ = ("start", "end", "word", "key", "capital", "lower", "shouted", "first", "flags",
                 "unknown", "nowhere")

    def __init__(self, match, text, names, words):
        self.start, self.end, self.word = match.start(), match.end(), match.group()
        self.key = _POSSESSIVE.sub("", self.word).lower()
        self.capital = self.word[0].isupper() and not (len(self.word) > 1 and self.word.isupper())
        self.lower = self.word.islower()
        self.shouted = len(self.word) > 2 and self.word.isupper()
        before = text[max(0, self.start - 20):self.start].rstrip(" ")
        self.first = not before or before[-1] in _SENTENCE_ENDS
        self.flags = _flags(self.key, names)
        # A capitalised word in no list at all: a name from somewhere the lists do not
        # cover, most likely.
        # Of a word with a hyphen, one part at least: "Asante-Darko", not "No-one".
        self.nowhere = self.flags is None and not all(
            part in words or _unaccented(part) in words or part in names or part in NOT_NAMES
            for part in self.key.split("-"))
        self.unknown = self.nowhere and self.capital

    @property
    def ordinary(self):
        return self.key in FUNCTION_WORDS or self.key in NOT_NAMES


def _joined(text, left, right):
    """Whether two tokens are neighbours within one name: a space, or the dot of an
    initial or a title ("J. Smith", "Sgt. Adeyinka")."""
    gap = text[left.end:right.start]
    return gap == " " or (gap == ". " and (len(left.word) == 1 or _is_title(left)))


def _is_title(token):
    return token.key in STRONG_TITLES or token.key in WEAK_TITLES


def _listed_name(tokens, i, text):
    """A capitalised word in names.txt, judged without any trigger word."""
    token = tokens[i]
    previous = tokens[i - 1] if i else None
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.shouted and token.flags and not {"w", "r"} & set(token.flags) and not token.ordinary \
            and any(t and t.shouted for t in (previous, following)):
        return True  # "JAMES WAS RUDE", not "CRIS 1234567/26"
    if not token.flags or not token.capital or token.key in NOT_NAMES:
        return False
    if following and following.key in PLACE_WORDS and _joined(text, token, following):
        return False  # "Victoria Park", "Rose Lane"
    if "r" in token.flags and (_names_a_place(tokens, i, text)
                               or previous is not None and previous.key in _DETERMINERS):
        return False  # a rarer name in a place's or a thing's: "Broadwater Farm Estate",
        # "the Luhn check"
    if token.key in PLACE_WORDS and previous and previous.capital \
            and _joined(text, previous, token):
        return False  # "Charing Cross", "Bethnal Green"
    if previous and previous.key in ("st", "saint") and _joined(text, previous, token):
        return False  # "St Thomas'" is a hospital
    if "w" in token.flags and previous and previous.capital and _joined(text, previous, token) \
            and not _is_title(previous) and (not previous.flags or previous.key in NOT_NAMES):
        return False  # "North Face", "Christmas Day": a name of a thing
    if ("w" not in token.flags or not token.first) and token.key not in FUNCTION_WORDS:
        return True
    # "Will from the team", "Hope answered": not "Will they call?", "Hope this helps".
    return token.first and "f" in token.flags and _person_follows(tokens, i, text)


def _person_follows(tokens, i, text):
    """Whether the words after a sentence's first word say it is a person: a verb for
    what people do ("Hope answered"), "was the" ("Will was the officer"), a relation
    ("Rose my neighbour"), a role after a comma ("Mark, the PCSO"), "at the" or "on the"
    ("Faith at the front desk", "Jade on the front counter")."""
    after = tokens[i + 1:i + 3]
    if not after:
        return False
    gap = text[tokens[i].end:after[0].start]
    keys = [t.key for t in after] + [""]
    # "Will the officer ring me?" asks; "Hope the officer reads this" wishes; "Bob
    # the PCSO knows everyone" names.
    question = tokens[i].key in FUNCTION_WORDS or tokens[i].key in _WISHES
    return gap == " " and (
        keys[0] in PERSON_VERBS or keys[:2] in (["at", "the"], ["on", "the"])
        or not question and keys[0] in _NEVER
        or keys[0] in ("was", "is") and keys[1] in DESCRIBED
        or not question and keys[0] == "the" and (
            keys[1] in ROLES_WITHOUT_COMMA or _call_handler(tokens, i + 2))
    ) or _role_follows(tokens, i, text)


# After a forename that is also a word, what only a person does: "Rose never rang".
_NEVER = {"never", "didn't", "didnt", "couldn't", "couldnt", "wasn't", "wasnt", "hasn't",
          "hasnt", "always"}
# Forenames that open a sentence as verbs before "the officer ...".
_WISHES = {"hope", "trust", "pray", "wish", "mark", "bill", "sue", "rob", "pat", "grant"}


def _call_handler(tokens, i):
    """Whether tokens[i:] read a role after a word or two: "Crystal the call handler",
    "Summer the liaison officer", "Holly the family liaison officer"."""
    keys = [t.key for t in tokens[i:i + 3]]
    return len(keys) > 1 and (keys[1] in ROLES_WITHOUT_COMMA | {"handler", "worker"}
                              or len(keys) > 2 and keys[2] in ROLES_WITHOUT_COMMA)


def _unlisted_from(tokens, i, text):
    """A capitalised word names.txt lacks, first in its sentence and followed by
    "from": "Dafydd from Victim Support", not "Calls from the team"."""
    token = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return (token.first and token.capital and token.flags is None and len(token.key) > 1
            and not token.ordinary and token.key not in NOT_BEFORE_FROM | PLACE_WORDS
            and following is not None and following.key == "from"
            and _joined(text, token, following))


def _unknown_person(tokens, i, text):
    """A capitalised word in no list, when a verb follows ("Tendai rang me"; first in
    its sentence, any verb: "Oksana was") or what follows says a person ("Tendai, the
    PCSO", "Tendai my neighbour")."""
    token = tokens[i]
    if not (token.unknown and token.capital and len(token.key) > 1 and not token.ordinary
            and token.key not in PLACE_WORDS and not _is_title(token)):
        return False
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None or not following.lower or i and tokens[i - 1].key in _COLOURS:
        return False  # "a white Berlingo followed me" is a car
    verb = text[token.end:following.start] == " " and (
        following.key in PERSON_VERBS or token.first and (
            following.key in VERBS or len(following.key) > 3 and following.key.endswith("ed")))
    return verb or _role_follows(tokens, i, text) or token.first and _person_follows(
        tokens, i, text)


def _names_a_place(tokens, i, text):
    """Whether the capitalised words from i run into a word for a place or a
    workplace: "Broadwater Farm Estate", "Heronsgate Community Larder"."""
    for j in range(i + 1, min(i + 4, len(tokens))):
        if not (tokens[j].capital and _joined(text, tokens[j - 1], tokens[j])):
            return False
        if tokens[j].key in PLACE_WORDS or tokens[j].key in INSTITUTIONS:
            return True
    return False


def _candidate(token):
    """A capitalised word that may be a name no trigger announced: in no list, or a
    listed name that is no everyday word."""
    return _other_half(token) and (
        token.unknown or token.flags is not None and "w" not in token.flags)


def _run(tokens, i, text, limit=3):
    """The end (exclusive) of the run of candidate words from i: "Halyna Tkachenko"."""
    j = i + 1
    while j < len(tokens) and j - i < limit and _candidate(tokens[j]) \
            and _joined(text, tokens[j - 1], tokens[j]):
        j += 1
    return j


def _says_person(tokens, j, text, first):
    """Whether what comes from tokens[j] on says the words before it name a person: "is
    my name", "is my husband", "and me", "and her colleague", "(my mum)", a verb."""
    if j >= len(tokens):
        return False
    gap = text[tokens[j - 1].end:tokens[j].start]
    keys = [t.key for t in tokens[j:j + 3]] + ["", "", ""]
    if gap == " (" and keys[0] in _POSSESSIVES:
        return True  # "Thi Hoa Nguyen (my mum)"
    if gap != " " or not tokens[j].lower:
        return False
    if keys[0] in _IS | {"'s"} and keys[1] in ("my", "our") and (
            keys[2] in RELATIONS or keys[2] in ("name", "names")):
        return True  # "Halyna Tkachenko is my name", "Oleksandr Hnatyuk is my husband"
    if first and keys[0] == "and" and keys[1] in ("me", "i", "my", "his", "her", "their", "our"):
        return True  # "Sabitha and her colleague", not "a Lenovo and my phone"
    return keys[0] in PERSON_VERBS or first and (
        keys[0] in VERBS or keys[0] in ("were", "are")
        or len(keys[0]) > 3 and keys[0].endswith("ed"))


def _unknown_runs(tokens, text):
    """Runs of capitalised words in no list (or listed, no everyday word) that what
    follows shows to be people: "Halyna Tkachenko is my name", "Dapo and Fola were the
    two officers"; and a word in no list with a capital in the middle of a sentence,
    not after a word that says a place or a thing ("Tell Adaku thank you", not "at
    Heronsgate" or "the Kwikfit")."""
    found, i = [], 0
    while i < len(tokens):
        token, first = tokens[i], _opens(tokens, i, text)
        if first is None or not _candidate(token) or _names_a_place(tokens, i, text):
            if first and _word_name_and_me(tokens, i, text) or _lower_and_me(tokens, i, text):
                found.append(i)
            i += 1
            continue
        j = _run(tokens, i, text)
        taken, after = _run_person(tokens, i, j, text, first)
        found += taken
        if not first and token.unknown and _mid_sentence_name(tokens, i, j) \
                or first and j == i + 1 and token.unknown and _POSSESSIVE.search(token.word):
            found += range(i, j)  # and "Fatou's statement was never taken"
        i = max(after, j)
    return found


def _opens(tokens, i, text):
    """Whether tokens[i] opens its sentence (True), or not (False), or is the second
    capital of a name of something ("North Face") or comes after a colour (None).
    After a capital it may start a name when that word opens the sentence and is a
    word of the language ("Tell Adaku") or a nickname's ("Big Rizzy", which then
    counts as the opening)."""
    token = tokens[i]
    previous = tokens[i - 1] if i else None
    if previous is not None and previous.key in _COLOURS:
        return None  # "a white Berlingo followed me" is a car
    if previous is None or not previous.capital or not _joined(text, previous, token):
        return token.first
    if previous.first and previous.key in NICKNAME_WORDS:
        return True
    return False if previous.first and previous.flags is None and not previous.unknown \
        else None


def _word_name_and_me(tokens, i, text):
    """A forename that is also a word, before "and me" or "and I": "Yaw and me"."""
    token = tokens[i]
    return (token.capital and token.flags is not None and "f" in token.flags
            and i + 2 < len(tokens)
            and [t.key for t in tokens[i + 1:i + 3]] in (["and", "me"], ["and", "i"])
            and text[token.end:tokens[i + 2].start] == " and ")


def _lower_and_me(tokens, i, text):
    """A word in no list, in lower case, beside "me and" or "and me": "me and jaz were
    walking home", "jaz and me"."""
    token = tokens[i]
    if not (token.lower and token.nowhere and len(token.key) > 1 and not token.ordinary):
        return False
    before = [t.key for t in tokens[max(0, i - 2):i]]
    after = [t.key for t in tokens[i + 1:i + 3]]
    return before == ["me", "and"] and text[tokens[i - 2].end:token.start] == " and " \
        or after in (["and", "me"], ["and", "i"]) \
        and text[token.end:tokens[i + 2].start] == " and "


def _run_person(tokens, i, j, text, first):
    """The indexes of a run tokens[i:j] (and of a second run after "and") when what
    follows says a person, and where to go on from."""
    run = list(range(i, j))
    unknown = any(tokens[k].unknown for k in run)
    if not (unknown or first):
        return [], i
    # "Dapo and Fola were": a second run after "and" shares what follows; after a word
    # in no list, any capitalised word ("Jojo and Bash are").
    if j + 1 < len(tokens) and tokens[j].key == "and" \
            and (_candidate(tokens[j + 1]) or unknown and _other_half(tokens[j + 1])) \
            and text[tokens[j - 1].end:tokens[j + 1].start] == " and ":
        k = _run(tokens, j + 1, text)
        if _says_person(tokens, k, text, first):
            return run + list(range(j + 1, k)), k
    if unknown and _says_person(tokens, j, text, first):
        return run, i
    return [], i


def _other_half(token):
    """A capitalised word of more than one letter that may be part of a name: no
    function word, word listed as no name, place word or title."""
    return (token.capital and len(token.key) > 1 and not token.ordinary
            and token.key not in PLACE_WORDS and not _is_title(token))


# Colours say a car or a thing: "a white Berlingo".
_COLOURS = {"white", "black", "silver", "grey", "gray", "blue", "red", "green", "dark",
            "light", "navy", "gold", "yellow", "orange", "purple", "pink", "brown"}
# Words after which a capitalised word names a place or a thing: "in Heronsgate", "the
# Kwikfit", "a Motorola".
_PLACE_BEFORE = _DETERMINERS | {
    "in", "at", "to", "from", "near", "into", "outside", "around", "via", "towards",
    "toward", "on", "of", "by", "off", "past", "through", "round", "opposite", "behind",
    "between", "across", "along", "within", "inside", "over", "under", "up", "down",
    "visit", "visited", "like", "than", "called", "named", "brand", "make", "model",
    "then", "used", "using", "use", "play", "plays", "played", "playing", "bought",
    "ordered", "installed", "my", "his", "her", "their", "our", "your",
} | _COLOURS


def _mid_sentence_name(tokens, i, j):
    """A word in no list, capitalised in the middle of a sentence: a name, unless a
    word before it says a place or a thing, or a place word follows."""
    previous = tokens[i - 1] if i else None
    following = tokens[j] if j < len(tokens) else None
    if i > 1 and previous.key == "me" and tokens[i - 2].key in ("called", "call", "calling"):
        return False  # what someone was called: "they called me Paki"
    return (previous is not None and previous.key not in _PLACE_BEFORE
            and not previous.shouted
            and not (following is not None and following.capital
                     and (following.key in PLACE_WORDS or following.key in INSTITUTIONS)))


def _role_follows(tokens, i, text):
    """A relation or, after a comma, a role next: "Tendai my neighbour", "Tendai, the PCSO"."""
    after = tokens[i + 1:i + 3]
    if len(after) < 2:
        return False
    gap = text[tokens[i].end:after[0].start]
    keys = [t.key for t in after]
    return gap in (" ", ", ") and keys[0] in ("my", "our") and keys[1] in RELATIONS \
        or gap == ", " and keys[0] == "the" and (keys[1] in ROLES or _is_title(after[1]))


def _name_word(token, rule):
    """Whether a word after a trigger is part of the name. Rules: "any" after "my name
    is", "title" after a rank, "listed" after a relation, "called" after "a man called"
    (a word in no list too), "capital" after "I'm"."""
    if token.key in FUNCTION_WORDS:
        return False
    if token.capital:
        if rule == "title":
            return True
        return token.key not in NOT_NAMES and (rule not in ("capital", "thanks")
                                               or token.flags is not None or token.unknown)
    if rule == "nickname":
        return False
    if rule == "thanks":
        # "thanks kemi": a word in no list, not drawn out ("thanks sooo much").
        return token.nowhere and len(token.key) > 2 and not token.ordinary \
            and not re.search(r"(\w)\1\1", token.key)
    if rule in ("any", "title"):
        return token.flags is not None
    # In lower case after "my ex" or "a man called", a listed name no word shares;
    # after "called", a word in no list at all too ("a lad called jaz").
    return rule in ("listed", "called") and token.flags is not None and "w" not in token.flags \
        or rule == "called" and token.nowhere and len(token.key) > 1 and not token.ordinary


def _after_trigger(tokens, index, text, rule):
    """The run of name words starting at index after a trigger word."""
    taken = []
    for token in tokens[index:index + 3]:
        if (taken and not _joined(text, taken[-1], token)) or not _name_word(token, rule):
            break
        taken.append(token)
    return taken


def _title_chain(tokens, i, text):
    """The end of a run of titles starting at i ("Detective Sergeant"), and whether
    one of them is a strong title."""
    j, strong = i, False
    while j < len(tokens) and _is_title(tokens[j]):
        if j > i and not _joined(text, tokens[j - 1], tokens[j]):
            break
        strong = strong or (tokens[j].key in STRONG_TITLES and (
            tokens[j].word[0].isupper() or tokens[j].key in LOWERCASE_TITLES))
        j += 1
    return j, strong


def _titled_word(token, previous, title, strong):
    """Whether a word after a title is part of the name: a capital; in lower case
    after a strong title ("pc smith") or a listed name after a title typed in lower
    case ("sergeant amy lewis"), but never after a capital ("PC Holt less so")."""
    if token.capital:
        return True
    if previous is not None and previous.capital:
        return False
    return strong or (title.lower and token.flags is not None and "w" not in token.flags)


def _titled(tokens, text):
    """Titles and the names after them, as one span: "PC Jones", "Pani Wiśniewska"."""
    found, i = [], 0
    while i < len(tokens):
        j, strong = _title_chain(tokens, i, text)
        if j == i + 1 and j + 1 < len(tokens) and tokens[j].key == "and" \
                and _is_title(tokens[j + 1]) and tokens[i].capital \
                and text[tokens[i].end:tokens[j + 1].start] == " and ":
            # "Mr and Mrs Adeleke": both titles and the "and" go with the name.
            k, strong = _title_chain(tokens, j + 1, text)
            name = _after_trigger(tokens, k, text, "title") if k < len(tokens) \
                and _joined(text, tokens[k - 1], tokens[k]) else []
            if name and name[0].capital:
                found.append((tokens[i].start, name[-1].end))
                i = k + len(name)
                continue
        if j > i and j < len(tokens) and _joined(text, tokens[j - 1], tokens[j]):
            name = _after_trigger(tokens, j, text, "title")
            name = name[:next((k for k, t in enumerate(name)
                               if not _titled_word(t, name[k - 1] if k else None,
                                                   tokens[j - 1], strong)), len(name))]
            if name:
                # "the officer Daniel", "pani Ewie": a title in lower case stays
                shown = [t for t in tokens[i:j]
                         if t.word[0].isupper() or t.key in LOWERCASE_TITLES] + name
                found.append((shown[0].start, name[-1].end))
                i = j + len(name)
                continue
        i = max(j, i + 1)
    return found


def _start_after(text, starts, position):
    """The index of the token after position and any spaces, commas or colons."""
    follower = _FOLLOWER.match(text, position)
    return starts.get(follower.end() if follower else position)


def _relation_names(tokens, text, starts):
    """Names after relations: "my ex Darren", "Mój syn Mateusz", "Fiica mea Ioana"."""
    found = []
    for i, token in enumerate(tokens):
        if token.key.split("-")[-1] not in RELATIONS:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].key in ("meu", "mea", "lui", "ei"):
            j += 1
        bridged = j < len(tokens) and tokens[j].key in _IS  # "my son is Mikey"
        j += bridged
        if j >= len(tokens) or not re.fullmatch(r",? ", text[tokens[j - 1].end:tokens[j].start]):
            continue
        owned = any(t.key in _POSSESSIVES for t in tokens[max(0, i - 3):j])
        # After "is" the word must be a listed name: "my son is Autistic" is not one.
        # After "my bf", "my ex" (English), a word in no list in lower case too: "kwabz".
        # Not after "my son's": what follows is his ("my son's gamertag").
        english = i > 0 and tokens[i - 1].key in _ENGLISH_POSSESSIVES \
            and not _POSSESSIVE.search(token.word)
        name = _after_trigger(tokens, j, text,
                              "capital" if bridged else "called" if english else "listed")
        if name and (owned or name[0].capital):
            found += [(t.start, t.end) for t in name]
    return found


def _triggered(tokens, text):
    """Names after relations, "my name is", "called" and "I'm"."""
    starts = {token.start: i for i, token in enumerate(tokens)}
    found = _relation_names(tokens, text, starts)
    for pattern, rule in _TRIGGERS:
        for match in pattern.finditer(text):
            index = _start_after(text, starts, match.end())
            if index is not None and rule == "nickname" and tokens[index].key in RELATIONS:
                index += 1  # "calling herself Auntie Bisi": the aunt is no part of it
            # In lower case after English thanks only.
            english = match.group().lower().startswith(("thank", "cheers"))
            taken = "capital" if rule == "thanks" and not english else rule
            if index is not None and index < len(tokens):
                found += [(t.start, t.end) for t in _after_trigger(tokens, index, text, taken)]
    return found


def _listed(tokens, text):
    found = []
    for i, token in enumerate(tokens):
        if _listed_name(tokens, i, text) or _unlisted_from(tokens, i, text) \
                or _unknown_person(tokens, i, text):
            found.append(i)
        elif (token.lower and token.flags and "w" not in token.flags and "r" not in token.flags
              and "f" in token.flags and len(token.key) > 3 and not token.ordinary
              and (i == 0 or tokens[i - 1].key not in _DETERMINERS)):
            found.append(i)  # a forename typed in lower case ("dave was great", not "a teddy")
    return found


def _extend(tokens, indexes, text):
    """Take in the capitalised words next to a name: a surname not in names.txt."""
    chosen = set(indexes)
    for i in sorted(indexes):
        j = i + 1
        while (j < len(tokens) and j not in chosen and tokens[j].capital
               and not tokens[j].ordinary and _joined(text, tokens[j - 1], tokens[j])
               and (tokens[j].key not in PLACE_WORDS or "f" in (tokens[j - 1].flags or ""))):
            chosen.add(j)
            j += 1
        j = i - 1
        if j >= 0 and j not in chosen and tokens[j].capital \
                and _joined(text, tokens[j], tokens[i]) \
                and (tokens[j].flags and not tokens[j].ordinary or tokens[j].key in NICKNAME_WORDS):
            chosen.add(j)
    return [(tokens[i].start, tokens[i].end) for i in chosen]


def _covered(tokens, found):
    """The indexes of the tokens that start inside a found span."""
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [start for start, _ in merged]
    covered = set()
    for i, token in enumerate(tokens):
        k = bisect.bisect_right(starts, token.start) - 1
        if k >= 0 and token.start < merged[k][1]:
            covered.add(i)
    return covered


def _bracketed(tokens, text):
    """Capitalised words alone in brackets, none of them an ordinary word."""
    found = []
    for match in _BRACKETED.finditer(text):
        inside = [t for t in tokens if match.start(1) <= t.start < match.end(1)]
        # A word of the language in brackets is a brand or a thing: "(Visa)".
        if inside and all(t.capital and not t.ordinary and not _is_title(t)
                          and t.key not in PLACE_WORDS and (t.flags or t.unknown)
                          for t in inside):
            found.append((match.start(1), match.end(1)))
    return found


def _coordinated(tokens, covered, text):
    """The other half of "Rhys and Carys" when one half is a name."""
    found = []
    for i in range(len(tokens) - 1):
        j = i + 1 + (tokens[i + 1].key == "and")  # "&" is no token
        if j < len(tokens) and _AND.fullmatch(text[tokens[i].end:tokens[j].start]):
            left, right = tokens[i], tokens[j]
            for name, other in ((i, right), (j, left)):
                if name in covered and other.capital and not other.ordinary \
                        and other.key not in PLACE_WORDS and not _is_title(other):
                    found.append((other.start, other.end))
        elif text[tokens[i].end:tokens[i + 1].start] == ", ":
            # "Nkechi, Bronwen and a third officer": in a list, a word in no list.
            for name, other in ((i, tokens[i + 1]), (i + 1, tokens[i])):
                if name in covered and other.unknown and other.capital and not other.ordinary \
                        and other.key not in PLACE_WORDS:
                    found.append((other.start, other.end))
    return found


def _same_again(tokens, covered):
    """A name found once is a name wherever else the comment has it: "a lad called
    Jack ... Jack was patient"."""
    words = {tokens[i].word for i in covered
             if len(tokens[i].key) > 1 and not _is_title(tokens[i]) and not tokens[i].ordinary}
    return [(t.start, t.end) for t in tokens if t.word in words]


def _quoted(text):
    """Capitalised words in quotes after "known as", "called" or before "is what they
    call": a nickname, whatever its words ("'Polish Pete'")."""
    return [match.span(1) if match.group(1) else match.span(2)
            for match in _QUOTED.finditer(text)]


def find_names(text, names, words=frozenset()):
    tokens = [_Token(match, text, names, words) for match in _TOKEN.finditer(text)]
    found = _titled(tokens, text) + _triggered(tokens, text) + _bracketed(tokens, text)
    found += _quoted(text)
    found += _extend(tokens, _listed(tokens, text) + _unknown_runs(tokens, text), text)
    # A triggered name extends too: "my name is Jane Okafor-Smith".
    found += _extend(tokens, _covered(tokens, found), text)
    things = [m.span() for m in _NAMED_THINGS.finditer(text)]
    found = [(s, e) for s, e in found if not any(a < e and s < b for a, b in things)]
    found += _coordinated(tokens, _covered(tokens, found), text)
    found += _same_again(tokens, _covered(tokens, found))
    return [(start, _before_possessive(text, start, end), "name")
            for start, end in _joined_spans(sorted(found), text)]


def _before_possessive(text, start, end):
    """Where a name ends without its "'s": "my son [name]'s bike" reads as it should."""
    return end - 2 if end - start > 2 and _POSSESSIVE.search(text[start:end]) else end


def _joined_spans(spans, text):
    """One span for one person: "Jane Doe", not "Jane" and "Doe"."""
    joined = []
    for start, end in spans:
        if joined and (start <= joined[-1][1] or text[joined[-1][1]:start] == " "):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined
