"""The program's six specific targets (A.II) and the indicators that measure them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, WithHistory


class Target(WithHistory, Archivable):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="targets"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung mục tiêu"))
    text_en = models.TextField(_("nội dung tiếng Anh"), blank=True)
    goal = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = _("mục tiêu")
        ordering = ["program", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="target_unique_number")]

    def __str__(self) -> str:
        return _("Mục tiêu %(n)s") % {"n": self.number}


class Indicator(Archivable):
    """A measure of a target: a ratio whose numerator and denominator come from the districts.

    The province's value is always the sum of the districts' numerators over the sum of their
    denominators, never the mean of their percentages.
    """

    class Input(models.TextChoices):
        FIGURES = "figures", _("Huyện nhập tử số và mẫu số")
        COMMUNE_FLAG = "commune_flag", _("Huyện đánh dấu các xã đạt; mẫu số là số xã")
        DISTRICT_ANY_COMMUNE_FLAG = (
            "district_any_commune_flag",
            _("Huyện đạt khi có ít nhất 01 xã đạt; mẫu số là số huyện"),
        )

    class Flag(models.TextChoices):
        SAFE_HOME_PILOT = "safe_home_pilot", _("Triển khai thí điểm mô hình Ngôi nhà an toàn")
        SAFE_HOME_FULL = "safe_home_full", _("100% hộ gia đình có trẻ em đạt tiêu chí Ngôi nhà an toàn")
        CHILD_FRIENDLY = "child_friendly", _("Duy trì công nhận xã, phường phù hợp với trẻ em")

    target = models.ForeignKey(Target, verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    name_en = models.CharField(_("tên chỉ số tiếng Anh"), max_length=300, blank=True)
    numerator_label = models.TextField(_("tử số"))
    numerator_label_en = models.TextField(_("tử số tiếng Anh"), blank=True)
    denominator_label = models.TextField(_("mẫu số"))
    denominator_label_en = models.TextField(_("mẫu số tiếng Anh"), blank=True)
    goal = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2)
    input = models.CharField(_("cách nhập"), max_length=30, choices=Input.choices, default=Input.FIGURES)
    flag = models.CharField(_("tiêu chí đánh dấu"), max_length=30, choices=Flag.choices, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    reporters = models.ManyToManyField(
        "programs.Agency", verbose_name=_("đơn vị báo cáo"), related_name="reported_indicators", blank=True
    )
    data_holders = models.ManyToManyField(
        "programs.Agency", verbose_name=_("ngành phụ trách số liệu"), related_name="held_indicators", blank=True
    )
    history = HistoricalRecords(m2m_fields=[reporters])

    class Meta:
        verbose_name = verbose_name_plural = _("chỉ số")
        ordering = ["target__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["target", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=models.Q(input="figures", flag="") | ~models.Q(input="figures") & ~models.Q(flag=""),
                name="indicator_flag_matches_input",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def is_ticked(self) -> bool:
        """Whether districts tick communes instead of typing figures."""
        return self.input != self.Input.FIGURES
