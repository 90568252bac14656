from django.urls import path

from jikimi.vault import alert_views, hold_views, move_views, views

app_name = "vault"
urlpatterns = [
    path("", views.index, name="index"),
    path("devices/add/", views.device_add, name="device_add"),
    path("devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("devices/<int:pk>/move/", move_views.device_move, name="device_move"),
    path("devices/<int:pk>/upload/", views.upload, name="upload"),
    path("devices/<int:pk>/recording/start/", views.recording_start, name="recording_start"),
    path("devices/<int:pk>/recording/stop/", views.recording_stop, name="recording_stop"),
    path("devices/<int:pk>/holds/new/", hold_views.hold_new, name="hold_new"),
    path("holds/<int:pk>/release/", hold_views.hold_release, name="hold_release"),
    path("holds/<int:pk>/extend/", hold_views.hold_extend, name="hold_extend"),
    path("devices/<int:pk>/play/", views.playback_new, name="playback_new"),
    path("viewings/<int:pk>/", views.viewing, name="viewing"),
    path("viewings/<int:pk>/playlist.m3u8", views.viewing_playlist, name="viewing_playlist"),
    path("viewings/<int:pk>/segments/<int:segment>/init.mp4", views.viewing_init, name="viewing_init"),
    path("viewings/<int:pk>/segments/<int:segment>/media.m4s", views.viewing_media, name="viewing_media"),
    # Held copies (R18) of segments whose day key is destroyed: the same parts, opened by the hold's key.
    path(
        "viewings/<int:pk>/held/<int:segment>/init.mp4",
        views.viewing_init,
        {"held": True},
        name="viewing_held_init",
    ),
    path(
        "viewings/<int:pk>/held/<int:segment>/media.m4s",
        views.viewing_media,
        {"held": True},
        name="viewing_held_media",
    ),
    path("coverage/", views.coverage_page, name="coverage"),
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", alert_views.alert_acknowledge, name="alert_acknowledge"),
    path("destructions/", views.destruction_list, name="destruction_list"),
    path("destructions/certificate.pdf", views.destruction_certificate, name="destruction_certificate"),
]
