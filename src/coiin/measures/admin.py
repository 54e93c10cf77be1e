from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from coiin.network.admin import BackboneAdmin

from .models import DataValue, Goal, Measure, Stratum, Submission, SubmissionEvent, TeamMeasure


@admin.register(Measure)
class MeasureAdmin(BackboneAdmin, TranslationAdmin, SimpleHistoryAdmin):
    """The name and definitions in each language (English and Spanish) side by side."""

    list_display = ["code", "name", "learning_network", "level", "type", "frequency"]
    list_filter = ["learning_network", "level", "type", "frequency", "is_custom"]
    search_fields = ["code", "name"]


@admin.register(Stratum)
class StratumAdmin(BackboneAdmin):
    list_display = ["kind", "code", "label", "position"]


@admin.register(TeamMeasure)
class TeamMeasureAdmin(BackboneAdmin):
    list_display = ["team", "measure", "active"]
    list_filter = ["active", "measure"]
    autocomplete_fields = ["team"]


@admin.register(Goal)
class GoalAdmin(BackboneAdmin):
    list_display = ["team", "measure", "kind", "value"]


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    readonly_fields = ["at", "by", "action", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(BackboneAdmin):
    list_display = ["team", "frequency", "period_start", "status", "is_final", "updated_at"]
    list_filter = ["status", "frequency", "team__learning_network"]
    readonly_fields = ["version"]
    inlines = [EventInline]


@admin.register(DataValue)
class DataValueAdmin(BackboneAdmin, SimpleHistoryAdmin):
    list_display = ["submission", "measure", "stratum", "numerator", "denominator", "value"]
    list_filter = ["measure"]
    readonly_fields = ["updated_by", "updated_at"]
