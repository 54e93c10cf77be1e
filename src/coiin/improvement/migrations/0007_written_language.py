import coiin.network.written
from django.db import migrations, models


class Migration(migrations.Migration):
    """The language each written text is in: English for the texts written so far (the
    demo's and the pilot's), the writer's active language for new ones."""

    dependencies = [
        ('improvement', '0006_names_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='adoptionstatus',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='aim',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='attendance',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='cyclecomment',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='driver',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='event',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='pdsacycle',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='ramp',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='adoptionstatus',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='aim',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='attendance',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='cyclecomment',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='driver',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='event',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='pdsacycle',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='ramp',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
    ]
