"""Test helpers that are not the product: fake sites, generated sitemaps, the Hugo news site."""
