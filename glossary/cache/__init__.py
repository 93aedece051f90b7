"""What every kept result shares: digests of the inputs it was made from."""
