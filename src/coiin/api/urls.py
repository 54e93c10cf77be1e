"""Account pages of the API (included at the site root by coiin.urls)."""

from django.urls import path

from . import pages, scim

urlpatterns = [
    path("account/tokens/", pages.token_list, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", pages.token_revoke, name="api_token_revoke"),
    path("scim/v2/Users", scim.users, name="scim_users"),
    path("scim/v2/Users/<str:pk>", scim.user_detail, name="scim_user"),
    path("scim/v2/ServiceProviderConfig", scim.service_provider_config),
]
