"""The journalist dashboard at the site root. Ids, not names, in URLs: they never change, so citations hold."""

from django.urls import path

from tracker.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("governments.csv", views.home_csv, name="home_csv"),
    path("pledges/", views.search, name="search"),
    path("pledges.csv", views.search_csv, name="search_csv"),
    path("scorecard/<int:jurisdiction_id>/<int:plan_year>/", views.scorecard, name="scorecard"),
    path("scorecard/<int:jurisdiction_id>/<int:plan_year>/<slug:table>.csv", views.scorecard_csv, name="scorecard_csv"),
    path("pledge/<int:pledge_id>/", views.pledge, name="pledge"),
    path("pledge/<int:pledge_id>/<slug:table>.csv", views.pledge_csv, name="pledge_csv"),
    path("government/<int:jurisdiction_id>/", views.government, name="government"),
    path("government/<int:jurisdiction_id>/<slug:which>.csv", views.government_chains_csv, name="government_chains_csv"),
    path("report/<int:document_id>/", views.document, name="document"),
    path("compare/", views.compare, name="compare"),
    path("method/", views.method, name="method"),
    path("compare.csv", views.compare_csv, name="compare_csv"),
    path("embed/scorecard/<int:jurisdiction_id>/<int:plan_year>/", views.embed_scorecard, name="embed_scorecard"),
    path(
        "embed/scorecard/<int:jurisdiction_id>/<int:plan_year>/<slug:chart>/",
        views.embed_scorecard,
        name="embed_scorecard_chart",
    ),
    path("embed/compare/", views.embed_compare, name="embed_compare"),
]
