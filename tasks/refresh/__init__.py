"""Re-reading the comment threads of loaded articles (the refresh-comments flow): which threads, how, and the load."""
