"""For any mix of responses: no group under k in the file, no shown figure under 10."""

import csv
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.adapters import store
from feedback.domain import periods, sample_data
from feedback.domain.privacy import kanon
from feedback.domain.reporting import export
from feedback.domain.surveys import load_surveys
from feedback.usecases import reporting
from tests.dates import LAST_QUARTER, TODAY, a_week_in_each_month, quarter_days, wednesday
from tests.trainer_data import publish

SURVEYS = load_surveys("feedback/survey_definitions", 500)
RARE = st.tuples(st.sampled_from(["Lone Team", "Camden CID", "Dog Unit"]),
                 st.sampled_from(["sexual_offence", "fraud", "hate_crime"]),
                 st.sampled_from(["ar", "ro", "en"]), st.integers(1, 9))


def mix(seed, count, rare):
    """The realistic generator's responses plus small groups planted on purpose."""
    rng = random.Random(seed)
    records = list(sample_data.responses(rng, SURVEYS, count, *quarter_days(LAST_QUARTER)))
    rare_day = wednesday(a_week_in_each_month(LAST_QUARTER)[-1])  # in its last month
    for team, category, language, size in rare:
        for _ in range(size):
            record = sample_data.response(rng, SURVEYS, rare_day)
            records.append({**record, "team": team, "crime_category": category,
                            "language": language})
    return records


def file_rows(records, survey, k, l_diversity):
    mine = [r for r in records if r["survey_id"] == survey.id]
    rows = [(r["week"], r["team"], r["borough"], r["crime_category"], r["channel"],
             r["language"], r["survey_version"],
             *(r["answers"].get(q.id, r["free_text"].get(q.id)) for q in survey.questions))
            for r in mine]
    classes = {}
    for row in rows:
        key = (*row[:7], row[7 + survey.question_ids.index("overall")])
        classes[key] = classes.get(key, 0) + 1
    plan = kanon.choose([(*key, n) for key, n in classes.items()], k, l_diversity, 0.05)
    # As the export does: each stored combination becomes its file columns, rows
    # of combinations left out are left out.
    release = kanon.Release.of(plan)
    releases = {month: release for month in periods.months_of_quarter(LAST_QUARTER)}
    columns = {key: export.attribute_text(releases, key) for key in plan.keys}
    joined = [(*next(csv.reader([columns[row[:7]]])), row[6], *row[7:])
              for row in rows if columns[row[:7]] is not None]
    return plan, joined


@pytest.mark.slow  # forty generated forces, each exported
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(0, 1500),
       rare=st.lists(RARE, max_size=4), k=st.sampled_from([5, 10, 20]),
       l_diversity=st.sampled_from([1, 2, 3]))
def test_every_group_in_the_file_has_k_rows_and_l_ratings(seed, count, rare, k, l_diversity):
    records = mix(seed, count, rare)
    for survey in SURVEYS.values():
        plan, rows = file_rows(records, survey, k, l_diversity)
        assert len(rows) == plan.kept
        mine = sum(1 for r in records if r["survey_id"] == survey.id)
        if mine >= 200 and k <= 10:  # enough for the realistic mix to keep most of it
            assert plan.kept >= 0.8 * mine
        groups = {}
        overall = len(export.ATTRIBUTE_COLUMNS) + survey.question_ids.index("overall")
        for row in rows:
            groups.setdefault(tuple(row[:len(export.ATTRIBUTE_COLUMNS)]), []).append(row[overall])
        for ratings in groups.values():
            assert len(ratings) >= k
            assert len(set(ratings)) >= l_diversity


def published_counts(model):
    yield model["responses"]
    for row in model["satisfaction"]:
        yield row["n"]
    for series in model["trend"]:
        yield from (point["n"] for point in series["points"])
    for survey in model["distributions"]:
        for question in survey["questions"]:
            yield question["total"]
            yield from (answer["count"] for answer in question["answers"])
    yield from (group["n"] for group in model["focus"])


@pytest.mark.slow  # twenty-five generated forces, each shown on the dashboard
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), count=st.integers(0, 800), rare=st.lists(RARE, max_size=3),
       filters=st.dictionaries(st.sampled_from(["team", "language", "group", "stage"]),
                               st.sampled_from(["Lone Team", "ar", "vawg", "at_outcome",
                                                "Camden CID"]), max_size=2))
def test_no_shown_figure_rests_on_fewer_than_10(tmp_path_factory, seed, count, rare, filters):
    db = store.connect(str(tmp_path_factory.mktemp("db") / "f.sqlite3"))
    store.upgrade(db)
    with db.atomic():
        for record in mix(seed, count, rare):
            store.insert_response(db, record)
    publish(db, SURVEYS)
    model = reporting.dashboard(db, SURVEYS, periods.months_of_quarter(LAST_QUARTER), filters,
                                {"threshold": 10, "response_days": 730, "link_days": 180},
                                TODAY)
    if not filters and count >= 150:  # every month well above 10: figures are shown
        assert model["safe"] and model["responses"] is not None
    if model["safe"]:
        for value in published_counts(model):
            assert value is None or (value >= 10 and value % 5 == 0)
    db.close()


@given(st.lists(st.one_of(st.none(), st.integers(0, 9), st.text(max_size=20)), max_size=8))
def test_a_quoted_cell_is_written_exactly_as_the_csv_module_writes_it(cells):
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow(cells)
    assert ",".join(export.quoted(cell) for cell in cells) + "\r\n" == buffer.getvalue()
