"""Threat wording of lexicon 2026.11.6: someone else's story, a compliment, a contrast
that only complains, firm threats a model may not overrule, mixed-script intents,
and a lexicon pattern's lookahead seen in place."""

from __future__ import annotations

import pytest

from kefu.assist.engine import load_lexicon, polarity, read_customer
from kefu.assist.engine.reader import firm_threat


@pytest.mark.parametrize(
    "text",
    [
        "朋友说乱扣费可以找工信部，请问你们能先帮我查一下扣费明细吗？",
        "My neighbour told me she reported her builder to Trading Standards. Anyway, when "
        "is the plasterer coming?",
        "网上说你们被好多家长投诉到消协了，是真的吗？",
        "我老婆气得说要去12315，我说先别，你们给我个准话，到底啥时候来人？",
        "My daughter says I should complain to the regulator, but I just want to know why "
        "my bill doubled.",
        "Posted on Twitter about how quick the refund was, you guys rock.",
        "我不会给差评的，但这次确实有点失望，菜少了一份。",
        "Not going to make a fuss on Twitter, but this is the third late delivery.",
    ],
)
def test_stories_compliments_and_plain_complaints_are_no_threats(text: str) -> None:
    with polarity.switched_off():
        reading = read_customer(text)
    assert not reading.threat, text
    assert "threat_mention" in {c.code for c in reading.cues} or not reading.threat_kinds


@pytest.mark.parametrize(
    "text",
    [
        # The writer holds a condition or a deadline over the company.
        "我同事说可以走 chargeback，但我想先给你们一个机会。",
        "朋友说可以去12315投诉，我明天就去12315。",
        "我不想闹到12315去，但是你们今天必须给我一个答复。",
        # Already done, a lawyer involved, mixed script.
        "律师我也已经联系好了，检测报告在我手上。",
        "I've already disputed the charge with my bank, so don't bother emailing.",
        "Update: tweeted at you twenty minutes ago.",
        "You have until Monday. After that my solicitor takes over.",
        "My lawyer has advised me not to pay the final invoice.",
        "我要 speak to 你们经理，现在！",
        "你们 technician 把我家 wall 弄坏了，我已经找 lawyer 咨询过了",
        "已经在黑猫上发了，你们自己去看吧。",
        "你们 manager 在吗？I want to talk to someone who can actually decide.",
    ],
)
def test_threat_wording_of_this_round(text: str) -> None:
    with polarity.switched_off():
        reading = read_customer(text)
    assert reading.threat, text
    assert reading.upset


def test_a_pattern_with_a_lookahead_finds_its_own_entry() -> None:
    """The entry of a pattern match is found where it matched, so a lookahead still sees
    the text after it (it once fell back to the first entry of the list)."""
    lexicon = load_lexicon()
    found = list(lexicon["threat_target"].finditer("My lawyer has my file."))
    assert [(m.text, m.entry.kind, m.entry.strong) for m in found] == [("My lawyer", "legal", True)]
    friend = lexicon["threat_target"].search("My lawyer friend says hi")
    assert friend is not None
    assert not friend.entry.strong


def test_only_a_threat_that_is_not_firm_may_be_overruled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doubt = polarity.LinearModel(-10.0, 0.9, {}, veto=0.3)
    monkeypatch.setattr(polarity, "_cached", lambda label: doubt if label == "threat" else None)
    weak = "账户冻结了，找你们行长来处理。"
    assert not firm_threat(weak)
    with polarity.switched_off():
        assert read_customer(weak).threat
    doubted = read_customer(weak)
    assert not doubted.threat
    assert doubted.threat_kinds == []
    assert "threat_mention" in {c.code for c in doubted.cues}
    # A strong word or a declared intent stands whatever the model says.
    for firm in ("我要起诉你们", "再不退款我就去12315投诉！", "I'll report you to the BBB."):
        assert firm_threat(firm), firm
        assert read_customer(firm).threat, firm
