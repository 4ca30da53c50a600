# The stuck sweep (issue 15.4) measures how long a document or tracking has been queued or
# processing, and counts how often it found one stuck.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0007_tracking_run_permission'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='state_changed_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='document',
            name='stuck_count',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='tracking',
            name='state_changed_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='tracking',
            name='stuck_count',
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
