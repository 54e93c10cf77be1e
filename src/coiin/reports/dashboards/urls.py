from django.urls import path

from . import views

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("national/", views.national_dashboard, name="national_dashboard"),
    path("national/equity/", views.equity_national, name="equity_national"),
    path("jurisdictions/<postal:postal>/equity/", views.equity_jurisdiction,
         name="equity_jurisdiction"),
    path("networks/<slug:slug>/charts/", views.network_dashboard, name="network_dashboard"),
    path("networks/<slug:slug>/charts/funnel.csv", views.network_funnel_csv,
         name="network_funnel_csv"),
]
