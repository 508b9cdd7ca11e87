from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "kefu.channels"
    label = "channels"
    verbose_name = _("Channels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The desk delivers outbound messages through these adapters; a phone
        # notice cannot be delivered by a machine, so "phone" is not registered.
        from kefu.cases import calls, delivery
        from kefu.channels import chat, email_out, phone, sms, wecom_send
        from kefu.channels.dev_outbox import routed, routed_notice

        delivery.register(
            "email", email_out.send_email, email_out.has_email, email_out.send_email_notice
        )
        # SMS and chat go to their gateways, or to the development outbox where
        # KEFU_CHANNEL_BACKEND says so (read at each send); e-mail reaches the
        # outbox through its Django e-mail backend.
        delivery.register(
            "chat",
            routed("chat", chat.send_chat),
            chat.has_im_handle,
            routed_notice("chat", chat.send_chat_notice),
        )
        delivery.register(
            "sms",
            routed("sms", sms.send_sms),
            sms.has_phone,
            routed_notice("sms", sms.send_sms_notice),
        )
        delivery.register_template_label("sms", sms.sms_template_label)
        # WeChat Customer Service: reachable only inside WeChat's 48-hour reply window.
        delivery.register(
            "wechat",
            wecom_send.send_wechat,
            wecom_send.has_open_window,
            wecom_send.send_wechat_notice,
        )
        calls.register(phone.desk_call_keep)
