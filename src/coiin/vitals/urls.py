from django.urls import path

from . import views

app_name = "vitals"
urlpatterns = [
    path("vitals/", views.index, name="index"),
    path("vitals/offices/", views.offices, name="offices"),
    path("vitals/<str:code>/enter/", views.enter, name="enter"),
]
