"""The default wording of the 22 SERVQUAL statements (Chinese and English) and the QA rubric.

The wording is kefu's own, written for a service team that answers customers
on several channels and sends crews to sites; businesses adapt it per business
line in the admin (rows with their own ``business``).
"""

from django.db import migrations

ITEMS = [
    # (number, dimension, Chinese, English)
    (1, "tangibles", "公司使用的工具和系统现代、好用。", "The company's tools and systems are modern and easy to use."),
    (2, "tangibles", "服务场所和线上渠道整洁、易于找到。", "Service points and online channels are tidy and easy to find."),
    (3, "tangibles", "服务人员着装整洁、举止得体。", "Staff look neat and behave professionally."),
    (4, "tangibles", "合同、报价和说明材料清楚易懂。", "Contracts, quotes and written explanations are clear and easy to follow."),
    (5, "reliability", "公司承诺在某个时间完成的事，会按时完成。", "When the company promises something by a certain time, it does so."),
    (6, "reliability", "客户遇到问题时，公司真心帮助解决。", "When a customer has a problem, the company sincerely works to solve it."),
    (7, "reliability", "公司第一次就把服务做对。", "The company gets the service right the first time."),
    (8, "reliability", "公司在承诺的时间内提供服务。", "The company delivers its services at the time it promised."),
    (9, "reliability", "公司的记录和账单准确无误。", "The company keeps accurate records and bills."),
    (10, "responsiveness", "服务人员会告诉客户事情具体什么时候办好。", "Staff tell customers exactly when things will be done."),
    (11, "responsiveness", "服务人员会及时为客户提供服务。", "Staff give customers prompt service."),
    (12, "responsiveness", "服务人员总是愿意帮助客户。", "Staff are always willing to help customers."),
    (13, "responsiveness", "服务人员再忙也会回应客户的请求。", "Staff are never too busy to respond to a customer's request."),
    (14, "assurance", "服务人员的言行让客户放心。", "The behaviour of staff gives customers confidence."),
    (15, "assurance", "客户与公司打交道时感到安全可靠。", "Customers feel safe in their dealings with the company."),
    (16, "assurance", "服务人员始终礼貌待客。", "Staff are consistently courteous."),
    (17, "assurance", "服务人员有足够的专业知识回答客户的问题。", "Staff have the knowledge to answer customers' questions."),
    (18, "empathy", "公司给予每位客户个别的关注。", "The company gives each customer individual attention."),
    (19, "empathy", "公司的服务时间方便所有客户。", "The company's service hours suit all its customers."),
    (20, "empathy", "服务人员给予客户个人化的关心。", "Staff give customers personal attention."),
    (21, "empathy", "公司把客户的利益放在心上。", "The company has the customer's best interests at heart."),
    (22, "empathy", "服务人员理解客户的具体需要。", "Staff understand the specific needs of their customers."),
]

RUBRIC = [
    # (code, weight, position)
    ("listening", 15, 1),
    ("empathy", 20, 2),
    ("clarity", 15, 3),
    ("positive_language", 15, 4),
    ("commitments_kept", 15, 5),
    ("resolution", 20, 6),
]


def seed(apps, schema_editor):
    ServqualItem = apps.get_model("quality", "ServqualItem")
    QaCriterion = apps.get_model("quality", "QaCriterion")
    for number, dimension, zh, en in ITEMS:
        ServqualItem.objects.update_or_create(
            business="",
            number=number,
            defaults={"dimension": dimension, "text_zh": zh, "text_en": en},
        )
    for code, weight, position in RUBRIC:
        QaCriterion.objects.update_or_create(
            code=code, defaults={"weight": weight, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("quality", "ServqualItem").objects.filter(business="").delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
