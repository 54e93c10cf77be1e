"""The measure's unit in English and Spanish (django-modeltranslation), as 0008 did for the
name and definitions: the existing units, and those of the saved versions, become the English
ones; the catalog's Spanish units are written when it is loaded."""

from django.db import migrations, models

MODELS = ("measures.Measure", "measures.HistoricalMeasure")


def english_from_original(apps, schema_editor):
    """The units so far are English: they become the English translation."""
    for label in MODELS:
        apps.get_model(label).objects.filter(unit_en__isnull=True).update(
            unit_en=models.F("unit"))


def original_from_english(apps, schema_editor):
    """Back to one column: it keeps the English (written since, perhaps, only there)."""
    for label in MODELS:
        apps.get_model(label).objects.exclude(unit_en__isnull=True).update(
            unit=models.F("unit_en"))


class Migration(migrations.Migration):
    # Copying the text and changing the table in one transaction fails on PostgreSQL
    # ("pending trigger events"): each step commits on its own; the copy is idempotent.
    atomic = False

    dependencies = [
        ('measures', '0009_site_value_measurements'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeasure',
            name='unit_en',
            field=models.CharField(blank=True, help_text="How the value reads, e.g. '%' or 'per 1,000 live births'.", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='unit_es',
            field=models.CharField(blank=True, help_text="How the value reads, e.g. '%' or 'per 1,000 live births'.", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='unit_en',
            field=models.CharField(blank=True, help_text="How the value reads, e.g. '%' or 'per 1,000 live births'.", max_length=60, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='unit_es',
            field=models.CharField(blank=True, help_text="How the value reads, e.g. '%' or 'per 1,000 live births'.", max_length=60, null=True),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
