"""Storyboards, moved here from the improvement app with their rows: its migration 0003
renamed the tables; this one takes the models into this app's state and moves their content
types (so permissions and any generic relation keep their ids)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['storyboard', 'storyboardevent']


def content_types_here(apps, schema_editor):
    _move_content_types(apps, 'improvement', 'storyboards')


def content_types_back(apps, schema_editor):
    _move_content_types(apps, 'storyboards', 'improvement')


def _move_content_types(apps, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('improvement', '0003_storyboards_move_out'),
        ('measures', '0002_importjob'),
        ('network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Storyboard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('problem', models.TextField(blank=True, help_text='What was wrong, for whom. Markdown.')),
                        ('aim', models.TextField(blank=True, help_text='What, how much, by when. Markdown.')),
                        ('changes', models.TextField(blank=True, help_text='What the team tried, in which PDSA cycles. Markdown.', verbose_name='changes tested')),
                        ('results', models.TextField(blank=True, help_text='What the chart and the cycles showed. Markdown.')),
                        ('lessons', models.TextField(blank=True, help_text='What another team should know. Markdown.', verbose_name='lessons learned')),
                        ('period_from', models.DateField(blank=True, help_text='First period shown (optional).', null=True, verbose_name='chart from')),
                        ('period_to', models.DateField(blank=True, help_text='Last period shown (optional).', null=True, verbose_name='chart to')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('changes_requested', 'Changes requested'), ('resubmitted', 'Resubmitted for review'), ('approved', 'Approved by faculty'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='draft', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('change_idea', models.ForeignKey(blank=True, help_text='The change idea from the change package it tested, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='storyboards', to='improvement.changeidea')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(help_text='The measure whose chart the storyboard shows: one the team reports, a count or a ratio.', on_delete=django.db.models.deletion.PROTECT, related_name='storyboards', to='measures.measure')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='storyboards', to='network.team')),
                    ],
                    options={
                        'ordering': ['-updated_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StoryboardEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('changes_requested', 'Changes requested'), ('resubmitted', 'Resubmitted for review'), ('approved', 'Approved by faculty'), ('published', 'Published'), ('unpublished', 'Unpublished')], max_length=20)),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('comment', models.TextField(blank=True)),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('storyboard', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='storyboards.storyboard')),
                    ],
                    options={
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='storyboard',
                    constraint=models.CheckConstraint(condition=models.Q(('period_from__isnull', True), ('period_to__isnull', True), ('period_from__lte', models.F('period_to')), _connector='OR'), name='storyboard_period_order'),
                ),
            ],
        ),
        migrations.RunPython(content_types_here, content_types_back),
    ]
