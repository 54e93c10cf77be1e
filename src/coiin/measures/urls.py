from django.urls import include, path

from . import views, views_events, views_sites

team = "networks/<slug:slug>/<postal:postal>/data/"
period = team + "<str:label>/"

urlpatterns = [
    path("measures/", views.catalog, name="measure_catalog"),
    path("measures/<slug:code>/", views.measure_detail, name="measure"),
    path(team, views.team_data, name="team_data"),
    path(team + "measures/", views.choose_measures, name="choose_measures"),
    path(team + "goals/", views.set_goal, name="set_goal"),
    path(team + "sites/", views_sites.team_sites, name="team_sites"),
    path("networks/<slug:slug>/measures/new/", views.add_measure, name="add_measure"),
    path(team + "events/<slug:code>/", views_events.event_log, name="event_log"),
    path(period, views.enter_data, name="enter_data"),
    path(period + "review/", views.review, name="review_data"),
    path(period + "lock/", views.lock, name="lock_data"),
    path(period + "reopen/", views.reopen, name="reopen_data"),
    path(period + "exception/", views.grant_exception, name="grant_exception"),
    path(period + "history/", views.history, name="data_history"),
    path("", include("coiin.measures.urls_io")),
    path("", include("coiin.measures.urls_status")),
]
