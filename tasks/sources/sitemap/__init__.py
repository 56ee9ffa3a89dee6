"""The sitemap source kind: discovery from robots.txt and sitemap files (see README.md beside this file)."""
