from django.urls import path

from . import views, views_network

team = "networks/<slug:slug>/<postal:postal>/charts/"

urlpatterns = [
    path(team, views.dashboard, name="dashboard"),
    path(team + "<slug:code>/", views.chart_detail, name="chart"),
    path(team + "<slug:code>.<str:fmt>", views.download, name="chart_download"),
    path("networks/<slug:slug>/charts/<slug:code>/settings/",
         views_network.network_chart_settings, name="network_chart_settings"),
]
