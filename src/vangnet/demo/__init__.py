"""Demo data for `make demo` (`manage.py load_demo`): the top layer, it may use every app."""
