"""The API's addresses: /api/v1/ (every path named by the program's codes), the OpenAPI description and
its browsable page, and the tokens page of the account menu."""

from django.urls import include, path, re_path, register_converter

from . import converters
from .views import docs, documents, figures, incidents, program, submissions, tokens
from .views.base import NotFound

app_name = "api"

register_converter(converters.Year, "year")
register_converter(converters.Quarter, "quarter")
register_converter(converters.Number, "number")
register_converter(converters.Code, "code")
register_converter(converters.Kind, "kind")
register_converter(converters.FileFormat, "fileformat")

SUBMISSION = "programs/<year:year>/submissions/<quarter:quarter>/<code:code>/"
VERSION = "programs/<year:year>/documents/<kind:kind>/versions/<number:number>/"

v1 = [
    path("programs/", program.ProgramList.as_view(), name="programs"),
    path("programs/<year:year>/", program.ProgramDetail.as_view(), name="program"),
    path("programs/<year:year>/targets/", program.TargetList.as_view(), name="targets"),
    path("programs/<year:year>/activity-groups/", program.ActivityGroupList.as_view(), name="activity_groups"),
    path("programs/<year:year>/agencies/", program.AgencyList.as_view(), name="agencies"),
    path("programs/<year:year>/agencies/<code:code>/", program.AgencyDetail.as_view(), name="agency"),
    path("programs/<year:year>/units/", program.UnitList.as_view(), name="units"),
    path("programs/<year:year>/calendar/", program.Calendar.as_view(), name="calendar"),
    path("programs/<year:year>/figures/", figures.Figures.as_view(), name="figures"),
    path("programs/<year:year>/submissions/", submissions.SubmissionList.as_view(), name="submissions"),
    path(SUBMISSION, submissions.SubmissionDetail.as_view(), name="submission"),
    path(SUBMISSION + "submit/", submissions.SubmissionSubmit.as_view(), name="submission_submit"),
    path(SUBMISSION + "history/", submissions.SubmissionHistory.as_view(), name="submission_history"),
    path("programs/<year:year>/documents/", documents.DocumentList.as_view(), name="documents"),
    path(VERSION, documents.DocumentVersion.as_view(), name="document"),
    path(VERSION + "<fileformat:fmt>/", documents.DocumentFile.as_view(), name="document_file"),
    path("programs/<year:year>/incidents/", incidents.IncidentList.as_view(), name="incidents"),
    path("programs/<year:year>/incidents/<number:number>/", incidents.IncidentDetail.as_view(), name="incident"),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^v1/", NotFound.as_view(), name="not_found"),  # any other address under v1: a JSON 404
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
