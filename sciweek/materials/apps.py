from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "sciweek.materials"
    label = "materials"
    verbose_name = "宣传材料"
