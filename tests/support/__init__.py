"""Helpers shared by test modules, so no test module imports another's private parts."""
