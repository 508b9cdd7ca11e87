"""The SMS template each kind of notice goes out as (``channels.SmsPurpose`` values).

Aliyun and Tencent Cloud send nothing but an approved template, picked by the
notice's purpose; the incidents app names the purpose without importing the
channels (they sit above it).
"""

from __future__ import annotations

SMS_PURPOSES: dict[str, str] = {
    "first": "incident_first_notice",
    "update": "incident_update",
    "resumption": "resumption_notice",
    "survey": "survey_invitation",
    # A plan for approval is an update on the incident, with the link to the plan's page.
    "plan": "incident_update",
}
