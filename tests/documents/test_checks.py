"""The deploy gate's check of the signing certificate (documents.checks): a certificate that cannot sign is
refused before deploy; none configured is fine (reports are then issued without a digital signature)."""

from documents.checks import check_signing_certificate

from .helpers import signing_certificate


def test_a_certificate_that_cannot_sign_is_refused(settings, tmp_path):
    cert = signing_certificate(tmp_path)
    settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_P12_PASSWORD = str(cert.p12), cert.password
    assert check_signing_certificate() == []
    settings.PORTAL_SIGNING_P12_PASSWORD = "sai"
    [error] = check_signing_certificate()
    assert error.id == "portal.E020" and str(cert.p12) in error.msg
    settings.PORTAL_SIGNING_P12 = str(tmp_path / "missing.p12")
    assert [e.id for e in check_signing_certificate()] == ["portal.E020"]
    settings.PORTAL_SIGNING_P12 = ""
    assert check_signing_certificate() == []
