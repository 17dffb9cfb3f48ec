"""``build-report.json``: every output with its checksum, every anchor and verified reference."""

import hashlib
import json


def build_report(outputs, warnings):
    report = {
        'outputs': [entry(output) for output in outputs if output.kind != 'web-asset'],
        'anchors': [anchor for output in outputs for anchor in output.anchors],
        'references': [reference for output in outputs for reference in output.references],
        'warnings': [warning.format() for warning in warnings],
    }
    return (json.dumps(report, indent=2, ensure_ascii=False) + '\n').encode('utf-8')


def entry(output):
    record = {'path': output.path, 'kind': output.kind, 'booklet': output.booklet,
              'pages': output.pages, 'sha256': hashlib.sha256(output.data).hexdigest()}
    if output.card:
        record.update(card=output.card, qr=output.qr)
        if output.clinic:
            record['clinic'] = output.clinic
    return record
