"""Quarterly progress, its review, dashboards and compiled reports (issue 3 onwards)."""
