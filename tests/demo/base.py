"""The demo loaded once per test class: `gongkai demo` takes seconds, so each class loads
it in setUpTestData and every test's own changes are rolled back (Django's TestCase)."""

import io
import shutil
import tempfile

from django.core.management import call_command
from django.test import TestCase, override_settings


class DemoTestCase(TestCase):
    first_output = ""

    @classmethod
    def setUpClass(cls):
        # Attachment files are written to disk; keep them out of the data directory.
        cls._media_root = tempfile.mkdtemp(prefix="gongkai-demo-media-")
        cls._media = override_settings(MEDIA_ROOT=cls._media_root)
        cls._media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media.disable()
        shutil.rmtree(cls._media_root, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        call_command("demo", stdout=out)
        cls.first_output = out.getvalue()

    @staticmethod
    def demo(*args: str) -> str:
        out = io.StringIO()
        call_command("demo", *args, stdout=out)
        return out.getvalue()
