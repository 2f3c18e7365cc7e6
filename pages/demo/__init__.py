"""The microneedling demo: content as data, and the code that loads it."""
