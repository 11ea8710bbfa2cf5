"""Platform adapters: HTTP clients of the marketplaces behind one interface (base.ChannelAdapter).

`adapter_for(channel)` builds the one for a channel from settings.CHANNEL_APIS (the sandbox by
default, the real hosts in production).
"""

from django.conf import settings

from channels.adapters.base import ChannelAdapter
from channels.adapters.lazada import LazadaAdapter
from channels.adapters.shopee import ShopeeAdapter
from channels.adapters.tiktok import TikTokAdapter
from channels.models import Channel

CONNECTABLE = (Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA)  # the channels a seller can connect in Settings > Stores


def adapter_for(channel: str) -> ChannelAdapter:
    """A new adapter (close it when done: it keeps connections open). KeyError: not connectable."""
    config = settings.CHANNEL_APIS[channel]
    if channel == Channel.TIKTOK:
        return TikTokAdapter(
            app_key=config["app_key"],
            app_secret=config["app_secret"],
            api_base=config["api_base"],
            auth_base=config["auth_base"],
            authorize_page=config["authorize_url"],
            service_id=config["service_id"],
        )
    if channel == Channel.SHOPEE:
        return ShopeeAdapter(
            partner_id=config["partner_id"], partner_key=config["partner_key"], api_base=config["api_base"]
        )
    if channel == Channel.LAZADA:
        return LazadaAdapter(
            app_key=config["app_key"],
            app_secret=config["app_secret"],
            api_base=config["api_base"],
            auth_base=config["auth_base"],
            authorize_page=config["authorize_url"],
        )
    raise KeyError(channel)
