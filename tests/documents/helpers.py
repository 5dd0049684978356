"""Helpers of the compiled-report tests: accepted submissions of two districts and one department with
values worked out by hand (seed, VALUES, EXPECTED ...), a report rendered to PDF, and its text read back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from activities.models import Activity, OutputTarget
from dashboards.figures import cut_report, figures_compute
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import Issue, report_pdf
from programs.models import Agency, ProvincialReport, Quarter
from programs.selectors import district_communes
from targets.models import Indicator
from tests.factories import (
    ActivityProgressFactory,
    CommuneStatusFactory,
    IndicatorValueFactory,
    OutputProgressFactory,
    SubmissionFactory,
)

# (district agency, quarter) → indicator code → (numerator, denominator); every submission is accepted.
VALUES = {
    ("ubnd-an-phu", 1): {"1": (45, 50), "2": (3, 4), "3": (900, 1000), "4": (80, 100)},
    ("ubnd-cho-moi", 1): {"1": (30, 30), "2": (2, 2), "3": (1800, 2000), "4": (40, 50)},
    ("ubnd-an-phu", 2): {"1": (50, 50), "2": (4, 4), "3": (950, 1000), "4": (85, 100)},
    ("ubnd-cho-moi", 4): {"1": (27, 30), "2": (2, 2), "3": (1900, 2000), "4": (45, 50)},
}
# Ticks, the same in every submission: (pilot communes, communes at 100% Safe Home, child-friendly).
TICKS = {"ubnd-an-phu": (7, 1, 14), "ubnd-cho-moi": (9, 0, 18)}
# The province's values as printed, worked out by hand: sum of the districts' latest numerators over
# the sum of their denominators. An Phú has 14 communes, Chợ Mới 18 → 5a 16/32, 5b 1/2, 6 32/32.
EXPECTED = {
    "quarterly": {"1": ("93,8%", "75/80"), "2": ("83,3%", "5/6"), "3": ("90%", "2.700/3.000"),
                  "4": ("80%", "120/150")},
    "six_month": {"1": ("100%", "80/80"), "2": ("100%", "6/6"), "3": ("91,7%", "2.750/3.000"),
                  "4": ("83,3%", "125/150")},
    "annual": {"1": ("96,3%", "77/80"), "2": ("100%", "6/6"), "3": ("95%", "2.850/3.000"), "4": ("86,7%", "130/150")},
}  # fmt: skip
MET = {"quarterly": 1, "six_month": 3, "annual": 3}  # targets met (6 everywhere; 1, 2 and 4 as the year goes)
TICKED = {"5a": ("50%", "16/32 xã"), "5b": ("50%", "1/2 huyện"), "6": ("100%", "32/32 xã")}
SUBJECTS = {"quarterly": "quý I năm 2018", "six_month": "6 tháng đầu năm 2018", "annual": "năm 2018"}
ISSUED = {"quarterly": dt.date(2018, 3, 20), "six_month": dt.date(2018, 5, 20), "annual": dt.date(2018, 11, 15)}
ACCOUNT = "Phối hợp khám sàng lọc tim cho 40 trẻ em <script>alert('x')</script> & lập hồ sơ phẫu thuật."
FORMULA = '=HYPERLINK("http://example.invalid","bấm") Đề nghị bổ sung kinh phí khám sàng lọc tim.'
HOSTILE = '<img src="https://example.invalid/x.png"> =HYPERLINK("http://example.invalid","bấm")'


def quarter(n: int) -> Quarter:
    return Quarter.objects.get(program__year=2018, number=n)


# Each commune's budget: 20.000.000 đ, but An Phú's first commune (Thị trấn An Phú), given 15.000.000 đ.
COMMUNE_BELOW = ("Thị trấn An Phú", 15_000_000)


def seed(program) -> None:
    """Accepted submissions of two districts and one department, with values, ticks (every commune looked
    at), outputs, accounts, a budget (the district's and each commune's) and difficulties."""
    indicators = {i.code: i for i in Indicator.objects.filter(target__program=program)}
    for (code, n), values in VALUES.items():
        agency = Agency.objects.get(code=code)
        sub = SubmissionFactory(agency=agency, quarter=quarter(n), district_budget=130_000_000 if code == "ubnd-an-phu"
                                else 160_000_000, communes_checked=True)  # fmt: skip
        for ind_code, (num, den) in values.items():
            IndicatorValueFactory(submission=sub, indicator=indicators[ind_code], numerator=num, denominator=den)
        pilot, full, friendly = TICKS[code]
        for i, commune in enumerate(district_communes(program=program, district=agency.unit)):
            below = commune.name == COMMUNE_BELOW[0]
            CommuneStatusFactory(
                submission=sub, commune=commune, safe_home_pilot=i < pilot, safe_home_full=i < full,
                child_friendly=i < friendly, budget=COMMUNE_BELOW[1] if below else 20_000_000,
            )  # fmt: skip
    health = SubmissionFactory(
        agency=Agency.objects.get(code="so-y-te"), quarter=quarter(1), difficulties=HOSTILE,
        proposals=FORMULA,
    )  # fmt: skip
    heart = Activity.objects.get(group__program=program, code="I.7.3")
    ActivityProgressFactory(submission=health, activity=heart, status="in_progress", account=ACCOUNT, children_boys=25,
                            children_girls=15)  # fmt: skip
    OutputProgressFactory(
        submission=health, output=OutputTarget.objects.get(activity=heart, code="I.7.3.a"), quantity=12
    )


def report(kind: str) -> ProvincialReport:
    return ProvincialReport.objects.select_related("program__province").get(program__year=2018, kind=kind)


def render(kind: str, *, issued_on: dt.date | None = None, doc_number: int | None = 5, signer: str = "") -> bytes:
    """The report as issued with this number on this day (unsigned), or as a draft (doc_number=None)."""
    r = report(kind)
    figures = figures_compute(cut=cut_report(report=r))
    day = issued_on or ISSUED[kind]
    issue = None if doc_number is None else Issue.issued(number=doc_number, issued_on=day, name=signer,
                                                         title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")  # fmt: skip
    return report_pdf(report=r, figures=figures, as_of=day, issue=issue)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its layout (pdftotext), or pypdf's extraction where poppler is missing."""
    if shutil.which("pdftotext"):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "r.pdf"
            path.write_bytes(data)
            return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout  # fmt: skip
    return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def files_in(media) -> list[str]:
    """The names of the files under a folder, sorted."""
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_version(kind="six_month", trigger=ReportVersion.Trigger.COMMAND, user=None) -> ReportVersion:
    """A new version of a report, queued (not handed to a worker)."""
    version, created = compiling.version_create(report=report(kind), trigger=trigger, user=user, enqueue=False)
    assert created
    return version


