import pytest
from django.test import Client

from tests import factories as f
from tests.api.conftest import curator, reader, world  # noqa: F401 - shared fixtures


@pytest.fixture
def staff_curator(curator):  # noqa: F811
    curator.is_staff = True
    curator.save()
    client = Client()
    client.force_login(curator)
    # These tests read the English screen; the Chinese one is tests/admin/test_admin_language.py.
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def staff_reader(db):
    user = f.UserFactory(username="staff-reader", is_staff=True)
    client = Client()
    client.force_login(user)
    return client
