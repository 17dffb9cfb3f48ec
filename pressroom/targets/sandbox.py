"""A WeasyPrint URL fetcher that serves only ``data:`` URIs and files inside allowed folders.

Everything else (other paths, ``file://`` outside, http, ftp ...) is refused and remembered,
so the build can fail with an error naming the source that asked for it.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SandboxFetcher(URLFetcher):
    def __init__(self, allowed_folders):
        super().__init__(allowed_protocols={'data', 'file'}, allow_redirects=False)
        self.allowed = [os.path.realpath(folder) for folder in allowed_folders]
        self.refused = []

    def allows(self, path):
        real = os.path.realpath(path)
        return any(real == folder or real.startswith(folder + os.sep) for folder in self.allowed)

    def fetch(self, url, headers=None):
        if url.startswith('data:'):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == 'file' and parsed.netloc in ('', 'localhost'):
            path = unquote(parsed.path)
            if self.allows(path) and Path(path).is_file():
                return URLFetcherResponse(url, Path(path).read_bytes())
        self.refused.append(url)
        raise ValueError(f'refused by the build sandbox: {url}')
