"""The demo catalogue that ships with Marquee (data files only; see ATTRIBUTION.md and services.demo)."""
