"""Entry point for `flask --app app` and `gunicorn app:app`."""

import sys

from feedback import create_app
from feedback.adapters.delivery import DeliveryConfigError
from feedback.adapters.store import DatabaseFault
from feedback.config import ConfigError
from feedback.domain.surveys import SurveyDefinitionError

try:
    app = create_app()
except (ConfigError, DeliveryConfigError, SurveyDefinitionError, DatabaseFault) as error:
    sys.exit(f"My Met Service cannot start: {error}")
