from django.urls import path

from jikimi.publishing import staff_views, views

app_name = "publishing"
urlpatterns = [
    # Public: the policy needs no login (영25②, R5).
    path("policy/<slug:slug>/", views.policy, name="policy"),
    path("policy/<slug:slug>/pdf", views.policy_pdf, name="policy_pdf"),
    path("policy/<slug:slug>/v/<id:number>/", views.version, name="version"),
    path("policy/<slug:slug>/v/<id:number>/pdf", views.version_pdf, name="version_pdf"),
    path("policy/<slug:slug>/compare/<id:a>/<id:b>/", views.compare, name="compare"),
    path("policy/<slug:slug>/compare/<id:a>/<id:b>/pdf", views.compare_pdf, name="compare_pdf"),
    path("policy/<slug:slug>/signs/", views.signs, name="signs"),
    path("policy/<slug:slug>/signs/<slug:group_key>.pdf", views.sign_pdf, name="sign_pdf"),
    # R10: a building's name is data, not a path segment ("민원동/별관", "#2 창고"): it travels in the
    # query string, encoded (signs.building_sign_url).
    path(
        "policy/<slug:slug>/signs/buildings/entrance.pdf", views.building_sign_pdf, name="building_sign_pdf"
    ),
    # 법 제25조④: a sign at each place, naming that place and the devices there.
    path(
        "policy/<slug:slug>/signs/<slug:group_key>/<slug:location_key>.pdf",
        views.location_sign_pdf,
        name="location_sign_pdf",
    ),
    # Staff: PUBLISH_POLICY on the institution.
    path("publishing/", staff_views.staff_index, name="staff_index"),
    path("publishing/<slug:slug>/", staff_views.staff_institution, name="staff_institution"),
    path("publishing/<slug:slug>/publish", staff_views.publish, name="publish"),
    # 철회 of a version announced but not in force (R5, R7).
    path("publishing/<slug:slug>/v/<id:number>/withdraw", staff_views.withdraw, name="withdraw"),
    # Issue 16: the wording of an item of 시행령 제25조① the 방침 lacks, adopted by the officer (R4).
    path("publishing/<slug:slug>/adopt/<id:item>", staff_views.adopt, name="adopt"),
    path("publishing/<slug:slug>/check-dates", staff_views.check_dates, name="check_dates"),
    path("publishing/<slug:slug>/compare-draft/", staff_views.compare_draft, name="compare_draft"),
    path(
        "publishing/<slug:slug>/forms/installation.pdf", staff_views.installation_pdf, name="installation_pdf"
    ),
    path(
        "publishing/<slug:slug>/forms/installation.xlsx",
        staff_views.installation_xlsx,
        name="installation_xlsx",
    ),
]
