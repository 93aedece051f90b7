"""The spine imaging glossary: Markdown entries in, cross-linked pages out."""
