"""The reporting app's URLs: each views module owns its patterns."""

from .views import reopen, submissions, workbook

app_name = "reporting"

urlpatterns = [*submissions.urlpatterns, *workbook.urlpatterns, *reopen.urlpatterns]
