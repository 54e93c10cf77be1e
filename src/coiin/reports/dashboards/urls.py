from django.urls import path

from . import views

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("national/", views.national_dashboard, name="national_dashboard"),
    path("networks/<slug:slug>/charts/", views.network_dashboard, name="network_dashboard"),
    path("networks/<slug:slug>/charts/funnel.csv", views.network_funnel_csv,
         name="network_funnel_csv"),
]
