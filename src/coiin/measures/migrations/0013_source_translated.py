"""A measure definition's source in English and Spanish (django-modeltranslation), as 0012
did for the data source: the existing texts, and those of the saved versions, become the
English ones; the catalog's Spanish texts are written when it is loaded (where there is none,
the pages show the English marked as English)."""

from django.db import migrations, models

FIELDS = {"measures.Measure": ("source",), "measures.HistoricalMeasure": ("source",)}


def english_from_original(apps, schema_editor):
    """The texts so far are English: they become the English translation."""
    for label, names in FIELDS.items():
        model = apps.get_model(label)
        for name in names:
            model.objects.filter(**{f"{name}_en__isnull": True}).update(
                **{f"{name}_en": models.F(name)})


def original_from_english(apps, schema_editor):
    """Back to one column: it keeps the English (written since, perhaps, only there)."""
    for label, names in FIELDS.items():
        model = apps.get_model(label)
        for name in names:
            model.objects.exclude(**{f"{name}_en__isnull": True}).update(
                **{name: models.F(f"{name}_en")})


class Migration(migrations.Migration):
    # As in 0012: the copy and the table change each commit on their own (PostgreSQL).
    atomic = False

    dependencies = [
        ('measures', '0012_texts_sources_strata_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeasure',
            name='source_en',
            field=models.TextField(help_text='Where the definition comes from.', null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='source_es',
            field=models.TextField(help_text='Where the definition comes from.', null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='source_en',
            field=models.TextField(help_text='Where the definition comes from.', null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='source_es',
            field=models.TextField(help_text='Where the definition comes from.', null=True),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
