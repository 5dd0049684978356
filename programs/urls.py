from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/agencies/<slug:code>/", views.agency_detail, name="agency"),
    path("<int:year>/districts/<str:code>/", views.district_detail, name="district"),
    path("<int:year>/calendar/", views.calendar, name="calendar"),
    path("<int:year>/calendar/quarters/<int:number>/", views.quarter_edit, name="quarter_edit"),
    path("<int:year>/calendar/reports/<slug:kind>/", views.report_edit, name="report_edit"),
]
