"""The period of a series' latest signal, for sorting a network's charts by it (filled by
``coiin rebuild_summaries`` and by every data change after)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("charts", "0003_summary_span"),
    ]

    operations = [
        migrations.AddField(
            model_name="chartsummary",
            name="last_signal",
            field=models.DateField(blank=True, null=True),
        ),
    ]
