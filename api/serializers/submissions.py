"""Quarterly submissions: the list, one submission with its values, the values a reporter sends, and the
history of changes. Values are named by the program's codes (api.values); what is sent is checked by the
quarterly form, whose messages come back by field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from reporting.models import ActivityProgress, Submission, Transition

NUMBER = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}],
    "nullable": True,
    "description": 'Số nguyên không âm; chữ số có dấu chấm ngăn cách hàng nghìn như trên biểu mẫu ("150.000.000") '
    "cũng được nhận — A whole number ≥ 0; text with Vietnamese thousands separators is read as the form reads it",
}
STATUS = {"type": "string", "enum": ["", *ActivityProgress.Status.values], "nullable": True}
# The shape's own messages (a value's are the form's).
LIST = {"not_a_list": _("Phải là một danh sách."), "empty": _("Phải là một danh sách.")}
OBJECT = {"invalid": _("Phải là một đối tượng JSON."), "not_a_dict": _("Phải là một đối tượng JSON.")}
TEXT = {"invalid": _("Phải là một chuỗi ký tự."), "required": _("Vui lòng ghi mã.")}
FLAG = {"invalid": _("Phải là true hoặc false."), "null": _("Phải là true hoặc false.")}


@extend_schema_field(NUMBER)
class FormValueField(serializers.Field):
    """A value handed to the quarterly form as sent: the form says whether it is a number, and which
    (reporting.forms), with its own messages."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(STATUS)
class StatusValueField(FormValueField):
    """An activity's state, one of ActivityProgress.Status (or empty): the form's choice field checks it."""


@extend_schema_field({"type": "string", "nullable": True})
class TextValueField(FormValueField):
    """A text of the report: the form checks its length."""


def _flag():
    return serializers.BooleanField(required=False, error_messages=FLAG)


class StrictSerializer(serializers.Serializer):
    """Refuses a name it does not know, rather than ignoring it (a misspelt value would be lost)."""

    default_error_messages = OBJECT

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Không có trường này.")] for name in unknown}, code="name")
        return super().to_internal_value(data)


def _code(help_text: str):
    return serializers.CharField(help_text=help_text, error_messages=TEXT)


def _items(serializer: type[serializers.Serializer], help_text: str):
    return serializer(many=True, required=False, help_text=help_text, error_messages=LIST)


class IndicatorValueSerializer(StrictSerializer):
    code = _code("Mã chỉ số — Indicator code")
    name = serializers.CharField(read_only=True)
    numerator = FormValueField(help_text="Tử số — Numerator")
    denominator = FormValueField(help_text="Mẫu số — Denominator")


class CommuneValueSerializer(StrictSerializer):
    code = _code("Mã xã — Commune code")
    name = serializers.CharField(read_only=True)
    safe_home_pilot = _flag()
    safe_home_full = _flag()
    child_friendly = _flag()


class ActivityValueSerializer(StrictSerializer):
    code = _code("Mã hoạt động — Activity code")
    role = serializers.CharField(read_only=True, help_text="lead (chủ trì) | support (phối hợp)")
    status = StatusValueField(help_text="Tình trạng — State")
    children_boys = FormValueField(help_text="Trẻ em nam — Boys")
    children_girls = FormValueField(help_text="Trẻ em nữ — Girls")
    money_spent = FormValueField(help_text="Kinh phí đã chi (đồng) — Money spent (VND)")
    account = TextValueField(help_text="Kết quả thực hiện — What was done")
    difficulties = TextValueField(help_text="Khó khăn — Difficulties")
    proposals = TextValueField(help_text="Đề xuất — Proposals")


class OutputValueSerializer(StrictSerializer):
    code = _code("Mã chỉ tiêu đầu ra — Output target code")
    activity = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    quantity = FormValueField(help_text="Số lượng đạt trong quý — Quantity achieved this quarter")


class ValuesSerializer(StrictSerializer):
    """The values of a quarterly report. Sending them: PUT replaces every value (what is not sent is
    emptied, as a form posted with empty fields), PATCH changes only what is sent."""

    indicators = _items(IndicatorValueSerializer, "Chỉ số (huyện) — Indicators")
    communes = _items(CommuneValueSerializer, "Xã đạt tiêu chí — Communes ticked")
    activities = _items(ActivityValueSerializer, "Hoạt động — Activities")
    outputs = _items(OutputValueSerializer, "Chỉ tiêu đầu ra — Output targets")
    district_budget = FormValueField(help_text="Kinh phí cấp huyện (đồng) — District budget (VND), districts only")
    communes_budget = FormValueField(help_text="Kinh phí cấp xã (đồng) — Communes' budget (VND), districts only")
    difficulties = TextValueField(help_text="Khó khăn, vướng mắc chung — Difficulties")
    proposals = TextValueField(help_text="Đề xuất, kiến nghị chung — Proposals")
    change_explanation = TextValueField(help_text="Giải trình số liệu thay đổi lớn — Why a figure moved by over 50%")


class SubmissionSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="quarter.program.year", read_only=True)
    quarter = serializers.IntegerField(source="quarter.number", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True, help_text="Mã cơ quan — Agency code")
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Lưu lần cuối — Last saved")
    url = serializers.SerializerMethodField(help_text="Địa chỉ trong API — Its address in the API")

    class Meta:
        model = Submission
        fields = [
            "year", "quarter", "agency", "agency_name", "status", "version", "first_submitted_at", "submitted_at",
            "days_late", "reviewed_at", "reopened_until", "updated_at", "url",
        ]  # fmt: skip

    def get_url(self, submission) -> str:
        kwargs = {"year": submission.quarter.program.year, "quarter": submission.quarter.number,
                  "code": submission.agency.code}  # fmt: skip
        return reverse("api:submission", kwargs=kwargs, request=self.context.get("request"))


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True)

    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "at", "actor", "comment"]


class SubmissionDetailSerializer(serializers.Serializer):
    """A submission as its page shows it: where it stands, whether its agency may change it now, its
    values and its workflow steps. Its version is also the response's ETag."""

    submission = SubmissionSerializer(read_only=True)
    started = serializers.BooleanField(help_text="Đã bắt đầu nhập (phiên bản > 0) — Saved at least once")
    entry_deadline = serializers.DateField(help_text="Hạn nhập số liệu — Entry deadline")
    editable = serializers.BooleanField(help_text="Bạn có thể sửa lúc này — You may change it now")
    lock_reason = serializers.CharField(allow_null=True, help_text="Vì sao cơ quan chưa sửa được — Why it is locked")
    values = ValuesSerializer(read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True, help_text="Các bước xử lý — Workflow steps")


class SaveResultSerializer(SubmissionDetailSerializer):
    """A saved report, with what the save changed and the >50% warnings (by place in the values)."""

    changed = serializers.IntegerField(help_text="Số giá trị đã thay đổi — Values changed")
    warnings = serializers.DictField(
        child=serializers.CharField(), help_text="Thay đổi hơn 50% so với quý trước — Moved over 50% from last quarter"
    )


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField()
    item = serializers.CharField()
    field = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
