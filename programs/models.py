"""The program as the decision states it: the program itself, places, agencies and their duties,
and the reporting calendar (quarters with entry deadlines, the provincial reports)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.formatting import fmt_date
from core.models import WithHistory


class AdminUnit(WithHistory):
    """An administrative unit (province, district-level, commune-level) as it was between
    `valid_from` and `valid_to`. A merger or a change of kind ends a unit and starts a new one,
    so that the 2018 layout is never rewritten."""

    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO = "thanh_pho", _("Thành phố")
        THI_XA = "thi_xa", _("Thị xã")
        HUYEN = "huyen", _("Huyện")
        PHUONG = "phuong", _("Phường")
        XA = "xa", _("Xã")
        THI_TRAN = "thi_tran", _("Thị trấn")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện")
        COMMUNE = 3, _("Cấp xã")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="adminunit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short(self) -> str:
        return self.short_name or self.name


class Agency(WithHistory):
    """A body that reports under the program: a provincial department or organisation, or a
    district People's Committee (linked to its district)."""

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Sở, ban, ngành, đoàn thể cấp tỉnh")
        DISTRICT = "district", _("UBND cấp huyện")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Tỉnh đối với cơ quan cấp tỉnh; huyện, thị xã, thành phố đối với UBND cấp huyện."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    # VIII.2.10: the decision directs the departments and districts but *requests* ("Đề nghị") the Front,
    # the mass organisations, the Procuracy, the Court and the Association: their reports are asked for,
    # their reminders are requests, and they are never marked late.
    is_requested = models.BooleanField(
        _("được đề nghị phối hợp (không giao nhiệm vụ)"),
        default=False,
        help_text=_("Cơ quan mà quyết định “đề nghị” tham gia (mục VIII.2.10): nhắc hạn bằng lời đề nghị, "
                    "không đánh dấu trễ hạn."),
    )  # fmt: skip
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT


class Program(WithHistory):
    """A province's yearly child-protection program, issued by a decision. A year made from the last one
    (programs.years) is a draft, seen and edited by DOLISA only, until DOLISA publishes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã ban hành")

    province = models.ForeignKey(AdminUnit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="programs")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên chương trình"), max_length=300)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    signer_name = models.CharField(_("người ký"), max_length=120)
    proposal = models.TextField(_("tờ trình"), blank=True)
    general_objective = models.TextField(_("mục tiêu tổng quát"))
    district_budget_floor = models.PositiveBigIntegerField(_("kinh phí tối thiểu mỗi huyện mỗi năm (đồng)"))
    commune_budget_floor = models.PositiveBigIntegerField(_("kinh phí tối thiểu mỗi xã mỗi năm (đồng)"))
    budget_text = models.TextField(_("quy định kinh phí cấp huyện, xã"), blank=True)
    provincial_budget_text = models.TextField(_("quy định kinh phí cấp tỉnh"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)

    class Meta:
        verbose_name = verbose_name_plural = _("chương trình")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="program_unique_province_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == Program.Status.DRAFT

    @property
    def signer_title_inline(self) -> str:
        return " – ".join(line.strip() for line in self.signer_title.splitlines() if line.strip())


class LegalBasis(WithHistory):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["program", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "order"], name="legalbasis_unique_order")]

    def __str__(self) -> str:
        return self.text[:80]


class Duty(WithHistory):
    """An agency's duty under the program (section VIII). A duty without an agency is one of the
    general duties that every agency carries (VIII.1)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="duties")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    section = models.CharField(_("mục"), max_length=10, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = verbose_name_plural = _("nhiệm vụ")
        ordering = ["program", "agency__order", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "agency", "order"], name="duty_unique_order")]

    def __str__(self) -> str:
        return self.text[:80]


# A quarter without a deadline (the decision dates no third-quarter report), worded once.
NO_DEADLINE = _("chưa quy định hạn")


class Quarter(WithHistory):
    """A quarter of the program year, with the date by which agencies send DOLISA their report of it
    (VIII.1: quarterly by 20/03, six-month by 20/05, annual by 15/11). The decision dates no report
    for the third quarter: a quarter may have no deadline until DOLISA sets one, and nothing is late,
    locked or reminded before (programs.calendar)."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="quarters"
    )
    number = models.PositiveSmallIntegerField(_("quý"), choices=[(i, str(i)) for i in range(1, 5)])
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    entry_deadline = models.DateField(
        _("hạn gửi báo cáo"), null=True, blank=True,
        help_text=_("Hạn cơ quan, đơn vị gửi báo cáo về Sở Lao động – Thương binh và Xã hội (mục VIII.1 của Quyết "
                    "định). Để trống nếu chưa quy định hạn."),
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("quý")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="quarter_unique_number"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="quarter_valid_range"),
        ]

    def __str__(self) -> str:
        return _("Quý %(n)s/%(y)s") % {"n": self.number, "y": self.start.year}

    @property
    def label(self) -> str:
        return str(self)

    @property
    def deadline_label(self) -> str:
        """The deadline as every page and file says it: 20/03/2018, or "chưa quy định hạn"."""
        return fmt_date(self.entry_deadline) if self.entry_deadline else str(NO_DEADLINE)


class ProvincialReport(models.Model):
    """One of DOLISA's reports compiled from the agencies' reports: to the Provincial People's Committee
    and the Ministry (VIII.1; at six months and at the year also to its Department of Child Protection,
    VIII.2.1). It is compiled once its agencies' deadline has passed (the last deadline among its
    quarters, programs.calendar.report_deadline). The decision sets DOLISA no date of its own: `due_date`
    is one DOLISA may set, or none."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", pgettext_lazy("provincial report kind", "Báo cáo quý")
        SIX_MONTH = "six_month", _("Báo cáo 6 tháng")
        ANNUAL = "annual", _("Báo cáo năm")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="provincial_reports"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=Kind.choices)
    due_date = models.DateField(
        _("hạn gửi UBND tỉnh (nếu Sở quy định)"), null=True, blank=True,
        help_text=_("Quyết định không quy định hạn báo cáo của Sở (mục VIII.2.1); Sở có thể tự đặt hạn hoặc để trống."),
    )  # fmt: skip
    quarters = models.ManyToManyField(Quarter, verbose_name=_("các quý"), related_name="provincial_reports")
    history = HistoricalRecords(m2m_fields=[quarters])

    class Meta:
        verbose_name = verbose_name_plural = _("báo cáo của tỉnh")
        ordering = ["program", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="provincialreport_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.program.year}"

    @property
    def recipients(self) -> tuple[tuple[str, str], ...]:
        """Whom the report goes to, with the line of the decision that says so: the People's Committee and
        the Ministry (VIII.1); at six months and at the year the Ministry's Department of Child Protection
        (VIII.2.1)."""
        ministry = (
            (str(MINISTRY), "VIII.1")
            if self.kind == ProvincialReport.Kind.QUARTERLY
            else (str(CHILD_DEPARTMENT), "VIII.2.1")
        )
        return (str(PEOPLES_COMMITTEE), "VIII.1"), ministry


# The bodies DOLISA's reports go to, named once (the calendar page, the printed report's "Nơi nhận").
PEOPLES_COMMITTEE = _("Ủy ban nhân dân tỉnh")
MINISTRY = _("Bộ Lao động – Thương binh và Xã hội")
CHILD_DEPARTMENT = _("Cục Bảo vệ, chăm sóc trẻ em, Bộ Lao động – Thương binh và Xã hội")
