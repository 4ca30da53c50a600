from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from tracker.api import schema, views  # noqa: F401 - schema registers an OpenAPI extension

app_name = "api"

router = DefaultRouter()
router.register("jurisdictions", views.JurisdictionViewSet, basename="jurisdiction")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("trackings", views.TrackingViewSet, basename="tracking")

urlpatterns = [
    path("scorecards/", views.ScorecardView.as_view(), name="scorecard"),
    path("scorecards/comparison/", views.ComparisonView.as_view(), name="scorecard-comparison"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
