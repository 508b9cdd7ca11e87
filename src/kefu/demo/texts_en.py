"""English case topics and message phrases, for contacts whose language is English.

Pure data, no Django; same ``Topic`` shape and placeholders as ``kefu.demo.texts``.
"""

from __future__ import annotations

from kefu.demo.texts import ANY, IT, RENOVATION, Topic

TOPICS_EN: tuple[Topic, ...] = (
    Topic(
        RENOVATION,
        "below_expectation",
        "Water leaking from the bathroom into the flat below",
        (
            "Our downstairs neighbour says there is a water stain on their bathroom ceiling. "
            "The renovation was finished only three months ago. Could someone come soon?",
        ),
        "I am sorry for the trouble this causes you and your neighbour. An engineer will come "
        "{when} to run a 48-hour water test and find the leak; we will also repair the "
        "neighbour's ceiling at our cost.",
        "The engineer found the joint in the waterproofing. When can the repair start?",
        "The waterproofing at {project} has been redone and passed a 48-hour test, and the "
        "neighbour's ceiling is repaired. Any leak within a year is fixed free of charge.",
        "Client writes in English; waterproofing overlap too short under the shower sill.",
        ("渗水", "售后维修"),
        "high",
        10,
        True,
        "engineering",
    ),
    Topic(
        RENOVATION,
        "below_expectation",
        "Cracks in the living-room wall",
        (
            "Several hairline cracks have appeared on the living-room wall two months after "
            "painting. Is this a structural problem?",
        ),
        "I understand the worry. From your photos these are shrinkage cracks at the plasterboard "
        "joints, not a structural issue. A painter will inspect {when} and repair them with mesh.",
        "How long will the repair take? We are living in the flat.",
        "The cracks were repaired with mesh tape, re-plastered and repainted in one day. "
        "We will check again in a month.",
        "No mesh tape at the board joints; repair under warranty.",
        ("墙面", "质量问题"),
        "normal",
        8,
        True,
    ),
    Topic(
        RENOVATION,
        "miscommunication",
        "Schedule delay nobody told us about",
        (
            "The contract says the work finishes this month, but half of it is not done. "
            "Why did nobody tell us in advance?",
        ),
        "You are right to be upset: the schedule changed and we did not tell you in time. "
        "Your project manager will send a detailed plan for the remaining work by {when}.",
        "Thanks for the plan. Please send us progress every week from now on.",
        "The remaining work is on track for the confirmed date. You will receive a short "
        "progress summary every Friday, and the delay is compensated as the contract sets out.",
        "Client asked for weekly updates; Friday reminder set.",
        ("工期", "进度"),
        "high",
        8,
        True,
        "engineering",
    ),
    Topic(
        RENOVATION,
        "stoppage",
        "Work paused while our payment approval is pending",
        (
            "We received your notice that work has stopped. How will materials on site be kept, "
            "and how long will the pause last?",
        ),
        "Thank you for your understanding. The materials were counted, sealed and photographed. "
        "We will send you an update every {days} days, even when nothing has changed, and "
        "confirm crew and deliveries three days before work resumes.",
        "Our finance team expects approval next week. Could unaffected work continue meanwhile?",
        "Approval is complete and work resumes. The resumption plan (date, work steps, risks and "
        "how the delay is compensated) has been sent; your representative is welcome on site.",
        "Stoppage notice sent by phone and e-mail; staged acceptance suggested.",
        ("停工", "甲方原因"),
        "high",
        5,
        True,
        "engineering",
    ),
    Topic(
        RENOVATION,
        "enquiry",
        "Booking the plumbing and wiring inspection",
        ("The plumbing and wiring are finished. Can we book the inspection this week?",),
        "Of course. We have booked it for {when}; the project manager and our inspector will "
        "both attend and you will receive a signed inspection record.",
        "That works. Do we need to prepare anything?",
        "The staged inspection passed: pressure and insulation tests are fine. The record has been "
        "e-mailed to you.",
        "Inspection booked; project manager and inspector informed.",
        ("验收", "预约"),
        "normal",
        8,
        True,
    ),
    Topic(
        IT,
        "emergency",
        "Nobody can log in to the system",
        (
            "Since this morning nobody in our office can log in; the page says the authentication "
            "service is unavailable.",
        ),
        "We have confirmed a fault in the authentication service and an engineer is on it. "
        "You will hear from us within 30 minutes, then every half hour until it is fixed.",
        "It has been an hour and we still cannot log in.",
        "Login works again. The cause was an expired server certificate; we now alert 30 days "
        "before any certificate expires.",
        "Several users affected; handled as an emergency, technology on-call informed.",
        ("故障", "登录"),
        "urgent",
        8,
        False,
        "technology",
    ),
    Topic(
        IT,
        "below_expectation",
        "Monthly reports take twenty minutes to export",
        (
            "Exporting the monthly sales report takes over twenty minutes and often times out. "
            "It got slower after the upgrade.",
        ),
        "We have reproduced the problem. Our engineers will propose a fix by {when}; until then, "
        "exporting week by week works as a stopgap.",
        "The weekly export works, but we need a real fix.",
        "The report query has been optimised and indexed; the export now takes under a minute.",
        "Query plan changed after the upgrade; full table scan confirmed.",
        ("性能", "报表"),
        "normal",
        6,
        True,
        "technology",
    ),
    Topic(
        IT,
        "requirement_change",
        "Adding a purchase approval step",
        (
            "Could the workflow require the general manager's approval for purchases over "
            "50,000 yuan?",
        ),
        "Yes. A consultant will confirm the approval steps and limits with you {when}, then we "
        "will estimate the effort and a go-live date.",
        "Rules confirmed. We would like it live by the end of the month.",
        "The new approval step passed testing and went live this week; instructions were sent.",
        "Outside the contract scope; technology to estimate.",
        ("需求变更", "OA"),
        "normal",
        5,
        True,
        "technology",
    ),
    Topic(
        IT,
        "contract_dispute",
        "Is printer maintenance covered by our contract?",
        ("Our maintenance contract lists printer support, yet you quote an extra fee.",),
        "We are checking the service list in the contract annex and will answer in writing by "
        "{when}. Nothing will be charged before then.",
        "Please send us the exact clause.",
        "The annex does include routine printer maintenance. The quote is withdrawn and the "
        "service is provided under the contract.",
        "Contract reading differs; finance and sales checking together.",
        ("合同", "运维"),
        "high",
        3,
        True,
        "finance",
    ),
    Topic(
        ANY,
        "enquiry",
        "Question about an invoice",
        (
            "The company name on last month's invoice is wrong. Could you reissue it?",
            "When will the invoice for last quarter's service fee be issued?",
        ),
        "Invoices are handled by our billing team in finance. I have passed your details on and "
        "will update you by {when}.",
        "Please post the paper copy to our new address; I will e-mail it to you.",
        "The new invoice has been issued; the electronic copy is in your inbox and the paper "
        "copy is in the post.",
        "Passed to finance billing; client needs it before month end.",
        ("发票", "财务"),
        "low",
        6,
        False,
        "finance",
    ),
    Topic(
        ANY,
        "emotional_state",
        "Third call and still no answer",
        (
            "This is the third time I have called. Every time someone promises to call back and "
            "nobody does. I want to speak to a manager.",
        ),
        "I am very sorry you had to call again; that is our failure. I am passing your case to my "
        "team lead now, and you will get a call from them before the end of today.",
        "I got the call, but I need someone to actually fix it.",
        "The repair is done and the team lead has apologised in person. Repeat calls about the "
        "same issue now go straight to a team lead.",
        "Repeat caller, upset; risk of escalation over heads. Lead asked to step in.",
        ("投诉", "重复来电"),
        "high",
        4,
    ),
)

