"""A few reply templates in both languages to start from; teams edit them."""

from django.db import migrations

TEMPLATES = [
    (
        "受理确认 Acknowledgement",
        "enquiry",
        "{contact_name}您好，您的问题已记录为工单 {case_reference}，我是负责跟进的{agent_name}。"
        "我会先核实情况，并在今天下班前给您明确答复。",
        "Dear {contact_name}, your request is now case {case_reference} and I, {agent_name}, "
        "will follow it up. I will check the details and come back to you with a clear answer "
        "before the end of today.",
    ),
    (
        "致歉与方案 Apology and plan",
        "below_expectation",
        "{contact_name}您好，给您带来不便，我们深表歉意。关于工单 {case_reference}，"
        "我们能做的是：先安排人员上门核查，再与您确认维修方案和时间。如有任何疑问，请随时联系我。",
        "Dear {contact_name}, we are sorry for the trouble. For case {case_reference}, what we "
        "can do is send someone to inspect first, then agree the repair plan and timing with "
        "you. Please contact me any time with questions.",
    ),
    (
        "进度更新 Progress update",
        "",
        "{contact_name}您好，工单 {case_reference} 目前仍在处理中，暂时没有新的进展。"
        "我们会继续跟进，并按约定时间再次向您更新。",
        "Dear {contact_name}, case {case_reference} is still in progress and there is no news "
        "yet. We are following it up and will update you again at the agreed time.",
    ),
]


def seed(apps, schema_editor):
    ReplyTemplate = apps.get_model("cases", "ReplyTemplate")
    for name, category, body_zh, body_en in TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            name=name, defaults={"category": category, "body_zh": body_zh, "body_en": body_en}
        )


def unseed(apps, schema_editor):
    ReplyTemplate = apps.get_model("cases", "ReplyTemplate")
    ReplyTemplate.objects.filter(name__in=[row[0] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_queue_indexes")]
    operations = [migrations.RunPython(seed, unseed)]
