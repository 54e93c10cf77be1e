"""Account pages of the API (included at the site root by coiin.urls)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("account/tokens/", pages.token_list, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", pages.token_revoke, name="api_token_revoke"),
]
