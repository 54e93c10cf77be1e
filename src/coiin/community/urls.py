from django.urls import path

from . import inbox_views, resource_views, ta_views, views

app_name = "community"

urlpatterns = [
    path("community/", views.feed, name="feed"),
    path("community/spaces/<int:pk>/", views.space_detail, name="space"),
    path("community/posts/<int:pk>/", views.post_detail, name="post"),
    path("community/posts/<int:pk>/comment/", views.comment, name="comment"),
    path("community/posts/<int:pk>/answer/", views.mark_answer, name="answer"),
    path("community/posts/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("community/posts/<int:pk>/report/", views.report, name="report"),
    path("community/comments/<int:pk>/hide/", views.hide_comment, name="hide_comment"),
    path("community/reports/<int:pk>/resolve/", views.resolve_report, name="resolve_report"),
    path("community/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("community/search/", views.search_page, name="search"),
    path("community/resources/", resource_views.library, name="resources"),
    path("community/resources/<int:pk>/", resource_views.resource_detail, name="resource"),
    path("community/resources/<int:pk>/versions/", resource_views.add_version,
         name="resource_version"),
    path("community/resources/<int:pk>/v<int:number>/", resource_views.resource_file,
         name="resource_file"),
    path("community/ta/", ta_views.queue, name="ta"),
    path("community/ta/<int:pk>/", ta_views.detail, name="ta_request"),
    path("community/ta/<int:pk>/reply/", ta_views.reply, name="ta_reply"),
    path("community/ta/<int:pk>/status/", ta_views.status, name="ta_status"),
    path("community/ta/<int:pk>/assign/", ta_views.assign, name="ta_assign"),
    path("community/ta/<int:pk>/rate/", ta_views.rate, name="ta_rate"),
    path("community/inbox/", inbox_views.inbox, name="inbox"),
    path("community/inbox/read/", inbox_views.mark_read, name="mark_read"),
    path("community/inbox/<int:pk>/", inbox_views.open_notification, name="open_notification"),
    path("community/settings/", inbox_views.settings_page, name="settings"),
    path("community/profile/", inbox_views.profile, name="profile"),
    path("community/unsubscribe/<str:token>/", inbox_views.unsubscribe, name="unsubscribe"),
]
