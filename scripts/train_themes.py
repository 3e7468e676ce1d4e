"""Train the themes model (feedback/domain/reporting/themes_model.json) on the
labelled corpus.

    .venv/bin/python scripts/train_themes.py         # writes the shipped model
    .venv/bin/python scripts/train_themes.py --cv    # leave-one-file-out figures only
    .venv/bin/python scripts/train_themes.py --record-rules  # tests/themes_rules_before.json

One logistic regression per theme (one against the rest) over the features of
feedback.domain.reporting.themes.features: words, pairs of words and pieces of 3 to 5 letters of
each word, present or not (since round 8, those seen in 3 training comments or more), each
comment's vector scaled to length 1. It trains on the thirteen files the rules were written
on (TRAINED_ON: the first four, since round 3 blind2, since round 4 blind3, since round 5
blind4, since round 6 blind5, since round 7 blind6, since round 8 blind7, since round 9
blind8 and since round 10 blind9, each once measured;
since round 5 with the labels corrected to docs/themes-labelling.md) and never on a blind
file not yet measured.
The liblinear solver with a fixed seed gives the same weights on every run, and
tests/domain/test_themes.py checks the shipped file equals what train() gives now.

Each theme's threshold is chosen on comments the model did not see: for each file, a
model trained on the other files scores it (leave one file out, which mimics new wording,
as each file was written at another time), and the threshold is the one that makes the
lower of (precision - HEADROOM) and recall highest. Rounds 3 to 7 aimed precision 0.05
above recall, to leave a new file room to fall (round 2 aimed at precision equal to
recall, and blind2's precision fell under 0.8 for five themes); since round 8 they are
aimed equal again, as on blind6 and blind7 it was recall that fell. --cv prints
those out-of-file figures, for the model alone and for what
feedback.domain.reporting.themes.themes_of does (the model or a rule). The rules were
tuned on all the files, so "with rules" uses,
for each file, the rules as they were before they had seen it (the tuning file has no
such rules and is left out of that row). What those earlier rules said of each comment
is kept in tests/themes_rules_before.json, written from git by --record-rules, so
training needs no git history (a shallow clone trains the same). For blind3 those are
round 3's rules alone (a14ae62 without its model, which this script replaces), and for
blind4 round 4's rules alone (e0a8ef4), for blind5 round 5's (8914658), for blind6 round
6's (9cd841a, read from feedback/domain/reporting/themes.py, where the module has been
since the layers became folders), for blind7 round 7's (cae8c19), for blind8 round 8's
(30fac85), for blind9 round 9's (9f440be), for blind10 round 10's (110902e).

Round 3 also tried a second, lower bar on the model's probability for a theme a rule
found (so the model could overrule a rule that only brushes a theme). Left out: with
each file's bars chosen on the other files, the lowest precision or recall of any theme
was 0.73, against 0.77 for one threshold and every rule's match kept.

Round 4 tried, over the six files, each file's thresholds chosen on the other four with
earlier rules (the last column of --cv; the lowest figure of any theme, and how many
themes reach 0.8 of both, was 0.78 and 7 of 9 for what is shipped):
- the rules' verdicts as nine more features of the model (the rules before each file
  for its comments), tagging by the model alone or the model or a rule: 0.71, 5 of 9
  (0.74 with tune's verdicts left blank, as the first rules were written on it). The
  model learns the old, weaker rules' worth and gives up the words it found alone;
- word pairs across a gap of one or two words: 0.78 and 6, 0.76 and 7; word triples:
  0.78 and 6; the three words after a "not", "never", "no" marked as negated: 0.74;
  pieces of 6 letters too: 0.76; a small list of synonyms (police words, calling words,
  news words, speed words, kindness words, negation) as shared features: 0.76;
- C 10 or 100 instead of 30: 0.76, 0.77; no class weights: 0.75; features seen in 3
  comments or more: 0.77;
- thresholds aimed at precision equal to recall: 0.78 but 6 of 9 (precision under 0.8
  for kept informed, believed, contact); precision 0.10 or 0.15 above recall: 0.74,
  0.72; thresholds chosen on the newest file alone (whose rules before it were the
  most like today's): lower on the other newest file (0.64 / 0.65 against 0.64 / 0.76).
None raised the lowest figure, so round 4 ships round 3's model and aim, trained on six
files, with its rules narrowed to their theme's sense.

Round 5, over the seven files with the corrected labels (same last column of --cv):
what is shipped (C 30, features in 2 comments or more, precision aimed 0.05 above
recall, "kept" before a verb in -ing read as "repeatedly") gives kept informed 0.84 /
0.79, time to attend 0.89 / 0.90, empathy 0.86 / 0.83, believed 0.85 / 0.80,
professionalism 0.86 / 0.81, outcome 0.91 / 0.87, access 0.92 / 0.87, support 0.95 /
0.99, contact 0.83 / 0.80: 0.8 of each for eight themes of nine, kept informed short on
recall (without the "repeatedly" reading 0.82 / 0.78, the others within 0.01). Tried
and left out, none raising the lowest figure (0.78 then) by more than 0.01: precision
aimed 0, 0.02, 0.03 or 0.07 above recall (0.78, 0.79, 0.79, 0.76; aimed at 0 or 0.02
kept informed's precision falls to 0.78 or 0.79); C 15 or 60 (0.79, 0.79); features
in 1 or 3 comments or more (0.78, 0.78); each feature scaled by its theme's naive Bayes
log-count ratio before the regression (NBSVM, which would have stored as plain
weights): 0.77 at C 1, 5 or 30.

Round 6, over the eight files (blind5's rules before it are round 5's): what is shipped
(round 5's kind, retrained) gives, in the last column, kept informed 0.82 / 0.76, time
to attend 0.87 / 0.83, empathy 0.86 / 0.80, believed 0.86 / 0.79, professionalism 0.85 /
0.81, outcome 0.87 / 0.83, access 0.91 / 0.87, support 0.96 / 0.98, contact 0.81 / 0.76
(lowest 0.76, mean of the 18 figures 0.846; blind5's own row, which replays its blind
measurement, mean 0.770). --cv now also prints that column file by file, as the pooled
figure hid how far one file can fall: the themes reaching 0.8 of each go from 9 of 9
(blind) to 4 (fresh, final, blind3) and 2 (blind5). Tried, none raising the mean or
blind5's row by more than 0.01 (experiment scripts, not kept): C 3, 10, 100 (0.844,
0.845, 0.845; blind5 0.768, 0.764, 0.765); each feature weighing n^-a for a 0.3, 0.4,
0.6, 0.7 (0.845, 0.846, 0.844, 0.838; blind5 0.777, 0.776, 0.761, 0.758); 1/sqrt(max(n,
40 to 200)), so short comments weigh less (0.831 to 0.845); pieces of no letters, 4-5 or
3-6 letters, or word starts only (0.842, 0.848, 0.848, 0.844; blind5 0.770, 0.775,
0.770, 0.767); no word pairs (0.844); the highest score of any sentence of the comment
(0.844, blind5 0.763); thresholds aimed at precision equal to recall (0.844), at the
mean over files of the lower of precision - 0.05 (or 0) and recall (0.846, 0.849; blind5
0.772, 0.776), at the worst file's (0.847, 0.777), at F1 or F0.8 (0.846, 0.849), or at
the aim averaged over thresholds 0.03, 0.05 or 0.10 either side (0.846, 0.844, 0.844;
blind5 0.770, 0.769, 0.766); more clauses read as bare praise or blame ("Thank you",
"Can't fault them", "Top marks", "Disgraceful", "Very poor": 0.845, blind5 0.772). The
thresholds these choose differ widely (time to attend 0.54 to 0.82) for the same
figures: the scores near them are few. What did move blind5 was more training comments:
the model alone, trained on the first 2 to 7 files, had a best F1 on blind5 of 0.67,
0.68, 0.69, 0.71, 0.74, 0.76 (thresholds chosen on blind5 itself, so an upper bound); on
blind4, from the first 2 to 6 other files, 0.76, 0.76, 0.80, 0.81, 0.83.

Round 7, over the nine files (blind6's rules before it are round 6 final's, 9cd841a):
what is shipped (round 6's kind, retrained) gives, in the last column, kept informed 0.83
/ 0.77, time to attend 0.86 / 0.83, empathy 0.85 / 0.79, believed 0.86 / 0.79,
professionalism 0.82 / 0.77, outcome 0.88 / 0.84, access 0.93 / 0.87, support 0.96 /
0.94, contact 0.81 / 0.78 (mean of the 18 figures 0.844; blind6's row 0.844, blind5's
0.765). Round 7 changed the rules, not the model, and this column keeps each file's rules
before it, so it cannot show them. Tried and left out (an experiment script, not kept):
choosing the thresholds with rules that had seen the comments (round 6's or round 7's for
every file) instead of the rules before each file. On blind6 with round 6's rules, which
had not seen it, the nested thresholds rose and its row fell from a mean of 0.844 to
0.841 (empathy recall 0.71 to 0.67, professionalism 0.69 to 0.64): rules tuned on a file
find most of it, so the model there seems needed less and its thresholds go up, which a
new file then pays for. So thresholds stay chosen with the rules before each file.

Round 8, over the ten files (blind7's rules before it are round 7 final's, cae8c19), in
the last column of `.venv/bin/python scripts/train_themes.py --cv`. Before (round 7's
kind, C 30, features in 2 comments or more, precision aimed 0.05 above recall, retrained
on the ten): kept informed 0.83 / 0.77, time to attend 0.87 / 0.82, empathy 0.86 / 0.81,
believed 0.84 / 0.78, professionalism 0.81 / 0.76, outcome 0.87 / 0.81, access 0.92 /
0.87, support 0.96 / 0.96, contact 0.82 / 0.77: lowest 0.76, 0.8 of each for five themes;
file by file, the lowest figure of any theme was 0.56 on blind5, 0.72 on blind6 (six
themes at 0.8 of each) and 0.58 on blind7 (two, as when it was measured blind). What is
shipped (precision aimed equal to recall, features in 3 comments or more): kept informed
0.79 / 0.80, time to attend 0.83 / 0.85, empathy 0.82 / 0.82, believed 0.80 / 0.81,
professionalism 0.79 / 0.79, outcome 0.84 / 0.83, access 0.88 / 0.89, support 0.96 /
0.96, contact 0.81 / 0.80: lowest 0.79, seven themes at 0.8 of each; file by file blind5
0.59, blind6 0.74 (eight themes), blind7 0.67 (four), final 0.62 (from 0.54), while blind2
fell from 0.74 to 0.67 (believed's precision) and blind from 0.82 to 0.80. Precision
gives a little everywhere for recall, which is what the hardest files lacked. The
threshold aim was the change; the features seen in 3 comments or more keep the model
under 1 MB (745 KB, 10,871 features; with 2, 1,005 KB) at no cost. Tried (an
experiment script, not kept; the lowest of the 18 pooled figures, and the lowest of any
theme on blind6 and on blind7): precision aimed 0.05, 0.03, 0.02, 0 or -0.02 above
recall, features in 2 comments or more: 0.763, 0.771, 0.781, 0.786, 0.778 (blind6 0.72
each but 0.74 at -0.02; blind7 0.58, 0.58, 0.61, 0.64, 0.67); in 3 or more, aimed 0.05,
0.02, 0.01, 0, -0.01: 0.767, 0.784, 0.784, 0.789, 0.784 (blind6 0.72, 0.72, 0.74, 0.74,
0.74; blind7 0.61, 0.64, 0.64, 0.67, 0.67); C 10 aimed at 0: 0.784 (2 or more), 0.783
(3 or more), blind6 0.74 and blind7 0.67 either way, so C stays 30; class weights the
balanced ones raised to the power 0.5 or 1.5 (rarer themes weighed less or more),
aimed at 0, features in 3 or more: 0.786, 0.789 (blind6 0.74, blind7 0.67 both), so
they stay balanced; the model's clauses (so its word pairs) also ended at commas, or at
commas and "so", "because", "although", "though": 0.785 (blind6 0.74, blind7 0.67),
0.788 (0.72, 0.62), so they end where they did.

Round 9, over the eleven files (blind8's rules before it are round 8 final's, 30fac85), in
the last column of `.venv/bin/python scripts/train_themes.py --cv`. Round 9 changed the
rules (narrowed where blind8 showed them firing on a word in another sense, for time to
attend and believed; feedback/domain/reporting/themes.py has them), which this column
cannot show, as it keeps each file's rules before it; the model is round 8's kind
retrained on the eleven, so the figures are the same before and after round 9: kept
informed 0.82 / 0.82, time to attend 0.83 / 0.85, empathy 0.84 / 0.84, believed 0.80 /
0.81, professionalism 0.81 / 0.81, outcome 0.85 / 0.85, access 0.91 / 0.91, support 0.97 /
0.96, contact 0.82 / 0.82: lowest 0.803 (round 8 over ten files 0.79), mean of the 18
figures 0.850, all nine themes at 0.8 of each; file by file, the lowest figure of any
theme 0.59 on blind5 (two themes at 0.8 of each), 0.74 on blind6 (seven), 0.66 on blind7
(three), 0.76 on blind8 (seven; short on precision for time to attend and believed, as
when it was measured). Tried for blind8's weakness, precision of time to attend and
believed (an experiment script, not kept; the lowest of the 18 pooled figures, then the
lowest of any theme on blind6, blind7, blind8, which stayed 0.74, 0.66, 0.76 unless
given): those two themes' thresholds aimed with precision above recall by 0.02, 0.03,
0.05, 0.08: 0.804, 0.794, 0.790, 0.766 (blind8 0.75 at 0.05, 0.71 at 0.08; blind7 0.63
at 0.08); time to attend alone 0.03 or 0.05 above: 0.803, 0.803; believed alone: 0.794,
0.790. Precision rises by what recall gives, so the lowest figure does not. An L1
penalty instead of L2, C 30 or 100: 0.773, 0.773 (blind8 0.67, 0.64). The pieces of
words weighing less than words and pairs in each comment's vector (0.8, 0.6, 0.4 of a
word; round 6 tried leaving them out, 0.842 against 0.845), or pairs more (1.5), or
both (0.6 and 1.5): 0.804, 0.806, 0.804, 0.804, 0.806, mean 0.852 to 0.858 (blind5 0.59
to 0.62, blind7 0.65 to 0.67, blind6 0.74, blind8 0.75 or 0.76). Each moved the lowest
figure by under 0.01 and was chosen among several on these same files, and the pieces'
weight would have to be applied by the service too, so none is shipped; the pieces at
0.4 to 0.6 of a word (mean 0.856 and 0.857, blind5 0.62 at 0.4) are the one worth trying
again once blind9 is measured.

Round 10, over the twelve files (blind9's rules before it are round 9 final's, 9f440be),
in the last column of `.venv/bin/python scripts/train_themes.py --cv`. Round 10 changed the
rules (narrowed where blind9 showed them firing on a word in another sense, mostly for
professionalism and contact, and families from its misses, mostly the outcome and
believed; feedback/domain/reporting/themes.py has them), which this column cannot show;
the model is round 9's kind retrained on the twelve, so the figures are the same before
and after round 10's rules: kept informed 0.82 / 0.83, time to attend 0.84 / 0.84,
empathy 0.85 / 0.85, believed 0.80 / 0.81, professionalism 0.79 / 0.79, outcome 0.84 /
0.84, access 0.90 / 0.90, support 0.96 / 0.97, contact 0.81 / 0.81: lowest 0.785 (round
9 over eleven files 0.803), mean of the 18 figures 0.846; file by file, the lowest
figure of any theme (themes at 0.8 of each) 0.62 on blind5 (2), 0.74 on blind6 (8),
0.64 on blind7 (2), 0.76 on blind8 (8), 0.64 on blind9 (1: professionalism's precision,
as measured). Tried and left out (experiment scripts, not kept; the lowest of the 18
pooled figures, its mean, then the lowest on blind6 to blind9): the pieces of words at 0.6
or 0.4 of a word, round 9's suggestion: 0.785, 0.848 (0.74, 0.61, 0.76, 0.62) and 0.794,
0.851 (0.74, 0.67, 0.76, 0.64; blind8 falls from eight themes at 0.8 to six), again
under 0.01 and mixed file by file, and the weight would have to be applied by the
service too; the files written to the guide (blind5 to blind9) weighing 1.5 or 2 times
the older ones in training: 0.779, 0.847 and 0.779, 0.846 (0.74, 0.64, 0.76, 0.64 both).

Round 11, over the thirteen files (blind10's rules before it are round 10 final's,
110902e), in the last column of `.venv/bin/python scripts/train_themes.py --cv`. Round 11
changed the rules (narrowed where blind10 showed a word in another sense, mostly for time
to attend, and the outcome's everyday words; feedback/domain/reporting/themes.py has
them), which this column cannot show; the model is round 10's kind retrained on the
thirteen, so the figures are the same before and after round 11's rules: kept informed
0.83 / 0.84, time to attend 0.83 / 0.84, empathy 0.84 / 0.85, believed 0.82 / 0.82,
professionalism 0.79 / 0.80, outcome 0.84 / 0.84, access 0.90 / 0.90, support 0.95 /
0.96, contact 0.81 / 0.81: lowest 0.791 (round 10 over twelve files 0.785), mean of the
18 figures 0.849; file by file, the lowest figure of any theme (themes at 0.8 of each)
0.62 on blind5 (2), 0.74 on blind6 (8), 0.68 on blind7 (2), 0.74 on blind8 (7), 0.62 on
blind9 (2), 0.73 on blind10 (5: the outcome's recall, as measured). Of blind10's wrong
tags when measured, the model made 3 of time to attend's 9, 8 of kept informed's 11 and 5
of believed's 9. Tried and left out (experiment scripts, not kept; the lowest of the 18
pooled figures, its mean, then the lowest on blind5 to blind10): features in 4 training
comments or more (which would leave the model room under 1 MB): 0.789, 0.848 (0.64, 0.72,
0.68, 0.75, 0.64, 0.72); the intercept penalised less (liblinear's intercept_scaling 10
or 100 instead of 1): 0.789, 0.849 (0.65, 0.74, 0.68, 0.74, 0.62, 0.73) both; each
file's thresholds chosen on the other files written to the guide alone (blind5 to blind10)
or on the newest four: 0.790, 0.848 (0.61, 0.76, 0.68, 0.75, 0.63, 0.65) and 0.792, 0.847
(0.60, 0.74, 0.68, 0.74, 0.62, 0.64), blind10 falling most. None raised the lowest figure
by 0.01, and each was mixed file by file. With 14,036
features the model is 963 KB: the next file may need features in 4 comments or more to
stay under 1 MB, at about the same figures.

Needs scikit-learn (requirements-dev.txt); the service only reads the JSON.
"""

