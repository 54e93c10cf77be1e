from django.db import migrations, models


class Migration(migrations.Migration):
    """The language a coach's assessment was written in: English for those written so far
    (the demo's and the pilot's), the reviewer's active language for new ones."""

    dependencies = [
        ('measures', '0013_source_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='submission',
            name='assessment_language',
            field=models.CharField(default='en', editable=False, max_length=10, verbose_name='language the assessment was written in'),
        ),
    ]
