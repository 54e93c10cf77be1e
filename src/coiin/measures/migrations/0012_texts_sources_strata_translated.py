"""A measure's data source and target source, and a stratum's label, in English and Spanish
(django-modeltranslation), as 0008 and 0010 did for the name, definitions and unit: the
existing texts, and those of the saved versions, become the English ones; the catalog's
Spanish texts are written when it is loaded."""

from django.db import migrations, models

FIELDS = {
    "measures.Measure": ("data_source", "target_source"),
    "measures.HistoricalMeasure": ("data_source", "target_source"),
    "measures.Stratum": ("label",),
}


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
    # Copying the text and changing the table in one transaction fails on PostgreSQL
    # ("pending trigger events"): each step commits on its own; the copy is idempotent.
    atomic = False

    dependencies = [
        ('measures', '0011_names_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeasure',
            name='data_source_en',
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='data_source_es',
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='target_source_en',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='target_source_es',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='data_source_en',
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='data_source_es',
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='target_source_en',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='measure',
            name='target_source_es',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='stratum',
            name='label_en',
            field=models.CharField(max_length=80, null=True),
        ),
        migrations.AddField(
            model_name='stratum',
            name='label_es',
            field=models.CharField(max_length=80, null=True),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
