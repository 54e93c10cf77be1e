from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import (
    Adoption,
    AdoptionStatus,
    Aim,
    Attendance,
    ChangeIdea,
    CycleComment,
    Driver,
    DriverDiagram,
    Event,
    PDSACycle,
    ProgressScore,
    Ramp,
)


class AdoptionStatusInline(admin.TabularInline):
    model = AdoptionStatus
    extra = 0


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["team", "change_idea", "status", "adopted_on"]
    list_filter = ["status", "change_idea__learning_network"]
    inlines = [AdoptionStatusInline]
    raw_id_fields = ["team", "change_idea"]


@admin.register(PDSACycle)
class PDSACycleAdmin(admin.ModelAdmin):
    list_display = ["team", "number", "title", "starts", "decision", "closed_on"]
    list_filter = ["decision", "team__learning_network"]
    raw_id_fields = ["team", "change_idea", "ramp", "created_by"]


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(TranslationAdmin):
    """The title, description and evidence in each language side by side."""

    list_display = ["title", "learning_network", "position"]
    list_filter = ["learning_network"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "learning_network", "kind", "starts", "ends"]
    list_filter = ["learning_network", "kind"]


for model in (Aim, DriverDiagram, Driver, Ramp, CycleComment, ProgressScore, Attendance):
    admin.site.register(model)