import json
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from feedback.domain.reporting.themes import MODEL_PATH, THEMES, Model, features  # noqa: E402

# The files trained on, and how a file is read: the test's, so the two cannot disagree.
from tests.domain.test_themes import TRAINED_ON, load  # noqa: E402

# The rules as they were before each file was first measured (the commits that changed them;
# blind2 was written after e727e6f, the last change of the rules before round 3).
RULES_BEFORE = {"blind": "d1c3a2d", "fresh": "38dafbb", "final": "7813cd5",
                "blind2": "e727e6f", "blind3": "a14ae62", "blind4": "e0a8ef4",
                "blind5": "8914658", "blind6": "9cd841a", "blind7": "cae8c19",
                "blind8": "30fac85", "blind9": "9f440be", "blind10": "110902e"}
STRENGTH = 30.0  # liblinear's C: how loosely the weights fit the training comments
# A feature must occur in this many training comments to be kept (2 until round 8: with
# blind7 the model passed 1 MB, and 3 did as well leaving one file out, at 745 KB).
LEAST_SEEN = 3
DIGITS = 3  # weights are stored rounded to this many decimals
LABEL_CODES = [theme.code for theme in THEMES]
CANDIDATES = [step / 100 for step in range(5, 96)]  # thresholds tried
# Precision is aimed this much above recall. Rounds 3 to 7 aimed 0.05 above, so that a new
# file had room to fall in precision; on blind6 and blind7 it was recall that fell, and
# over ten files leaving one file out, aiming at precision equal to recall raised the
# lowest figure (round 8, in the docstring).
HEADROOM = 0.0


