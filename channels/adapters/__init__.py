"""Platform adapters: HTTP clients of the marketplaces behind one interface (base.ChannelAdapter)."""
