from django.contrib import admin
from django.urls import include, path

from kefu.api import api
from kefu.cases.views_search import desk_search
from kefu.channels.views_notice import full_notice
from kefu.channels.views_outbox import dev_outbox
from kefu.channels.views_wechat_mp import wechat_mp_callback
from kefu.channels.views_wecom import wecom_kf_callback

# A database error outside a view (a middleware loading the session) is a 503 too.
handler500 = "kefu.core.views.server_error"

# The apps' admin modules load here, not at start-up (kefu.core.admin_apps).
admin.autodiscover()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("search/", desk_search, name="search"),
    path("dev/outbox/", dev_outbox, name="dev_outbox"),
    path("channels/wecom-kf/callback", wecom_kf_callback, name="wecom_kf_callback"),
    path("channels/wechat-mp/callback", wechat_mp_callback, name="wechat_mp_callback"),
    # The full notice behind the short link of an SMS (public, signed, expiring).
    path("n/<str:token>/", full_notice, name="full_notice"),
    path("cases/", include("kefu.cases.urls")),
    path("customers/", include("kefu.customers.urls")),
    path("assist/", include("kefu.assist.urls")),
    path("incidents/", include("kefu.incidents.urls")),
    path("workforce/", include("kefu.workforce.urls")),
    path("quality/", include("kefu.quality.urls")),
    path("floor/", include("kefu.floor.urls")),
    path("kb/", include("kefu.kb.urls")),
    path("routing/", include("kefu.routing.urls")),
    path("automation/", include("kefu.automation.urls")),
    path("partner/", include("kefu.partner.urls")),
    path("portal/", include("kefu.portal.urls")),
    path("collab/", include("kefu.collab.urls")),
    # The public status page (kefu.portal; off until an administrator turns it on).
    path("status/", include("kefu.portal.urls_status")),
    path("", include("kefu.core.urls")),
]
