"""The public status site: what may go public (the allowlist and the leak gate), its pages, the Statuspage API,
feeds and uptime."""
