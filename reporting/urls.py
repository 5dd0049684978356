from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("<int:year>/", views.submission_list, name="list"),
    path("<int:year>/q<int:quarter>/<slug:code>/", views.submission_detail, name="submission"),
    path("<int:year>/q<int:quarter>/<slug:code>/review/", views.submission_review, name="review"),
]
