"""Spreadsheet cells that stay text: what every CSV file of the service passes
each cell through before writing it."""

# A cell starting with one of these can run as a formula in Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"); tab and CR/LF can smuggle one in.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def neutralise(value):
    """Prefix a quote so spreadsheets show the text instead of evaluating it."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(_TRIGGERS):
        return "'" + value
    return value
