"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import after_views, delivery_provision_views, provision_views

app_name = "provisions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", provision_views.index, name="index"),
    path("<id:pk>/", provision_views.case_detail, name="case"),
    path("<id:pk>/review", provision_views.review, name="review"),
    path("<id:pk>/decide", provision_views.decide, name="decide"),
    path("attachments/<id:pk>", provision_views.attachment, name="attachment"),
    # A letter received on paper (or by fax), typed in by an officer; the bodies that send letters.
    path("<slug:slug>/new", provision_views.new, name="new"),
    path("<slug:slug>/bodies/", provision_views.bodies, name="bodies"),
    # From the approval to the footage handed over (R25, R32, R49; 별지 제3호 영상정보 인수증).
    path("<id:pk>/handover/", delivery_provision_views.handover_page, name="handover"),
    path("<id:pk>/handover/masking", delivery_provision_views.start_masking, name="masking_start"),
    path("<id:pk>/handover/package", delivery_provision_views.prepare_package, name="package"),
    path("<id:pk>/handover/package/status", delivery_provision_views.package_status, name="package_status"),
    path(
        "<id:pk>/handover/package/withdraw",
        delivery_provision_views.withdraw_package,
        name="package_withdraw",
    ),
    path("<id:pk>/handover/provide", delivery_provision_views.provide, name="provide"),
    path("<id:pk>/receipt.pdf", delivery_provision_views.receipt_pdf, name="receipt"),
    path("<id:pk>/receipt/sign", delivery_provision_views.sign_on_screen, name="sign"),
    path("<id:pk>/receipt/scan", delivery_provision_views.upload_scan, name="receipt_scan"),
    # What follows a provision: destruction, notice to the data subject, publication (issue 14).
    path("overdue", after_views.overdue, name="overdue"),
    path("<id:pk>/after", after_views.case_after, name="after"),
    path("<id:pk>/after/destruction", after_views.staff_destruction, name="after_destruction"),
    path("<id:pk>/after/notice", after_views.subject_notice, name="after_notice"),
    path("<id:pk>/after/publish", after_views.publish, name="after_publish"),
]
