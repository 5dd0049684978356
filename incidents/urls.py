from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/notes/", views.incident_note_add, name="note_add"),
    path("<int:pk>/close/", views.incident_close, name="close"),
    path("<int:pk>/reopen/", views.incident_reopen, name="reopen"),
]
