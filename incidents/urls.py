from django.urls import include, path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", include([
        path("", views.incident_detail, name="detail"),
        path("notes/", views.incident_note_add, name="note_add"),
        path("close/", views.incident_close, name="close"),
        path("reopen/", views.incident_reopen, name="reopen"),
    ])),
]  # fmt: skip
