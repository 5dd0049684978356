from django.urls import include, path

from . import views

app_name = "programs"

urlpatterns = [
    path("<int:year>/", include([
        path("", views.overview, name="overview"),
        path("agencies/<slug:code>/", views.agency_detail, name="agency"),
        path("districts/<str:code>/", views.district_detail, name="district"),
        path("calendar/", include([
            path("", views.calendar, name="calendar"),
            path("quarters/<int:number>/", views.quarter_edit, name="quarter_edit"),
            path("reports/<slug:kind>/", views.report_edit, name="report_edit"),
        ])),
        path("next-year/", views.next_year, name="next_year"),
        path("changes/", views.changes, name="changes"),
        path("editor/", include([
            path("", views.editor, name="editor"),
            path("publish/", views.publish, name="publish"),
            path("targets/new/", views.target_add, name="target_add"),
            path("targets/<int:number>/", views.target_edit, name="target_edit"),
            path("targets/<int:number>/indicators/new/", views.indicator_add, name="indicator_add"),
            path("targets/<int:number>/remove/", views.target_remove, name="target_remove"),
            path("groups/<str:group>/activities/new/", views.activity_add, name="activity_add"),
            path("activities/<str:code>/remove/", views.activity_remove, name="activity_remove"),
            path("activities/<str:code>/outputs/new/", views.output_add, name="output_add"),
            path("activities/<str:code>/roles/new/", views.role_add, name="role_add"),
            path("outputs/<int:pk>/", views.output_edit, name="output_edit"),
            path("outputs/<int:pk>/remove/", views.output_remove, name="output_remove"),
            path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
        ])),
    ])),
]  # fmt: skip
