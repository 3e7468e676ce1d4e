import csv
import io

import pytest

from feedback.cells import neutralise
from feedback.export import BOM, csv_chunks

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


def test_no_cell_read_back_from_the_csv_starts_with_a_trigger():
    rows = [{"id": f"{i:032d}", "answers": "{}", "free_text": "{}", "team": value}
            for i, value in enumerate(HOSTILE)]
    text = "".join(csv_chunks(rows, ["response_id", "team"], rows_per_chunk=3))
    assert text.startswith(BOM)
    header, *cells = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert header == ["response_id", "team"]
    assert len(cells) == len(HOSTILE)
    for _, team in cells:
        assert not team.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "|", "%"))


def test_chunks_are_produced_as_rows_stream_in():
    consumed = []

    def rows():
        for i in range(10):
            consumed.append(i)
            yield {"id": str(i), "answers": "{}", "free_text": "{}"}

    chunks = csv_chunks(rows(), ["response_id"], rows_per_chunk=4)
    next(chunks)
    assert consumed == [0, 1, 2, 3]
