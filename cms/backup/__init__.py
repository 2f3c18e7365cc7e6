"""Backups an operator can restore: the PostgreSQL database (``pg_dump -Fc``) and a copy
of the media, in one folder, checked by ``restore`` before anything is replaced."""
