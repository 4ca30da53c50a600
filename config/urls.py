from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tracker.api.urls")),
    # Browsers ask for /favicon.ico whatever the page says; send them to the dashboard's icon.
    path("favicon.ico", RedirectView.as_view(url=static("dashboard/favicon.svg"), permanent=True)),
    path("", include("tracker.dashboard.urls")),
]

# JSON in the error envelope under /api/, the usual page elsewhere.
handler500 = "tracker.api.errors.server_error"
