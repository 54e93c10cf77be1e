"""The Django admin, for backbone staff (the access policy decides who that is)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from coiin import access
from coiin.access import Action

from .models import (
    Cohort,
    FacultyAssignment,
    Invitation,
    Jurisdiction,
    LearningNetwork,
    Organisation,
    ReportingUnit,
    Team,
    TeamMembership,
    User,
)


def _backbone(request: HttpRequest) -> bool:
    return access.can(request.user, Action.USE_ADMIN)


admin.site.has_permission = _backbone  # type: ignore[method-assign]
admin.site.site_header = "CoIIN administration"
admin.site.site_title = "CoIIN admin"
admin.site.index_title = "Run the network"


class BackboneAdmin(admin.ModelAdmin):
    """Backbone staff manage everything; nobody else gets in."""

    def has_module_permission(self, request):
        return _backbone(request)

    def has_view_permission(self, request, obj=None):
        return _backbone(request)

    def has_add_permission(self, request, obj=None):
        return _backbone(request)

    def has_change_permission(self, request, obj=None):
        return _backbone(request)

    def has_delete_permission(self, request, obj=None):
        return _backbone(request)


class BackboneInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return _backbone(request)

    def has_add_permission(self, request, obj=None):
        return _backbone(request)

    def has_change_permission(self, request, obj=None):
        return _backbone(request)

    def has_delete_permission(self, request, obj=None):
        return _backbone(request)


@admin.register(Cohort)
class CohortAdmin(BackboneAdmin, TranslationAdmin):
    """The name and description in each language side by side."""

    list_display = ["year", "name"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(BackboneAdmin):
    list_display = ["name", "postal_code", "fips_code", "kind", "hhs_region", "cohort"]
    list_filter = ["kind", "hhs_region", "cohort"]
    search_fields = ["name", "postal_code"]


@admin.register(LearningNetwork)
class LearningNetworkAdmin(BackboneAdmin, TranslationAdmin):
    """The names, aim and description in each language side by side."""

    list_display = ["name", "short_name", "position"]
    prepopulated_fields = {"slug": ["short_name"]}


class ReportingUnitInline(BackboneInline):
    model = ReportingUnit


class MembershipInline(BackboneInline):
    model = TeamMembership
    autocomplete_fields = ["user"]


class UserMembershipInline(BackboneInline):
    model = TeamMembership
    autocomplete_fields = ["team"]


@admin.register(Team)
class TeamAdmin(BackboneAdmin):
    list_display = ["jurisdiction", "learning_network", "joined_on"]
    list_filter = ["learning_network", "jurisdiction__cohort"]
    search_fields = ["jurisdiction__name", "learning_network__name"]
    list_select_related = ["jurisdiction", "learning_network"]
    fields = ["jurisdiction", "learning_network", "joined_on"]
    inlines = [ReportingUnitInline, MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(BackboneAdmin):
    list_display = ["name", "kind", "jurisdiction"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BackboneAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "network_role", "is_active"]
    list_filter = ["network_role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "title", "organisation")}),
        ("Role", {"fields": ("network_role", "is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "password1", "password2", "network_role")}),)
    inlines = [UserMembershipInline]


@admin.register(FacultyAssignment)
class FacultyAssignmentAdmin(BackboneAdmin):
    list_display = ["user", "learning_network", "kind"]
    list_filter = ["learning_network", "kind"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(BackboneAdmin):
    list_display = ["email", "team", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["team", "email", "role", "invited_by", "created_at", "expires_at",
                       "accepted_at", "accepted_by"]

    def has_add_permission(self, request, obj=None):
        return False  # invitations are sent from the team page, which e-mails the link
