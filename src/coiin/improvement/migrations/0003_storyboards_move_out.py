"""Storyboards move to their own app, with their rows: the tables are renamed to the
storyboards app's names here, and the models leave this app's state (the storyboards app's
first migration takes them up)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('improvement', '0002_storyboards'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='storyboard', table='storyboards_storyboard'),
                migrations.AlterModelTable(name='storyboardevent',
                                           table='storyboards_storyboardevent'),
            ],
            state_operations=[
                migrations.RemoveField(model_name='storyboardevent', name='storyboard'),
                migrations.RemoveField(model_name='storyboardevent', name='by'),
                migrations.DeleteModel(name='Storyboard'),
                migrations.DeleteModel(name='StoryboardEvent'),
            ],
        ),
    ]
