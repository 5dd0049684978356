"""Lists come in pages: ?page=2, and ?page_size= up to 200 (50 by default)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from core.numbers import query_number


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to 200 is refused (400), not silently replaced."""
        raw = request.query_params.get(self.page_size_query_param)
        size = query_number(request.query_params, self.page_size_query_param)
        if raw is not None and not (size is not None and 1 <= size <= self.max_page_size):
            message = _("Số dòng mỗi trang phải là số nguyên từ 1 đến %(n)s.") % {"n": self.max_page_size}
            raise serializers.ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
