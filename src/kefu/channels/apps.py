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
        from kefu.channels import chat, email_out, phone, sms

        delivery.register(
            "email", email_out.send_email, email_out.has_email, email_out.send_email_notice
        )
        delivery.register("chat", chat.send_chat, chat.has_im_handle, chat.send_chat_notice)
        delivery.register("sms", sms.send_sms, sms.has_phone, sms.send_sms_notice)
        calls.register(phone.desk_call_keep)
