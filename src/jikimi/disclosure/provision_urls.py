"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import delivery_provision_views

app_name = "provisions"
urlpatterns: list[URLPattern | URLResolver] = [
    # From the approval to the footage handed over (R25, R32, R49; 별지 제3호 영상정보 인수증).
    path("<id:pk>/handover/", delivery_provision_views.handover_page, name="handover"),
    path("<id:pk>/handover/masking", delivery_provision_views.start_masking, name="masking_start"),
    path("<id:pk>/handover/package", delivery_provision_views.prepare_package, name="package"),
    path("<id:pk>/handover/provide", delivery_provision_views.provide, name="provide"),
    path("<id:pk>/receipt.pdf", delivery_provision_views.receipt_pdf, name="receipt"),
    path("<id:pk>/receipt/sign", delivery_provision_views.sign_on_screen, name="sign"),
    path("<id:pk>/receipt/scan", delivery_provision_views.upload_scan, name="receipt_scan"),
]
