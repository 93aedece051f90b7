"""Content files to a linked, rendered glossary: parse, check, link, render."""
