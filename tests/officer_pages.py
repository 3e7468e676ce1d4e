"""What an officer does on the pages, for tests: make a link, send it, read it."""

import re

NEW_LINK = {"stage": "at_report", "crime_category": "burglary", "team": "Response Team 1",
            "expiry_days": "28", "language": "en"}


def create_link(browser, **overrides):
    response = browser.post_form("/officer/links/new", {**NEW_LINK, **overrides}, status=303)
    return response.headers["Location"]


def link_text(page):
    return re.search(r'id="link-text">([^<]+)<', page).group(1)


def send(browser, link, channel, recipient, confirm=True, status=None):
    data = {"recipient": recipient, **({"confirm": "y"} if confirm else {})}
    return browser.post_form(f"/officer/links/{link['id']}/send/{channel}", data,
                             status=status)


def link_url(browser, link):
    page = browser.get(f"/officer/links/{link['id']}").get_data(as_text=True)
    return re.search(r'id="link-text">([^<]+)<', page).group(1)
