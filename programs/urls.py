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
    ])),
]  # fmt: skip
