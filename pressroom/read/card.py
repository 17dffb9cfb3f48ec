"""Read a card folder: ``card.yaml``, ``front.md``, ``back.md`` and an optional ``clinics.csv``."""

import html
import os
import re

import markdown
import yaml

from ..errors import did_you_mean
from ..model import FIELD_TOKEN, QR_SIZE_MM, Card, Face, field_token
from .clinics import read_clinics
from .metadata import URL, check_keys, load_yaml_mapping, scalar
from .budget import SLOW, OverBudget, time_budget
from .sanitize import RAW_SRC, check_html, clean, without_token_characters

SIZE = re.compile(r'^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*mm\s*$')
# card.yaml's keys: the two required ones first.
KEYS = ('title', 'url', 'size', 'requires', 'qr_campaign', 'qr_label', 'opens')
# {{ clinic.<column> }}: a clinic's value (a write-in line on the generic card);
# {{ patient.<label> }}: always a write-in line, for the patient's own hand (e.g. their name).
PLACEHOLDER = re.compile(r'\{\{\s*((?:clinic|patient)\.[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}')
TEMPLATE_SYNTAX = re.compile(r'\{\{.*?\}\}|\{%.*?%\}')
DEFAULT_SIZE = '85x55mm'


def read_card(root, slug, problems):
    """The ``Card`` at ``cards/<slug>``, or ``None`` after recording its problems."""
    folder = root.path / 'cards' / slug
    rel = f'cards/{slug}'
    before = len(problems.errors)
    settings = read_settings(root, folder / 'card.yaml', f'{rel}/card.yaml', problems)
    faces = [read_face(root, folder / name, f'{rel}/{name}', problems)
             for name in ('front.md', 'back.md')]
    clinics, columns = (), ()
    if os.path.lexists(folder / 'clinics.csv'):
        text = root.read_text(folder / 'clinics.csv', problems)
        if text is not None:
            clinics, columns = read_clinics(text, f'{rel}/clinics.csv',
                                            settings.get('requires', ()) if settings else (),
                                            problems)
    if columns:
        for face in faces:
            for name, line in face[1] if face else ():
                required = settings.get('requires', ()) if settings else ()
                if name not in columns and name != 'id' and name not in required:
                    problems.error(face[0].path, line, f"no column '{name}' in clinics.csv"
                                                       + did_you_mean(name, columns))
    if len(problems.errors) > before or settings is None:
        return None
    return Card(slug=slug, folder=rel, title=settings['title'], url=settings['url'],
                width_mm=settings['size'][0], height_mm=settings['size'][1],
                front=faces[0][0], back=faces[1][0], requires=settings.get('requires', ()),
                clinics=clinics, columns=columns, url_line=settings['url_line'],
                qr_label=settings.get('qr_label', ''),
                label_line=settings.get('label_line', settings['url_line']),
                opens=settings.get('opens', ()), opens_line=settings.get('opens_line', 0))


def read_settings(root, path, rel, problems):
    if not os.path.lexists(path):
        problems.error(rel, 0, 'missing card.yaml (title, url)')
        return None
    text = root.read_text(path, problems)
    entries = load_yaml_mapping(text, rel, problems) if text is not None else None
    if entries is None:
        return None
    before = len(problems.errors)
    check_keys(entries, KEYS[:2], KEYS[2:], rel, problems)
    settings = {'size': parse_size(DEFAULT_SIZE)}
    for key in ('title', 'url', 'size', 'qr_campaign', 'qr_label', 'opens'):
        if key in entries:
            value = scalar(entries, key, rel, problems)
            if value is not None:
                settings[key] = value
    if 'url' in settings and not URL.match(settings['url']):
        problems.error(rel, entries['url'][1], f"'url' must be an http(s) URL, not "
                                               f"'{settings['url']}'")
    if isinstance(settings['size'], str):
        size = parse_size(settings['size'])
        if size is None:
            problems.error(rel, entries['size'][1], f"'size' must look like 85x55mm or "
                                                    f"85.6x54mm, not '{settings['size']}'")
        settings['size'] = size
    if 'requires' in entries:
        settings['requires'] = read_requires(entries['requires'], rel, problems)
    if len(problems.errors) > before:
        return None
    from ..qr import QRTooLong, qr_code, tracked_url
    plain = settings['url']
    settings['url'] = tracked_url(plain, settings.get('qr_campaign'))
    settings['url_line'] = entries['url'][1]
    if 'qr_label' in entries:
        settings['label_line'] = entries['qr_label'][1]
    if 'opens' in settings:
        # A short address that redirects: the section it must lead to, checked like a URL's.
        slug, _, section = settings['opens'].partition('#')
        if not slug.strip():
            problems.error(rel, entries['opens'][1], "'opens' names the booklet and section the "
                                                     "QR code leads to: <booklet-slug>#<id>")
            return None
        settings['opens'] = (slug.strip(), section.strip())
        settings['opens_line'] = entries['opens'][1]
    try:
        qr_code(settings['url'], QR_SIZE_MM)
    except QRTooLong as error:
        problems.error(rel, entries['url'][1], str(error) + campaign_hint(error, plain,
                                                                          settings['url']))
        return None
    return settings


