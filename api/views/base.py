"""What every API view shares: answering for itself (the portal's sign-in redirect does not apply: a call
without a token or session gets 401), the program of the path's year, and the query-string filters,
checked with a Vietnamese message for each bad value."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, generics, serializers

from programs.models import Program
from programs.selectors import program_for_year

# The query string's messages (DRF's own are in English).
CHOICE = {"invalid_choice": _("“{input}” không phải giá trị hợp lệ.")}
NUMBER = {
    "invalid": _("Phải là một số nguyên."),
    "min_value": _("Phải từ {min_value} trở lên."),
    "max_value": _("Phải từ {max_value} trở xuống."),
    "max_string_length": _("Số quá lớn."),
}
CODE = {"invalid": _("Mã chỉ gồm chữ cái không dấu, chữ số, “-” và “_”."), "max_length": _("Mã quá dài.")}


def code_param(help_text: str):
    return serializers.SlugField(required=False, max_length=40, help_text=help_text, error_messages=CODE)


def choice_param(choices, help_text: str):
    return serializers.ChoiceField(choices=choices, required=False, help_text=help_text, error_messages=CHOICE)


def quarter_param():
    return serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Số quý — Quarter number", error_messages=NUMBER
    )


class ApiView(generics.GenericAPIView):
    metadata_class = None  # OPTIONS answers 405 like any method an address does not have

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)  # a user's own data: kept by no cache
        return response

    def program(self) -> Program:
        """The program of the path's year for the user's province, or 404."""
        return program_for_year(year=self.kwargs["year"], user=self.request.user)

    def params(self, serializer_class: type[serializers.Serializer]) -> dict:
        """The query string's filters, checked by `serializer_class`; 400 with a message per bad value."""
        params = serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return {k: v for k, v in params.validated_data.items() if v not in (None, "")}


class ApiListView(generics.ListAPIView, ApiView):
    """A list in pages (api.pagination)."""


class NotFound(ApiView):
    """Any other address under /api/v1/: refused in JSON, as every call is (and logged), not with a page."""

    schema = None  # not an operation of the API

    def handle(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    get = post = put = patch = delete = head = options = handle
