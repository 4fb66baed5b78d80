"""The back office: Django's admin, titled in Chinese."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class GongkaiAdminSite(admin.AdminSite):
    site_header = "公开 · 政务公开管理后台"
    site_title = "政务公开管理后台"
    index_title = "工作台"


class GongkaiAdminConfig(AdminConfig):
    default_site = "gongkai.admin_site.GongkaiAdminSite"
