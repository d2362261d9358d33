#!/usr/bin/env python3
"""Forget what dockdojo's image fact cache knows of some images (by id), so the
next check of them scans as for an image never seen, with the cache file in
place as it is on a learner's machine after the first check.

    forget.py CACHE_FILE IMAGE_ID...
"""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1], timeout=5)
for image in sys.argv[2:]:
    for table in ("paths", "packages", "sizes", "images"):
        try:
            db.execute(f"DELETE FROM {table} WHERE image = ?", (image,))
        except sqlite3.OperationalError:
            pass  # a table an older file lacks
db.commit()
