"""Languages: the officer's choice, the victim's switch, right-to-left layout, the
language recorded with the answers, and catalogues that are complete and current."""

import json
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from feedback.web.i18n import LANGUAGES
from tests.browser.conftest import PHONE, SURVEY_TITLE, box, heading, send
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.pages import check_page
from tests.stored import stored_responses

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "feedback" / "translations"
TRANSLATED = ["pl", "ro", "ar"]

# Runs in the page: where things sit, to compare English with Arabic.
LAYOUT = """() => {
  const rect = el => el.getBoundingClientRect();
  const textRect = el => { const r = document.createRange(); r.selectNodeContents(el);
                           return r.getBoundingClientRect(); };
  const label = document.querySelector('label[for=understood]');
  const radio = document.getElementById('understood');
  const group = getComputedStyle(document.querySelector('.form-group--error'));
  return {
    width: document.documentElement.clientWidth,
    exit: rect(document.querySelector('.exit-button')),
    name: rect(document.querySelector('.exit-bar__name')),
    label: rect(label), labelText: textRect(label), radio: rect(radio),
    errorBorder: [group.borderLeftWidth, group.borderRightWidth],
  };
}"""


def layout(page):
    page.click("main form button[type=submit]")  # to see the error styling too
    page.wait_for_load_state()
    return page.evaluate(LAYOUT)


def test_arabic_pages_read_right_to_left_and_the_layout_mirrors(new_page, server, make_link):
    pages = {}
    for language in ("en", "ar"):
        page = pages[language] = new_page(**PHONE)
        page.goto(server + make_link(language=language)[1])
        assert page.locator("html").get_attribute("dir") == {"en": "ltr", "ar": "rtl"}[language]
    en, ar = layout(pages["en"]), layout(pages["ar"])
    width, edge = en["width"], 15  # the page's side padding

    def right(found):
        return found["x"] + found["width"]

    # The exit is at the end of the bar: on the right in English, the left in Arabic.
    assert abs(right(en["exit"]) - (width - edge)) < 1 and abs(en["name"]["x"] - edge) < 1
    assert abs(ar["exit"]["x"] - edge) < 1 and abs(right(ar["name"]) - (width - edge)) < 1
    assert en["radio"]["x"] < en["label"]["x"]  # radio before its label
    assert ar["radio"]["x"] > ar["label"]["x"]
    # Text starts at the label's start edge: left in English, right in Arabic.
    assert abs(en["labelText"]["left"] - en["label"]["x"]) < 1
    assert abs((ar["labelText"]["right"]) - (ar["label"]["x"] + ar["label"]["width"])) < 1
    assert en["errorBorder"] == ["5px", "0px"] and ar["errorBorder"] == ["0px", "5px"]


def test_phone_numbers_read_left_to_right_inside_arabic_text(new_page, server, make_link):
    page = new_page(**PHONE)
    path = make_link(language="ar", crime_category="domestic_abuse")[1]
    page.goto(server + path)
    for question, value in AT_REPORT_ANSWERS.items():
        page.locator(f"input[name='{question}'][value='{value}'] + label").tap()
    send(page, tap=True)
    helpline = page.locator("a[href='tel:08082000247']")
    assert helpline.inner_text() == "0808 2000 247"
    first, last = page.evaluate("""el => { const text = el.firstChild, r = document.createRange();
        r.setStart(text, 0); r.setEnd(text, 4); const first = r.getBoundingClientRect().left;
        r.setStart(text, 10); r.setEnd(text, 13); return [first, r.getBoundingClientRect().left];
    }""", helpline.element_handle())
    assert first < last  # "0808" is drawn before "247", not after


