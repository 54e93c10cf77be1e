"""The public site (no login) and the backbone page that decides what it shows."""

from django.urls import path

from . import views as public

app_name = "public"

urlpatterns = [
    path("public/", public.index, name="index"),
    path("public/networks/<slug:slug>/", public.network, name="network"),
    path("public/networks/<slug:slug>.csv", public.network_csv, name="network_csv"),
    path("public/jurisdictions/<postal:postal>/", public.jurisdiction, name="jurisdiction"),
    path("public/jurisdictions/<postal:postal>.csv", public.jurisdiction_csv,
         name="jurisdiction_csv"),
    path("public/measures/<slug:code>/", public.measure, name="measure"),
    path("public/measures/<slug:code>.csv", public.measure_csv, name="measure_csv"),
    path("publish/", public.publish, name="publish"),
]
