"""gunicorn's configuration for production: `gunicorn -c gunicorn.conf.py` (what `make serve` runs).

Settings from the environment (docs/deploy.md):
- GLOSSARY_BIND: the address to listen on, default 127.0.0.1:8000 (a reverse proxy in front).
  Where a platform sets PORT instead (most PaaS do), the default is 0.0.0.0:$PORT.
- WEB_CONCURRENCY: the number of worker processes, as gunicorn and PaaS name it; default below.
Options on the command line win over this file, e.g. `--bind unix:/run/glossary.sock`.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from glossary.serving import cpus

wsgi_app = "glossary.wsgi:serve()"  # prepares the site (glossary/startup.py), then serves it

_port = os.environ.get("PORT", "").strip()
bind = [os.environ.get("GLOSSARY_BIND", "").strip() or (f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000")]

# Sync workers, two per CPU plus one. A request never waits on a database or another service, so one
# per CPU would keep the CPUs busy; but a page not yet in memory renders for 2-4 ms and a search over
# a large glossary takes longer, and with more workers than CPUs the kernel time-slices them, so a
# slow request does not hold up the cheap ones queued behind it. Each worker costs little memory: the
# glossary is loaded once, before forking (preload_app), plus at most 32 MiB of rendered pages.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cpus.available() + 1)
worker_class = "sync"

# Load the glossary, its search index and change dates once, in the master, before forking: workers
# share those pages of memory, start instantly, and a content error (or missing static files) stops
# the master itself, so a broken release never starts and the old one keeps serving.
preload_app = True

# Every answer takes milliseconds; 30 s only catches a stuck worker. Workers finish their requests
# within graceful_timeout on SIGTERM (a rolling restart).
timeout = 30
graceful_timeout = 30

# The worker heartbeat file: on tmpfs, never on a disk that may stall (gunicorn's advice in containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Access log to stdout, error log to stderr, as platforms collect them. No client address, user agent or
# referrer: readers of a medical glossary are not to be tracked (the proxy or CDN has them for abuse).
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'


# gunicorn 27's control socket sits at one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# servers on one machine (two releases during a roll-out, the tests) would fight over; nothing uses it.
control_socket_disable = True


def when_ready(server: Any) -> None:
    """In the master, after the preload and before the first fork: freeze the loaded objects out of the
    garbage collector's reach, so its passes in the workers do not write to (and so copy) shared pages."""
    gc.freeze()
