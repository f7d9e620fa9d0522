"""Pull feeds over HTTP and import exported posts into the store. Never imports ``nlp``."""
