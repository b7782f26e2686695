"""Create Superset's admin user, or reset its password, from a password read on standard input.

Runs inside Superset's virtualenv (``.venv-bi/bin/python scripts/bi/superset/admin_user.py``) with
SUPERSET_CONFIG_PATH and SUPERSET_HOME set by ``scripts/bi/superset/bi.py``. The password never
appears on a command line (where ``ps`` would show it). Exit status 0 when the user exists with
that password afterwards.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="admin")
    parser.add_argument("--email", default="admin@localhost")
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        print("no password on standard input", file=sys.stderr)
        return 2

    logging.disable(logging.INFO)  # Superset logs every permission sync at INFO
    from superset.app import create_app  # noqa: PLC0415 (only importable in .venv-bi)

    app = create_app()
    with app.app_context():
        from superset import security_manager  # noqa: PLC0415
        from werkzeug.security import check_password_hash  # noqa: PLC0415

        user = security_manager.find_user(username=args.username)
        if user is None:
            role = security_manager.find_role("Admin")
            if role is None:
                print("the Admin role is missing: run `superset init` first", file=sys.stderr)
                return 2
            if not security_manager.add_user(args.username, "Superset", "Admin", args.email, role,
                                             password=password):
                print(f"could not create user {args.username}", file=sys.stderr)
                return 2
            print(f"created user {args.username}")
        elif not check_password_hash(user.password, password):
            security_manager.reset_password(user.id, password)
            print(f"reset the password of {args.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
