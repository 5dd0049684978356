"""The reporting app's URLs: each views module owns its patterns."""

from .views import submissions

app_name = "reporting"

urlpatterns = [*submissions.urlpatterns]
