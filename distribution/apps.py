from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register
        from distribution import receivers  # noqa: F401  (connects them)

        register(
            Area("distribution", "Distribution", "distribution:index", (Perm.DISTRIBUTION,), 50),
            # the supplier's side: its own after-sales, stock-in and refund roles open it
            Area(
                "bigshop",
                "BigShop",
                "bigshop:index",
                (Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN, Perm.AFTERSALES_REFUND),
                55,
                for_tenant=lambda tenant: tenant.is_supplier,
            ),
        )
