"""Build the booklets in booklet/ (see README.md): python build.py [check] [--source DIR] [--out DIR]."""

from pressroom.cli import main

raise SystemExit(main())
