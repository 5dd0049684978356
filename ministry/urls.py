from django.urls import path

from . import views

app_name = "ministry"

urlpatterns = [
    path("", views.national, name="national"),
    path("<int:year>/", views.national, name="national_year"),
    path("documents/<int:pk>/<slug:fmt>/", views.document, name="document"),
]
