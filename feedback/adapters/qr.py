"""URL -> QR code image bytes. Error correction M: survives a scuffed phone screen."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(url):
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


# Cached: an officer reloads the page while the victim scans. The cache is small
# and per process; the URL is already on the officer's screen.
@lru_cache(maxsize=256)
def png(url):
    buffer = io.BytesIO()
    _code(url).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=256)
def svg(url):
    buffer = io.BytesIO()
    _code(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def svg_uncached(text):
    """An SVG QR code that no cache keeps: for a text holding a secret (the
    otpauth address that sets up an authenticator app)."""
    buffer = io.BytesIO()
    _code(text).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()