def fit(items, strength=STRENGTH, least_seen=LEAST_SEEN):
    """(vocabulary, {code: (intercept, weights)}) of a model trained on items."""
    vectoriser = CountVectorizer(analyzer=lambda text: sorted(features(text)), binary=True,
                                 min_df=least_seen)
    matrix = normalize(vectoriser.fit_transform([item["text"] for item in items]))
    vocabulary = list(vectoriser.get_feature_names_out())
    fitted = {}
    for theme in THEMES:
        labels = [theme.code in item["themes"] for item in items]
        model = LogisticRegression(C=strength, solver="liblinear", class_weight="balanced",
                                   random_state=0, max_iter=1000).fit(matrix, labels)
        fitted[theme.code] = (float(model.intercept_[0]), [float(w) for w in model.coef_[0]])
    return vocabulary, fitted


def as_model(vocabulary, fitted, thresholds):
    """The JSON-ready model feedback.domain.reporting.themes reads: rounded weights,
    one list per theme."""
    return {
        "vocabulary": vocabulary,
        "themes": {code: {"threshold": round(thresholds[code], DIGITS),
                          "intercept": round(intercept, DIGITS),
                          "weights": [round(weight, DIGITS) for weight in weights]}
                   for code, (intercept, weights) in fitted.items()},
    }


