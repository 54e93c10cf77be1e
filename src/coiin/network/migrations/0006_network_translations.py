"""The cohorts' and learning networks' texts in English and Spanish
(django-modeltranslation): the existing texts become the English ones."""

from django.db import migrations, models

FIELDS = {
    'network.Cohort': ('name', 'description'),
    'network.LearningNetwork': ('name', 'short_name', 'aim', 'description'),
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
            model.objects.exclude(**{f"{name}_en__isnull": True}).exclude(
                **{f"{name}_en": ""}).update(**{name: models.F(f"{name}_en")})


class Migration(migrations.Migration):
    # Copying the text and changing the table in one transaction fails on PostgreSQL
    # ("pending trigger events"): each step commits on its own; the copy is idempotent.
    atomic = False

    dependencies = [
        ('network', '0005_user_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='cohort',
            name='description_en',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='cohort',
            name='description_es',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='cohort',
            name='name_en',
            field=models.CharField(max_length=80, null=True),
        ),
        migrations.AddField(
            model_name='cohort',
            name='name_es',
            field=models.CharField(max_length=80, null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='aim_en',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='aim_es',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='description_en',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='description_es',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='name_en',
            field=models.CharField(max_length=120, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='name_es',
            field=models.CharField(max_length=120, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='short_name_en',
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.AddField(
            model_name='learningnetwork',
            name='short_name_es',
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
