"""Reaching the sites: the fetch client a run hands to its stages, and the politeness rules of every request."""
