"""Chart settings, phases, exclusions and notes move to the charts app, data kept.

The tables are renamed to the charts app's names (nothing is copied) and their content
types change app label, so permissions and generic relations keep their ids. The
charts app's 0001 takes the models over in Django's state. Reversible.
"""

from django.db import migrations

# Model names (lower case) of the moved models and their simple-history models.
MOVED = [
    "annotation",
    "chartexclusion",
    "chartphase",
    "chartsettings",
    "historicalchartexclusion",
    "historicalchartphase",
    "historicalchartsettings",
]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=old, model=model).exists():
            continue
        # A row under the new label can only be one `migrate` made while the models were
        # under the old one (post_migrate creates what is missing): the old row, which
        # permissions and history point to, wins.
        content_type.objects.filter(app_label=new, model=model).delete()
        content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "reports", "charts")


def backwards(apps, schema_editor):
    _relabel(apps, "charts", "reports")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0006_report_jobs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=f"charts_{model}")
                for model in MOVED
            ],
            state_operations=[migrations.DeleteModel(name=model) for model in MOVED],
        ),
        migrations.RunPython(forwards, backwards),
    ]