def out_of_file_scores(names=TRAINED_ON, **options):
    """[(name, item, {code: probability})] for every comment, each scored by a model
    trained on the other files only."""
    scored = []
    for held_out in names:
        train = [item for name in names if name != held_out for item in load(name)]
        scorer = Model(as_model(*fit(train, **options), dict.fromkeys(LABEL_CODES, 0.5)))
        scored += [(held_out, item, scorer.scores(features(item["text"])))
                   for item in load(held_out)]
    return scored


RULES_BEFORE_PATH = ROOT / "tests" / "themes_rules_before.json"


def with_rules_before(scored):
    """The out-of-file scores of the files some earlier rules had not seen, each with the
    themes those rules found ("rules"): what themes_of would have said of new comments."""
    said = json.loads(RULES_BEFORE_PATH.read_text(encoding="utf-8"))
    return [(name, item, {**scores, "file": name, "rules": set(said[name][item["id"]])})
            for name, item, scores in scored if name in said]


def record_rules_before():
    """{file: {comment id: [themes the rules before it found]}}, from git."""
    said = {}
    for name in RULES_BEFORE:
        rules = rules_before(name)
        said[name] = {item["id"]: _rules_say(rules, item["text"]) for item in load(name)}
    RULES_BEFORE_PATH.write_text(json.dumps(said, indent=0, sort_keys=True) + "\n",
                                 encoding="utf-8")


