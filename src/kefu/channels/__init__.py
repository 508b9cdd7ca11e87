"""Channel adapters in and out: email, the chat webhook, phone call records, SMS.

One module per adapter. Inbound adapters turn what a channel delivers into
cases and messages through the desk's services; outbound adapters are
registered with ``kefu.cases.delivery`` when the app starts (channels ->
cases, one way only).
"""
