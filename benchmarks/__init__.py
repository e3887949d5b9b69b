"""`make bench`: speed measured outside the installed package (docs/performance.md)."""
