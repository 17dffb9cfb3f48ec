"""A WeasyPrint URL fetcher that serves only ``data:`` URIs and files inside allowed folders.

Everything else (other paths, ``file://`` outside, http, ftp ...) is refused and remembered,
so the build can fail with an error naming the source that asked for it.
"""

from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..read.files import ContentRoot, Refused


class SandboxFetcher(URLFetcher):
    def __init__(self, allowed_folders):
        super().__init__(allowed_protocols={'data', 'file'}, allow_redirects=False)
        self.allowed = [ContentRoot(folder) for folder in allowed_folders]
        self.refused = []

    def read(self, path):
        """The file's bytes through the gate of the allowed folder holding it (regular files,
        no second hard link, within size limits), or ``None``."""
        for folder in self.allowed:
            if folder.contains(path):
                try:
                    return folder.read_bytes(path)
                except Refused:
                    return None
        return None

    def fetch(self, url, headers=None):
        if url.startswith('data:'):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == 'file' and parsed.netloc in ('', 'localhost'):
            data = self.read(unquote(parsed.path))
            if data is not None:
                return URLFetcherResponse(url, data)
        self.refused.append(url)
        raise ValueError(f'refused by the build sandbox: {url}')
