"""A person's community profile page. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/profile/", views.profile, name="profile"),
]
