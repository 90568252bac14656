from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "jikimi.inventory"
    label = "inventory"
    verbose_name = "영상정보처리기기 대장"
