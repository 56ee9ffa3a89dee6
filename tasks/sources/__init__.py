"""Reading sources: one package per kind (see registry.py), and the per-target fetch and parse around them."""
