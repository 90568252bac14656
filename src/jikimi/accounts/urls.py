from django.urls import path

from jikimi.accounts import contract_views, training_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:user_id>/", views.user_detail, name="user_detail"),
    path("users/<id:user_id>/grant/", views.user_grant, name="user_grant"),
    path("users/<id:user_id>/grants/<id:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("users/<id:user_id>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<id:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<id:user_id>/reset-second-factor/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("users/<id:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("grants/", views.grant_history, name="grant_history"),
    # 오산시 지침 제28조 (R48)
    path("training/", training_views.training_page, name="training"),
    path("training/courses/", training_views.course_create, name="course_create"),
    path("training/completions/", training_views.training_record, name="training_record"),
    # 시행령 제26조, 오산시 지침 제25조 (R33–R35)
    path("contracts/", contract_views.contract_list, name="contract_list"),
    path("contracts/new/", contract_views.contract_create, name="contract_create"),
    path("contracts/<id:contract_id>/", contract_views.contract_detail, name="contract_detail"),
    path("contracts/<id:contract_id>/edit/", contract_views.contract_update, name="contract_update"),
    path("contracts/<id:contract_id>/staff/", contract_views.contract_staff_add, name="contract_staff_add"),
    path(
        "contracts/<id:contract_id>/staff/<id:staff_id>/release/",
        contract_views.contract_staff_release,
        name="contract_staff_release",
    ),
    path("contracts/<id:contract_id>/inspections/", contract_views.contract_inspect, name="contract_inspect"),
]