def compiled(kind: str = "six_month") -> ReportVersion:
    """A version of the report compiled now (a draft, with its real PDF)."""
    version = compiling.version_compile(version_id=new_version(kind).pk)
    assert version.status == ReportVersion.Status.DONE, version.error
    return version


@dataclass(frozen=True)
class Certificate:
    """A signing certificate from a throwaway CA: the PKCS#12 file and its password, and the CA to trust."""

    p12: Path
    password: str
    ca_der: bytes
    subject: str


def signing_certificate(folder: Path, *, name: str = "Nguyễn Văn Bình") -> Certificate:
    """A CA made for the test and a leaf certificate it issues to `name`, saved as PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def dn(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CA thử nghiệm"),
                          x509.NameAttribute(NameOID.COMMON_NAME, common_name)])  # fmt: skip

    def usage(**allowed) -> x509.KeyUsage:
        flags = dict.fromkeys(
            [
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ],
            False,
        )
        return x509.KeyUsage(**{**flags, **allowed})  # fmt: skip

    def issued(subject, key, issuer, issuer_key, *, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage(key_cert_sign=True, crl_sign=True) if ca
                           else usage(digital_signature=True, content_commitment=True), critical=True)
        )  # fmt: skip
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = issued(dn("CA thử nghiệm"), ca_key, dn("CA thử nghiệm"), ca_key, ca=True)
    leaf = issued(dn(name), key, ca.subject, ca_key, ca=False)
    password = "mật-khẩu-thử"
    data = pkcs12.serialize_key_and_certificates(b"signer", key, leaf, [ca],
                                                 serialization.BestAvailableEncryption(password.encode()))  # fmt: skip
    path = folder / "signer.p12"
    path.write_bytes(data)
    return Certificate(path, password, ca.public_bytes(serialization.Encoding.DER), name)


def signature_status(data: bytes, *, ca_der: bytes):
    """pyHanko's validation of the PDF's one signature, trusting only the test's CA."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ca_der)])
    return signature, validate_pdf_signature(signature, context)
