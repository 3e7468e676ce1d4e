import re

from tests.pages import csrf_token


def create_link(browser, **overrides):
    data = {"stage": "at_report", "crime_category": "burglary", "team": "Response Team 1",
            "expiry_days": "28", "language": "en", **overrides}
    response = browser.post_form("/officer/links/new", data, status=303)
    link_page = browser.get(response.headers["Location"]).get_data(as_text=True)
    url = re.search(r'id="link-text">([^<]+)<', link_page).group(1)
    return response.headers["Location"], url


def test_whole_journey_from_link_to_csv(signed_in_officer, make_user, client):
    link_page, url = create_link(signed_in_officer)
    path = url.removeprefix("https://feedback.example.test")
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/officer/links").get_data(as_text=True))})
    opened = client.get(path)
    assert opened.status_code == 303
    assert opened.headers["Location"] == "/feedback"
    page = client.get("/feedback")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    answers = {"ease_of_contact": "very_satisfied", "understood": "yes",
               "treated_fairly": "fairly_satisfied", "told_about_support": "no",
               "overall": "very_satisfied", "comments": "Call me on 07700 900982 please"}
    done = client.post("/feedback", data={**answers, "csrf_token": csrf_token(html)})
    assert done.status_code == 303, done.get_data(as_text=True)
    thanks = client.get("/feedback/thanks").get_data(as_text=True)
    assert "In an emergency call 999" in thanks
