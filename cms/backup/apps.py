from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "cms.backup"
    label = "backup"
    verbose_name = "Backups"
