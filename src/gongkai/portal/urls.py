from django.urls import path

from . import views

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
]
