"""Views derived from a built Handbook: what is due for review, redirects, search words, the schema reference."""
