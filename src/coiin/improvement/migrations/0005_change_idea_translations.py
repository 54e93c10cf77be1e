"""The change ideas' title, description and evidence in English and Spanish
(django-modeltranslation): the existing texts become the English ones."""

from django.db import migrations, models

FIELDS = ('title', 'description', 'evidence')


def english_from_original(apps, schema_editor):
    """The texts so far are English: they become the English translation."""
    model = apps.get_model('improvement.ChangeIdea')
    for name in FIELDS:
        model.objects.filter(**{f"{name}_en__isnull": True}).update(
            **{f"{name}_en": models.F(name)})


def original_from_english(apps, schema_editor):
    """Back to one column: it keeps the English (written since, perhaps, only there)."""
    model = apps.get_model('improvement.ChangeIdea')
    for name in FIELDS:
        model.objects.exclude(**{f"{name}_en__isnull": True}).exclude(
            **{f"{name}_en": ""}).update(**{name: models.F(f"{name}_en")})


class Migration(migrations.Migration):
    # Copying the text and changing the table in one transaction fails on PostgreSQL
    # ("pending trigger events"): each step commits on its own; the copy is idempotent.
    atomic = False

    dependencies = [
        ('improvement', '0004_idea_effects'),
    ]

    operations = [
        migrations.AddField(
            model_name='changeidea',
            name='description_en',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='changeidea',
            name='description_es',
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name='changeidea',
            name='evidence_en',
            field=models.TextField(help_text='What the evidence says, with its sources.', null=True),
        ),
        migrations.AddField(
            model_name='changeidea',
            name='evidence_es',
            field=models.TextField(help_text='What the evidence says, with its sources.', null=True),
        ),
        migrations.AddField(
            model_name='changeidea',
            name='title_en',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='changeidea',
            name='title_es',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddConstraint(
            model_name='changeidea',
            constraint=models.UniqueConstraint(fields=('learning_network', 'title_en'), name='change_idea_unique_title-en'),
        ),
        migrations.AddConstraint(
            model_name='changeidea',
            constraint=models.UniqueConstraint(fields=('learning_network', 'title_es'), name='change_idea_unique_title-es'),
        ),
        migrations.RunPython(english_from_original, original_from_english),
    ]
