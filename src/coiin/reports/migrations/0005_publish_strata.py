from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_snapshot_network"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedmeasure",
            name="publish_strata",
            field=models.BooleanField(
                default=False,
                help_text="Also publish the measure's strata (e.g. by race/ethnicity) at this "
                "level, suppressed together with the totals."),
        ),
    ]
