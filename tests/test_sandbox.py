"""The build reads nothing outside the content root and never touches the network."""

import subprocess
import zlib
from pathlib import Path

import pytest

SECRET = b'TOP-SECRET-7f3a9c-DO-NOT-LEAK'


@pytest.fixture
def secret(tmp_path):
    folder = tmp_path / 'private'
    folder.mkdir()
    (folder / 'secret.txt').write_bytes(SECRET)
    (folder / 'secret.css').write_bytes(b'body { color: red } /* ' + SECRET + b' */')
    # A valid PNG that carries the secret in a text chunk.
    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', b'\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00'
                                               b'\x00\x00')
           + chunk(b'tEXt', b'Comment\x00' + SECRET)
           + chunk(b'IDAT', zlib.compress(b'\x00\x00')) + chunk(b'IEND', b''))
    (folder / 'secret.png').write_bytes(png)
    return folder


def chunk(kind, data):
    return (len(data).to_bytes(4, 'big') + kind + data
            + zlib.crc32(kind + data).to_bytes(4, 'big'))


def leaked(out):
    """Whether the secret is in any output file, looking inside compressed PDF streams too."""
    for path in Path(out).rglob('*'):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == '.pdf':
            data = subprocess.run(['qpdf', '--stream-data=uncompress', '--object-streams=disable',
                                   str(path), '-'], capture_output=True, check=True).stdout
        if SECRET in data:
            return True
    return False


CASES = {
    'attachment link': ('<link rel="attachment" href="file://{secret}/secret.txt">',
                        '<link> is not allowed: styles belong in styles/*.css'),
    'absolute img': ('<img src="{secret}/secret.png" alt="x">',
                     "image '{secret}/secret.png' must be a file path relative to the booklet "
                     'folder (no URLs or absolute paths)'),
    'relative escape': ('<img src="../../../private/secret.png" alt="x">',
                        "image '../../../private/secret.png' must be inside the booklet folder "
                        '(no ../): move the file there'),
    'css import': ('<style>@import url("file://{secret}/secret.css");</style>',
                   '<style> is not allowed: styles belong in styles/*.css'),
    'network image': ('<img src="http://127.0.0.1:9/x.png" alt="x">',
                      "image 'http://127.0.0.1:9/x.png' must be a file path relative to the "
                      'booklet folder (no URLs or absolute paths)'),
    'style url': ('<p style="background: url(https://example.org/x.png)">x</p>',
                  "style 'background: url(https://example.org/x.png)' may not load files or run "
                  'code: use a class and styles/*.css, or an image'),
}


@pytest.mark.parametrize('case', CASES)
def test_raw_html_cannot_reach_outside(run, make_root, secret, tmp_path, case):
    html, message = CASES[case]
    root = make_root({'booklet/b/01-a.md': f'# A\n\n{html.format(secret=secret)}\n'})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == [f'booklet/b/01-a.md:3: error: {message.format(secret=secret)}']
    assert not leaked(out)


def test_the_layout_sandbox_refuses_what_the_reader_missed(tmp_path, secret):
    # The second line of defence: even HTML that got past the reader cannot load a file.
    from pressroom.targets.sandbox import SandboxFetcher
    fetcher = SandboxFetcher([tmp_path / 'content'])
    with pytest.raises(ValueError):
        fetcher.fetch(f'file://{secret}/secret.png')
    with pytest.raises(ValueError):
        fetcher.fetch('http://127.0.0.1:9/x.png')
    assert fetcher.refused == [f'file://{secret}/secret.png', 'http://127.0.0.1:9/x.png']


def test_markdown_image_outside_root(run, make_root, secret, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n![Secret](../../../private/secret.png)\n'})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: image '../../../private/secret.png' must "
                            'be inside the booklet folder (no ../): move the file there']


def test_symlinked_image_pointing_outside(run, make_root, secret, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n![Photo](images/photo.png)\n'})
    (root / 'booklet/b/images').mkdir()
    (root / 'booklet/b/images/photo.png').symlink_to(secret / 'secret.png')
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: image 'images/photo.png' is outside the "
                            "content root"]
    assert not leaked(out)


def test_symlinked_chapter_pointing_outside(run, make_root, secret, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n'})
    (root / 'booklet/b/02-b.md').symlink_to(secret / 'secret.txt')
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ['booklet/b/02-b.md: error: refusing to read a file that resolves '
                            'outside the content root']


def test_override_stylesheet_cannot_reach_outside(run, make_root, secret, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n',
                      'styles/booklet.css': f'body {{ background: url({secret}/secret.png) }}\n'})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == [f'styles/booklet.css:1: error: url({secret}/secret.png) must name a '
                            'file inside the styles folder']
    assert not leaked(out)


def test_a_file_link_is_refused_and_nothing_leaks(run, make_root, secret, tmp_path):
    # A file:// hyperlink would point readers at the editor's disk: refused at its line.
    root = make_root({'booklet/b/01-a.md': f'# A\n\n[a link](file://{secret}/secret.txt)\n'})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out, '--html')
    assert result.code == 1
    assert result.lines == ['booklet/b/01-a.md:3: error: links may only be http(s), mailto: or '
                            f"tel: addresses or #ids, not 'file://{secret}/secret.txt'"]
    assert not leaked(out)


def test_leak_scan_finds_bytes_inside_compressed_objects(run, make_root, tmp_path):
    # Control for ``leaked``: a link URI lives in a compressed object stream of the PDF.
    root = make_root({'booklet/b/01-a.md': f'# A\n\n[x](https://example.org/{SECRET.decode()})\n'})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert SECRET not in (out / 'b.pdf').read_bytes()
    assert leaked(out)
