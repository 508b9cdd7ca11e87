"""Regression tests for the classes of wording the coach learned in the batch-3 round:
conditional threats, review sites and more regulators, slang and accusations,
rhetorical and A-not-A questions, shouting, and more ways to say "no" to a customer."""

from __future__ import annotations

import json

import pytest

from kefu.assist.engine import coach_draft, load_lexicon, polarity, read_customer
from kefu.assist.engine.text import modifiers


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("装修队把我家地板刮花了，你们看着办吧，不给说法我就找媒体。", "media"),
        ("再不发货我就去黑猫投诉。", "media"),
        ("要是下个月还修不好，我就去消协。", "regulator"),
        ("除非今天到账，不然我去市场监管局。", "regulator"),
        ("你们要么今天送到，要么我就去邮政管理局投诉。", "regulator"),
        ("不退款的话，差评加12315。", "media"),
        ("希望能给个答复，否则我只能寻求法律途径。", "legal"),
        ("Otherwise I will contact the BBB.", "regulator"),
        ("Or else I'm going to my lawyer.", "legal"),
        ("Unless I get my money back by Friday, I'm taking this to small claims court.", "legal"),
        ("If you don't fix it I will leave a 1-star review on Trustpilot.", "media"),
        ("If this isn't fixed by tomorrow I will escalate to your CEO.", "over_heads"),
        ("Can I speak to your supervisor please", "over_heads"),
        ("账户冻结了，我要找你们行长。", "over_heads"),
    ],
)
def test_conditional_and_indirect_threats(text: str, kind: str) -> None:
    reading = read_customer(text)
    assert reading.threat, text
    assert kind in reading.threat_kinds
    assert reading.upset
    assert reading.escalation_risk >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "我不想去12315。",
        "I'm not going to sue anyone, I just want the cabinets fixed.",
        "请问工信部的申诉网址是多少？",
        "What number do I call for Ofcom? Just asking for a form.",
        "My manager asked me to check the invoice.",
        "投诉流程是什么？需要提供哪些材料？",
    ],
)
def test_mentions_and_negated_threats_are_not_threats(text: str) -> None:
    assert not read_customer(text).threat


@pytest.mark.parametrize(
    "text",
    [
        "瓷砖贴歪了，你们看着办吧。",
        "套餐明明说不限流量，这不是骗人吗？",
        "你们银行的APP真是越更新越难用，吐了。",
        "服了，改个套餐要等七个工作日。",
        "真是谢谢你们了，一个充电器寄了半个月。",
        "贵公司的效率我算是见识到了。",
        "下次再这样我就换别家了。",
        "WHY IS THE EMAIL SERVER DOWN AGAIN???",
        "We might have to consider other providers if this keeps happening.",
        "Your app logged me out five times today. Brilliant.",
    ],
)
def test_slang_sarcasm_accusation_churn_and_shouting_read_upset(text: str) -> None:
    reading = read_customer(text)
    assert reading.upset, text
    assert reading.sentiment == "negative"


def test_unmet_expectation_alone_reads_negative() -> None:
    # "X呢？" alone is a complaint; the rules do not make it upset by themselves (the old
    # naive Bayes second opinion did; the logistic model, at its cross-validated
    # threshold, does not).
    reading = read_customer("钱都付了，东西呢？")
    assert reading.sentiment == "negative"
    assert reading.complaint


def test_a_not_a_question_negates_nothing() -> None:
    mods = modifiers(load_lexicon())
    for text, word in (("是不是丢了", "丢了"), ("有没有人管", "人管"), ("能不能快点", "快点")):
        assert mods.negation(text, text.index(word)) == 0, text
    assert mods.negation("这不是骗人吗", 3) == 0
    assert mods.negation("不满意", 1) == 1
    # and a real negation still negates
    assert read_customer("没有不满意，就是想问问尾款什么时候付。").sentiment == "neutral"
    assert read_customer("我并不满意你们的答复。").upset


