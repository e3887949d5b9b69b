"""URL map. Public pages at the root, the staff workspace under /staff/, the API under /api/v1/."""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("vangnet.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("vangnet.accounts.urls")),
    path("staff/", include("vangnet.workspace.urls")),
    path("staff/contacts/", include("vangnet.contacts.urls")),
    path("staff/chat/", include("vangnet.chat.staff_urls")),
    path("staff/social-map/", include("vangnet.regions.urls")),
    path("chat/", include("vangnet.chat.urls")),
    path("partner/handovers/", include("vangnet.chat.partner_urls")),
    path("staff/access-log/", include("vangnet.audit.urls")),
    path("partner/meldcode/", include("vangnet.meldcode.urls")),
    path("staff/advice-requests/", include("vangnet.meldcode.staff_urls")),
    path("api/v1/", include("vangnet.api_urls")),
    path("melding/", include("vangnet.reports.public_urls")),
    path("staff/reports/", include("vangnet.reports.urls")),
    path("partner/transfers/", include("vangnet.reports.partner_urls")),
    path("staff/insights/", include("vangnet.insights.urls")),
    path("staff/rights/", include("vangnet.rights.urls")),
]

handler400 = "vangnet.core.views.bad_request"
handler403 = "vangnet.core.views.permission_denied"
# Under /api/ these two answer in the API's JSON error shape (vangnet.api.errors).
handler404 = "vangnet.core.views.page_not_found"
handler500 = "vangnet.core.views.server_error"
