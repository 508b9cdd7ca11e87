"""The coach's pure core: readings, coaching, the playbook, bad input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.assist.engine import (
    PLAYBOOK_STEPS,
    LexiconError,
    coach_draft,
    load_lexicon,
    playbook_evidence,
    read_customer,
)

READING_KEYS = {
    "sentiment",
    "upset",
    "emotions",
    "escalation_risk",
    "threat",
    "cues",
    "threat_kinds",
    "language",
    "complaint",
}


def test_a_neutral_question_about_refunds_is_not_upset() -> None:
    reading = read_customer("请问退款一般几个工作日能到账？")
    assert reading.sentiment == "neutral"
    assert not reading.upset
    assert not reading.threat


def test_sarcastic_praise_reads_negative() -> None:
    reading = read_customer("呵呵，你们服务真好……")
    assert reading.sentiment == "negative"
    assert reading.upset
    assert "sarcasm" in {c.code for c in reading.cues}


def test_great_job_after_a_failure_is_sarcasm_but_plain_thanks_are_positive() -> None:
    assert read_customer("Great job, the router is broken again.").sentiment == "negative"
    assert read_customer("Thanks a lot for the quick help yesterday!").sentiment == "positive"
    assert read_customer("谢谢，问题解决了").sentiment == "positive"


def test_a_threat_in_passing_is_a_threat_and_a_mention_is_not() -> None:
    threat = read_customer("不然我就去12315投诉了")
    assert threat.threat
    assert threat.threat_kinds == ["regulator"]
    assert threat.escalation_risk >= 0.7
    assert not read_customer("12315上说退货七天无理由").threat
    assert not read_customer("请问工信部的投诉电话是多少？").threat


def test_negated_threats_are_no_threats_unless_a_condition_follows() -> None:
    assert not read_customer("I'm not going to sue anyone.").threat
    assert not read_customer("我不想去12315").threat
    assert read_customer("我不想闹到12315去，但是你们今天必须给我一个答复。").threat


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I want to speak to your manager", "over_heads"),
        ("我要找你们总部", "over_heads"),
        ("再拖我就发到微博上曝光你们", "media"),
        ("I'll be reporting you to the BBB.", "regulator"),
        ("我已经联系律师了", "legal"),
    ],
)
def test_threat_kinds(text: str, kind: str) -> None:
    reading = read_customer(text)
    assert reading.threat
    assert kind in reading.threat_kinds


def test_negation_and_double_negation() -> None:
    assert read_customer("我对这次服务不满意").upset
    assert read_customer("I'm not happy with the shoes.").sentiment == "negative"
    assert read_customer("我没有不满意，只是想确认一下账单。").sentiment == "neutral"
    assert read_customer("不着急，你们慢慢查。").sentiment == "neutral"


def test_polite_anger_and_implied_dissatisfaction_after_several_contacts() -> None:
    assert read_customer("I'd appreciate it if someone actually read my emails").upset
    assert not read_customer("这个问题很简单，换一个合页就行").upset
    assert read_customer("这个问题很简单，有这么难吗？", {"contact_count": 4}).upset


def test_the_case_history_raises_the_risk() -> None:
    alone = read_customer("我的宽带还没修好")
    again = read_customer("我的宽带还没修好", {"contact_count": 5, "prior_failure": True})
    assert again.escalation_risk > alone.escalation_risk
    assert {"contact_count", "prior_failure"} <= {c.code for c in again.cues}


def test_reading_json_has_the_agreed_keys() -> None:
    data = read_customer("这已经是第三次了！").to_json()
    assert set(data) == READING_KEYS
    assert set(data["emotions"]) == {"anger", "anxiety", "disappointment", "satisfaction"}
    assert all(set(c) == {"code", "text", "start", "end", "weight"} for c in data["cues"])


def test_cue_spans_point_at_their_text() -> None:
    text = "你们再不退钱，我就打工信部投诉。"
    for cue in read_customer(text).cues:
        if cue.end > cue.start:
            assert text[cue.start : cue.end] == cue.text


def test_negative_phrasing_flag_and_its_rewrite() -> None:
    text = "这个我们做不到。"
    coaching = coach_draft(text)
    flag = next(f for f in coaching.flags if f.code == "negative_phrasing")
    assert text[flag.start : flag.end] == "做不到"
    assert flag.suggestion
    rewritten = text[: flag.start] + flag.suggestion + text[flag.end :]
    assert "negative_phrasing" not in {f.code for f in coach_draft(rewritten).flags}


def test_an_honest_limit_with_an_alternative_is_not_negative() -> None:
    text = "We can't refund the deposit, but what we can do is move it to a new date."
    assert "negative_phrasing" not in {f.code for f in coach_draft(text).flags}
    assert "negative_phrasing" not in {
        f.code for f in coach_draft("不是不能换，只是要等批次").flags
    }


def test_english_rewrites_keep_the_capital() -> None:
    flag = coach_draft("We can't send anyone.").flags[0]
    assert flag.suggestion == "What we can do is"


def test_empathy_and_commitment_with_a_time() -> None:
    coaching = coach_draft("非常理解您的着急，真的很抱歉。师傅明天上午10点前上门维修。")
    assert coaching.empathy
    assert coaching.commitment_time
    assert coaching.flags == []


def test_a_promise_without_a_time_is_flagged_with_an_insertion() -> None:
    text = "我们会尽快处理。"
    flag = next(f for f in coach_draft(text).flags if f.code == "missing_commitment_time")
    assert flag.start == flag.end
    assert flag.suggestion
    fixed = text[: flag.start] + flag.suggestion + text[flag.end :]
    assert coach_draft(fixed).commitment_time


def test_missing_empathy_and_apology_only_with_an_upset_customer() -> None:
    assert not {"missing_empathy", "missing_apology"} & {f.code for f in coach_draft("好的").flags}
    codes = {f.code for f in coach_draft("好的", {"customer_text": "气死我了！又坏了！！"}).flags}
    assert {"missing_empathy", "missing_apology"} <= codes


def test_passing_the_buck_and_a_good_transfer() -> None:
    assert "passing_the_buck" in {f.code for f in coach_draft("我帮您转给售后。").flags}
    good = "我转给售后，因为他们负责返工，他们会在今天下午4点前联系您。"
    assert "passing_the_buck" not in {f.code for f in coach_draft(good).flags}


def test_blame_jargon_emoji_punctuation_and_length() -> None:
    def codes(text: str) -> set[str]:
        return {f.code for f in coach_draft(text).flags}

    assert "blame_customer" in codes("You should have read the manual.")
    assert "jargon" in codes("您的工单已派单")
    assert "emoji_overuse" in codes("好的😊😊😊😊")
    assert "punctuation_overuse" in codes("马上处理！！！")
    assert "too_long" in codes("我们" * 300)


def test_messages_follow_the_agent_language() -> None:
    zh = coach_draft("我们做不到", language="zh-hans").flags[0]
    en = coach_draft("我们做不到", language="en").flags[0]
    assert zh.message != en.message
    assert "Negative" in en.message
    assert zh.suggestion == en.suggestion  # in the draft's own language


def test_coaching_json_shape() -> None:
    data = coach_draft("我们做不到").to_json()
    assert set(data) == {"flags", "empathy", "commitment_time"}
    assert set(data["flags"][0]) == {"code", "start", "end", "message", "suggestion"}


def test_playbook_evidence() -> None:
    steps = playbook_evidence(
        "非常理解您的心情，真的很抱歉。跟您确认一下，您希望换货，对吗？"
        "我们可以为您换新，明天上午10点前发出。"
    )
    assert steps == {"empathize", "apologize", "clarify", "propose", "commit"}
    assert set(PLAYBOOK_STEPS) >= steps
    assert playbook_evidence("") == set()


def test_lexicon_extra_entries_and_version() -> None:
    base = load_lexicon()
    extra = load_lexicon([{"list": "negative", "term": "忽悠瘸了", "weight": 2.0}])
    assert extra.version.startswith(base.version + "+1.")
    assert load_lexicon([{"list": "negative", "term": "忽悠瘸了", "weight": 2.0}]) is extra
    assert read_customer("你们把我忽悠瘸了", lexicon=extra).upset


def test_lexicon_rejects_bad_entries() -> None:
    with pytest.raises(LexiconError):
        load_lexicon([{"list": "negative", "pattern": "(unclosed"}])
    with pytest.raises(LexiconError):
        load_lexicon([{"list": "no_such_list", "term": "x"}])


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😡😡😡", "\x00\xff\ufffd" * 50, "🙂" * 1000, "مرحبا", "a" * 30_000],
)
def test_bad_input_gives_a_reading(text: str) -> None:
    reading = read_customer(text)
    assert reading.sentiment in {"negative", "neutral", "positive", "unknown"}
    coach_draft(text)


def test_empty_text_is_unknown_and_megabytes_are_truncated_quickly() -> None:
    assert read_customer("").sentiment == "unknown"
    big = "你们的服务太差了！" * 300_000
    started = time.perf_counter()
    reading = read_customer(big)
    coaching = coach_draft(big)
    assert time.perf_counter() - started < 5
    assert "truncated" in {c.code for c in reading.cues}
    assert "truncated" in {f.code for f in coaching.flags}


def test_reading_is_fast() -> None:
    lexicon = load_lexicon()
    text = "这已经是我第三次写邮件了！卫生间漏水两个星期没人管，你们再不派人来修，我就去12315投诉！"
    read_customer(text, None, lexicon)
    started = time.perf_counter()
    for _ in range(200):
        read_customer(text, {"contact_count": 3}, lexicon)
    assert (time.perf_counter() - started) / 200 < 0.01


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=300),
    st.dictionaries(
        st.sampled_from(["contact_count", "prior_failure", "history", "x"]),
        st.one_of(
            st.integers(),
            st.booleans(),
            st.text(max_size=5),
            st.lists(st.text(max_size=5), max_size=3),
        ),
        max_size=3,
    ),
)
def test_never_raises_and_spans_stay_in_bounds(text: str, context: dict[str, object]) -> None:
    reading = read_customer(text, context)
    assert 0.0 <= reading.escalation_risk <= 1.0
    for cue in reading.cues:
        assert 0 <= cue.start <= cue.end <= max(len(text), cue.end)
        assert cue.end <= len(text) or cue.code == "truncated"
    coaching = coach_draft(text, context)
    for flag in coaching.flags:
        assert 0 <= flag.start <= flag.end <= len(text)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "做不到",
                "没办法",
                "呵呵",
                "不",
                "12315",
                "经理",
                "找",
                "not ",
                "sue",
                "！",
                "？",
                "谢谢",
                "😊",
                "我们会",
                "明天",
                "转给",
            ]
        ),
        max_size=12,
    )
)
def test_never_raises_on_lexicon_soup(parts: list[str]) -> None:
    text = "".join(parts)
    read_customer(text)
    for flag in coach_draft(text, {"customer_upset": True, "complaint": True}).flags:
        assert 0 <= flag.start <= flag.end <= len(text)
        if flag.suggestion is not None and flag.end > flag.start:
            assert flag.suggestion != text[flag.start : flag.end]
