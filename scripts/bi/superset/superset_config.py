"""Superset configuration for the news warehouse (loaded through SUPERSET_CONFIG_PATH).

Everything Superset writes lives under ``$SUPERSET_HOME`` (``<warehouse>/superset/``): the sqlite
metadata database, the secret key, logs and the pid file. ``scripts/bi/superset/bi.py`` sets the
environment and creates the secret key (mode 600) before Superset starts; this file only reads them.
It runs inside Superset's own virtualenv (.venv-bi), so it imports nothing from the project.
"""

from __future__ import annotations

import os
from pathlib import Path

_HOME = Path(os.environ["SUPERSET_HOME"]).resolve()

DATA_DIR = str(_HOME)
SECRET_KEY = (_HOME / "secret-key").read_text(encoding="utf-8").strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}?check_same_thread=false"

# A local, single-user tool: no example data, no usage tracking, nothing fetched from the internet.
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS: dict[str, bool] = {}
# The menu renders Scarf's telemetry pixel; the content security policy below does not let the
# browser load it (img-src and connect-src are this server only), so no usage data leaves the machine.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# SQL Lab runs queries in the web process (no Celery), results come back in the response.
SQLLAB_TIMEOUT = 120
SUPERSET_WEBSERVER_TIMEOUT = 120
SQL_MAX_ROW = 100_000
DISPLAY_MAX_ROW = 10_000

# The in-memory rate-limit store is right for one local process; say so to silence the warning.
RATELIMIT_STORAGE_URI = "memory://"

# Logs go to <warehouse>/superset/superset.log through the server's stderr (see bi.py).
LOG_LEVEL = "INFO"
