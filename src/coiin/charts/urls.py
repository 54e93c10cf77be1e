from django.urls import path

from . import views

team = "networks/<slug:slug>/<postal:postal>/charts/"

urlpatterns = [
    path(team, views.dashboard, name="dashboard"),
    path(team + "<slug:code>/", views.chart_detail, name="chart"),
    path(team + "<slug:code>.<str:fmt>", views.download, name="chart_download"),
]
