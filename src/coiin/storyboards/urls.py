"""Storyboard pages: a team's, a network's review queue, and the published ones on the public
site (the paths sit beside the team's improvement pages and the public site's)."""

from django.urls import path

from . import views, views_public

app_name = "storyboards"

t = "networks/<slug:slug>/<postal:postal>/improvement/storyboards/"
n = "networks/<slug:slug>/improvement/storyboards/"

urlpatterns = [
    path(t, views.storyboards, name="list"),
    path(t + "new/", views.storyboard_new, name="new"),
    path(t + "<int:pk>/", views.storyboard, name="detail"),
    path(t + "<int:pk>/edit/", views.storyboard_edit, name="edit"),
    path(t + "<int:pk>/step/", views.storyboard_step, name="step"),
    path(n, views.queue, name="queue"),
    path("public/storyboards/", views_public.index, name="public_index"),
    path("public/storyboards/<int:pk>/", views_public.detail, name="public_detail"),
    path("public/storyboards/<int:pk>.csv", views_public.detail_csv, name="public_csv"),
]
