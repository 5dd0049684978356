"""Compiled provincial documents: each compile of a provincial report is a version, kept, never
overwritten."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import user_stamp

# The document's symbol: BC, the code of a báo cáo; SLĐTBXH, the issuing body (Decree 30/2020/NĐ-CP).
SYMBOL = "BC-SLĐTBXH"


def document_symbol(number: int) -> str:
    """The number and symbol as printed: 05/BC-SLĐTBXH (numbers under 10 with a leading zero)."""
    return f"{number:02d}/{SYMBOL}"


class ReportVersion(models.Model):
    """One compiled version of a provincial report: the PDF in the administrative format and its
    Excel annex, with a snapshot of the figures they were made from.

    A version is created queued, then compiled by a worker (documents.services), step by step. At most
    one live (not failed) scheduled version exists per report, so the daily job can run as often as
    it likes; manual and command versions are kept one after another.
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
    # The document's number and date ("Số: 05/BC-SLĐTBXH", "An Giang, ngày 20 tháng 5 năm 2018"):
    # a sequence per year of issue, taken when the compile starts and kept if it is run again.
    doc_year = models.PositiveSmallIntegerField(_("năm văn bản"), null=True, blank=True)
    doc_number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    figures = models.JSONField(_("số liệu đã tổng hợp"), null=True, blank=True)
    pdf_path = models.CharField(_("tệp PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 tệp PDF"), max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("dung lượng tệp PDF"), null=True, blank=True)
    xlsx_path = models.CharField(_("tệp Excel"), max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 tệp Excel"), max_length=64, blank=True)
    xlsx_size = models.PositiveBigIntegerField(_("dung lượng tệp Excel"), null=True, blank=True)

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
            models.UniqueConstraint(fields=["doc_year", "doc_number"], name="reportversion_unique_doc_number"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(pdf_sha256="") & ~Q(xlsx_sha256="") & Q(doc_number__isnull=False)),
                name="reportversion_done_has_files",
            ),
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
    def doc_symbol(self) -> str:
        return document_symbol(self.doc_number) if self.doc_number else ""
