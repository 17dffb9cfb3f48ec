"""``python -m pressroom``: the installed ``pressroom`` command."""

from .cli import command

raise SystemExit(command())
