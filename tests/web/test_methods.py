"""A view that both shows a page and acts decides by `request.method != "POST"` (or
Flask-WTF's validate_on_submit), never by `request.method == "GET"`: Flask answers HEAD
with the GET view, the CSRF check lets HEAD through, and a HEAD that fell to the acting
branch cancelled a link (tests/web/test_officer.py has that case)."""

import re
from pathlib import Path

import feedback.web

WEB = Path(feedback.web.__file__).parent
ASKS_FOR_GET = re.compile(r"""request\.method\s*(==|!=)\s*["']GET["']""")


def test_no_view_tells_a_page_from_an_action_by_asking_for_get():
    found = [f"{path.relative_to(WEB)}:{number}"
             for path in sorted(WEB.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ASKS_FOR_GET.search(line)]
    assert found == []
