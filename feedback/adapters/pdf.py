"""HTML to PDF, for the trainer's training brief: WeasyPrint, which lays out print
CSS (A4 pages, page breaks, running footers) and draws SVG charts, in this process;
no browser and nothing leaves the machine.

WeasyPrint needs the Pango library (Debian: libpango-1.0-0 and libpangoft2-1.0-0).
It is imported when a brief is first made, so a machine without Pango still runs
everything else, and the brief says calmly that it cannot be made (Unavailable).
"""

import logging

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """WeasyPrint or the Pango library it needs is not installed."""


def render(html):
    """The PDF bytes of a self-contained HTML page (its styles inline, no address
    to fetch: WeasyPrint never makes a request)."""
    try:
        import weasyprint  # noqa: PLC0415 (lazy: see the module's docstring)
    except (ImportError, OSError) as error:
        log.error("PDF briefs are unavailable: %s", error)
        raise Unavailable() from error
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


def _refuse(url, *args, **kwargs):
    """A brief holds everything it shows: any address in it is refused, not fetched."""
    raise ValueError(f"a brief fetches nothing ({url[:40]})")