def test_the_officers_language_is_used_and_the_victim_can_switch_without_javascript(
        new_page, server, make_link, db):
    link, path = make_link(language="pl")
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto(server + path)
    assert page.locator("html").get_attribute("lang") == "pl"
    assert heading(page) == SURVEY_TITLE["pl"]
    assert page.locator(".language__current").inner_text() == "Polski"

    with page.expect_navigation():
        page.locator("button[name=lang][value=ar]").tap()
    assert page.url == f"{server}/feedback"
    assert heading(page) == SURVEY_TITLE["ar"]
    assert page.locator("html").get_attribute("dir") == "rtl"
    with page.expect_navigation():
        page.locator("button[name=lang][value=en]").tap()
    assert (page.url, heading(page)) == (f"{server}/feedback", SURVEY_TITLE["en"])

    for question, value in AT_REPORT_ANSWERS.items():
        page.locator(f"input[name='{question}'][value='{value}'] + label").tap()
    send(page, tap=True)
    [row] = stored_responses(db)
    assert row["language"] == "en"  # the language the answers were given in
    assert json.loads(row["answers"]) == AT_REPORT_ANSWERS
    assert box(page, ".language__current")  # the switch is on the thank-you page too


def test_an_unknown_language_cannot_be_chosen(client, make_link, db):
    _, path = make_link(language="ro")
    client.get(path)
    page = client.get("/feedback").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example",
                                              "csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (303, "/feedback")
    assert 'lang="ro"' in client.get("/feedback").get_data(as_text=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_stale_link_is_explained_in_the_links_language(client, make_link, language):
    _, path = make_link(language=language, expires_at="2020-01-01T00:00:00+00:00")
    response = client.get(path, headers={"Accept-Language": "en-GB"})
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    check_page(page)
    assert f'lang="{language}"' in page
    assert "This link has expired" not in page


def test_the_browsers_language_is_used_when_there_is_no_link(client):
    page = client.get("/r/not-a-link", headers={"Accept-Language": "ro-RO, en;q=0.5"})
    assert 'lang="ro"' in page.get_data(as_text=True)
    assert "Acest link nu funcționează" in page.get_data(as_text=True)
    staff = client.get("/sign-in", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in staff  # staff pages are English only


def test_answers_in_any_language_are_stored_under_the_same_ids_and_values(
        app, make_link, db):
    for language in LANGUAGES:
        _, path = make_link(language=language)
        assert submit_survey(app.test_client(), path, AT_REPORT_ANSWERS).status_code == 303
    rows = stored_responses(db)
    assert sorted(row["language"] for row in rows) == sorted(LANGUAGES)
    assert {row["answers"] for row in rows} == {json.dumps(AT_REPORT_ANSWERS, sort_keys=True)}


# The catalogues -------------------------------------------------------------------

def catalogue(language):
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def test_the_message_template_has_every_string_in_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg",
                                "-o", str(fresh), "."])
    with open(fresh, "rb") as new, open(CATALOGUES / "messages.pot", "rb") as committed:
        ids = [{m.id for m in read_po(f) if m.id} for f in (new, committed)]
    assert ids[0] == ids[1], "run scripts/i18n extract"
    assert "How satisfied are you with how easy it was to contact us?" in ids[0]  # TOML
    assert "Very satisfied" in ids[0]  # fixed answer labels
    assert "Leave this site" in ids[0]  # templates


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_every_catalogue_has_every_message_and_its_compiled_copy_is_current(language):
    with open(CATALOGUES / "messages.pot", "rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    po = catalogue(language)
    assert {m.id for m in po if m.id} == template, "run scripts/i18n extract"
    assert [m.id for m in po if m.id and m.fuzzy] == []
    if language != "en":  # English is the source text
        assert [m.id for m in po if m.id and not m.string] == []
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.mo", "rb") as file:
        mo = read_mo(file)
    compiled = {m.id: m.string for m in mo if m.id}
    assert compiled == {m.id: m.string for m in po if m.id and m.string}, (
        "run scripts/i18n compile")


@pytest.mark.parametrize("language", TRANSLATED)
def test_drafted_translations_say_they_need_review_by_a_professional(language):
    po = catalogue(language)
    assert "NEEDS REVIEW BY A PROFESSIONAL TRANSLATOR" in po.header_comment
    assert "NEEDS REVIEW" in po.language_team
    assert not po.fuzzy  # a fuzzy header would stop the catalogue being compiled
