"""Chart settings, phases, exclusions and notes (and their history) come from reports.

The tables already exist: reports 0007 renamed them to this app's names, so this
migration only tells Django's state where the models now live.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0007_move_chart_models_to_charts'),
        ('measures', '0002_importjob'),
        ('network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Annotation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField()),
                        ('text', models.CharField(max_length=120)),
                        ('link', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(blank=True, help_text='Empty: shown on every chart.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annotations', to='network.team')),
                    ],
                    options={
                        'ordering': ['on'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalChartExclusion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('period_start', models.DateField()),
                        ('reason', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.team')),
                    ],
                    options={
                        'verbose_name': 'historical chart exclusion',
                        'verbose_name_plural': 'historical chart exclusions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalChartPhase',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('starts', models.DateField(help_text='First day of the first period of the new phase.')),
                        ('reason', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.team')),
                    ],
                    options={
                        'verbose_name': 'historical chart phase',
                        'verbose_name_plural': 'historical chart phases',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalChartSettings',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('rules', models.CharField(choices=[('anhoej', 'Anhøj rules (default)'), ('ihi', 'IHI run-chart rules'), ('mdc', 'NHS Making Data Count')], default='anhoej', max_length=10)),
                        ('baseline_end', models.DateField(blank=True, help_text='The last period of the baseline; its centre line and limits are frozen.', null=True)),
                        ('reason', models.CharField(blank=True, max_length=300)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.team')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical chart settings',
                        'verbose_name_plural': 'historical chart settingss',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ChartExclusion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period_start', models.DateField()),
                        ('reason', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chart_exclusions', to='network.team')),
                    ],
                    options={
                        'ordering': ['period_start'],
                        'constraints': [models.UniqueConstraint(fields=('team', 'measure', 'period_start'), name='chart_exclusion_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ChartPhase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts', models.DateField(help_text='First day of the first period of the new phase.')),
                        ('reason', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chart_phases', to='network.team')),
                    ],
                    options={
                        'ordering': ['starts'],
                        'constraints': [models.UniqueConstraint(fields=('team', 'measure', 'starts'), name='chart_phase_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ChartSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rules', models.CharField(choices=[('anhoej', 'Anhøj rules (default)'), ('ihi', 'IHI run-chart rules'), ('mdc', 'NHS Making Data Count')], default='anhoej', max_length=10)),
                        ('baseline_end', models.DateField(blank=True, help_text='The last period of the baseline; its centre line and limits are frozen.', null=True)),
                        ('reason', models.CharField(blank=True, max_length=300)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measures.measure')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chart_settings', to='network.team')),
                        ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('team', 'measure'), name='chart_settings_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