GREETINGS_EN: tuple[str, ...] = (
    "Hello {contact}, this is {agent} from customer service. ",
    "Dear {contact}, thank you for contacting us. My name is {agent}. ",
    "Hi {contact}, {agent} here; I will be looking after this for you. ",
)
ASKS_EN: tuple[str, ...] = (
    "Could you send us a few photos of the problem so we can check it before the visit?",
    "Could you tell us which day suits you best for a visit, weekday or weekend?",
    "Could you send us a screenshot of the error and the time it first happened?",
)
UPDATES_EN: tuple[str, ...] = (
    "A quick update: the team is still working on this; no news yet, we will update you {when}.",
    "Update: the cause has been found and a fix is being prepared; expect our answer {when}.",
)
CHASERS_EN: tuple[str, ...] = (
    "Any news on this?",
    "One more detail: it got worse since yesterday, please hurry.",
    "Thanks, we will wait for your update.",
)
CLOSINGS_EN: tuple[str, ...] = (
    " If anything else comes up, just let us know.",
    " We will follow up in a week to make sure everything is fine.",
)
NOTES_EN: tuple[str, ...] = (
    "Called back; client calm and agrees with the plan.",
    "Client prefers written updates; e-mail first, phone second.",
)
WHEN_EN: tuple[str, ...] = (
    "tomorrow morning",
    "tomorrow afternoon",
    "on Thursday",
    "on Friday",
    "next Monday",
)
NO_PROJECT_EN = "your project"
