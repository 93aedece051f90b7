"""The one stateful stage: the current load and its index, kept across requests and restarts."""
