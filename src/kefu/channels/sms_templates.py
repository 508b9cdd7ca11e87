"""Template SMS: what the provider is asked to send for one message.

Aliyun and Tencent Cloud send only an approved template with variables, so a
message becomes its purpose's template (from the registry,
:class:`~kefu.channels.models.SmsTemplate`) plus the values of the template's
named variables. A purpose with no template, or no code at the configured
provider, is a permanent failure naming the purpose: nothing is ever sent as
free text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kefu.cases.delivery import DeliveryError, FailureCode
from kefu.channels.models import SmsPurpose, SmsTemplate
from kefu.customers.phones import PhoneNumberError, phone_e164

# The longest value a variable may take: Aliyun counts up to 35 characters for a
# plain variable; a longer one is cut rather than refused (the link carries the rest).
VARIABLE_MAX = 35
# Variables whose values are never cut: a cut link or code is useless.
UNCUT = frozenset({"link", "code"})


@dataclass(frozen=True)
class TemplatedSms:
    """One SMS as a provider takes it: template code, variables in order, dedupe key."""

    provider: str
    purpose: str
    template_code: str
    # (name, value) in the template's order: Aliyun takes them by name, Tencent by position.
    variables: tuple[tuple[str, str], ...]
    key: str

    def as_mapping(self) -> dict[str, str]:
        return dict(self.variables)

    def values(self) -> list[str]:
        return [value for _name, value in self.variables]


def purpose_label(purpose: str) -> str:
    """The purpose's English label for technical reasons ("Incident first notice")."""
    try:
        return str(SmsPurpose(purpose).label)
    except ValueError:
        return purpose or "(none)"


def sms_templated(
    *, provider: str, purpose: str, values: Mapping[str, str], key: str
) -> TemplatedSms:
    """The purpose's approved template at ``provider`` filled with ``values``.

    Raises a permanent ``DeliveryError`` (code ``no_template``) naming the
    purpose when no template or no provider code is configured, or when a
    variable of the template has no value.
    """
    template = SmsTemplate.objects.filter(purpose=purpose).first() if purpose else None
    code = template.code_for(provider) if template is not None else ""
    if template is None or not code:
        raise DeliveryError(
            f"no SMS template configured for the purpose {purpose_label(purpose)} ({purpose}) "
            f"at {provider}",
            permanent=True,
            code=FailureCode.NO_TEMPLATE,
        )
    variables: list[tuple[str, str]] = []
    for name in template.variables or []:
        value = " ".join(str(values.get(name, "")).split())
        if not value:
            raise DeliveryError(
                f"the SMS template of the purpose {purpose_label(purpose)} ({purpose}) needs "
                f"the variable {name!r}, which this message has no value for",
                permanent=True,
                code=FailureCode.NO_TEMPLATE,
            )
        if name not in UNCUT and len(value) > VARIABLE_MAX:
            value = value[: VARIABLE_MAX - 1] + "…"
        variables.append((str(name), value))
    return TemplatedSms(
        provider=provider,
        purpose=purpose,
        template_code=code,
        variables=tuple(variables),
        key=key,
    )


def mobile_e164(phone: str) -> str:
    """The contact's mobile in E.164 (``+8613800138000``); a permanent failure if it
    is not a number an SMS can reach (a service number such as 95588 has no E.164)."""
    if not phone.strip():
        raise DeliveryError(
            "the contact has no phone number", permanent=True, code=FailureCode.NO_ADDRESS
        )
    try:
        number = phone_e164(phone)
    except PhoneNumberError as exc:
        raise DeliveryError(
            f"the contact's phone number cannot take an SMS ({exc.problem.value})",
            permanent=True,
            code=FailureCode.REFUSED,
        ) from None
    if not number.startswith("+"):
        raise DeliveryError(
            "the contact's phone number is a service number, which cannot take an SMS",
            permanent=True,
            code=FailureCode.REFUSED,
        )
    return number
