"""Quarterly progress: one submission per agency and quarter, its values, and its review."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Submission(models.Model):
    """An agency's progress report for one quarter.

    `version` grows by one on every write; a save that names an older version is refused, so that a
    second editor never silently overwrites the first (on SQLite as on PostgreSQL).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        RESUBMITTED = "resubmitted", _("Đã gửi lại")
        ACCEPTED = "accepted", _("Đã duyệt")

    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="submissions"
    )
    quarter = models.ForeignKey(
        "programs.Quarter", verbose_name=_("quý"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    days_late = models.PositiveIntegerField(_("số ngày trễ"), default=0)
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reopened_until = models.DateField(_("mở lại đến ngày"), null=True, blank=True)
    # A district's budget for the year (VII.2), reported with its quarterly progress.
    district_budget = models.PositiveBigIntegerField(_("kinh phí cấp huyện bố trí (đồng)"), null=True, blank=True)
    communes_budget = models.PositiveBigIntegerField(_("tổng kinh phí bố trí cho cấp xã (đồng)"), null=True, blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    change_explanation = models.TextField(_("giải trình số liệu thay đổi lớn"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("báo cáo quý")
        verbose_name_plural = _("báo cáo quý")
        ordering = ["quarter__number", "agency__order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "quarter"], name="submission_unique_agency_quarter"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="submission_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["quarter", "status"]), models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.agency} – {self.quarter}"

    @property
    def is_submitted(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


class IndicatorValue(models.Model):
    """A district's numerator and denominator for an indicator it types (targets 1–4)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey("targets.Indicator", on_delete=models.PROTECT, related_name="values")
    numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu chỉ số")
        verbose_name_plural = _("số liệu chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="indicatorvalue_unique"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="indicatorvalue_numerator_le_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.numerator}/{self.denominator}"


class CommuneStatus(models.Model):
    """A district's ticks for one of its communes (targets 5 and 6): the denominators come from the
    unit tree, never typed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="commune_statuses")
    commune = models.ForeignKey("programs.AdminUnit", on_delete=models.PROTECT, related_name="statuses")
    safe_home_pilot = models.BooleanField(_("triển khai thí điểm Ngôi nhà an toàn"), default=False)
    safe_home_full = models.BooleanField(_("100% hộ gia đình có trẻ em đạt tiêu chí Ngôi nhà an toàn"), default=False)
    child_friendly = models.BooleanField(_("duy trì công nhận xã phù hợp với trẻ em"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tình trạng xã")
        verbose_name_plural = _("tình trạng xã")
        constraints = [models.UniqueConstraint(fields=["submission", "commune"], name="communestatus_unique")]

    def __str__(self) -> str:
        return str(self.commune)


class ActivityProgress(models.Model):
    """What an agency did this quarter on one activity it leads or supports."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang triển khai")
        DONE = "done", _("Đã hoàn thành")
        NOT_APPLICABLE = "not_applicable", _("Không thực hiện trong quý")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="activity_progress")
    activity = models.ForeignKey("activities.Activity", on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, blank=True)
    children_boys = models.PositiveIntegerField(_("trẻ em nam được hưởng lợi"), null=True, blank=True)
    children_girls = models.PositiveIntegerField(_("trẻ em nữ được hưởng lợi"), null=True, blank=True)
    money_spent = models.PositiveBigIntegerField(_("kinh phí đã chi (đồng)"), null=True, blank=True)
    account = models.TextField(_("kết quả thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn"), blank=True)
    proposals = models.TextField(_("đề xuất"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ hoạt động")
        verbose_name_plural = _("tiến độ hoạt động")
        constraints = [models.UniqueConstraint(fields=["submission", "activity"], name="activityprogress_unique")]

    def __str__(self) -> str:
        return f"{self.activity.code}: {self.get_status_display()}"


class OutputProgress(models.Model):
    """The quantity an agency achieved this quarter on an output target it contributes to."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="output_progress")
    output = models.ForeignKey("activities.OutputTarget", on_delete=models.PROTECT, related_name="progress")
    quantity = models.PositiveBigIntegerField(_("số lượng đạt trong quý"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả chỉ tiêu đầu ra")
        verbose_name_plural = _("kết quả chỉ tiêu đầu ra")
        constraints = [models.UniqueConstraint(fields=["submission", "output"], name="outputprogress_unique")]

    def __str__(self) -> str:
        return f"{self.output.code}: {self.quantity}"


class Transition(models.Model):
    """A step of the review workflow: who moved the submission from which state to which, when, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Gửi báo cáo")
        RESUBMIT = "resubmit", _("Gửi lại")
        RETURN = "return", _("Trả lại")
        ACCEPT = "accept", _("Duyệt")
        REOPEN = "reopen", _("Mở lại để chỉnh sửa")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=12, choices=Submission.Status.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=Submission.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


class ReportVersion(models.Model):
    """One compiled version of a provincial report: the PDF in the administrative format and its
    Excel annex, with a snapshot of the figures they were made from.

    A version is created queued, then compiled by a worker (reporting.compile), step by step. At most
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

    report = models.ForeignKey(
        "programs.ProvincialReport", verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("lần biên soạn"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("cách tạo"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất lúc"), null=True, blank=True)
    # When the compile was handed to the queue; empty while the broker could not take it (it is handed
    # over again by reporting.tasks.dispatch, every minute, once the broker is back).
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
        verbose_name = _("bản biên soạn báo cáo")
        verbose_name_plural = _("bản biên soạn báo cáo")
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

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waits_for_queue(self) -> bool:
        """Queued, but the broker was unavailable: it will run once the queue is back."""
        return self.status == self.Status.QUEUED and self.dispatched_at is None

    @property
    def doc_symbol(self) -> str:
        """The number and symbol as printed: 05/BC-SLĐTBXH (numbers under 10 with a leading zero)."""
        return f"{self.doc_number:02d}/BC-SLĐTBXH" if self.doc_number else ""


class Reminder(models.Model):
    """A reminder e-mailed to an agency that had not submitted a quarter's report some days before
    its entry deadline. One per agency, quarter and number of days: a rerun sends nothing twice."""

    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="reminders"
    )
    quarter = models.ForeignKey(
        "programs.Quarter", verbose_name=_("quý"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("số ngày trước hạn"))
    sent_at = models.DateTimeField(_("gửi lúc"))
    recipients = models.TextField(_("người nhận"))

    class Meta:
        verbose_name = _("thư nhắc hạn")
        verbose_name_plural = _("thư nhắc hạn")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "quarter", "days_before"], name="reminder_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.quarter} – {self.days_before}"


def _upload_name(instance, filename: str) -> str:
    """Uploaded files are stored under random names, never the name the browser sent."""
    return f"uploads/{uuid.uuid4().hex}.xlsx"


class WorkbookUpload(models.Model):
    """A filled agency workbook that was accepted and saved as an edit: kept for audit, served only
    through a view that checks access (reporting.views.workbook.workbook_upload_file)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=_upload_name, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    changed = models.PositiveIntegerField(_("số giá trị thay đổi"), default=0)

    class Meta:
        verbose_name = _("tệp Excel đã tải lên")
        verbose_name_plural = _("tệp Excel đã tải lên")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"
