"""Writes of the customers app: organisations, contacts, projects, revealing personal data.

Who may do what:
- every active staff member reads customers (see ``selectors``);
- ``Perm.WORK_CASES`` (agents and up) creates and updates organisations,
  contacts and projects;
- ``Perm.REVEAL_PII`` (team leads and up) reveals a contact's full phone and
  ID number, sees and searches full email addresses, and exports phones and
  emails in full;
- ``Perm.MANAGE_SETTINGS`` or ``Perm.APPROVE_ESCALATIONS`` (team leads,
  managers, administrators) imports a CSV file (``services.transfer``).

Every write leaves one audit entry with the changed fields before and after.
Phone and ID numbers are written to the audit log masked, never in clear.
"""

from kefu.customers.services.records import (
    AUDIT_MASKS,
    ContactChanges,
    OrganisationChanges,
    ProjectChanges,
    RevealField,
    contact_create,
    contact_reveal_pii,
    contact_update,
    organisation_create,
    organisation_update,
    project_create,
    project_update,
)
from kefu.customers.services.transfer import (
    ImportResult,
    authorize_import,
    customers_export_csv,
    customers_import_csv,
)

__all__ = [
    "AUDIT_MASKS",
    "ContactChanges",
    "ImportResult",
    "OrganisationChanges",
    "ProjectChanges",
    "RevealField",
    "authorize_import",
    "contact_create",
    "contact_reveal_pii",
    "contact_update",
    "customers_export_csv",
    "customers_import_csv",
    "organisation_create",
    "organisation_update",
    "project_create",
    "project_update",
]
