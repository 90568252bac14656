from django.urls import path

from jikimi.inventory import ptz_views, register_views, views

app_name = "inventory"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("groups/<id:pk>/", views.group_detail, name="group_detail"),
    path("groups/<id:pk>/edit/", views.group_edit, name="group_edit"),
    # The whole register in the browser, entry by entry (the file stays the bulk route).
    path("institutions/<id:pk>/", register_views.register_home, name="register_home"),
    # Sites' coordinates for the control centre's map, filled from the 공공데이터 CCTV정보 file (issue 17).
    path("institutions/<id:pk>/coordinates/", register_views.site_coordinates, name="site_coordinates"),
    path("institutions/<id:pk>/<slug:section>/add/", register_views.entry_add, name="entry_add"),
    path("institutions/<id:pk>/<slug:section>/<slug:key>/", register_views.entry_edit, name="entry_edit"),
    # R14: a location's approved PTZ presets and privacy zones, one form each (the file's `ptz:` section).
    path("locations/<id:pk>/ptz/", ptz_views.ptz_views, name="ptz_views"),
    path("locations/<id:pk>/ptz/presets/add/", ptz_views.preset_add, name="ptz_preset_add"),
    path("locations/<id:pk>/ptz/presets/<key:key>/", ptz_views.preset_edit, name="ptz_preset_edit"),
    path("locations/<id:pk>/ptz/zones/add/", ptz_views.zone_add, name="privacy_zone_add"),
    path("locations/<id:pk>/ptz/zones/<key:key>/", ptz_views.zone_edit, name="privacy_zone_edit"),
]
