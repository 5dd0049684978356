"""The reporting app's URLs: each views module owns its patterns."""

from .views import dashboard, reports, submissions, workbook

app_name = "reporting"

urlpatterns = [*submissions.urlpatterns, *workbook.urlpatterns, *dashboard.urlpatterns, *reports.urlpatterns]
