"""Digital signature of issued reports (PAdES, with pyHanko), when a certificate is configured: a PKCS#12
file and its password, from the environment (PORTAL_SIGNING_P12, PORTAL_SIGNING_P12_PASSWORD).

The signature is visible: a field over the signature block (documents.pdf finds its place on the page)
that says who signed, for which agency and when (the portal's zone). The signed PDF is the issued file
as stored: nothing is written to it after signing, so a validator checks the very bytes an officer or
the People's Committee downloads.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import fmt_datetime

from .pdf import FONT_DIR, SignatureBox

FIELD_NAME = "ChuKySo"
STAMP_FONT = FONT_DIR / "Tinos-Regular.ttf"


@dataclass(frozen=True)
class SignatureText:
    signer: str  # empty: the certificate's common name
    agency: str
    location: str


@functools.cache
def _stamp_font() -> bytes:
    """Tinos with 1000 font units to the em. pyHanko writes a TrueType font's glyph widths in the font's own
    units where PDF reads thousandths of an em, so text in a 2048-unit font such as Tinos comes out spaced
    twice too wide; scaled to 1000 units (fontTools, which WeasyPrint already needs) it is set right."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(STAMP_FONT))
    scale_upem(font, 1000)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _font_factory(size: int):
    """A pyHanko font engine factory for the stamp's text, from _stamp_font (every Vietnamese letter)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class StampFont(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(_stamp_font()), font_size=self.font_size,
                                    obj_stream=obj_stream)  # fmt: skip

    return StampFont(font_file=str(STAMP_FONT), font_size=size)


def signing_configured() -> bool:
    return bool(settings.PORTAL_SIGNING_P12)


def _signer(path: str, password: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() if password else None)
    if signer is None:
        raise ImproperlyConfigured(f"The signing certificate {path} could not be read (PORTAL_SIGNING_P12_PASSWORD?)")
    return signer


def pdf_sign(data: bytes, *, box: SignatureBox, text: SignatureText) -> bytes:
    """The PDF signed (PAdES B-B, SHA-256) with the configured certificate, the signature visible in `box`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = _signer(settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_P12_PASSWORD)
    name = text.signer or signer.signing_cert.subject.native.get("common_name", "")  # no name set: the certificate's
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=box.page, box=box.rect)
    )
    with translation.override("vi"):
        stamp = "\n".join(
            [
                _("Ký bởi: %(s)s") % {"s": name},
                _("Cơ quan: %(a)s") % {"a": text.agency},
                _("Thời gian ký: %(t)s") % {"t": "%(signed_at)s"},
            ]
        )
        reason = _("Ban hành văn bản")
    style = TextStampStyle(
        stamp_text=stamp, border_width=1,
        text_box_style=TextBoxStyle(font=_font_factory(9), font_size=9),
    )  # fmt: skip
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=name, location=text.location, reason=reason,
    )  # fmt: skip
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(
        writer, output=out, appearance_text_params={"signed_at": fmt_datetime(timezone.now())}
    )
    return out.getvalue()
