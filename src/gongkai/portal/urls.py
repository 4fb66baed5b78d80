from django.urls import path

from . import disclosure, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("domains/<slug:code>/", views.domain_detail, name="domain"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<str:code>/", views.agency_detail, name="agency"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("domains/<slug:code>/export.<str:fmt>", views.domain_export, name="domain_export"),
    path("agencies/<str:code>/export.<str:fmt>", views.agency_export, name="agency_export"),
    path("search/", views.search, name="search"),
    path("changes/", views.changes, name="changes"),
    path("changes/export.<str:fmt>", views.changes_export, name="changes_export"),
    # Disclosure records (公开信息) and the column 政府信息公开 (/xxgk/).
    path("records/", disclosure.record_list, name="records"),
    path("records/<int:pk>/", disclosure.record_detail, name="record"),
    path(
        "records/<int:pk>/attachments/<int:attachment_id>/",
        disclosure.attachment_download,
        name="attachment",
    ),
    path("xxgk/", disclosure.xxgk_index, name="xxgk"),
    path("xxgk/statutory/", disclosure.xxgk_statutory, name="xxgk_statutory"),
    path("xxgk/statutory/<slug:code>/", disclosure.xxgk_category, name="xxgk_category"),
    path("xxgk/reports/", disclosure.xxgk_reports, name="xxgk_reports"),
    path("xxgk/reports/<int:pk>/", disclosure.xxgk_report, name="xxgk_report"),
    path("xxgk/reports/<int:pk>/file/", disclosure.xxgk_report_file, name="xxgk_report_file"),
    path("xxgk/apply/", disclosure.xxgk_apply, name="xxgk_apply"),
    path(
        "xxgk/agencies/<str:code>/<slug:slug>/",
        disclosure.xxgk_agency_page,
        name="xxgk_agency_page",
    ),
    # Last: a ColumnPage's slug never takes the reserved addresses above (models.py).
    path("xxgk/<slug:slug>/", disclosure.xxgk_page, name="xxgk_page"),
]
