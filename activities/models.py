"""The program's activities (section B): activity lines and groups, their sub-items, who leads or
supports each, and every quantity the decision sets as an output target."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, WithHistory


class ActivityGroup(WithHistory):
    """B.I lines 1–10 (each implementing an earlier decision or plan) and groups III, IV, V."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="activity_groups"
    )
    code = models.CharField(_("mã"), max_length=10)
    part = models.CharField(_("phần"), max_length=5)
    number = models.PositiveSmallIntegerField(_("số"), null=True, blank=True)
    title = models.TextField(_("tiêu đề"))
    short_title = models.CharField(_("tiêu đề ngắn"), max_length=200)
    short_title_en = models.CharField(_("tiêu đề ngắn tiếng Anh"), max_length=200, blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("nhóm hoạt động")
        ordering = ["program", "order"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="activitygroup_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.short_title}"


class Activity(WithHistory, Archivable):
    group = models.ForeignKey(
        ActivityGroup, verbose_name=_("nhóm hoạt động"), on_delete=models.CASCADE, related_name="activities"
    )
    code = models.CharField(_("mã"), max_length=16)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung"))
    text_en = models.TextField(_("nội dung tiếng Anh"), blank=True)
    # Who does it as the decision says when the bullet's wording needs reading (a unit under an agency,
    # a body that advises and one that issues), with the line it rests on.
    note = models.TextField(_("ghi chú về đơn vị thực hiện"), blank=True)
    agencies = models.ManyToManyField("programs.Agency", through="ActivityRole", related_name="activities")

    class Meta:
        verbose_name = verbose_name_plural = _("hoạt động")
        ordering = ["group__order", "order"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="activity_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"


class ActivityRole(WithHistory):
    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")

    class Source(models.TextChoices):
        """Who says this agency leads or supports: the decision's text, or the portal's reading of it
        (a body the bullet does not name, read from its VIII.2 duty)."""

        DECISION = "decision", _("Theo văn bản quyết định")
        PORTAL = "portal", _("Cổng suy ra từ nhiệm vụ (văn bản không nêu)")

    activity = models.ForeignKey(Activity, verbose_name=_("hoạt động"), on_delete=models.CASCADE, related_name="roles")
    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="activity_roles"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    source = models.CharField(_("căn cứ"), max_length=10, choices=Source.choices, default=Source.DECISION)

    class Meta:
        verbose_name = verbose_name_plural = _("vai trò trong hoạt động")
        ordering = ["activity", "role", "agency__order"]
        constraints = [models.UniqueConstraint(fields=["activity", "agency"], name="activityrole_unique_agency")]

    def __str__(self) -> str:
        return f"{self.agency} – {self.get_role_display()}"

    @property
    def is_portal_reading(self) -> bool:
        return self.source == self.Source.PORTAL


class OutputTarget(Archivable):
    """A quantity the decision sets for an activity (08 điểm, 800 trẻ em, 5 tỷ đồng ...).

    Counts of events, children and money add up over the quarters (SUM); a state (a club kept, a
    number of communes covered) is read at each agency's latest reported value, summed over agencies
    (LATEST); a level each district states for itself (15 criteria kept) is the mean of the districts'
    latest values (AVERAGE); an average per commune ("bình quân 12 cộng tác viên/xã") is entered by each
    district as a count (its collaborators) and divided by communes: the province's Σ counts ÷ Σ communes,
    a district's its count ÷ its communes (PER_COMMUNE), never a mean of the districts' averages.
    """

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng dồn các quý")
        LATEST = "latest", _("Lấy số liệu mới nhất")
        AVERAGE = "average", _("Bình quân số liệu mới nhất của các đơn vị")
        PER_COMMUNE = "per_commune", _("Bình quân mỗi xã: tổng số của các huyện chia cho tổng số xã")

    activity = models.ForeignKey(
        Activity, verbose_name=_("hoạt động"), on_delete=models.CASCADE, related_name="outputs"
    )
    code = models.CharField(_("mã"), max_length=20)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    label = models.CharField(_("chỉ tiêu đầu ra"), max_length=300)
    label_en = models.CharField(_("chỉ tiêu đầu ra tiếng Anh"), max_length=300, blank=True)
    quantity = models.PositiveBigIntegerField(_("số lượng kế hoạch"))
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    unit_en = models.CharField(_("đơn vị tính tiếng Anh"), max_length=40, blank=True)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=12, choices=Aggregation.choices)
    units = models.ManyToManyField(
        "programs.AdminUnit", verbose_name=_("địa bàn"), related_name="output_targets", blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = verbose_name_plural = _("chỉ tiêu đầu ra")
        ordering = ["activity__group__order", "activity__order", "order"]
        constraints = [models.UniqueConstraint(fields=["activity", "code"], name="outputtarget_unique_code")]

    def __str__(self) -> str:
        return f"{self.label}: {self.quantity} {self.unit}"

    @property
    def is_money(self) -> bool:
        return self.unit == "đồng"

    @property
    def is_per_commune(self) -> bool:
        return self.aggregation == self.Aggregation.PER_COMMUNE

    @property
    def counted_unit(self) -> str:
        """What a district counts for an average per commune ("cộng tác viên" of "cộng tác viên/xã")."""
        return self.unit.split("/")[0].strip() if self.is_per_commune else self.unit