def rules_before(name):
    """The themes module as it was before the rules first saw file name (it was
    feedback/themes.py until the layers became folders, 3551e81)."""
    source = ""
    for path in ("feedback/themes.py", "feedback/domain/reporting/themes.py"):
        shown = subprocess.run(["git", "show", f"{RULES_BEFORE[name]}:{path}"],
                               cwd=ROOT, capture_output=True, text=True)
        source = source or (shown.stdout if shown.returncode == 0 else "")
    if not source:
        raise FileNotFoundError(f"no themes module at {RULES_BEFORE[name]}")
    module = types.ModuleType(f"themes_before_{name}")
    module.__file__ = str(ROOT / "feedback" / "themes.py")  # its model is never read here
    exec(compile(source, module.__name__, "exec"), module.__dict__)  # noqa: S102
    return module


def _rules_say(module, text):
    """The themes an earlier module's rules alone find in text (since round 2 its
    themes_of adds a model, which is left out: the model is trained here)."""
    if not hasattr(module, "_shipped"):
        return module.themes_of(text)
    clauses = module._clauses(text)
    return [theme.code for theme in module.THEMES
            if any(theme.pattern.search(clause) for clause in clauses)]


def choose_thresholds(scored):
    """Per theme, the threshold at which "the model or a rule" makes the lower of
    precision - HEADROOM and recall highest (ties: the higher F1): the aim is 0.8 of each
    on a new file, so precision and recall are aimed to be equal (HEADROOM 0 since round 8)."""
    return {code: max(CANDIDATES, key=lambda t, code=code: _aim(scored, code, t))
            for code in LABEL_CODES}


