"""The catalog's name and definitions in English and Spanish (django-modeltranslation):
the existing texts, and those of the definition's saved versions, become the English ones."""

from django.db import migrations, models

FIELDS = ("name", "numerator_definition", "denominator_definition")
MODELS = ("measures.Measure", "measures.HistoricalMeasure")


def english_from_original(apps, schema_editor):
    """The texts so far are English: they become the English translation."""
    for label in MODELS:
        model = apps.get_model(label)
        for name in FIELDS:
            model.objects.filter(**{f"{name}_en__isnull": True}).update(
                **{f"{name}_en": models.F(name)})


def original_from_english(apps, schema_editor):
    """Back to one column: it keeps the English (written since, perhaps, only there)."""
    for label in MODELS:
        model = apps.get_model(label)
        for name in FIELDS:
            model.objects.exclude(**{f"{name}_en__isnull": True}).exclude(
                **{f"{name}_en": ""}).update(**{name: models.F(f"{name}_en")})


class Migration(migrations.Migration):
    # Copying the text and changing the table in one transaction fails on PostgreSQL
    # ("pending trigger events"): each step commits on its own; the copy is idempotent.
    atomic = False

    dependencies = [
        ('measures', '0007_sampled_measurements'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeasure',
            name='denominator_definition_en',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='denominator_definition_es',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='name_en',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='name_es',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='numerator_definition_en',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='numerator_definition_es',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='denominator_definition_en',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='denominator_definition_es',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='name_en',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='name_es',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='numerator_definition_en',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='numerator_definition_es',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
