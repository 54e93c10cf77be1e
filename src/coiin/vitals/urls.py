from django.urls import path

from . import views

app_name = "vitals"
urlpatterns = [
    path("vitals/", views.index, name="index"),
]
