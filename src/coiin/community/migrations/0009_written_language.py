import coiin.network.written
from django.db import migrations, models


class Migration(migrations.Migration):
    """The language each written text is in: English for the texts written so far (the
    demo's and the pilot's), the writer's active language for new ones."""

    dependencies = [
        ('community', '0008_moves_keep_their_spaces'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='mentorpairing',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='notification',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='post',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='resource',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='tamessage',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AddField(
            model_name='tarequest',
            name='language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='mentorpairing',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='post',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='resource',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='tamessage',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
        migrations.AlterField(
            model_name='tarequest',
            name='language',
            field=models.CharField(default=coiin.network.written.active_language, editable=False, max_length=10, verbose_name='language written in'),
        ),
    ]
