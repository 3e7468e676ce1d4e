"""Schemathesis against the served OpenAPI description: for every operation, a
bounded number of generated requests (fitting the description, then not fitting
it) sent to the live app with a key that has every scope. No response may be a
server error, and every one must be as the description promises (status,
content type, body, headers)."""

import json

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from feedback.web.views.api import DESCRIPTION_FILE
from tests.api_client import NEW_LINK

pytestmark = pytest.mark.slow  # many examples: `make test-fast` leaves it out
EXAMPLES = 20  # per operation and mode: about a minute for all of them
OPERATIONS = [(path, method.upper())
              for path, item in json.loads(DESCRIPTION_FILE.read_text())["paths"].items()
              for method in item if method != "parameters"]


@pytest.fixture
def served(api, live_server):
    """The description as served, and a key to call with."""
    key = api.register()
    # A link of this client's, so that generated calls reach one it can see too.
    made = requests.post(f"{live_server}/api/v1/links", json=NEW_LINK, timeout=10,
                         headers={"Authorization": f"Bearer {key}"})
    made.raise_for_status()
    # Every check but "a request that fits is accepted": one that fits can still name
    # no officer's account, a 422 the description cannot foresee (it lists no emails).
    config = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
        "enabled": False}}})
    return schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json",
                                         config=config), {
        "base_url": f"{live_server}/api/v1", "headers": {"Authorization": f"Bearer {key}"},
        }, made.json()["id"]


@pytest.mark.parametrize("path, method, mode, its_link", [
    *((path, method, mode, False) for path, method in OPERATIONS
      for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)),
    # The client's own link too, not only made-up ones.
    *((path, method, GenerationMode.POSITIVE, True) for path, method in OPERATIONS
      if "{link_id}" in path),
])
def test_every_answer_is_as_described(served, path, method, mode, its_link):
    description, call, link_id = served
    operation = description[path][method]
    link = {"path_parameters": {"link_id": link_id}} if its_link else {}

    @given(case=operation.as_strategy(generation_mode=mode, **link))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(**call)

    check()
