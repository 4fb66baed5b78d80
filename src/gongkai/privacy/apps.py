from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gongkai.privacy"
    label = "privacy"
    verbose_name = "隐私与保密审查"

    def ready(self) -> None:
        # Word-list edits in the back office take effect on the next screen of every process
        # (a version number in the shared cache tells other processes to reload).
        from django.core.signals import setting_changed
        from django.db.models.signals import post_delete, post_save

        from .models import SensitiveWord
        from .screen import clear_word_cache

        post_save.connect(clear_word_cache, sender=SensitiveWord, dispatch_uid="privacy_w_save")
        post_delete.connect(clear_word_cache, sender=SensitiveWord, dispatch_uid="privacy_w_del")
        setting_changed.connect(clear_word_cache, dispatch_uid="privacy_w_settings")
