from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gongkai.org"
    label = "org"
    verbose_name = "区划与机关"
