"""The report reader: every glossary name and spinal level in a pasted report, and which findings it says are absent.

Pure functions and values, no request code, so the page, the JSON API and the benchmarks share one engine:

| module        | its one job                                                                   |
|---------------|-------------------------------------------------------------------------------|
| `limits`      | how much text and how large a request body one explanation takes              |
| `results`     | the values an explanation is made of: `Term`, `Level`, `Explanation`          |
| `names`       | every title, alias and word form of the glossary in a text (a trie of words)  |
| `levels`      | spinal levels (C5, L4-5, L5/S1, "C5 through C7"), told apart from T1/T2 MRI   |
| `negation`    | findings the report says are absent (a NegEx/ConText-style rule table)        |
| `engine`      | the three together, built once per content load                               |
| `pieces`      | the text cut into plain and marked pieces, for the page to show               |
| `spine`       | the spine diagram's geometry and what it highlights                           |
"""
