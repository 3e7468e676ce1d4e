"""The response-level file: k-anonymous, l-diverse, formula-safe, the same every time."""

import csv
import io
import itertools
import json
import re
from datetime import UTC, datetime, time, timedelta

import pandas
import pytest
from pycanon import anonymity

from feedback.domain import periods
from feedback.domain.cells import neutralise
from feedback.domain.privacy import kanon
from feedback.domain.reporting import export
from feedback.domain.reporting.export import ATTRIBUTE_COLUMNS, BOM, csv_chunks
from feedback.web import i18n
from tests.conftest import Browser
from tests.dates import (
    LAST_QUARTER,
    OPEN_MONTH,
    QUARTER_BEFORE,
    RUNNING_QUARTER,
    SO_FAR,
    TODAY,
    a_week_in_each_month,
    iso_week,
    quarter_days,
)
from tests.trainer_data import add_response, add_sample, downloads, without_tokens

# The quarter holding the month to be published next: never offered yet.
OPEN_QUARTER = periods.quarter_of_month(OPEN_MONTH)

HOSTILE = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "|cmd", "%0A=1",
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\")", "-2+3+cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_cells_starting_with_a_formula_trigger_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Kind officer", "5 stars", "", "'quoted", "a=b", "Zoë"])
def test_ordinary_text_is_left_alone(value):
    assert neutralise(value) == value


def test_chunks_are_produced_as_rows_stream_in():
    consumed = []

    def rows():
        for i in range(10):
            consumed.append(i)
            yield [str(i)]

    chunks = csv_chunks(rows(), ["n"], rows_per_chunk=4)
    assert next(chunks).startswith(BOM + '"n"\r\n"0"\r\n')
    assert consumed == [0, 1, 2, 3]


def test_the_file_is_the_same_however_its_rows_are_chunked(app):
    """response_chunks looks a chunk's rows up together: chunk boundaries, withheld
    rows (a chunk of nothing else included) and free text change no byte."""
    questions = [q for q in app.config["SURVEYS"]["at_report"].questions
                 if not q.officer_knows]
    kept = ["2026-W27", "Camden CID", "Camden", "theft", "qr", "en", 1]
    withheld = ["2026-W27", "Camden CID", "Camden", "fraud", "sms", "pl", 1]
    release = kanon.Release(
        {"time": 1, "place": 0, "category": 0, "channel": 0, "language": 0},
        {"team": frozenset(), "channel": frozenset(), "language": frozenset()},
        frozenset({tuple(withheld)}), 6, 4)
    answers = json.dumps({"overall": "neither", "understood": "not_sure"})
    rows = [(json.dumps(withheld), answers, "{}"), (json.dumps(withheld), answers, "{}"),
            (json.dumps(kept), answers, "{}"),
            (json.dumps(kept), answers, json.dumps({"comments": '=1+1, "quoted"'})),
            (json.dumps(withheld), answers, json.dumps({"comments": "left out"})),
            (json.dumps(kept), "{}", json.dumps({"comments": ""}))]

    def made(size):
        return list(export.response_chunks(rows, {"2026-07": release}, questions,
                                           lambda key: tuple(json.loads(key)), size))
    whole = "".join(made(len(rows)))
    assert whole.count("\r\n") == 3 and "left out" not in whole
    assert '"\'=1+1, ""quoted"""\r\n' in whole
    for size in (1, 2, 4):
        assert "".join(made(size)) == whole
    assert "" in made(1)  # a chunk of a withheld row only: file_chunks leaves it out
    assert "" not in export.file_chunks(made(1), ["n"])