def test_praise_before_a_but_counts_half() -> None:
    assert read_customer("东西不错，就是物流慢了点。").sentiment != "positive"
    assert read_customer("东西不错，物流也快。").sentiment == "positive"


def test_calm_reports_and_polite_enquiries_stay_calm() -> None:
    for text in ("光猫灯一直闪红灯，上不了网。", "卫生间门关不上，麻烦派人来调一下，谢谢。"):
        reading = read_customer(text)
        assert not reading.upset
        assert reading.sentiment == "negative"
    assert read_customer("唔该帮我查下个件去咗边。").sentiment == "neutral"
    assert read_customer("Not bad at all, the technician fixed it in ten minutes.").sentiment == (
        "positive"
    )


@pytest.mark.parametrize(
    ("draft", "codes"),
    [
        ("系统就是这样，改不了。", {"negative_phrasing"}),
        ("这个不归我们负责，您问问厂家吧。", {"negative_phrasing", "passing_the_buck"}),
        ("这边不负责售后，您自己联系厂家。", {"negative_phrasing", "passing_the_buck"}),
        ("You'll have to contact the courier yourself.", {"negative_phrasing", "passing_the_buck"}),
        ("Policy says we can only refund within 14 days.", {"negative_phrasing"}),
        ("That's not my problem.", {"negative_phrasing"}),
        ("您当时应该先看说明书的。", {"blame_customer"}),
    ],
)
def test_more_ways_of_saying_no(draft: str, codes: set[str]) -> None:
    coaching = coach_draft(draft)
    found = {f.code for f in coaching.flags}
    assert codes <= found, (draft, found)
    for flag in coaching.flags:
        if flag.code in codes and flag.suggestion and flag.end > flag.start:
            rewritten = draft[: flag.start] + flag.suggestion + draft[flag.end :]
            assert flag.code not in {
                f.code for f in coach_draft(rewritten).flags if f.start == flag.start
            }


def test_empathy_and_times_in_new_forms() -> None:
    assert coach_draft("谢谢您的耐心，我们已经在处理了。").empathy
    assert coach_draft(
        "I know this has been a really stressful week for you. Booked for Thursday at 10 am."
    ).empathy
    assert coach_draft("Your refund should arrive in 3-5 business days.").commitment_time
    journey = coach_draft("非常理解您的着急，真的很抱歉。师傅明天上午10点前上门维修。")
    assert journey.empathy
    assert journey.commitment_time
    assert "negative_phrasing" not in {f.code for f in journey.flags}
    assert "negative_phrasing" in {f.code for f in coach_draft("这个我们做不到。").flags}


def test_polarity_model_is_a_bounded_second_opinion(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    likely = polarity.probability("upset", "你们这服务太离谱了，气死我了")
    unlikely = polarity.probability("upset", "请问营业厅几点开门？")
    assert likely is not None
    assert unlikely is not None
    assert 0.0 <= unlikely < likely <= 1.0
    path = polarity.MODEL_DIR / polarity.MODEL_FILES["upset"]
    data = json.loads(path.read_text("utf-8"))
    assert "kefu team" in data["about"]
    assert path.stat().st_size < 400_000
    # A missing or broken model file means no second opinion, never an error.
    (tmp_path / "polarity_model.json").write_text("{not json", "utf-8")
    monkeypatch.setattr(polarity, "MODEL_DIR", tmp_path)
    polarity.reload()
    try:
        assert polarity.probability("upset", "气死我了") is None
        assert read_customer("气死我了").upset
    finally:
        monkeypatch.undo()
        polarity.reload()


def test_a_contact_count_of_odd_digits_is_ignored_not_an_error() -> None:
    # "²".isdigit() is true but int("²") raises; hypothesis found it.
    assert not read_customer("你好", {"contact_count": "²"}).upset
    assert "contact_count" in {c.code for c in read_customer("你好", {"contact_count": "٣"}).cues}
