"""Command line: ``build.py [build|check] [--source DIR] [--out DIR] [--html]``."""

import argparse
import os
import sys
from pathlib import Path

from . import pipeline
from .errors import ContentError, PressroomError, UsageError

PROJECT = Path(__file__).resolve().parents[1]

DESCRIPTION = """\
Build patient booklets (A5 PDF), alert cards and their web edition from Markdown.

commands:
  build   (default) build every output from the content root into the output folder
  check   validate the sources (metadata, ids, references, images, cards, review dates,
          readability) without writing PDFs; --strict, --format json
  watch   serve the web edition on http://127.0.0.1:8000/ with live reload, rebuilding on save

exit status: 0 success, 1 content errors (printed as path:line: error: message),
             2 usage error, 3 internal error (a bug: please report it)
"""


def parser():
    result = argparse.ArgumentParser(prog='build.py', description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument('command', nargs='?', choices=('build', 'check', 'watch'), default='build',
                        help='what to do (default: build)')
    result.add_argument('--source', metavar='DIR', default=str(PROJECT),
                        help='content root holding booklet/ and cards/ (default: this repository)')
    result.add_argument('--out', metavar='DIR', default=None,
                        help='output folder (default: output/ in this repository)')
    result.add_argument('--html', action='store_true',
                        help='also write, next to every PDF, the exact HTML given to WeasyPrint')
    result.add_argument('--formats', metavar='LIST', default=','.join(pipeline.formats()),
                        help='which outputs to build, comma-separated (default: all of '
                             f'{",".join(pipeline.formats())})')
    result.add_argument('--force', action='store_true',
                        help='rebuild everything, ignoring the cache in the output folder')
    result.add_argument('--port', type=int, default=8000,
                        help='watch: the port to serve the web edition on (127.0.0.1 only)')
    result.add_argument('--strict', action='store_true',
                        help='check: a publication past its next review date is an error')
    result.add_argument('--format', choices=('text', 'json'), default='text',
                        help='check: how to print the findings (json for CI)')
    noise = result.add_mutually_exclusive_group()
    noise.add_argument('-q', '--quiet', action='store_true', help='print only problems')
    noise.add_argument('-v', '--verbose', action='store_true',
                       help='also say what the cache skipped, and the total time')
    return result


def main(argv=None):
    args = parser().parse_args(argv)
    out = Path(args.out) if args.out else PROJECT / 'output'
    progress = (lambda line: None) if args.quiet else print
    try:
        if args.command == 'check':
            return report_check(*pipeline.check(args.source, strict=args.strict), args, progress)
        if args.command == 'watch':
            from .watch import watch
            return watch(args.source, out, port=args.port, progress=print)
        else:
            _, warnings, _ = run_build(args, out, progress)
    except ContentError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        return error.exit_code
    except PressroomError as error:
        print(f'build.py: error: {error}', file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print('build.py: interrupted; previous outputs are unchanged', file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not bad input: say so in one line, keep outputs
        if os.environ.get('PRESSROOM_DEBUG'):
            raise
        last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
        print(f'build.py: internal error: {last[0]} (previous outputs are unchanged; '
              'set PRESSROOM_DEBUG=1 for the traceback)', file=sys.stderr)
        return 3
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    return 0


def formats(args):
    chosen = [name.strip() for name in args.formats.split(',') if name.strip()]
    unknown = [name for name in chosen if name not in pipeline.formats()]
    if unknown or not chosen:
        raise UsageError(f'--formats: unknown {", ".join(unknown) or "(empty)"}; choose from '
                         f'{",".join(pipeline.formats())}')
    return tuple(chosen)


def run_build(args, out, progress):
    """The build, with a spinner on a terminal (rich) while workers render."""
    import time
    started = time.perf_counter()
    verbose = print if args.verbose else None
    if args.quiet or not sys.stdout.isatty():
        result = pipeline.build(args.source, out, write_html=args.html, progress=progress,
                                force=args.force, verbose=verbose, formats=formats(args))
    else:
        from rich.console import Console
        console = Console(highlight=False)
        with console.status('Building…'):
            result = pipeline.build(args.source, out, write_html=args.html,
                                    progress=console.print, force=args.force,
                                    verbose=verbose and console.print, formats=formats(args))
    if args.verbose:
        print(f'done in {time.perf_counter() - started:.2f} s')
    return result


def report_check(problems, readability, args, progress):
    """Print what ``check`` found; exit 1 when there are errors."""
    errors = sorted(problems.errors, key=lambda problem: (problem.path, problem.line))
    warnings = sorted(problems.warnings, key=lambda problem: (problem.path, problem.line))
    if args.format == 'json':
        import json
        print(json.dumps({
            'errors': [vars(problem) for problem in errors],
            'warnings': [vars(problem) for problem in warnings],
            'readability': [{'path': result.path, 'smog': result.smog,
                             'sentences': result.sentences,
                             'long_sentences': len(result.long_sentences)}
                            for result in readability],
        }, indent=2))
        return 1 if errors else 0
    from .check.readability import readability_table
    for problem in errors + warnings:
        print(problem.format(), file=sys.stderr)
    if readability:
        progress('\nReadability (SMOG grade; aim for 12 or below):')
        progress(readability_table(readability))
    progress(f'\ncheck: {len(errors)} errors, {len(warnings)} warnings')
    return 1 if errors else 0
