import coiin.network.written
from django.db import migrations, models


class Migration(migrations.Migration):
    """The language each written text is in: English for the texts written so far (the
    demo's and the pilot's), the writer's active language for new ones."""

    dependencies = [
        ('storyboards', '0002_names_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='storyboard',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='storyboardevent',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='storyboard',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='storyboardevent',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
    ]
