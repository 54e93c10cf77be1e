import coiin.network.written
from django.db import migrations, models


def field(default):
    return models.CharField(default=default, editable=False, max_length=10,
                            verbose_name='language written in')


class Migration(migrations.Migration):
    """The language a phase's reason and a chart note were written in: English for those
    written so far (the demo's and the pilot's), the writer's active language for new ones."""

    dependencies = [
        ('charts', '0009_summary_said'),
    ]

    operations = [
        *[migrations.AddField(model_name=model, name='language', field=field('en'))
          for model in ('annotation', 'chartphase', 'historicalchartphase')],
        *[migrations.AlterField(model_name=model, name='language',
                                field=field(coiin.network.written.active_language))
          for model in ('annotation', 'chartphase', 'historicalchartphase')],
    ]
