"""The 관리대장 and the yearly figures (VIEW_LEDGER)."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import ledger_views

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", ledger_views.index, name="index"),
    path("export.xlsx", ledger_views.export_xlsx, name="export_xlsx"),
    path("export.pdf", ledger_views.export_pdf, name="export_pdf"),
    path("<id:pk>/", ledger_views.entry_detail, name="entry"),
    path("<id:pk>/approve", ledger_views.approve, name="approve"),
    path("<id:pk>/correct", ledger_views.correct, name="correct"),
    path("figures", ledger_views.figures, name="figures"),
    path("figures.xlsx", ledger_views.figures_xlsx, name="figures_xlsx"),
]
