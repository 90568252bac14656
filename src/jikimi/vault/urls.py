from django.urls import path

from jikimi.vault import alert_views, hold_views, move_views, viewing_views, views

app_name = "vault"
urlpatterns = [
    path("", views.index, name="index"),
    path("devices/add/", views.device_add, name="device_add"),
    path("devices/<id:pk>/", views.device_detail, name="device_detail"),
    path("devices/<id:pk>/move/", move_views.device_move, name="device_move"),
    path("devices/<id:pk>/upload/", views.upload, name="upload"),
    path("devices/<id:pk>/recording/start/", views.recording_start, name="recording_start"),
    path("devices/<id:pk>/recording/stop/", views.recording_stop, name="recording_stop"),
    path("devices/<id:pk>/holds/new/", hold_views.hold_new, name="hold_new"),
    path("holds/<id:pk>/release/", hold_views.hold_release, name="hold_release"),
    path("holds/<id:pk>/extend/", hold_views.hold_extend, name="hold_extend"),
    path("devices/<id:pk>/play/", viewing_views.playback_new, name="playback_new"),
    path("viewings/<id:pk>/", viewing_views.viewing, name="viewing"),
    path("viewings/<id:pk>/playlist.m3u8", viewing_views.viewing_playlist, name="viewing_playlist"),
    path("viewings/<id:pk>/segments/<id:segment>/init.mp4", viewing_views.viewing_init, name="viewing_init"),
    path(
        "viewings/<id:pk>/segments/<id:segment>/media.m4s", viewing_views.viewing_media, name="viewing_media"
    ),
    # Held copies (R18) of segments whose day key is destroyed: the same parts, opened by the hold's key.
    path(
        "viewings/<id:pk>/held/<id:segment>/init.mp4",
        viewing_views.viewing_init,
        {"held": True},
        name="viewing_held_init",
    ),
    path(
        "viewings/<id:pk>/held/<id:segment>/media.m4s",
        viewing_views.viewing_media,
        {"held": True},
        name="viewing_held_media",
    ),
    path("coverage/", views.coverage_page, name="coverage"),
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/<id:pk>/acknowledge/", alert_views.alert_acknowledge, name="alert_acknowledge"),
    path("destructions/", views.destruction_list, name="destruction_list"),
    path("destructions/certificate.pdf", views.destruction_certificate, name="destruction_certificate"),
]
