from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from aftersales.filters import SupplierSource, register_suppliers
        from aftersales.scan_sources import ScanSource, register_scan_source
        from aftersales.timeline import register_timeline
        from core.navigation import Area, register
        from distribution import receivers  # noqa: F401  (connects them)
        from distribution.filters import orders_fulfilled_by, suppliers_of
        from distribution.money_views import (
            FROM_SUPPLIERS,
            from_suppliers_count,
            from_suppliers_panel,
            from_suppliers_shown,
        )
        from distribution.scan import cases_stocked_by_supplier, returns_scanned
        from distribution.timeline import case_distribution
        from refunds.extra_tabs import ExtraTab, register_tab

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
        # the After-Sales lists' Supplier filter: aftersales cannot read distribution, so it is told
        register_suppliers(SupplierSource(suppliers=suppliers_of, orders=orders_fulfilled_by))
        # Stock-In / Return: a supplier's scan finds its BigShop returns; a distributor's case on a
        # supplier-fulfilled order is the supplier's to stock in
        register_scan_source(
            ScanSource(
                find=returns_scanned,
                template="distribution/_scanned_returns.html",
                stocked_elsewhere=cases_stocked_by_supplier,
            )
        )
        # the distributor's case timeline shows the supplier's side of its return
        register_timeline("distribution", case_distribution)
        # the After-Sales Refund page's From Suppliers tab: refunds cannot read distribution either
        register_tab(
            ExtraTab(FROM_SUPPLIERS, "From Suppliers", from_suppliers_shown, from_suppliers_count, from_suppliers_panel)
        )
