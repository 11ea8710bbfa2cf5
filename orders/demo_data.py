"""The fixed tables the orders demo is planned from: buyers, stores' order counts, platform statuses,
cancellation reasons and requests, prices' exchange rates, order ages."""

from decimal import Decimal

from channels.models import Channel
from orders.models import OrderStatus

S = OrderStatus

BUYERS = {  # region: [(name, tier)]
    "MY": [
        ("Nurul Aisyah binti Rahman", None),
        ("Tan Wei Ming", None),
        ("Muhammad Hafiz Ismail", None),
        ("Lim Mei Ling", None),
        ("Priya Nair", None),
        ("Ahmad Firdaus Zainal", None),
        ("Chong Kah Yee", None),
        ("Siti Khadijah Omar", None),
        ("Rajesh Kumar a/l Subramaniam", None),
        ("Ng Jia Hui", None),
        ("Farah Nadia Kamal", None),
        ("Wong Kok Leong", None),
        ("Amirul Hakim Yusof", None),
        ("Lee Siew Lan", None),
        ("Kavitha Muthusamy", None),
        ("Hazwan Aziz", "Retail"),
        ("Ong Bee Choo", "Retail"),
        ("Goh Chee Keong", "Gold"),
        ("Intan Syafiqah Rosli", "Gold"),
        ("Yap Shu Fen", "Gold"),
        ("Kedai Telefon Ah Seng", "Reseller"),
        ("Mobile Zone Bangsar", "Reseller"),
        ("Gadget Point Ipoh", "Reseller"),
        ("Azlan Accessories Sdn Bhd", "Reseller"),
    ],
    "ID": [
        ("Budi Santoso", None),
        ("Siti Rahayu", None),
        ("Andi Wijaya", None),
        ("Dewi Lestari", None),
        ("Rizky Pratama", None),
        ("Putri Ayu Maharani", None),
        ("Agus Setiawan", None),
        ("Fitri Handayani", None),
        ("Yoga Saputra", None),
        ("Ratna Sari Dewi", None),
        ("Hendra Gunawan", None),
        ("Indah Permatasari", None),
    ],
    "INTL": [
        ("Emily Carter", None),
        ("James O'Connor", None),
        ("Sophie Martin", None),
        ("Daniel Kim", None),
        ("Olivia Brown", None),
        ("Lucas Schmidt", None),
        ("Chloe Nguyen", None),
        ("Ethan Walker", None),
    ],
}

STORE_PLAN = {  # store name: (buyer region, shipping warehouse, orders per status)
    "Shopee MY - Demo Official": ("MY", "KL-01", {S.NEW: 22, S.IN_PROCESS: 14, S.TO_PICKUP: 8, S.SHIPPED: 14,
                                                  S.COMPLETED: 22, S.CANCELLED: 10}),
    "Lazada MY - Demo Store": ("MY", "KL-01", {S.NEW: 15, S.IN_PROCESS: 10, S.TO_PICKUP: 6, S.SHIPPED: 10,
                                               S.COMPLETED: 16, S.CANCELLED: 8}),
    "TikTok Shop ID - Demo": ("ID", "JKT-3PL", {S.NEW: 14, S.IN_PROCESS: 9, S.TO_PICKUP: 5, S.SHIPPED: 9,
                                                S.COMPLETED: 15, S.CANCELLED: 8}),
    "Shopify - demo-seller": ("INTL", "KL-01", {S.NEW: 8, S.IN_PROCESS: 5, S.TO_PICKUP: 2, S.SHIPPED: 6,
                                                S.COMPLETED: 11, S.CANCELLED: 3}),
    "WooCommerce - demoseller.my": ("MY", "KL-01", {S.NEW: 7, S.IN_PROCESS: 4, S.TO_PICKUP: 2, S.SHIPPED: 5,
                                                    S.COMPLETED: 10, S.CANCELLED: 2}),
    "Offline": ("MY", "KL-01", {S.WAITING_APPROVAL: 6, S.NEW: 4, S.IN_PROCESS: 2, S.SHIPPED: 2, S.COMPLETED: 5,
                                S.CANCELLED: 1}),
}  # fmt: skip

