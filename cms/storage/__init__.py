"""Where files live: local disk by default, S3-compatible object storage when configured.

``config`` turns the environment into Django's ``STORAGES``; ``errors`` recognises a
storage that is down so the admin can say so instead of failing with a 500.
"""
