"""The OpenAPI description (/api/schema/, JSON by default, YAML on request) and its browsable page
(/api/docs/): Swagger UI from drf-spectacular-sidecar, served by the portal itself (no CDN: the page works
offline), its start-up script a file of its own (no inline script or style: the page renders under the
portal's content security policy). Both are open without signing in: they describe the API, no data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "API — Cổng BVCSTE An Giang"
    url_name = "api:schema"

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))