# The platform's own status per our status. Shopee, Lazada and TikTok New / In Process orders
# mostly sit where the seller may still cancel (orders.cancellation.SELLER_CANCEL); a repeated
# entry weighs the choice.
PLATFORM_STATUS = {
    Channel.SHOPEE: {
        S.NEW: ["To Process", "To Process", "To Process", "Unpaid"],
        S.IN_PROCESS: ["Ready to Ship", "Processed"],
        S.TO_PICKUP: ["Processed"],
        S.SHIPPED: ["Shipped"],
        S.COMPLETED: ["Completed"],
        S.CANCELLED: ["Cancelled"],
    },
    Channel.LAZADA: {
        S.NEW: ["Pending", "Pending", "Pending", "Unpaid"],
        S.IN_PROCESS: ["Packed", "Repacked", "Ready to Ship Pending", "Packed"],
        S.TO_PICKUP: ["Ready to Ship"],
        S.SHIPPED: ["Shipped"],
        S.COMPLETED: ["Delivered"],
        S.CANCELLED: ["Canceled"],
    },
    Channel.TIKTOK: {
        S.NEW: ["Awaiting Shipment", "Awaiting Shipment", "Awaiting Shipment", "On Hold"],
        S.IN_PROCESS: ["Awaiting Shipment", "Awaiting Collection"],
        S.TO_PICKUP: ["Awaiting Collection"],
        S.SHIPPED: ["In Transit"],
        S.COMPLETED: ["Delivered", "Completed", "Completed"],
        S.CANCELLED: ["Cancelled"],
    },
    Channel.SHOPIFY: {
        S.NEW: ["paid"],
        S.IN_PROCESS: ["paid"],
        S.TO_PICKUP: ["paid"],
        S.SHIPPED: ["fulfilled"],
        S.COMPLETED: ["fulfilled"],
        S.CANCELLED: ["cancelled"],
    },
    Channel.WOOCOMMERCE: {
        S.NEW: ["processing", "processing", "on-hold"],
        S.IN_PROCESS: ["processing"],
        S.TO_PICKUP: ["processing"],
        S.SHIPPED: ["completed"],
        S.COMPLETED: ["completed"],
        S.CANCELLED: ["cancelled"],
    },
    Channel.OFFLINE: {
        S.WAITING_APPROVAL: ["pending"],
        S.NEW: ["paid"],
        S.IN_PROCESS: ["paid"],
        S.TO_PICKUP: ["paid"],
        S.SHIPPED: ["shipped"],
        S.COMPLETED: ["completed"],
        S.CANCELLED: ["cancelled"],
    },
}

OTHER_CANCEL_REASONS = ("Customer changed mind", "Payment not received", "Out of Stock")
RETURNED_REASON = "Failed delivery, returned to sender"

# Buyer cancellation requests, on New orders: (store, reason). The last one is on an order the
# third-party warehouse JKT-3PL has already shipped, so agreeing warns the seller.
CANCEL_REQUESTS = [
    ("Shopee MY - Demo Official", "Need to change delivery address"),
    ("Shopee MY - Demo Official", "Found a cheaper price elsewhere"),
    ("Shopee MY - Demo Official", "Need to modify order (colour, quantity)"),
    ("Shopee MY - Demo Official", "Ordered by mistake"),
    ("Shopee MY - Demo Official", "Seller took too long to ship"),
    ("TikTok Shop ID - Demo", "Changed my mind"),
    ("TikTok Shop ID - Demo", "Wrong item selected"),
    ("TikTok Shop ID - Demo", "Delivery takes too long"),
]

FX = {"MYR": Decimal("1"), "USD": Decimal("0.22"), "IDR": Decimal("3500")}  # wholesale prices are in MYR

AGE_DAYS = {  # how long ago orders in each status were placed: (min, max) days before the anchor
    S.WAITING_APPROVAL: (0, 3),
    S.NEW: (0, 2),
    S.IN_PROCESS: (0, 4),
    S.TO_PICKUP: (1, 5),
    S.SHIPPED: (3, 10),
    S.COMPLETED: (10, 60),
    S.CANCELLED: (2, 60),
}
