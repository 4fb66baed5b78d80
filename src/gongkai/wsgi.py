"""WSGI entry point used by `gongkai serve` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

# Dictionaries loaded before the first request, not during it.
from gongkai.search.analysis import warm  # noqa: E402

warm()
