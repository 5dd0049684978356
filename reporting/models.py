"""Quarterly progress: one submission per agency and quarter, its values, and its review."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import fmt_date, fmt_datetime
from core.models import WithHistory, user_stamp


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

    # Sent to DOLISA and not yet decided: the review queue, what an officer may return or accept.
    AWAITING_REVIEW = frozenset({Status.SUBMITTED, Status.RESUBMITTED})
    # What some figure counts (dashboards.figures: the accepted, and with the pending ones those awaiting
    # review): a draft or a returned report counts in none, so saving one moves no figure.
    COUNTED = AWAITING_REVIEW | {Status.ACCEPTED}

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
    # A district's budget for the year (VII.2), reported with its quarterly progress: the district's own
    # here, each commune's on its CommuneStatus (the communes' total is their sum, never typed).
    district_budget = models.PositiveBigIntegerField(_("kinh phí cấp huyện bố trí (đồng)"), null=True, blank=True)
    # The communes' total as districts typed it before they reported each commune's allocation
    # (reporting 0006): kept for the record, read by no figure and no form.
    communes_budget_typed = models.PositiveBigIntegerField(
        _("tổng kinh phí cấp xã đã nhập trước khi nhập theo từng xã (đồng)"), null=True, blank=True, editable=False
    )
    # Targets 5 and 6: the district says it has looked at every commune, so that a commune left unticked
    # means "not met" rather than "not reported" (dashboards.figures, "Not reported is not zero").
    communes_checked = models.BooleanField(_("đã rà soát tất cả các xã"), default=False)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    change_explanation = models.TextField(_("giải trình số liệu thay đổi lớn"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = user_stamp(_("người cập nhật"), optional=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = _("báo cáo quý")
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

    def get_absolute_url(self) -> str:
        """The submission's page (the agency and the quarter are read: select them with it)."""
        return self.url_for(year=self.quarter.program.year, quarter=self.quarter.number, agency_code=self.agency.code)

    @staticmethod
    def url_for(*, year: int, quarter: int, agency_code: str) -> str:
        """The page of an agency's report for a quarter, started or not."""
        return reverse("reporting:submission", kwargs={"year": year, "quarter": quarter, "code": agency_code})

    @property
    def is_submitted(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


class IndicatorValue(WithHistory):
    """A district's numerator and denominator for an indicator it types (targets 1–4)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey("targets.Indicator", on_delete=models.PROTECT, related_name="values")
    numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("số liệu chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="indicatorvalue_unique"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="indicatorvalue_numerator_le_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.numerator}/{self.denominator}"


class CommuneStatus(WithHistory):
    """A district's ticks for one of its communes (targets 5 and 6) and the commune's budget for the year
    (VII.2): the denominators and the list of communes come from the unit tree, never typed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="commune_statuses")
    commune = models.ForeignKey("programs.AdminUnit", on_delete=models.PROTECT, related_name="statuses")
    safe_home_pilot = models.BooleanField(_("triển khai thí điểm Ngôi nhà an toàn"), default=False)
    safe_home_full = models.BooleanField(_("100% hộ gia đình có trẻ em đạt tiêu chí Ngôi nhà an toàn"), default=False)
    child_friendly = models.BooleanField(_("duy trì công nhận xã phù hợp với trẻ em"), default=False)
    # VII.2 "Cấp xã thấp nhất 20 triệu/xã/năm": the commune's allocation for the year (blank: not reported).
    budget = models.PositiveBigIntegerField(_("kinh phí bố trí cho xã trong năm (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("tình trạng xã")
        constraints = [models.UniqueConstraint(fields=["submission", "commune"], name="communestatus_unique")]

    def __str__(self) -> str:
        return str(self.commune)


class ActivityProgress(WithHistory):
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

    class Meta:
        verbose_name = verbose_name_plural = _("tiến độ hoạt động")
        constraints = [models.UniqueConstraint(fields=["submission", "activity"], name="activityprogress_unique")]

    def __str__(self) -> str:
        return f"{self.activity.code}: {self.get_status_display()}"


class OutputProgress(WithHistory):
    """The quantity an agency achieved this quarter on an output target it contributes to."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="output_progress")
    output = models.ForeignKey("activities.OutputTarget", on_delete=models.PROTECT, related_name="progress")
    quantity = models.PositiveBigIntegerField(_("số lượng đạt trong quý"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("kết quả chỉ tiêu đầu ra")
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
    actor = user_stamp(_("người thực hiện"))
    at = models.DateTimeField(_("lúc"))
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("bước xử lý")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({fmt_date(timezone.localdate(self.at))})"


class ReopenRequest(models.Model):
    """An agency locked out of a quarter's report (its deadline passed, or DOLISA returned it after the
    deadline and the days given ran out) asks DOLISA to reopen it, with a reason; DOLISA grants it with a
    date (through reporting.services.submission_reopen, the one reopening rule) or refuses it with a reason.
    Kept for the record, every change in its history. At most one open request per agency and quarter."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ Sở xem xét")
        GRANTED = "granted", _("Sở đã đồng ý mở lại")
        REFUSED = "refused", _("Sở không đồng ý mở lại")

    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="reopen_requests"
    )
    quarter = models.ForeignKey(
        "programs.Quarter", verbose_name=_("quý"), on_delete=models.PROTECT, related_name="reopen_requests"
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("lý do đề nghị mở lại"))
    requested_by = user_stamp(_("người đề nghị"))
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    decided_by = user_stamp(_("người quyết định"), optional=True)
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    until = models.DateField(_("mở lại đến ngày"), null=True, blank=True)
    answer = models.TextField(_("ý kiến của Sở"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("đề nghị mở lại báo cáo")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "quarter"], condition=Q(status="pending"), name="reopenrequest_one_pending"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(until__isnull=False), name="reopenrequest_granted_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.quarter} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        """The submission page it is about (the agency and the quarter are read: select them with it)."""
        return Submission.url_for(year=self.quarter.program.year, quarter=self.quarter.number,
                                  agency_code=self.agency.code)  # fmt: skip


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
        verbose_name = verbose_name_plural = _("thư nhắc hạn")
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
    uploaded_by = user_stamp(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=_upload_name, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    changed = models.PositiveIntegerField(_("số giá trị thay đổi"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("tệp Excel đã tải lên")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({fmt_datetime(self.uploaded_at)})"
