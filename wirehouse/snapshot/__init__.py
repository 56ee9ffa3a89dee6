"""The bundled offline snapshot of news.antiwar.com, www.antiwar.com/blog and original.antiwar.com.

Data lives in one folder per host (see README.md); `render` turns it into the sites' pages and
feeds, and `wirehouse.snapshot_site` serves it.
"""
