"""Default SLA policies by priority (working minutes); administrators change them."""

from django.db import migrations

DEFAULTS = [
    # name, priority, first response, update cadence, resolution
    ("紧急 Urgent", "urgent", 30, 60, 8 * 60),
    ("高 High", "high", 2 * 60, 4 * 60, 16 * 60),
    ("普通 Normal", "normal", 4 * 60, 8 * 60, 24 * 60),
    ("低 Low", "low", 8 * 60, None, 40 * 60),
]


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("cases", "SlaPolicy")
    for name, priority, first, cadence, resolution in DEFAULTS:
        SlaPolicy.objects.get_or_create(
            name=name,
            defaults={
                "priority": priority,
                "first_response_minutes": first,
                "next_update_minutes": cadence,
                "resolution_minutes": resolution,
            },
        )


def unseed(apps, schema_editor):
    SlaPolicy = apps.get_model("cases", "SlaPolicy")
    SlaPolicy.objects.filter(name__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_index")]
    operations = [migrations.RunPython(seed, unseed)]
