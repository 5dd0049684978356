"""Upload guard for the agency workbook upload (runs before CSRF parses the form).

Django strips any directory from an uploaded file's name before the view sees it, so the raw
multipart headers are read here: a name that carried a path is refused rather than silently
renamed. A body larger than the upload limit is flagged without being read into memory.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import Resolver404, resolve

_FILENAME = re.compile(rb'Content-Disposition: form-data; name="[^"]*"; filename="([^"\r\n]*)"', re.IGNORECASE)
UPLOAD_VIEWS = {"reporting:workbook_upload"}


def name_has_path(name: str) -> bool:
    return "/" in name or "\\" in name or ".." in name or "\x00" in name


class UploadGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data" and self._is_upload(request):
            request.upload_problem = self._inspect(request)
        return self.get_response(request)

    @staticmethod
    def _is_upload(request) -> bool:
        try:
            return resolve(request.path_info).view_name in UPLOAD_VIEWS
        except Resolver404:
            return False

    @staticmethod
    def _inspect(request) -> str | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PORTAL_UPLOAD_MAX_BYTES + 64 * 1024:
            return "too_large"  # not read into memory; the view refuses it (the proxy caps bodies too)
        names = [m.decode("utf-8", "replace") for m in _FILENAME.findall(request.body)]
        if any(name_has_path(n) for n in names):
            return "path_in_name"
        return None
