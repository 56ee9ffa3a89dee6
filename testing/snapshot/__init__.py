"""The bundled offline snapshot of news.antiwar.com, www.antiwar.com/blog and original.antiwar.com.

Data lives in one folder per host (see README.md); `render` turns it into the sites' pages and
feeds, `site` serves it (in-process or on 127.0.0.1) and `client` is the fetch client that reads it.
"""
