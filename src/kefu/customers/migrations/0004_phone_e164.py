"""Contacts' phone numbers rewritten in E.164 (``+8613800138000``).

A number that cannot be read (a typing error kept from before numbers were
checked) is left exactly as it is, never emptied, and the migration logs how
many and which contacts (by id, never the number) so someone can correct
them; callers and searches still find such rows by their digits.
"""

import logging

from django.db import migrations

logger = logging.getLogger("kefu.customers.migrations")


def forwards(apps, schema_editor):
    from kefu.customers.phones import phone_e164_or_none

    Contact = apps.get_model("customers", "Contact")
    kept = []
    for contact in Contact.objects.exclude(phone="").only("pk", "phone").iterator():
        e164 = phone_e164_or_none(contact.phone)
        if e164 is None:
            kept.append(contact.pk)
        elif e164 != contact.phone:
            Contact.objects.filter(pk=contact.pk).update(phone=e164)
    if kept:
        logger.warning(
            "customers.0004_phone_e164: %d phone number(s) could not be read and were kept "
            "as they are; contact ids: %s",
            len(kept),
            ", ".join(str(pk) for pk in kept),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_organisation_region_tags"),
    ]

    # The spellings before were not recorded; E.164 is a valid value for them too.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
