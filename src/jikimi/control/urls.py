from django.urls import URLPattern, URLResolver, path

from jikimi.control import wall_views

app_name = "control"

urlpatterns: list[URLPattern | URLResolver] = [
    # the live wall (오산시 지침 제12조, 제19조; R41)
    path("wall/", wall_views.wall, name="wall"),
    path("wall/layout/", wall_views.wall_save, name="wall_save"),
    path("wall/<int:pk>/", wall_views.wall_live, name="wall_live"),
    path("wall/<int:pk>/camera/<int:device>/", wall_views.wall_camera, name="wall_camera"),
    path("live/<int:pk>/<int:device>/index.m3u8", wall_views.live_playlist, name="live_playlist"),
    path("live/<int:pk>/<int:device>/init/<str:name>", wall_views.live_init, name="live_init"),
    path("live/<int:pk>/<int:device>/part/<int:msn>.<int:part>.m4s", wall_views.live_part, name="live_part"),
    path("live/<int:pk>/<int:device>/segment/<int:msn>.m4s", wall_views.live_segment, name="live_segment"),
]
