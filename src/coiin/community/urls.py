from django.urls import include, path

from . import views

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
    # The sub-features' pages, in this namespace (``community:event`` ...).
    path("", include("coiin.community.resources.urls")),
    path("", include("coiin.community.ta.urls")),
    path("", include("coiin.community.notifications.urls")),
    path("", include("coiin.community.profiles.urls")),
    path("", include("coiin.community.events.urls")),
    path("", include("coiin.community.mentoring.urls")),
]
