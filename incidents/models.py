"""Ad hoc incident reports (báo cáo đột xuất): an urgent child-protection case that an agency reports at
once, outside the quarterly cycle, and DOLISA's follow-up of it.

No child is ever identified: an incident holds only counts of children by sex and age band, the place
down to the commune, what happened (a kind), what was done and what is still needed. There is no field
for a name, an address, a birth date, an identity number, a phone number or a photo, and none may be
added (tests/incidents/test_models.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.formatting import fmt_date
from core.models import WithHistory, user_stamp

# (sex, age band) → field name, in the order the form and the pages show them.
AGE_BANDS = [
    ("under_6", _("Dưới 6 tuổi")),
    ("6_11", _("Từ 6 đến dưới 11 tuổi")),
    ("11_16", _("Từ 11 đến dưới 16 tuổi")),
    ("16_18", _("Từ 16 đến dưới 18 tuổi")),
]
SEXES = [("boys", _("Trẻ em nam")), ("girls", _("Trẻ em nữ"))]
COUNT_FIELDS = [f"{sex}_{band}" for band, _label in AGE_BANDS for sex, _s in SEXES]


class Incident(WithHistory):
    """One urgent case, reported by an agency. Counts only: never a child's identity."""

    class Kind(models.TextChoices):
        SEXUAL_ABUSE = "sexual_abuse", _("Xâm hại tình dục")
        VIOLENCE = "violence", _("Bạo lực")
        TRAFFICKING = "trafficking", _("Mua bán")
        DROWNING_INJURY = "drowning_injury", _("Đuối nước, tai nạn thương tích")
        CHILD_LABOUR = "child_labour", _("Lao động trẻ em")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang theo dõi")
        CLOSED = "closed", _("Đã kết thúc")

    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("cơ quan báo cáo"), on_delete=models.PROTECT, related_name="incidents"
    )
    filed_by = user_stamp(_("người báo cáo"))
    reported_at = models.DateTimeField(_("báo cáo lúc"))
    occurred_on = models.DateField(_("ngày xảy ra"))
    district = models.ForeignKey(
        "programs.AdminUnit", verbose_name=_("huyện, thị xã, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "programs.AdminUnit", verbose_name=_("xã, phường, thị trấn"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại vụ việc"), max_length=20, choices=Kind.choices)
    boys_under_6 = models.PositiveSmallIntegerField(_("trẻ em nam dưới 6 tuổi"), default=0)
    girls_under_6 = models.PositiveSmallIntegerField(_("trẻ em nữ dưới 6 tuổi"), default=0)
    boys_6_11 = models.PositiveSmallIntegerField(_("trẻ em nam từ 6 đến dưới 11 tuổi"), default=0)
    girls_6_11 = models.PositiveSmallIntegerField(_("trẻ em nữ từ 6 đến dưới 11 tuổi"), default=0)
    boys_11_16 = models.PositiveSmallIntegerField(_("trẻ em nam từ 11 đến dưới 16 tuổi"), default=0)
    girls_11_16 = models.PositiveSmallIntegerField(_("trẻ em nữ từ 11 đến dưới 16 tuổi"), default=0)
    boys_16_18 = models.PositiveSmallIntegerField(_("trẻ em nam từ 16 đến dưới 18 tuổi"), default=0)
    girls_16_18 = models.PositiveSmallIntegerField(_("trẻ em nữ từ 16 đến dưới 18 tuổi"), default=0)
    actions = models.TextField(_("các biện pháp đã thực hiện"))
    police_involved = models.BooleanField(_("cơ quan công an"), default=False)
    health_involved = models.BooleanField(_("cơ quan y tế"), default=False)
    justice_involved = models.BooleanField(_("cơ quan tư pháp, tòa án, viện kiểm sát"), default=False)
    other_involved = models.BooleanField(_("cơ quan, tổ chức khác"), default=False)
    other_involved_text = models.CharField(_("cơ quan, tổ chức khác là"), max_length=200, blank=True)
    needs = models.TextField(_("những hỗ trợ còn cần"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_by = user_stamp(_("người kết thúc"), optional=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    # The filing form's token (incidents.forms.SubmitToken): the same form sent twice (a double click, a
    # retry) files one incident.
    submit_token = models.UUIDField(_("mã biểu mẫu"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("báo cáo đột xuất")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(boys_under_6__gt=0)
                | Q(girls_under_6__gt=0)
                | Q(boys_6_11__gt=0)
                | Q(girls_6_11__gt=0)
                | Q(boys_11_16__gt=0)
                | Q(girls_11_16__gt=0)
                | Q(boys_16_18__gt=0)
                | Q(girls_16_18__gt=0),
                name="incident_has_children",
                violation_error_message=_("Vui lòng nhập số trẻ em liên quan: ít nhất 01 trẻ em."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "occurred_on"]),
            models.Index(fields=["agency", "reported_at"]),
            models.Index(fields=["status", "reported_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.commune} ({fmt_date(self.occurred_on)})"

    @property
    def children(self) -> int:
        return sum(getattr(self, name) for name in COUNT_FIELDS)

    @property
    def boys(self) -> int:
        return sum(getattr(self, f"boys_{band}") for band, _label in AGE_BANDS)

    @property
    def girls(self) -> int:
        return sum(getattr(self, f"girls_{band}") for band, _label in AGE_BANDS)

    @property
    def counts_by_band(self) -> list[tuple[str, int, int]]:
        """(age band, boys, girls) for each age band."""
        return [(label, getattr(self, f"boys_{band}"), getattr(self, f"girls_{band}")) for band, label in AGE_BANDS]

    @property
    def involved(self) -> list[str]:
        """The bodies involved, as the page and the e-mail name them."""
        named = ("police_involved", "health_involved", "justice_involved")
        out = [str(self._meta.get_field(f).verbose_name) for f in named if getattr(self, f)]
        if self.other_involved:
            out.append(self.other_involved_text or str(self._meta.get_field("other_involved").verbose_name))
        return out

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class IncidentNote(WithHistory):
    """A follow-up note on an incident (what was done since, who took it over)."""

    incident = models.ForeignKey(Incident, verbose_name=_("vụ việc"), on_delete=models.CASCADE, related_name="notes")
    author = user_stamp(_("người ghi"))
    at = models.DateTimeField(_("lúc"))
    text = models.TextField(_("nội dung"))
    submit_token = models.UUIDField(_("mã biểu mẫu"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("ghi chú theo dõi")
        ordering = ["incident", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
