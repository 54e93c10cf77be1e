"""The DHIS2 mapping page."""

from django.urls import path

from . import views

urlpatterns = [
    path("data/dhis2-mapping/", views.dhis2_mapping, name="dhis2_mapping"),
]
