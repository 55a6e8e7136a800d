"""In-memory session store."""
import time


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def put(self, key, value, ttl):
        self.sessions[key] = (value, time.time() + ttl)
