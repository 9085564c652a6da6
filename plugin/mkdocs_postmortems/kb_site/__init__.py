"""The internal knowledge-base site: indexes across incidents, metrics, charts, its pages and exports."""
