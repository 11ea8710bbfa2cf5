from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from core.middleware import stamp_session_on_login

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="core.stamp_session_on_login")