def campaign_hint(error, plain, tracked):
    """What dropping ``qr_campaign`` would save, said when the campaign adds characters."""
    added = len(tracked) - len(plain)
    if added <= 0 or error.version is None:
        return ''
    if added >= error.cut:
        return f' or drop qr_campaign, which adds {added}'
    return f' (qr_campaign adds {added} of them)'


def parse_size(text):
    match = SIZE.match(text)
    if not match:
        return None
    width, height = float(match.group(1)), float(match.group(2))
    if not (40 <= width <= 150 and 30 <= height <= 150):
        return None
    return width, height


def read_requires(entry, rel, problems):
    node, line = entry
    if not isinstance(node, yaml.SequenceNode) or not all(
            isinstance(item, yaml.ScalarNode) and item.value.strip() for item in node.value):
        problems.error(rel, line, "'requires' must be a list of column names, e.g. "
                                  "[name, phone]")
        return ()
    return tuple(item.value.strip() for item in node.value)


def check_face_images(root, folder, body, source, rel, problems):
    """Images on a face are checked like a booklet's (inside the card folder, real, safe);
    returns ``{src: data URI}`` of the good ones."""
    from .images import image_bytes
    from .files import data_uri
    from .sanitize import Locator, image_tags
    locate = Locator(source)
    images = {}
    for src, alt, tag in image_tags(body):
        line = locate.line(tag, src, '<img', '![')
        if not alt.strip():
            problems.error(rel, line, f"image '{src}' has no alt text")
        message, data = image_bytes(root, folder / src, src, 'card')
        if message:
            problems.error(rel, line, message)
        else:
            images[src] = data_uri(data, src)
    return images


def read_face(root, path, rel, problems):
    """(Face, [(field, line), ...]) or ``None``."""
    if not os.path.lexists(path):
        problems.error(rel, 0, 'missing face: a card needs front.md (for patients) and '
                               'back.md (for healthcare professionals)')
        return None
    source = root.read_text(path, problems)
    if source is None:
        return None
    fields, used = [], []

    def token(match):
        name = match.group(1).removeprefix('clinic.')
        if name not in fields:
            fields.append(name)
        return field_token(fields.index(name))

    lines = []
    # The build's placeholders are made of private-use characters (model.FIELD_TOKEN).
    for number, line in enumerate(
            without_token_characters(source, rel, problems).splitlines(), 1):
        used += [(name.removeprefix('clinic.'), number) for name in PLACEHOLDER.findall(line)
                 if not name.startswith('patient.')]
        replaced = PLACEHOLDER.sub(token, line)
        for stray in TEMPLATE_SYNTAX.findall(replaced):
            problems.error(rel, number, f"unknown placeholder {stray}: a face may only use "
                                        "{{ clinic.<column> }} or {{ patient.<label> }}")
        lines.append(TEMPLATE_SYNTAX.sub('', replaced))
    try:
        with time_budget():
            body = markdown.markdown('\n'.join(lines), extensions=['tables', 'attr_list',
                                                                   'smarty', 'sane_lists'])
    except OverBudget:
        problems.error(rel, 1, SLOW)
        return None
    check_html(body, source, rel, problems)
    images = check_face_images(root, path.parent, body, source, rel, problems)
    # Fields are private-use characters here, so the sanitiser keeps them as text.
    body = clean(body)
    # Inlined, so the card PDF, the booklet's back page and the web page all carry them.
    body = RAW_SRC.sub(lambda match: match.group(1) + '"' + html.escape(images.get(
        html.unescape(match.group(2).strip('"\'')), match.group(2).strip('"\'')), quote=True)
                       + '"', body)
    title = ''
    heading = re.search(r'<h1[^>]*>(.*?)</h1>', body, re.S)
    if heading:
        title = re.sub(r'<[^>]+>', '', heading.group(1))
        body = body.replace(heading.group(0),
                            f'<h2 class="face-title">{heading.group(1)}</h2>', 1)
    # Fields stay placeholders (model.FIELD_TOKEN): render fills each card in its own way.
    if not re.sub(r'<[^>]+>|\s', '', FIELD_TOKEN.sub('', body)):
        problems.error(rel, 1, 'face is empty')
    return Face(path=rel, html=body, fields=tuple(fields), title=title, source=source), used
