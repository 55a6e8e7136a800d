"""In-memory session store."""
import time


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def put(self, key, value, ttl):
        self.sessions[key] = (value, time.time() + ttl)

    def purge(self):
        """Remove the sessions that have expired."""
        now = time.time()
        for key in self.sessions:
            if self.sessions[key][1] < now:
                del self.sessions[key]
