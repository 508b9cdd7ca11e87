"""The prompts: what the model is asked, built from a case's material.

Plain strings, not translated: they are read by the model, not by people. The
answer's language is the reader's (a summary) or the customer's (a reply).
Personal data is still in the material here; ``services`` redacts the finished
messages before they leave.
"""

from __future__ import annotations

from kefu.partner.selectors import CaseMaterial

LANGUAGE_NAMES = {"zh-hans": "Simplified Chinese", "en": "English"}

RULES = (
    "Text in square brackets such as [PHONE_1], [ID_1], [EMAIL_1] or [CARD_1] stands for "
    "the customer's personal data, removed for privacy. Copy such a placeholder exactly "
    "when you need it; never write a phone number, ID number, card number or e-mail "
    "address of your own, and never invent a placeholder."
)

# The rewrites an agent can ask for, as the model is told them.
REWRITES = {
    "empathetic": "Rewrite the reply to be more empathetic: name and accept the customer's "
    "feeling first, keep every fact, promise and date as it is.",
    "shorter": "Rewrite the reply shorter: keep every fact, promise and date, drop the rest.",
    "english": "Rewrite the reply in English, keeping its meaning, facts, promises and dates.",
    "chinese": "Rewrite the reply in Simplified Chinese, keeping its meaning, facts, "
    "promises and dates.",
}


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, "Simplified Chinese")


def _facts(material: CaseMaterial) -> str:
    lines = [
        f"Case {material.reference}: {material.subject}",
        f"Category: {material.category}; status: {material.status}; priority: {material.priority}",
    ]
    if material.promises:
        lines.append("Promises recorded: " + "; ".join(material.promises))
    if material.escalations:
        lines.append("Escalations and transfers: " + "; ".join(material.escalations))
    if material.playbook_done:
        lines.append("Complaint playbook steps done: " + ", ".join(material.playbook_done))
    return "\n".join(lines)


def _thread(material: CaseMaterial) -> str:
    lines = []
    for line in material.thread:
        mood = f" [coach reading: {line.mood}]" if line.mood else ""
        lines.append(f"{line.at:%Y-%m-%d %H:%M} {line.who}{mood}: {line.body}")
    return "\n".join(lines) or "(no messages)"


def summary_messages(material: CaseMaterial, *, language: str) -> list[dict[str, str]]:
    """Chat messages asking for the summary a lead reads when the case reaches them."""
    system = (
        "You summarise customer-service cases for the team lead or department that a case "
        "was escalated or transferred to. Be factual and brief; do not invent anything "
        "that is not in the case. " + RULES
    )
    user = (
        f"{_facts(material)}\n\nConversation, oldest first:\n{_thread(material)}\n\n"
        f"Write the summary in {language_name(language)}, as four short sections with "
        "these headings (translated): 1. What the customer wants; 2. What was promised "
        "and by when; 3. What was tried; 4. The customer's mood over time (use the coach "
        "readings). Plain text, no Markdown tables."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _reply_language(material: CaseMaterial) -> str:
    return language_name("en" if material.customer_language == "en" else "zh-hans")


def draft_messages(material: CaseMaterial) -> list[dict[str, str]]:
    """Chat messages asking for a reply the agent will edit and send themselves."""
    system = (
        "You draft replies for a customer-service agent, who reviews, edits and sends "
        "them. Write only the reply text, ready to send. Listen, name the customer's "
        "feeling when they are upset, apologise without blaming anyone, say what can be "
        "done rather than what cannot, and commit next steps with a date or time only "
        "when the case already contains them. Never promise compensation, refunds or "
        "dates the case does not contain. " + RULES
    )
    parts = [_facts(material), f"Conversation, oldest first:\n{_thread(material)}"]
    if material.latest_mood:
        parts.append(
            f"The coach's reading of the customer's latest message: {material.latest_mood}"
        )
    if material.next_step:
        parts.append(f"The complaint playbook's next step: {material.next_step}")
    if material.templates:
        parts.append(
            "The business's reply templates (reuse their wording where it fits):\n"
            + "\n".join(f"- {t}" for t in material.templates)
        )
    if material.articles:
        parts.append(
            "Knowledge-base articles that may answer the customer:\n"
            + "\n".join(f"- {a}" for a in material.articles)
        )
    parts.append(f"Write the agent's next reply to the customer in {_reply_language(material)}.")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n\n".join(parts)}]


def rewrite_messages(material: CaseMaterial, *, text: str, rewrite: str) -> list[dict[str, str]]:
    """Chat messages asking to rewrite the agent's current reply one way."""
    system = (
        "You help a customer-service agent polish a reply they will send themselves. "
        "Answer with the rewritten reply only. " + RULES
    )
    context = material.thread[-4:]
    recent = "\n".join(f"{line.who}: {line.body}" for line in context) or "(no messages)"
    user = (
        f"Case {material.reference}: {material.subject}\nLatest messages:\n{recent}\n\n"
        f"The agent's reply:\n{text}\n\n{REWRITES[rewrite]}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
