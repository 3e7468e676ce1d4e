"""Checks every page must pass: a title, exactly one h1, no duplicate ids."""

import re
from html.parser import HTMLParser

PASSWORD = "correct horse battery staple"  # every test account's


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.h1s, self.title, self._in_title = [], 0, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "h1":
            self.h1s += 1
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(html):
    page = _Page()
    page.feed(html)
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert page.title.strip(), "page has no title"
    assert page.h1s == 1, f"page has {page.h1s} h1 elements"
    assert not duplicates, f"duplicate ids: {duplicates}"
    return page.title.strip()


def csrf_token(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, email, password=PASSWORD, address="198.51.100.1"):
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"email": email, "password": password,
                                         "csrf_token": token},
                       environ_overrides={"REMOTE_ADDR": address})
