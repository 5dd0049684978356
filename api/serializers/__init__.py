"""What the API answers and accepts, one module per part of the portal; errors have one shape
(api.exceptions)."""

from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Vị trí, ví dụ activities[I.1.6].money_spent — Where")
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Thông báo — Message (Vietnamese; English with Accept-Language: en)")
    code = serializers.CharField()
    errors = ErrorItemSerializer(many=True, required=False, help_text="Lỗi theo trường — Errors by field")
