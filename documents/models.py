"""Compiled provincial documents: each compile of a provincial report is a version, kept, never
overwritten; a version is a draft until an officer issues it with a number from DOLISA's register of
documents."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import WithHistory, user_stamp

# The code of a báo cáo among the kinds of administrative documents (Decree 30/2020/NĐ-CP, Appendix III),
# and the issuing body's abbreviation: the document's symbol is BC-SLĐTBXH.
REPORT_KIND = "BC"
ISSUER = "SLĐTBXH"
SYMBOL = f"{REPORT_KIND}-{ISSUER}"
# A draft's number is left blank, to be written at issue: "Số:      /BC-SLĐTBXH".
DRAFT_SYMBOL = "\u00a0" * 6 + "/" + SYMBOL


def document_symbol(number: int | None) -> str:
    """The number and symbol as printed: 05/BC-SLĐTBXH (numbers under 10 with a leading zero); a draft's
    number blank."""
    return f"{number:02d}/{SYMBOL}" if number else DRAFT_SYMBOL


class DocumentRegister(WithHistory):
    """DOLISA's register of outgoing documents (sổ đăng ký văn bản đi) for one year of issue and one kind
    ("BC": reports): the number the next document of the kind takes. DOLISA numbers documents of the
    kind outside the portal too, so its officers set the next number (the first of the year, or one past
    the numbers they took by hand); the portal takes numbers from it one after another when it issues a
    report (documents.services.register_number_take), each once, and never lets it go back to a number
    the portal has issued."""

    # Each province's DOLISA keeps its own register (provinces are separate tenants).
    province = models.ForeignKey(
        "programs.AdminUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại văn bản"), max_length=10, default=REPORT_KIND)
    next_number = models.PositiveIntegerField(_("số tiếp theo"), default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("sổ đăng ký văn bản đi")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "kind"], name="documentregister_unique_year_kind"),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="documentregister_next_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"


class ReportVersion(models.Model):
    """One compiled version of a provincial report: the PDF in the administrative format and its
    Excel annex, with a snapshot of the figures they were made from.

    A version is created queued, then compiled by a worker (documents.services), step by step. At most
    one live (not failed) scheduled version exists per report, so the daily job can run as often as
    it likes; manual, command and late-acceptance versions are kept one after another.

    A compiled version is a draft: "DỰ THẢO" on every page, its number blank, no number used up. An
    officer issues it (documents.services.version_issue): the number comes from DOLISA's register, with
    the date of issue and the signer; the issued files are made from the draft's own words (its stored
    body, `html_path`), signed when a certificate is configured, and never change. Issuing another
    version of the report later marks this one replaced (`replaced_by`).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang biên soạn")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Tự động theo lịch")
        MANUAL = "manual", _("Biên soạn theo yêu cầu")
        COMMAND = "command", _("Lệnh quản trị")
        LATE = "late", _("Tự động: có báo cáo được duyệt sau lần biên soạn trước")

    class Step(models.TextChoices):
        QUEUED = "queued", _("Chờ xử lý")
        FIGURES = "figures", _("Tổng hợp số liệu")
        PDF = "pdf", _("Soạn báo cáo PDF")
        XLSX = "xlsx", _("Lập phụ lục Excel")
        STORE = "store", _("Lưu tệp")
        DONE = "done", _("Hoàn thành")

    # A compile in progress: nothing new is created for its report meanwhile.
    ACTIVE = frozenset({Status.QUEUED, Status.RUNNING})
    # The steps of a compile, in order, as the progress page shows them.
    STEPS = (Step.FIGURES, Step.PDF, Step.XLSX, Step.STORE)

    report = models.ForeignKey(
        "programs.ProvincialReport", verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("lần biên soạn"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("cách tạo"), max_length=10, choices=Trigger.choices)
    requested_by = user_stamp(_("người yêu cầu"), optional=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất lúc"), null=True, blank=True)
    # When the compile was handed to the queue; empty while the broker could not take it (it is handed
    # over again by documents.tasks.dispatch, every minute, once the broker is back).
    dispatched_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    step = models.CharField(_("bước"), max_length=10, choices=Step.choices, default=Step.QUEUED)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lý do lỗi"), blank=True)
    figures = models.JSONField(_("số liệu đã tổng hợp"), null=True, blank=True)
    # The draft: its PDF, its Excel annex, and the body of the document as composed (HTML), from which
    # the issued PDF is made with the number, date and signer filled in.
    pdf_path = models.CharField(_("tệp PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 tệp PDF"), max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("dung lượng tệp PDF"), null=True, blank=True)
    xlsx_path = models.CharField(_("tệp Excel"), max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 tệp Excel"), max_length=64, blank=True)
    xlsx_size = models.PositiveBigIntegerField(_("dung lượng tệp Excel"), null=True, blank=True)
    html_path = models.CharField(_("nội dung văn bản (HTML)"), max_length=255, blank=True)
    # The issue ("Số: 05/BC-SLĐTBXH", "An Giang, ngày 20 tháng 5 năm 2018"): a number of DOLISA's register
    # for the year of issue, taken when an officer issues the version, never at compile time.
    doc_year = models.PositiveSmallIntegerField(_("năm văn bản"), null=True, blank=True)
    # The province whose register gave the number (each province numbers its own documents).
    doc_province = models.ForeignKey(
        "programs.AdminUnit", verbose_name=_("tỉnh ban hành"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    doc_number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = user_stamp(_("người ban hành"), optional=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signed = models.BooleanField(_("đã ký số"), default=False)
    issued_pdf_path = models.CharField(_("tệp PDF ban hành"), max_length=255, blank=True)
    issued_pdf_sha256 = models.CharField(_("SHA-256 tệp PDF ban hành"), max_length=64, blank=True)
    issued_pdf_size = models.PositiveBigIntegerField(_("dung lượng tệp PDF ban hành"), null=True, blank=True)
    issued_xlsx_path = models.CharField(_("tệp Excel ban hành"), max_length=255, blank=True)
    issued_xlsx_sha256 = models.CharField(_("SHA-256 tệp Excel ban hành"), max_length=64, blank=True)
    issued_xlsx_size = models.PositiveBigIntegerField(_("dung lượng tệp Excel ban hành"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("được thay thế bởi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaces",
    )  # fmt: skip
    replaced_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)
    # Who created, issued or replaced a version, and when; the compile's steps (heartbeat, progress) and the
    # figures' snapshot are left out, the compile's own fields record them.
    history = HistoricalRecords(excluded_fields=["heartbeat_at", "step", "percent", "figures", "dispatched_at"])

    class Meta:
        verbose_name = verbose_name_plural = _("bản biên soạn báo cáo")
        db_table = "reporting_reportversion"  # moved from the reporting app; the table kept its name
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(trigger="scheduled") & ~Q(status="failed"),
                name="reportversion_one_live_scheduled",
            ),
            models.UniqueConstraint(
                fields=["doc_province", "doc_year", "doc_number"], name="reportversion_unique_doc_number"
            ),
            # One issued version in force per report: issuing another marks the earlier one replaced.
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(doc_number__isnull=False, replaced_by__isnull=True),
                name="reportversion_one_issued_in_force",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(pdf_sha256="") & ~Q(xlsx_sha256="")),
                name="reportversion_done_has_files",
            ),
            # An issued version is a finished one with its province, number, date, issuer and files, all at once.
            models.CheckConstraint(
                condition=Q(doc_number__isnull=True, issued_at__isnull=True)
                | (
                    Q(
                        doc_number__isnull=False,
                        doc_province__isnull=False,
                        doc_year__isnull=False,
                        issued_on__isnull=False,
                        issued_at__isnull=False,
                        status="done",
                    )
                    & ~Q(issued_pdf_sha256="")
                    & ~Q(issued_xlsx_sha256="")
                ),
                name="reportversion_issued_is_complete",
            ),  # fmt: skip
            models.CheckConstraint(condition=~Q(replaced_by=F("id")), name="reportversion_not_replaced_by_itself"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="reportversion_percent_range"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:report_version", kwargs={"year": self.report.program.year, "pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waits_for_queue(self) -> bool:
        """Queued, but the broker was unavailable: it will run once the queue is back."""
        return self.status == self.Status.QUEUED and self.dispatched_at is None

    @property
    def is_issued(self) -> bool:
        return self.doc_number is not None

    @property
    def is_draft(self) -> bool:
        """Compiled, not issued: what only DOLISA's officers see."""
        return self.status == self.Status.DONE and self.doc_number is None

    @property
    def doc_symbol(self) -> str:
        return document_symbol(self.doc_number) if self.doc_number else ""

    def served_file(self, fmt: str) -> tuple[str, str, int]:
        """(stored path, SHA-256, size) of the file served for this version in a format (pdf, xlsx): the
        issued file once it is issued, the draft's before; empty for an unknown format."""
        prefix = "issued_" if self.is_issued else ""
        if fmt not in ("pdf", "xlsx"):
            return "", "", 0
        return (
            getattr(self, f"{prefix}{fmt}_path"),
            getattr(self, f"{prefix}{fmt}_sha256"),
            getattr(self, f"{prefix}{fmt}_size") or 0,
        )
