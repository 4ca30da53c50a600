"""The OpenAPI schema is true: fuzzed reads never 5xx or break it, and real bodies match it."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db

# Loaded through the app itself, so the schema tested is the one served at /api/schema/.
schema = schemathesis.from_wsgi("/api/schema/?format=json", application).include(method="GET")
writes = schemathesis.from_wsgi("/api/schema/?format=json", application).include(method=["POST", "DELETE"])

# Every status code a fuzzed request gets is documented, and an operation declared as needing
# credentials refuses a request without them (public reads declare none).
CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance,
          ignored_auth)


@pytest.fixture
def keep_test_connection():
    # Raw WSGI calls fire request_started/finished, which would close the connection holding the
    # test's transaction; Django's own test client detaches this handler the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "curator"])
def auth_headers(request, db) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    curator = request.getfixturevalue("curator")
    token, _ = Token.objects.get_or_create(user=curator)
    return {"Authorization": f"Token {token.key}"}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_fuzzed_reads_conform(case, world, auth_headers, keep_test_connection):
    response = case.call(headers=auth_headers)
    case.validate_response(response, checks=CHECKS)


@writes.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_fuzzed_writes_as_curator_never_5xx(case, world, curator, keep_test_connection):
    token, _ = Token.objects.get_or_create(user=curator)
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    case.validate_response(response, checks=CHECKS)


def test_schema_and_docs_are_served_without_a_cdn(anon, db):
    assert anon.get("/api/schema/").status_code == 200
    docs = anon.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    bundle = anon.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_real_bodies_match_the_schema(world, keep_test_connection):
    # Fuzzed ids rarely hit a row, so every detail and aggregate is also checked with ones that exist.
    from tracker import models

    tracking = models.Tracking.objects.create(
        plan_document=world.plan, plan_year=2025, state="done", review_document=world.review
    )
    models.Verdict.objects.filter(pledge=world.station).update(override_status="fulfilled", override_reason="完工")
    cases = [
        ("/api/jurisdictions/{id}/", {"id": world.hangzhou.pk}, {}),
        ("/api/documents/{id}/", {"id": world.plan.pk}, {}),
        ("/api/pledges/{id}/", {"id": world.gdp.pk}, {}),
        ("/api/pledges/{id}/", {"id": world.station.pk}, {}),
        ("/api/evidence/{id}/", {"id": world.gdp_evidence.pk}, {}),
        ("/api/trackings/{id}/", {"id": tracking.pk}, {}),
        ("/api/scorecards/", {}, {"jurisdiction": world.zhejiang.pk, "plan_year": 2025}),
        ("/api/scorecards/comparison/", {}, {"plan_year": 2025}),
        ("/api/pledges/", {}, {"include_duplicates": "true"}),
        ("/api/documents/", {}, {}),
        ("/api/jurisdictions/", {}, {}),
        ("/api/evidence/", {}, {}),
        ("/api/trackings/", {}, {}),
        ("/api/trackings/progress/", {}, {}),
    ]
    for template, path_parameters, query in cases:
        case = schema[template]["GET"].make_case(path_parameters=path_parameters, query=query)
        response = case.call()
        assert response.status_code == 200, (template, response.get_data()[:300])
        case.validate_response(response, checks=CHECKS)


def test_schema_declares_public_reads_and_every_error(anon, world, keep_test_connection):
    paths = anon.get("/api/schema/?format=json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if method == "get":
                # Public: no lock in Swagger, and fuzzers do not expect a 401 without credentials.
                assert operation["security"] == [], path
                assert "send none" in responses["401"]["description"], path
            elif path != "/api/auth/token/":
                assert {"tokenAuth": []} in operation["security"] and {} not in operation["security"], (method, path)
            assert {"401", "406", "429"} <= set(responses), (method, path)
            if "{id}" in path:
                assert "404" in responses, (method, path)
            assert responses["406"]["content"].keys() == {"application/json"}
    for path in ("/api/pledges/", "/api/documents/", "/api/evidence/", "/api/trackings/", "/api/jurisdictions/"):
        assert {"400", "404"} <= set(paths[path]["get"]["responses"]), path


def test_the_documented_errors_are_the_ones_answered(anon, world, keep_test_connection):
    # A bad token on a public read is refused (the documented 401), an unknown id is 404,
    # a refused filter is 400, an unknown format 406, a page past the end 404.
    calls = [
        (schema["/api/pledges/{id}/"]["GET"].make_case(path_parameters={"id": 10**9}), {}, 404),
        (schema["/api/pledges/"]["GET"].make_case(query={"plan_year": "abc"}), {}, 400),
        (schema["/api/pledges/"]["GET"].make_case(query={"page": 999}), {}, 404),
        (schema["/api/pledges/"]["GET"].make_case(query={"format": "xml"}), {}, 406),
        (schema["/api/pledges/"]["GET"].make_case(), {"Authorization": "Token not-a-token"}, 401),
    ]
    for case, headers, expected in calls:
        response = case.call(headers=headers)
        assert response.status_code == expected, (case.path, case.query, response.get_data()[:200])
        case.validate_response(response, checks=(status_code_conformance, content_type_conformance))