def _aim(scored, code, threshold):
    precision, recall = figures(scored, code, tagger(code, threshold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (min(precision - HEADROOM, recall), f1)


def tagger(code, threshold, rules=True):
    """Whether themes_of would tag code, from a comment's scores (and rules' themes)."""
    return lambda scores: scores[code] >= threshold or (rules and code in scores["rules"])


def figures(scored, code, says):
    """(precision, recall) for theme code, where says(scores) is the tagger's answer."""
    found = [code in item["themes"] for _, item, scores in scored if says(scores)]
    labelled = sum(code in item["themes"] for _, item, _ in scored)
    right = sum(found)
    return (right / len(found) if found else 0.0, right / labelled if labelled else 0.0)


def train():
    """The model to ship: thresholds from the out-of-file scores, weights from all files."""
    thresholds = choose_thresholds(with_rules_before(out_of_file_scores()))
    return as_model(*fit([item for name in TRAINED_ON for item in load(name)]), thresholds)


def print_cv():
    """Out-of-file precision and recall per theme: the model alone (every file),
    the earlier rules alone, the two together at the chosen thresholds, and the two
    together with each file's thresholds chosen on the other files with earlier rules
    only (the fairest figure: neither weights, rules nor thresholds saw the comments
    measured)."""
    scored = out_of_file_scores()
    combined = with_rules_before(scored)
    chosen = choose_thresholds(combined)
    nested = {name: choose_thresholds([row for row in combined if row[0] != name])
              for name in RULES_BEFORE}
    print(f"| theme | threshold | model alone ({len(TRAINED_ON)} files) | "
          f"rules before ({len(RULES_BEFORE)} files) | "
          "model or rules | thresholds from the other files |\n|---|---|---|---|---|---|")
    for code in LABEL_CODES:
        cells = [figures(scored, code, tagger(code, chosen[code], rules=False)),
                 figures(combined, code, lambda scores, code=code: code in scores["rules"]),
                 figures(combined, code, tagger(code, chosen[code])),
                 figures(combined, code, lambda scores, code=code: _nested(scores, code, nested))]
        print(f"| {code} | {chosen[code]:.2f} | "
              + " | ".join(f"{precision:.2f} / {recall:.2f}" for precision, recall in cells)
              + " |")
    print_cv_per_file(combined, nested)


def print_cv_per_file(combined, nested):
    """The last column file by file: the pooled figure is an average over files, and a new
    file is one file, which may fall where the hardest of them did."""
    print(f"\n| file | {' | '.join(LABEL_CODES)} |\n|---|{'---|' * len(LABEL_CODES)}")
    for name in RULES_BEFORE:
        rows = [row for row in combined if row[0] == name]
        cells = [figures(rows, code, lambda scores, code=code: _nested(scores, code, nested))
                 for code in LABEL_CODES]
        print(f"| {name} | "
              + " | ".join(f"{precision:.2f} / {recall:.2f}" for precision, recall in cells)
              + " |")


def _nested(scores, code, nested):
    return tagger(code, nested[scores["file"]][code])(scores)


def main(args):
    if "--record-rules" in args:
        record_rules_before()
        return
    if "--cv" in args:
        print_cv()
        return
    model = train()
    MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(model['vocabulary'])} features, "
          f"{MODEL_PATH.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
