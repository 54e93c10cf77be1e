"""The home page ("My work"). Included by ``coiin.urls`` without a namespace: it is where
``LOGIN_REDIRECT_URL`` sends everyone after signing in."""

from django.urls import path

from . import views

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
]
