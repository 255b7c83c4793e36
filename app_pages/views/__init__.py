"""What each page draws; ``app_pages/<page>.py`` calls its ``page()``."""
