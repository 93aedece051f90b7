"""The search index built from a linked glossary, and the answers to queries."""
