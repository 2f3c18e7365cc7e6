"""django-storages' S3 backend with a bounded wait.

boto3's defaults wait a minute per call and retry up to five times with backoff, so an
admin upload to a storage that is down would hang for minutes before failing. Here a
call fails after ``timeout`` seconds to connect or read, tried twice.
"""

from botocore.config import Config
from storages.backends.s3 import S3Storage


class ObjectStorage(S3Storage):
    def get_default_settings(self):
        return {**super().get_default_settings(), "timeout": 5.0}

    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(
            Config(
                connect_timeout=self.timeout,
                read_timeout=self.timeout,
                retries={"mode": "standard", "total_max_attempts": 2},
            )
        )