def read_csv(response):
    body = response.get_data()
    assert body.startswith(BOM.encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def choose(browser, survey="at_report", quarter=LAST_QUARTER, status=200):
    return browser.get(f"/trainer/export?survey={survey}&quarter={quarter}", status=status)


def download(browser, kind="responses", survey="at_report", quarter=LAST_QUARTER):
    return browser.post_form(f"/trainer/export?survey={survey}&quarter={quarter}",
                             {"survey": survey, "quarter": quarter},
                             action=f"/trainer/export/{kind}")


def groups(rows):
    return itertools.groupby(sorted(rows, key=key), key=key)


def key(row):
    return tuple(row[column] for column in ATTRIBUTE_COLUMNS)


@pytest.fixture
def quarter_of_data(app, db):
    return add_sample(app, db, 3000, *quarter_days(LAST_QUARTER))


def test_only_quarters_whose_months_are_all_published_are_offered(trainer_browser, app, db):
    # Responses in the last published quarter, in the one holding the month to be
    # published next (which may have ended: on 31 March its last week is over), and
    # so far in the running one.
    assert not periods.quarter_published(RUNNING_QUARTER, TODAY)
    add_sample(app, db, 50, *quarter_days(LAST_QUARTER))
    add_sample(app, db, 50, quarter_days(OPEN_QUARTER)[0], TODAY, seed=2)
    add_sample(app, db, 50, *SO_FAR, seed=3)
    page = trainer_browser.get("/trainer/export").get_data(as_text=True)
    label = periods.quarter_label(LAST_QUARTER)
    assert f'<option value="{LAST_QUARTER}">{label}</option>' in page
    assert OPEN_QUARTER not in page.split('id="publication"')[1]
    assert RUNNING_QUARTER not in page.split('id="publication"')[1]
    # The page says when the next file comes.
    last_month = periods.months_of_quarter(OPEN_QUARTER)[-1]
    assert (f"{periods.quarter_label(OPEN_QUARTER)}: published on"
            f" {periods.day_label(periods.publication_date(last_month))}") in page
    for quarter in (OPEN_QUARTER, RUNNING_QUARTER):
        refused = trainer_browser.post_form("/trainer/export", {"survey": "at_report",
                                            "quarter": quarter},
                                            action="/trainer/export/responses")
        assert refused.status_code == 400
        assert '<a href="#quarter">Select a quarter</a>' in refused.get_data(as_text=True)
    assert downloads(db) == []


def test_the_file_has_no_group_under_10_and_two_ratings_in_each(
        trainer_browser, quarter_of_data, db):
    rows = read_csv(download(trainer_browser))
    stored = sum(1 for r in quarter_of_data if r["stage"] == "at_report")
    assert len(rows) >= 0.8 * stored
    for _, members in groups(rows):
        members = list(members)
        assert len(members) >= 10
        assert len({row["overall"] for row in members}) >= 2
    # And checked again by pyCANON, an independent implementation.
    frame = pandas.DataFrame(rows)
    assert anonymity.k_anonymity(frame, list(ATTRIBUTE_COLUMNS)) >= 10
    assert anonymity.l_diversity(frame, list(ATTRIBUTE_COLUMNS), ["overall"]) >= 2


def test_the_file_has_columns_in_question_order_coded_as_numbers(
        trainer_browser, quarter_of_data):
    response = download(trainer_browser)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="at_report-{LAST_QUARTER}.csv"')
    rows = read_csv(response)
    # Every question but the one whose true answer the officer knows (told about
    # support): that one is counted on the dashboard only (test_known_answers.py).
    # Each rated question as a number and, beside it, in words.
    assert list(rows[0]) == [*ATTRIBUTE_COLUMNS, "ease_of_contact", "ease_of_contact_answer",
                             "understood", "understood_answer", "treated_fairly",
                             "treated_fairly_answer", "overall", "overall_answer", "comments"]
    assert "response_id" not in rows[0] and "id" not in rows[0]
    assert {row["overall"] for row in rows} == {"1", "2", "3", "4", "5"}
    # A number column holds quantities only: "Not sure" is an empty cell, told apart
    # from no answer by the words beside it.
    pairs = {(row["understood"], row["understood_answer"]) for row in rows}
    assert ("", "Not sure") in pairs
    assert pairs <= {("1", "Yes"), ("0", "No"), ("", "Not sure"), ("", "")}
    scale = {code: label for label, code in (("Very dissatisfied", "1"),
             ("Fairly dissatisfied", "2"), ("Neither satisfied nor dissatisfied", "3"),
             ("Fairly satisfied", "4"), ("Very satisfied", "5"))}
    assert all(scale[row["overall"]] == row["overall_answer"] for row in rows)
    assert {row["ease_of_contact"] for row in rows} <= {"", "1", "2", "3", "4", "5"}
    # By month (each month's release), and only the last quarter's.
    assert {row["period"] for row in rows} <= {*periods.months_of_quarter(LAST_QUARTER)}


def test_every_copy_of_a_file_is_the_same(trainer_browser, quarter_of_data, db):
    first = download(trainer_browser).get_data()
    assert download(trainer_browser).get_data() == first
    # Responses arriving in a later quarter change nothing in an ended one.
    add_sample(trainer_browser.client.application, db, 200, *SO_FAR, seed=3)
    assert download(trainer_browser).get_data() == first


def test_another_worker_serves_the_same_file_from_the_stored_releases(
        trainer_browser, quarter_of_data, make_app, db, monkeypatch):
    first = download(trainer_browser).get_data()
    released = db.query("SELECT stage, month, plan FROM releases ORDER BY 1, 2")
    released = [dict(row) for row in released]
    assert {row["month"] for row in released} >= set(periods.months_of_quarter(LAST_QUARTER))

    # A fresh worker process: a new app on the same database, nothing in memory.
    # Each month was decided once, when published; no download decides it again.
    def decide_again(*args, **kwargs):
        raise AssertionError("a published month's release was decided again")
    monkeypatch.setattr(kanon, "choose", decide_again)
    other = Browser(make_app().test_client())
    other.sign_in("trainer@example.com")
    assert download(other).get_data() == first
    assert [dict(row) for row in db.query(
        "SELECT stage, month, plan FROM releases ORDER BY 1, 2")] == released


def test_no_two_downloads_combine_into_a_small_group(trainer_browser, app, db):
    add_sample(app, db, 1200, *quarter_days(QUARTER_BEFORE), seed=4)
    add_sample(app, db, 1200, *quarter_days(LAST_QUARTER), seed=5)
    files = [read_csv(download(trainer_browser, survey=survey, quarter=quarter))
             for survey in app.config["SURVEYS"] for quarter in (QUARTER_BEFORE, LAST_QUARTER)]
    assert all(files)
    for first, second in itertools.combinations(files, 2):
        for _, members in groups(first + second):
            assert len(list(members)) >= 10


def test_free_text_and_team_names_cannot_become_formulas(trainer_browser, db):
    week = a_week_in_each_month(LAST_QUARTER)[0]
    for number in range(12):
        add_response(db, week=week, team="=Team", borough="+Borough",
                     answers={"overall": ("very_satisfied", "neither")[number % 2]},
                     free_text={"comments": '=HYPERLINK("http://x","click")'})
    rows = read_csv(download(trainer_browser))
    assert rows and all(row["comments"] == "'=HYPERLINK(\"http://x\",\"click\")" for row in rows)
    teams, boroughs = {row["team"] for row in rows}, {row["borough"] for row in rows}
    assert teams <= {"'=Team", "any"} and "'=Team" in teams
    assert boroughs <= {"'+Borough", "any"} and "'+Borough" in boroughs


def test_the_page_says_what_was_generalised(trainer_browser, quarter_of_data):
    page = choose(trainer_browser).get_data(as_text=True)
    assert re.search(r"<dt>Responses included</dt><dd>\d+%</dd>", page)
    assert re.search(r"<dt>When</dt><dd>by (week|month|quarter)</dd>", page)
    dictionary = read_csv(download(trainer_browser, kind="dictionary"))
    by_column = {row["column"]: row for row in dictionary}
    assert by_column["overall"]["codes"] == (
        "1 = Very dissatisfied; 2 = Fairly dissatisfied; 3 = Neither satisfied nor dissatisfied;"
        " 4 = Fairly satisfied; 5 = Very satisfied; empty = not answered")
    assert by_column["overall"]["meaning"].startswith("Overall, how satisfied")
    # Every language and channel code the service has, in its own words, not a copy.
    for code, words in {**i18n.LANGUAGES, "qr": "QR code", "sms": "Text message"}.items():
        column = "language" if code in i18n.LANGUAGES else "channel"
        assert f"{code} = {words};" in by_column[column]["codes"], (code, column)
    assert by_column["understood"]["type"] == "number"
    assert by_column["understood"]["codes"] == (
        "0 = No; 1 = Yes; empty = 'Not sure' or not answered")
    assert by_column["understood_answer"]["codes"] == "Yes; No; Not sure; empty = not answered"
    assert "at least 10 rows" in by_column["(who is left out)"]["meaning"]
    assert "'fewer than 10'" in by_column["(counts)"]["meaning"]
    assert "nearest 5" in by_column["(counts)"]["meaning"]
    # Every column of the file is described, and nothing else but the notes and the
    # question the file leaves out.
    header = list(read_csv(download(trainer_browser))[0])
    overall = header.index("overall")
    assert [c for c in by_column if not c.startswith("(")] == [
        *header[:overall], "told_about_support", *header[overall:]]
    assert by_column["told_about_support"]["type"] == "not included"
    # Plain words: what is hidden says so, not "shown by any".
    assert " by any" not in "".join(row["meaning"] for row in dictionary)


def test_each_download_is_recorded_with_who_and_what(trainer_browser, quarter_of_data, db):
    download(trainer_browser)
    download(trainer_browser, kind="dictionary")
    audits = downloads(db)
    assert [a["detail"] for a in audits] == [
        {"file": "responses", "survey": "at_report", "quarter": LAST_QUARTER},
        {"file": "dictionary", "survey": "at_report", "quarter": LAST_QUARTER}]
    assert {a["actor"] for a in audits} == {"trainer@example.com"}


def test_retention_removes_whole_quarters_and_changes_no_file_or_figure(
        trainer_browser, app, db, runner, pinned_clock):
    days = app.config["RETENTION_RESPONSE_DAYS"]
    # The oldest quarter kept today (some of its weeks may be older than the
    # retention already), and the one after it.
    old = periods.quarter_of_week(iso_week(TODAY - timedelta(days=days)))
    kept = periods.quarter_of_month(periods.next_month(periods.months_of_quarter(old)[-1]))
    add_sample(app, db, 1200, *quarter_days(old), seed=6)
    add_sample(app, db, 1200, *quarter_days(kept), seed=7)

    def everything(quarter):
        """The quarter's file and dictionary, and its dashboard: the page's figures
        and every table; the twelve months of trend apart, as {month: its row} (on
        the page and in its file), since they reach back before the quarter."""
        months = periods.months_of_quarter(quarter)
        view = {"from_month": months[0], "to_month": months[-1]}
        page = trainer_browser.get("/trainer/?" + "&".join(f"{k}={v}" for k, v in view.items()))
        figures = without_tokens(page.get_data(as_text=True).split('id="summary"')[1])
        trend = re.search(r'<section class="keep-together" aria-labelledby="trend">.*?</section>',
                          figures, re.S).group(0)
        trend_rows = {row[0]: row for row in re.findall(
            r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', trend.split('id="trend-table"')[1])}
        tables = {name: trainer_browser.post_form("/trainer/", {**view, **dict.fromkeys(
                      ("stage", "borough", "team", "group", "channel", "language"), "")},
                      action=f"/trainer/tables/{name}.csv", status=200).get_data()
                  for name in ("satisfaction", "comparisons", "trend", "distributions", "focus",
                               "funnel")}
        trend_text = tables.pop("trend").decode("utf-8-sig")
        trend_file = {(row[0], row[1]): row for row in csv.reader(io.StringIO(trend_text))}
        return {"file": download(trainer_browser, quarter=quarter).get_data(),
                "dictionary": download(trainer_browser, kind="dictionary",
                                       quarter=quarter).get_data(),
                "page": figures.replace(trend, ""), "tables": tables,
                "trend": {"page": trend_rows, "file": trend_file}}

    before = {quarter: everything(quarter) for quarter in (old, kept)}
    # Today's purge leaves the old quarter whole.
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert {quarter: everything(quarter) for quarter in (old, kept)} == before

    # The first day every week of the old quarter is older than the retention: the
    # purge takes all of it at once.
    last_sunday = quarter_days(old)[1]
    pinned_clock.set(datetime.combine(last_sunday + timedelta(days=days + 1), time(3), UTC))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    stored = {periods.quarter_of_week(row["week"]) for row in db.query(
        "SELECT DISTINCT week FROM responses")}
    assert stored == {kept}
    trainer_browser.sign_in("trainer@example.com")  # the session ended meanwhile
    after = everything(kept)
    assert {key: value for key, value in after.items() if key != "trend"} == {
        key: value for key, value in before[kept].items() if key != "trend"}
    # The trend loses the old quarter's months whole; every month left is unchanged.
    for where in ("page", "file"):
        rows, earlier = after["trend"][where], before[kept]["trend"][where]
        assert rows and all(earlier[key] == row for key, row in rows.items())
        assert len(rows) < len(earlier)
    assert not any(periods.month_label(month) in after["trend"]["page"]
                   for month in periods.months_of_quarter(old))
    # The old quarter is no longer offered, and asking for it is a calm 400.
    page = trainer_browser.get("/trainer/export").get_data(as_text=True)
    assert f'value="{old}"' not in page and f'value="{kept}"' in page
    refused = trainer_browser.client.get(f"/trainer/export?survey=at_report&quarter={old}")
    assert refused.status_code == 400
    assert '<a href="#quarter">Select a quarter</a>' in refused.get_data(as_text=True)
    first = periods.months_of_quarter(old)[0]
    refused = trainer_browser.client.get(f"/trainer/?from_month={first}&to_month={first}")
    assert refused.status_code == 400
    assert f"Figures for {periods.month_label(first)} are no longer kept" in (
        refused.get_data(as_text=True))


def test_a_quarter_whose_releases_keep_nobody_says_so_and_offers_no_file(trainer_browser, db):
    # Three responses in a quarter: no group of 10 at any level, so nothing is kept.
    for week in a_week_in_each_month(LAST_QUARTER):
        add_response(db, week=week)
    page = trainer_browser.get(f"/trainer/export?survey=at_report&quarter={LAST_QUARTER}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "too few to publish any of them without risk" in text
    assert "Download the responses" not in text


def test_number_columns_hold_quantities_only_for_every_question_type(app):
    """Every survey's questions: a number column only where each number is an amount
    (a rating, yes = 1 and no = 0); "Not sure" and a choice among things have no
    number, and each answer is kept in words."""
    kinds = set()
    for survey in app.config["SURVEYS"].values():
        for column in export.file_columns(survey.questions):
            question = column.question
            kinds.add((question.type, column.kind))
            cells = export.column_cells(column)
            if column.kind == export.NUMBER:
                assert question.type in ("scale", "yes_no")
                assert set(cells) <= {value for value, _ in question.choices}
                assert "not_sure" not in cells
                assert all(cell.isdigit() for cell in cells.values())
            elif column.kind == export.WORDS:
                assert cells == dict(question.choices)
            else:
                assert question.type == "text" and cells is None
    assert kinds == {("scale", "number"), ("scale", "words"), ("yes_no", "number"),
                     ("yes_no", "words"), ("choice", "words"), ("text", "free text")}
    # A choice among things (how someone was told) is words only: its position in a
    # list is not an amount anyone could average.
    told = next(q for q in app.config["SURVEYS"]["at_outcome"].questions if q.id == "how_told")
    assert [(c.name, c.kind) for c in export.file_columns([told])] == [("how_told", "words")]


class MonthRelease:
    """A month's release as the dictionary reads it: its levels and counts."""

    def __init__(self, levels, total=100, kept=95):
        self.levels, self.total, self.kept = levels, total, kept

    def describe(self):
        return kanon.describe(self.levels)


def test_the_dictionary_says_in_plain_words_what_is_not_shown(app):
    kept = {"time": 1, "place": 1, "category": 1, "channel": 0, "language": 2}
    release = kanon.FileRelease({"2026-07": MonthRelease(kept),
                                 "2026-08": MonthRelease({**kept, "place": 2}),
                                 "2026-09": MonthRelease(kept, total=0, kept=0)})
    survey = app.config["SURVEYS"]["at_report"]
    rows = {row[0]: row for row in export.dictionary_rows(
        survey, release, "a quarter", 10, 2, {"channel": {}, "language": {}})}
    assert rows["crime_category"][1] == ("Crime category: not shown in this file, to keep "
                                         "everyone anonymous ('any'); the crime group is shown.")
    assert rows["language"][1] == ("Language: not shown in this file, to keep everyone "
                                   "anonymous ('any').")
    # Month by month where the months differ; a month without responses says nothing.
    assert rows["team"][1] == (
        "Team: in July 2026: the team's name; teams with few responses that month are "
        "'other'; in August 2026: not shown in this file, to keep everyone anonymous "
        "('any'); the borough is shown.")
    assert rows["borough"][1] == "Borough: the borough's name."
    assert rows["period"][1] == "When: the month (2026-10 is October 2026)."
    assert "95% of the quarter's responses" in rows["(who is left out)"][1]
